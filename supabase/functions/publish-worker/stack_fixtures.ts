// What the stack tests of publish-worker and disconnect-account set up through a running local
// stack: a signed-in user with a completed generation whose media is in Storage, accounts as
// the connect functions would leave them (active, with sealed tokens), and posts in the states
// the worker meets. Needs SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY.
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";
import { sealToken } from "../_shared/crypto.ts";
import { BUCKET } from "./media.ts";

export const url = Deno.env.get("SUPABASE_URL");
export const anonKey = Deno.env.get("SUPABASE_ANON_KEY");
export const serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
/** Without a stack these tests cannot run; they say so by being ignored, as stack_test.ts does. */
export const noStack = !url || !anonKey || !serviceKey;
export const stackOpts = { sanitizeOps: false, sanitizeResources: false, ignore: noStack };

const options = { auth: { persistSession: false, autoRefreshToken: false } };

export function admin(): SupabaseClient {
  return createClient(url!, serviceKey!, options);
}

/** Tokens are sealed and opened in this process with a key of its own when none is set. */
export function ensureTokenKey(): void {
  if (Deno.env.get("ATELIER_TOKEN_KEY")) return;
  Deno.env.set("ATELIER_TOKEN_KEY", btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
}

export function check<T>(result: { data: T; error: { message: string } | null }, what: string): T {
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  return result.data;
}

/** A real 1×1 PNG (a platform may check what it receives). */
export const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (ch) => ch.charCodeAt(0),
);

export interface Creator {
  sb: SupabaseClient;
  userId: string;
  jwt: string;
  generationId: string;
  mediaPath: string;
}

/** A new user with one completed image generation whose PNG is in Storage. */
export async function creator(): Promise<Creator> {
  const sb = createClient(url!, anonKey!, options);
  const signed = check(
    await sb.auth.signUp({ email: `pw-${crypto.randomUUID()}@example.test`, password: "secret123" }),
    "sign up",
  );
  const userId = signed.user!.id;
  const session = check(await sb.from("sessions").insert({ title: "publishing" }).select("id").single(), "session") as {
    id: string;
  };
  const gen = check(
    await sb.from("generations").insert({ session_id: session.id, prompt: "a lighthouse at dawn" }).select("id")
      .single(),
    "generation",
  ) as { id: string };
  const service = admin();
  const mediaPath = `${userId}/${gen.id}/image-1.png`;
  check(
    await service.storage.from(BUCKET).upload(mediaPath, PNG, { contentType: "image/png", upsert: true }),
    "upload",
  );
  const mediaUrl = service.storage.from(BUCKET).getPublicUrl(mediaPath).data.publicUrl;
  check(
    await service.from("generations").update({
      status: "completed",
      media_path: mediaPath,
      media_url: mediaUrl,
      width: 1024,
      height: 1024,
      completed_at: new Date().toISOString(),
    }).eq("id", gen.id),
    "complete generation",
  );
  return { sb, userId, jwt: signed.session!.access_token, generationId: gen.id, mediaPath };
}

/** An active Bluesky account as connect-bluesky leaves it, with sealed tokens. */
export async function activeAccount(
  c: Creator,
  tokens = { access: "access-1", refresh: "refresh-1" },
): Promise<{ id: string; handle: string }> {
  const service = admin();
  const suffix = crypto.randomUUID().slice(0, 8);
  const handle = `alice-${suffix}.test`;
  const account = check(
    await service.from("connected_accounts").insert({
      user_id: c.userId,
      platform: "bluesky",
      handle,
      status: "active",
      remote_id: `did:plc:${suffix}`,
      service_url: "http://127.0.0.1:9",
    }).select("id").single(),
    "account",
  ) as { id: string };
  check(
    await service.from("account_credentials").insert({
      account_id: account.id,
      user_id: c.userId,
      access_token: await sealToken(tokens.access),
      refresh_token: await sealToken(tokens.refresh),
    }),
    "credentials",
  );
  return { id: account.id, handle };
}

export async function mockAccount(c: Creator): Promise<string> {
  const row = check(
    await c.sb.from("connected_accounts").insert({ platform: "x", handle: `mock_${crypto.randomUUID().slice(0, 8)}` })
      .select("id").single(),
    "mock account",
  ) as { id: string };
  return row.id;
}

/**
 * Posts inserted as service_role in a state no other worker may take yet, so that only the
 * worker the test runs picks them up: `due` (scheduled a second ago: claimable now, and no
 * trigger calls the stack's own worker for a scheduled post) or `leased` (publishing, held by a
 * worker that will never come back, until `leaseMs` from now).
 */
export async function insertPosts(
  c: Creator,
  accountId: string,
  n: number,
  state: { due: true } | { leasedForMs: number; deliveryKey?: string; attempts?: number },
): Promise<string[]> {
  const now = Date.now();
  const rows = Array.from({ length: n }, (_, i) => ({
    user_id: c.userId,
    generation_id: c.generationId,
    account_id: accountId,
    caption: `Lighthouse ${i} ✨ at dawn`,
    hashtags: ["#sea"],
    ...("due" in state ? { status: "scheduled", scheduled_at: new Date(now - 1000).toISOString() } : {
      status: "publishing",
      lease_owner: crypto.randomUUID(),
      lease_until: new Date(now + state.leasedForMs).toISOString(),
      delivery_key: state.deliveryKey ?? null,
      attempts: state.attempts ?? 0,
    }),
  }));
  const inserted = check(await admin().from("posts").insert(rows).select("id"), "posts") as { id: string }[];
  return inserted.map((r) => r.id);
}

/**
 * The stack's pg_cron calls its own publish worker at each minute's start; a test that leaves
 * posts claimable for a moment starts well clear of that instant (a timing choice, not a check).
 */
export async function clearOfCronTick(needMs = 8_000): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute < 2_000 || intoMinute > 60_000 - needMs) {
    await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 2_500));
  }
}

// deno-lint-ignore no-explicit-any
export type Row = Record<string, any>;

export async function posts(ids: string[]): Promise<Row[]> {
  const rows = check(await admin().from("posts").select("*").in("id", ids), "read posts") as Row[];
  return ids.map((id) => rows.find((r) => r.id === id)!);
}
