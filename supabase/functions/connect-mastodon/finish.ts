// The second half: the instance sent the browser back with `code` and `state` (or `error`). The
// state is taken once (deleted as it is read) and only by the user who started it; the code is
// exchanged here with the client secret and the sealed PKCE verifier, so the token never
// reaches the browser. Nothing is stored unless every step succeeds.
import { HttpError } from "../_shared/cors.ts";
import { openToken } from "../_shared/crypto.ts";
import { MastodonError, NotMastodon } from "../_shared/mastodon/api.ts";
import { findApp } from "../_shared/mastodon/apps.ts";
import { readInstance, unreachable } from "../_shared/mastodon/instance.ts";
import { exchangeCode, type RegisteredApp, revokeToken, verifyCredentials } from "../_shared/mastodon/oauth.ts";
import { type GuardOptions, OutboundError } from "../_shared/outbound.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";
import { saveAccount } from "./accounts.ts";
import type { FlowDeps } from "./start.ts";

export const EXPIRED = "This connection link has expired or was not started here: connect again.";

interface StateRow {
  state: string;
  user_id: string;
  instance_url: string;
  redirect_uri: string;
  code_verifier: string;
  expires_at: string;
}

/** The caller's state row, deleted as it is read; null when it is not theirs, unknown or expired. */
async function takeState(service: SupabaseClient, userId: string, state: unknown): Promise<StateRow | null> {
  if (typeof state !== "string" || state.length < 16 || state.length > 200) return null;
  const { data, error } = await service.from("oauth_states").delete().eq("state", state).eq("user_id", userId).select(
    "*",
  );
  if (error) throw new HttpError(500, `Could not read the connection state: ${error.message}`);
  const row = (data as StateRow[])[0];
  return row && new Date(row.expires_at).getTime() > Date.now() ? row : null;
}

/** Turns a failed call to the instance into what the creator reads. */
function instanceFailure(e: unknown, host: string, what: string): unknown {
  if (e instanceof OutboundError) return unreachable(e, host);
  if (e instanceof MastodonError || e instanceof NotMastodon) {
    return new HttpError(502, `${host} could not ${what} (${e.message}): connect again.`);
  }
  return e;
}

async function exchange(
  base: string,
  host: string,
  app: RegisteredApp,
  row: StateRow,
  code: string,
  guard: GuardOptions,
): Promise<string> {
  const verifier = await openToken(row.code_verifier);
  try {
    return await exchangeCode(base, { app, redirectUri: row.redirect_uri, code, verifier }, guard);
  } catch (e) {
    if (e instanceof MastodonError && (e.status === 400 || e.status === 401)) {
      throw new HttpError(
        400,
        `${host} did not accept this authorization (${e.serverMessage || `HTTP ${e.status}`}): connect again.`,
      );
    }
    throw instanceFailure(e, host, "complete the authorization");
  }
}

export async function finishConnection(
  body: Record<string, unknown>,
  deps: FlowDeps,
): Promise<{ account: Record<string, unknown> }> {
  const { service, userId, guard = {} } = deps;
  const { code, error } = body;
  const refused = typeof error === "string" && error.length > 0;
  if (!refused && (typeof code !== "string" || !code)) {
    throw new HttpError(
      400,
      'Send {action: "finish", state, code} (or state and error) as the instance returned them.',
    );
  }
  const row = await takeState(service, userId, body.state);
  if (!row) throw new HttpError(400, EXPIRED);
  const base = row.instance_url;
  const host = new URL(base).host;
  if (refused) {
    if (error === "access_denied") {
      throw new HttpError(400, `You did not authorize Atelier on ${host}: nothing was connected.`);
    }
    throw new HttpError(
      400,
      `${host} could not authorize Atelier (${String(error).slice(0, 200)}): nothing was connected.`,
    );
  }
  if ((code as string).length > 2000) throw new HttpError(400, EXPIRED);
  const app = await findApp(service, base, row.redirect_uri);
  if (!app) throw new HttpError(400, EXPIRED);

  const accessToken = await exchange(base, host, app, row, code as string, guard);
  try {
    let account;
    try {
      account = await verifyCredentials(base, accessToken, guard);
    } catch (e) {
      throw instanceFailure(e, host, "tell which account was authorized");
    }
    const { maxCharacters } = await readInstance(base, guard);
    return { account: await saveAccount(service, userId, { base, account, maxCharacters, accessToken }) };
  } catch (e) {
    // Nothing was stored: the token must not outlive this request at the instance either.
    await revokeToken(base, app, accessToken, guard).catch(() => {});
    throw e;
  }
}
