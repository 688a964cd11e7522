// Mastodon's OAuth 2 authorization code flow with PKCE (https://docs.joinmastodon.org/methods/oauth/,
// https://docs.joinmastodon.org/spec/oauth/): Atelier registers itself once per instance and
// redirect URI (POST /api/v1/apps), sends the creator to the instance's own authorization page,
// and exchanges the code it gets back, server-side, with the client secret and the PKCE verifier.
import type { GuardOptions } from "../outbound.ts";
import { call, MastodonError } from "./api.ts";

/** What Atelier asks for: posting, uploading media, and knowing whose account it is. */
export const SCOPES = "write:statuses write:media read:accounts";
export const CLIENT_NAME = "Atelier";

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes as base64url (43 characters, 256 bits): a `state` or a PKCE verifier (RFC 7636 §4.1). */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

export interface RegisteredApp {
  client_id: string;
  client_secret: string;
}

export async function registerApp(base: string, redirectUri: string, guard: GuardOptions = {}): Promise<RegisteredApp> {
  const { body } = await call<Record<string, unknown>>(base, "POST", "/api/v1/apps", {
    json: {
      client_name: CLIENT_NAME,
      redirect_uris: redirectUri,
      scopes: SCOPES,
      website: new URL(redirectUri).origin,
    },
    guard,
  });
  if (
    typeof body.client_id !== "string" || !body.client_id || typeof body.client_secret !== "string" ||
    !body.client_secret
  ) {
    throw new Error(`${new URL(base).host} registered the app without a client id and secret`);
  }
  return { client_id: body.client_id, client_secret: body.client_secret };
}

/**
 * Whether the instance still knows the app: Mastodon deletes registrations that never got a token
 * after a day, so a stored one may be gone. Asks for an app-only token (client_credentials) and
 * revokes it at once; only "invalid_client" (401) says the app is gone; an instance that does not
 * offer this grant is taken at its word that the app exists.
 */
export async function appStillRegistered(base: string, app: RegisteredApp, guard: GuardOptions = {}): Promise<boolean> {
  let body: Record<string, unknown>;
  try {
    ({ body } = await call<Record<string, unknown>>(base, "POST", "/oauth/token", {
      form: {
        grant_type: "client_credentials",
        client_id: app.client_id,
        client_secret: app.client_secret,
        scope: "read:accounts",
      },
      guard,
    }));
  } catch (e) {
    if (e instanceof MastodonError && e.status === 401) return false;
    if (e instanceof MastodonError && e.status === 400) return true;
    throw e;
  }
  if (typeof body.access_token === "string") await revokeToken(base, app, body.access_token, guard).catch(() => {});
  return true;
}

export function authorizeUrl(
  base: string,
  p: { clientId: string; redirectUri: string; state: string; challenge: string },
): string {
  const url = new URL("/oauth/authorize", base);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    scope: SCOPES,
    state: p.state,
    code_challenge: p.challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.href;
}

/** The access token for an authorization code (Mastodon tokens do not expire). */
export async function exchangeCode(
  base: string,
  p: { app: RegisteredApp; redirectUri: string; code: string; verifier: string },
  guard: GuardOptions = {},
): Promise<string> {
  const { body } = await call<Record<string, unknown>>(base, "POST", "/oauth/token", {
    form: {
      grant_type: "authorization_code",
      code: p.code,
      client_id: p.app.client_id,
      client_secret: p.app.client_secret,
      redirect_uri: p.redirectUri,
      code_verifier: p.verifier,
      scope: SCOPES,
    },
    guard,
  });
  if (typeof body.access_token !== "string" || !body.access_token) {
    throw new Error(`${new URL(base).host} answered the token request without a token`);
  }
  return body.access_token;
}

export interface MastodonAccount {
  id: string;
  username: string;
  display_name: string;
}

/** The account the token belongs to (GET /api/v1/accounts/verify_credentials). */
export async function verifyCredentials(
  base: string,
  token: string,
  guard: GuardOptions = {},
): Promise<MastodonAccount> {
  const { body } = await call<Record<string, unknown>>(base, "GET", "/api/v1/accounts/verify_credentials", {
    token,
    guard,
  });
  if (typeof body.id !== "string" || !body.id || typeof body.username !== "string" || !body.username) {
    throw new Error(`${new URL(base).host} described the account without an id and username`);
  }
  return {
    id: body.id,
    username: body.username,
    display_name: typeof body.display_name === "string" ? body.display_name : "",
  };
}

/** POST /oauth/revoke: the token stops working. Throws a MastodonError (403) when `app` did not issue it. */
export async function revokeToken(
  base: string,
  app: RegisteredApp,
  token: string,
  guard: GuardOptions = {},
  signal?: AbortSignal,
): Promise<void> {
  await call(base, "POST", "/oauth/revoke", {
    form: { client_id: app.client_id, client_secret: app.client_secret, token },
    guard,
    signal,
  });
}
