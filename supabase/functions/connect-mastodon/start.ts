// The first half of connecting a Mastodon account: check the instance, make sure Atelier is
// registered there (once per instance and redirect URI), and hand the browser the instance's
// authorization URL with a one-time `state` (bound to the caller, 10 minutes) and a PKCE
// challenge whose verifier stays here, sealed, until the code comes back.
import { HttpError } from "../_shared/cors.ts";
import { sealToken } from "../_shared/crypto.ts";
import { MastodonError, NotMastodon } from "../_shared/mastodon/api.ts";
import { findApp, saveApp } from "../_shared/mastodon/apps.ts";
import { normalizeInstance, readInstance, unreachable } from "../_shared/mastodon/instance.ts";
import {
  appStillRegistered,
  authorizeUrl,
  codeChallenge,
  randomToken,
  registerApp,
  type RegisteredApp,
} from "../_shared/mastodon/oauth.ts";
import { allowPrivateHosts, type GuardOptions, OutboundError } from "../_shared/outbound.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";
import { checkRedirectUri } from "./redirect.ts";

export interface FlowDeps {
  userId: string;
  service: SupabaseClient;
  guard?: GuardOptions;
  env?: { get(name: string): string | undefined };
}

async function registerOnce(
  service: SupabaseClient,
  base: string,
  redirectUri: string,
  guard: GuardOptions,
): Promise<RegisteredApp> {
  const host = new URL(base).host;
  const stored = await findApp(service, base, redirectUri);
  let app: RegisteredApp;
  try {
    if (stored && await appStillRegistered(base, stored, guard)) return stored;
    app = await registerApp(base, redirectUri, guard);
  } catch (e) {
    if (e instanceof OutboundError) throw unreachable(e, host);
    if (e instanceof MastodonError && e.status === 429) {
      throw new HttpError(502, `${host} is limiting new app registrations: try again in a few minutes.`);
    }
    if (e instanceof MastodonError || e instanceof NotMastodon) {
      throw new HttpError(502, `${host} refused to register Atelier (${e.message}).`);
    }
    throw e;
  }
  return await saveApp(service, base, redirectUri, app, stored);
}

export async function startConnection(
  body: Record<string, unknown>,
  deps: FlowDeps,
): Promise<{ authorize_url: string }> {
  const { service, userId, guard = {} } = deps;
  const redirectUri = checkRedirectUri(body.redirect_uri, deps.env);
  const base = normalizeInstance(body.instance, guard.allowPrivate ?? allowPrivateHosts());
  const verifier = randomToken();
  // Sealed first: without the encryption key nothing is registered or stored (a 503 that names it).
  const sealedVerifier = await sealToken(verifier);
  await readInstance(base, guard);
  const app = await registerOnce(service, base, redirectUri, guard);

  const state = randomToken();
  // Housekeeping: the caller's abandoned attempts.
  await service.from("oauth_states").delete().eq("user_id", userId).lt("expires_at", new Date().toISOString());
  const { error } = await service.from("oauth_states").insert({
    state,
    user_id: userId,
    instance_url: base,
    redirect_uri: redirectUri,
    code_verifier: sealedVerifier,
  });
  if (error) throw new HttpError(500, `Could not start the connection: ${error.message}`);
  return {
    authorize_url: authorizeUrl(base, {
      clientId: app.client_id,
      redirectUri,
      state,
      challenge: await codeChallenge(verifier),
    }),
  };
}
