// Atelier's app registrations on Mastodon instances, kept in public.mastodon_apps (service_role
// only, client secret sealed): registering is rate limited per instance, so it happens once per
// instance and redirect URI and is reused by every creator on that instance.
import { HttpError } from "../cors.ts";
import { openToken, sealToken } from "../crypto.ts";
import type { SupabaseClient } from "../supabase.ts";
import { type RegisteredApp, SCOPES } from "./oauth.ts";

interface AppRow {
  instance_url: string;
  redirect_uri: string;
  client_id: string;
  client_secret: string;
  scopes: string;
}

/** The stored app for this instance and redirect URI, if it was registered with today's scopes. */
export async function findApp(
  service: SupabaseClient,
  instanceUrl: string,
  redirectUri: string,
): Promise<RegisteredApp | null> {
  const { data, error } = await service.from("mastodon_apps").select("*")
    .eq("instance_url", instanceUrl).eq("redirect_uri", redirectUri).maybeSingle();
  if (error) throw new HttpError(500, `Could not read the Mastodon app registration: ${error.message}`);
  const row = data as AppRow | null;
  if (!row || row.scopes !== SCOPES) return null;
  return { client_id: row.client_id, client_secret: await openToken(row.client_secret) };
}

/**
 * Stores a new registration, in place of `stale` when the instance no longer knows that one. When
 * another request stored one first (same instance and redirect URI, at the same time), that one
 * is kept and returned, so every state points at the app the row names; a row from before a
 * change of scopes is replaced.
 */
export async function saveApp(
  service: SupabaseClient,
  instanceUrl: string,
  redirectUri: string,
  app: RegisteredApp,
  stale: RegisteredApp | null = null,
): Promise<RegisteredApp> {
  const row = {
    instance_url: instanceUrl,
    redirect_uri: redirectUri,
    client_id: app.client_id,
    client_secret: await sealToken(app.client_secret),
    scopes: SCOPES,
  };
  const written = stale
    ? await service.from("mastodon_apps").update(row).eq("instance_url", instanceUrl).eq("redirect_uri", redirectUri)
      .eq("client_id", stale.client_id)
    : await service.from("mastodon_apps").upsert(row, {
      onConflict: "instance_url,redirect_uri",
      ignoreDuplicates: true,
    });
  if (written.error) {
    throw new HttpError(500, `Could not store the Mastodon app registration: ${written.error.message}`);
  }
  const kept = await findApp(service, instanceUrl, redirectUri);
  if (kept) return kept;
  const replaced = await service.from("mastodon_apps").update(row).eq("instance_url", instanceUrl).eq(
    "redirect_uri",
    redirectUri,
  );
  if (replaced.error) {
    throw new HttpError(500, `Could not store the Mastodon app registration: ${replaced.error.message}`);
  }
  return app;
}

/** Every app registered on an instance (any of them may have issued an account's token), secrets opened. */
export async function appsOn(service: SupabaseClient, instanceUrl: string): Promise<RegisteredApp[]> {
  const { data, error } = await service.from("mastodon_apps").select("client_id, client_secret").eq(
    "instance_url",
    instanceUrl,
  );
  if (error) throw new Error(`Could not read the Mastodon app registrations: ${error.message}`);
  return await Promise.all((data as Pick<AppRow, "client_id" | "client_secret">[]).map(async (r) => ({
    client_id: r.client_id,
    client_secret: await openToken(r.client_secret),
  })));
}
