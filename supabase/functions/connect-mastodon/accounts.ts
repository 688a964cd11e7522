// Recording a connected Mastodon account: its connected_accounts row (non-secret, readable by its
// owner) and its sealed token in account_credentials (service_role only). Reconnecting matches
// the platform's stable id (`<account id>@<host>`), never the handle (a handle can be renamed or
// re-registered by someone else); a mock account with the same handle becomes the real one.
// The two writes are undone together: when the token cannot be stored, the row is put back.
import { HttpError } from "../_shared/cors.ts";
import { sealToken } from "../_shared/crypto.ts";
import type { MastodonAccount } from "../_shared/mastodon/oauth.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";

type Row = Record<string, unknown> & {
  id: string;
  handle: string;
  display_name: string | null;
  status: string;
  remote_id: string | null;
  service_url: string | null;
  caption_max: number | null;
};

const RESTORABLE = ["handle", "display_name", "status", "remote_id", "service_url", "caption_max"] as const;

export interface Connected {
  base: string;
  account: MastodonAccount;
  maxCharacters: number;
  accessToken: string;
}

const sameHandle = (a: string, b: string) => a.replace(/^@/, "").toLowerCase() === b.toLowerCase();

async function existing(
  service: SupabaseClient,
  userId: string,
  remoteId: string,
  handle: string,
): Promise<Row | null> {
  const mine = service.from("connected_accounts").select("*").eq("user_id", userId).eq("platform", "mastodon");
  const { data: byId, error } = await mine.eq("remote_id", remoteId).maybeSingle();
  if (error) throw new HttpError(500, `Could not read your accounts: ${error.message}`);
  if (byId) return byId as Row;
  const { data: rows, error: e2 } = await service.from("connected_accounts").select("*")
    .eq("user_id", userId).eq("platform", "mastodon").is("remote_id", null);
  if (e2) throw new HttpError(500, `Could not read your accounts: ${e2.message}`);
  return ((rows ?? []) as Row[]).find((r) => r.status === "mock" && sameHandle(r.handle, handle)) ?? null;
}

/** The account row after connecting, with the sealed token stored beside it. */
export async function saveAccount(service: SupabaseClient, userId: string, c: Connected): Promise<Row> {
  const host = new URL(c.base).host;
  const handle = `${c.account.username}@${host}`;
  const remoteId = `${c.account.id}@${host}`;
  const sealed = await sealToken(c.accessToken);
  const before = await existing(service, userId, remoteId, handle);
  const platformName = c.account.display_name.trim().slice(0, 100) || null;
  const fields = {
    handle,
    status: "active",
    remote_id: remoteId,
    service_url: c.base,
    caption_max: c.maxCharacters,
    display_name: before?.display_name ?? platformName,
  };
  const written = before
    ? await service.from("connected_accounts").update(fields).eq("id", before.id).select("*").single()
    : await service.from("connected_accounts").insert({ ...fields, user_id: userId, platform: "mastodon" }).select("*")
      .single();
  if (written.error) {
    if (written.error.code === "23505") {
      throw new HttpError(
        409,
        `You already have an account @${handle} in Atelier that is not this one: remove it, then connect again.`,
      );
    }
    throw new HttpError(500, `Could not save the account: ${written.error.message}`);
  }
  const row = written.data as Row;

  const { error } = await service.from("account_credentials").upsert({
    account_id: row.id,
    user_id: userId,
    access_token: sealed,
    refresh_token: null,
    expires_at: null,
  }, { onConflict: "account_id" });
  if (error) {
    if (before) {
      const restore = Object.fromEntries(RESTORABLE.map((k) => [k, before[k]]));
      await service.from("connected_accounts").update(restore).eq("id", row.id);
    } else {
      await service.from("connected_accounts").delete().eq("id", row.id);
    }
    throw new HttpError(500, `Could not store the account's token: ${error.message}`);
  }
  return row;
}
