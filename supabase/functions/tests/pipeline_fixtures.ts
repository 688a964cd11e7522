// What the delivery pipeline test sets up the way a creator would, through a running local stack:
// a signed-in user, one demo image made by generate-media, a Bluesky account connected with an
// app password on the reference PDS, and a Mastodon account connected through the instance's
// Authorize page. Posts the app cannot make (due or abandoned ones) are written as service_role.
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";
import { type FakeMastodon, pressOnAuthorizePage } from "../_shared/mastodon/test_fake.ts";
import type { RunningPds } from "./pds.ts";

export const url = Deno.env.get("SUPABASE_URL");
const anonKey = Deno.env.get("SUPABASE_ANON_KEY");
const serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
const options = { auth: { persistSession: false, autoRefreshToken: false } };

/**
 * The app origin connect-mastodon accepts: the one the test run allows, else config.toml's
 * site_url, which the stack passes to functions as SITE_URL.
 */
const appOrigin =
  (Deno.env.get("ATELIER_APP_ORIGINS") ?? Deno.env.get("SUPABASE_LOCAL_FUNCTION_ENV_ATELIER_APP_ORIGINS") ??
    "http://127.0.0.1:3000")
    .split(",")[0].trim().replace(/\/+$/, "");

// deno-lint-ignore no-explicit-any
export type Row = Record<string, any>;

export function check<T>(result: { data: T; error: { message: string } | null }, what: string): T {
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  return result.data;
}

export function service(): SupabaseClient {
  if (!anonKey || !serviceKey) {
    throw new Error("SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY must be set with SUPABASE_URL");
  }
  return createClient(url!, serviceKey, options);
}

/** The error body a function answered with, for a readable failure. */
async function functionError(error: unknown): Promise<string> {
  const res = (error as { context?: Response }).context;
  return res ? `HTTP ${res.status} ${await res.text()}` : String(error);
}

export interface Creator {
  sb: SupabaseClient;
  userId: string;
  generationId: string;
}

/** A new user with one completed demo image, made by generate-media as the app does. */
export async function creatorWithDemoImage(): Promise<Creator> {
  const sb = createClient(url!, anonKey!, options);
  const signed = check(
    await sb.auth.signUp({ email: `pipeline-${crypto.randomUUID()}@example.test`, password: "secret123" }),
    "sign up",
  );
  const session = check(
    await sb.from("sessions").insert({ title: "pipeline" }).select("id").single(),
    "session",
  ) as Row;
  const gen = check(
    await sb.from("generations").insert({
      session_id: session.id,
      kind: "image",
      prompt: "a harbour at dawn",
      params: { aspect_ratio: "1:1" },
    }).select("id").single(),
    "generation",
  ) as Row;
  const { error } = await sb.functions.invoke("generate-media", { body: { generation_ids: [gen.id] } });
  if (error) throw new Error(`generate-media: ${await functionError(error)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = check(
      await sb.from("generations").select("status, error").eq("id", gen.id).single(),
      "read generation",
    ) as Row;
    if (row.status === "completed") break;
    if (row.status === "failed" || Date.now() > deadline) {
      throw new Error(`the demo image did not complete: ${JSON.stringify(row)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { sb, userId: signed.user!.id, generationId: gen.id };
}

export async function connectBluesky(c: Creator, pds: RunningPds): Promise<Row> {
  const alice = pds.accounts.find((a) => a.handle === "alice.test")!;
  const { data, error } = await c.sb.functions.invoke("connect-bluesky", {
    body: { identifier: alice.handle, password: alice.appPassword, service: pds.url },
  });
  if (error) throw new Error(`connect-bluesky: ${await functionError(error)}`);
  return data.account;
}

/** start → the instance's Authorize page → finish with the code it sends the browser back with. */
export async function connectMastodon(c: Creator, fake: FakeMastodon): Promise<Row> {
  const started = await c.sb.functions.invoke("connect-mastodon", {
    body: { action: "start", instance: fake.url, redirect_uri: `${appOrigin}/app/accounts` },
  });
  if (started.error) throw new Error(`connect-mastodon start: ${await functionError(started.error)}`);
  const back = await pressOnAuthorizePage(started.data.authorize_url, "Authorize");
  const finished = await c.sb.functions.invoke("connect-mastodon", {
    body: { action: "finish", state: back.searchParams.get("state"), code: back.searchParams.get("code") },
  });
  if (finished.error) throw new Error(`connect-mastodon finish: ${await functionError(finished.error)}`);
  return finished.data.account;
}

/** The user's own posts, as the app reads them. */
export async function ownPosts(c: Creator, ids: string[]): Promise<Row[]> {
  const rows = check(await c.sb.from("posts").select("*").in("id", ids), "read posts") as Row[];
  return ids.map((id) => rows.find((r) => r.id === id)!);
}

/** Polls until no post is `scheduled` or `publishing` any more, or throws after `withinMs`. */
export async function settled(c: Creator, ids: string[], withinMs: number): Promise<Row[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const rows = await ownPosts(c, ids);
    if (rows.every((r) => r.status !== "publishing" && r.status !== "scheduled")) return rows;
    if (Date.now() > deadline) {
      throw new Error(
        `not settled after ${withinMs} ms: ${JSON.stringify(rows.map((r) => [r.status, r.error, r.next_attempt_at]))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Posts inserted as service_role (the app has no way to make them): due later, or abandoned. */
export async function insertPosts(rows: Row[]): Promise<Row[]> {
  return check(await service().from("posts").insert(rows).select("*"), "insert posts") as Row[];
}

/** The start of the minute after `ms` (pg_cron's `* * * * *` runs at each one). */
export function nextMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000 + 60_000;
}
