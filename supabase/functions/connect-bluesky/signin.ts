// Signing in to Bluesky with an app password, every failure told in words a creator can act on.
import { createSession, deleteSession, jwtPayload, type Session } from "../_shared/bluesky/session.ts";
import { NotXrpc, xrpc, XrpcError } from "../_shared/bluesky/xrpc.ts";
import { HttpError } from "../_shared/cors.ts";
import { type GuardOptions, OutboundError } from "../_shared/outbound.ts";
import type { ConnectInput } from "./input.ts";

export const WRONG_PASSWORD =
  "Wrong handle or app password: check them, or create a new app password in Bluesky's settings.";
const MAIN_PASSWORD =
  "That is the account's own password: create an app password in Bluesky's settings (Privacy and security → App passwords) and use it here.";
const APP_PASSWORD_SCOPES = new Set(["com.atproto.appPass", "com.atproto.appPassPrivileged"]);

function notBluesky(host: string): HttpError {
  return new HttpError(400, `${host} is not a Bluesky hosting provider.`);
}

/** An outbound failure as the form shows it. */
function unreachable(e: OutboundError, host: string): HttpError {
  if (e.failure === "unreachable" || e.failure === "timeout") {
    return new HttpError(400, `Could not reach ${e.host || host}: check the address.`);
  }
  if (e.failure === "refused") {
    return new HttpError(400, `${e.message}: Atelier only connects to public https addresses.`);
  }
  return notBluesky(e.host || host);
}

/** True when the hosting provider knows no account with this handle. */
async function handleIsUnknown(service: string, handle: string, guard?: GuardOptions): Promise<boolean> {
  try {
    await xrpc(service, "GET", "com.atproto.identity.resolveHandle", { params: { handle }, guard });
    return false;
  } catch (e) {
    return e instanceof XrpcError && e.status === 400;
  }
}

/** A session for the form's input, or the HttpError to answer with. */
export async function signIn(input: ConnectInput, guard?: GuardOptions): Promise<Session> {
  const host = new URL(input.service).hostname;
  let session: Session;
  try {
    session = await createSession(input.service, input.identifier, input.password, guard);
  } catch (e) {
    if (e instanceof OutboundError) throw unreachable(e, host);
    if (e instanceof NotXrpc || e instanceof TypeError) throw notBluesky(host);
    if (!(e instanceof XrpcError)) throw e;
    if (e.status === 404 || e.error === "MethodNotImplemented" || e.error === "XRPCNotSupported") {
      throw notBluesky(host);
    }
    if (e.status === 429) {
      throw new HttpError(429, "Bluesky is limiting sign-ins for this account: wait a few minutes, then try again.");
    }
    if (e.status >= 500) {
      throw new HttpError(502, `${host} could not sign you in right now (HTTP ${e.status}): try again later.`);
    }
    if (e.error === "AuthFactorTokenRequired") throw new HttpError(400, MAIN_PASSWORD);
    if (e.error === "AccountTakedown") throw new HttpError(400, "This Bluesky account has been taken down.");
    const isHandle = !input.identifier.includes("@");
    if (isHandle && await handleIsUnknown(input.service, input.identifier, guard)) {
      throw new HttpError(400, `No Bluesky account has the handle ${input.identifier}.`);
    }
    throw new HttpError(400, WRONG_PASSWORD);
  }
  // A session from the account's own password could change its password or delete it: Atelier
  // keeps only app-password sessions, which cannot.
  if (!APP_PASSWORD_SCOPES.has(String(jwtPayload(session.accessJwt).scope))) {
    await endSession(session, guard);
    throw new HttpError(400, MAIN_PASSWORD);
  }
  return session;
}

/** Ends a session Atelier will not keep (best effort: it expires on its own otherwise). */
export async function endSession(session: Session, guard?: GuardOptions): Promise<void> {
  try {
    await deleteSession(session.pdsUrl, session.refreshJwt, guard);
  } catch (e) {
    console.error(`Could not end the Bluesky session of ${session.did}:`, (e as Error).message);
  }
}

/** The profile's display name from the PDS (the profile record), or null; a PDS Atelier may not reach is an error. */
export async function displayName(session: Session, guard?: GuardOptions): Promise<string | null> {
  try {
    const found = await xrpc<{ value?: { displayName?: unknown } }>(
      session.pdsUrl,
      "GET",
      "com.atproto.repo.getRecord",
      {
        params: { repo: session.did, collection: "app.bsky.actor.profile", rkey: "self" },
        guard: { timeoutMs: 5_000, ...guard },
      },
    );
    const name = found.value?.displayName;
    return typeof name === "string" && name.trim() ? [...name.trim()].slice(0, 100).join("") : null;
  } catch (e) {
    if (e instanceof OutboundError && e.failure === "refused") {
      throw new HttpError(400, `The account's PDS ${e.message}: Atelier only connects to public https addresses.`);
    }
    return null;
  }
}
