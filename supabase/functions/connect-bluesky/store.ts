// Recording a connected Bluesky account: the connected_accounts row (matched on the DID, else a
// mock row of the same handle becomes the real one, else a new row) and its tokens, sealed, in
// account_credentials. The two writes are separate requests, so a failure of the second undoes
// the first: a failed connection leaves nothing behind.
import type { Session } from "../_shared/bluesky/session.ts";
import { jwtPayload } from "../_shared/bluesky/session.ts";
import { HttpError } from "../_shared/cors.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";

type Row = Record<string, unknown> & { id: string; handle: string; status: string };

export interface SealedTokens {
  accessToken: string;
  refreshToken: string;
}

const RESTORABLE = ["status", "handle", "remote_id", "service_url", "display_name"] as const;

/** The user's row for this account: same DID first, then a mock row with the same handle. */
async function findRow(db: SupabaseClient, userId: string, session: Session): Promise<Row | null> {
  const byDid = await db.from("connected_accounts").select("*")
    .eq("user_id", userId).eq("platform", "bluesky").eq("remote_id", session.did).maybeSingle();
  if (byDid.error) throw new HttpError(500, `Could not read your accounts: ${byDid.error.message}`);
  if (byDid.data) return byDid.data as Row;
  const mocks = await db.from("connected_accounts").select("*")
    .eq("user_id", userId).eq("platform", "bluesky").eq("status", "mock");
  if (mocks.error) throw new HttpError(500, `Could not read your accounts: ${mocks.error.message}`);
  const wanted = session.handle.toLowerCase();
  return ((mocks.data ?? []) as Row[]).find((r) => r.handle.replace(/^@/, "").toLowerCase() === wanted) ?? null;
}

function conflict(handle: string): HttpError {
  return new HttpError(
    409,
    `You already have another Bluesky account @${handle} in Atelier: remove it first, then connect again.`,
  );
}

export async function saveConnection(
  db: SupabaseClient,
  userId: string,
  session: Session,
  name: string | null,
  sealed: SealedTokens,
): Promise<Row> {
  const values: Record<string, unknown> = {
    status: "active",
    handle: session.handle,
    remote_id: session.did,
    service_url: session.pdsUrl,
  };
  if (name) values.display_name = name;

  const before = await findRow(db, userId, session);
  const written = before
    ? await db.from("connected_accounts").update(values).eq("id", before.id).select("*").single()
    : await db.from("connected_accounts").insert({ user_id: userId, platform: "bluesky", ...values }).select("*")
      .single();
  if (written.error) {
    if (written.error.code === "23505") throw conflict(session.handle);
    throw new HttpError(500, `Could not save the account: ${written.error.message}`);
  }
  const row = written.data as Row;

  const exp = Number(jwtPayload(session.accessJwt).exp);
  const credentials = await db.from("account_credentials").upsert({
    account_id: row.id,
    user_id: userId,
    access_token: sealed.accessToken,
    refresh_token: sealed.refreshToken,
    expires_at: Number.isFinite(exp) ? new Date(exp * 1000).toISOString() : null,
  }, { onConflict: "account_id" });
  if (credentials.error) {
    const undo = before
      ? await db.from("connected_accounts").update(Object.fromEntries(RESTORABLE.map((k) => [k, before[k] ?? null])))
        .eq("id", row.id)
      : await db.from("connected_accounts").delete().eq("id", row.id);
    if (undo.error) console.error(`Could not undo the account row ${row.id}: ${undo.error.message}`);
    throw new HttpError(500, `Could not store the account's tokens: ${credentials.error.message}`);
  }
  return row;
}
