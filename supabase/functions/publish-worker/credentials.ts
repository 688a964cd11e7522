// An account's platform tokens: read from public.account_credentials (service_role only),
// opened with the ATELIER_TOKEN_KEY secret, and — when a connector renews them — sealed and
// stored before the renewed pair is used, since a platform that rotates refresh tokens (Bluesky)
// invalidates the old one as soon as the new one is issued.
import { HttpError } from "../_shared/cors.ts";
import { openToken, sealToken, UnreadableToken } from "../_shared/crypto.ts";
import { AuthExpired, AuthRevoked, type Credentials, type Delivery, Transient } from "../_shared/delivery.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";

/** `@alice.test`, however the handle was stored. */
export function atHandle(handle: string): string {
  return `@${handle.replace(/^@/, "")}`;
}

/** The account's opened tokens, or null when none are stored (a mock account, or disconnected). */
export async function loadCredentials(service: SupabaseClient, accountId: string): Promise<Credentials | null> {
  const { data, error } = await service.from("account_credentials")
    .select("access_token, refresh_token").eq("account_id", accountId).maybeSingle();
  if (error) throw new Error(`Could not read the stored sign-in: ${error.message}`);
  if (!data) return null;
  const row = data as { access_token: string; refresh_token: string | null };
  const credentials: Credentials = {
    accessToken: await openToken(row.access_token),
    refreshToken: row.refresh_token ? await openToken(row.refresh_token) : null,
    async save(next) {
      const sealed = {
        access_token: await sealToken(next.accessToken),
        refresh_token: next.refreshToken === null ? null : await sealToken(next.refreshToken),
      };
      const { data: saved, error: saveError } = await service.from("account_credentials")
        .update(sealed).eq("account_id", accountId).select("account_id");
      if (saveError) throw new Transient(`Could not store the renewed sign-in: ${saveError.message}`);
      if (!saved?.length) throw new AuthRevoked("The account was disconnected while the post was being sent.");
      credentials.accessToken = next.accessToken;
      credentials.refreshToken = next.refreshToken;
    },
  };
  return credentials;
}

/**
 * The credentials a delivery is sent with, or the reason it cannot be: none stored or
 * unreadable means the creator must connect the account again; a missing key or a database
 * hiccup is worth another try.
 */
export function deliveryCredentials(service: SupabaseClient): (delivery: Delivery) => Promise<Credentials> {
  return async (delivery) => {
    let credentials: Credentials | null;
    try {
      credentials = await loadCredentials(service, delivery.account_id);
    } catch (e) {
      if (e instanceof UnreadableToken) throw new AuthExpired(e.message);
      if (e instanceof HttpError) throw new Transient(e.message);
      throw new Transient((e as Error).message);
    }
    if (!credentials) {
      throw new AuthExpired(`Atelier has no sign-in stored for ${atHandle(delivery.handle)}: reconnect the account.`);
    }
    return credentials;
  };
}
