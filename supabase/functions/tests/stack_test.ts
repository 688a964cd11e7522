// Through a running local stack (needs SUPABASE_URL and SUPABASE_ANON_KEY, e.g. from
// `supabase-local status -o env`; skipped otherwise): a user queues generations with
// supabase-js, invokes generate-media, and gets completed rows whose media answer 200.
import { assert, assertEquals } from "./assert.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const ignore = !url || !anon;
const opts = { sanitizeOps: false, sanitizeResources: false, ignore };

async function signedInUser() {
  const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
  const email = `fn-${crypto.randomUUID()}@example.test`;
  const { data, error } = await sb.auth.signUp({ email, password: "secret123" });
  if (error) throw error;
  const { data: session, error: e2 } = await sb.from("sessions").insert({ title: "fn test" }).select().single();
  if (e2) throw e2;
  return { sb, userId: data.user!.id, sessionId: session.id as string };
}

// deno-lint-ignore no-explicit-any
async function queue(sb: any, sessionId: string, rows: { prompt: string; kind?: string; params?: object }[]) {
  const { data, error } = await sb.from("generations").insert(
    rows.map((r) => ({ session_id: sessionId, kind: r.kind ?? "image", prompt: r.prompt, params: r.params ?? {} })),
  ).select();
  if (error) throw error;
  return (data as { id: string }[]).map((r) => r.id);
}

/**
 * The rows as the client ends up seeing them: the answer's, then — for any still `processing`
 * (work slower than the function's answer window goes on in the background) — the database's
 * once they are done.
 */
// deno-lint-ignore no-explicit-any
type AnyRow = any;
// deno-lint-ignore no-explicit-any
async function settled(sb: any, answered: AnyRow[]): Promise<AnyRow[]> {
  const deadline = performance.now() + 60_000;
  const rows = [...answered];
  while (rows.some((r) => r.status === "processing")) {
    if (performance.now() > deadline) {
      throw new Error(`still processing after 60 s: ${JSON.stringify(rows.map((r) => r.status))}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    const { data, error } = await sb.from("generations").select("*").in("id", rows.map((r) => r.id));
    if (error) throw error;
    for (const [i, r] of rows.entries()) rows[i] = (data as AnyRow[]).find((d) => d.id === r.id) ?? r;
  }
  return rows;
}

Deno.test({ name: "generate-media completes demo images and stores a PNG", ...opts }, async () => {
  const { sb, userId, sessionId } = await signedInUser();
  const ratios = ["1:1", "4:5", "9:16", "16:9", "2:3", "1:1", "4:5", "16:9"];
  const ids = await queue(
    sb,
    sessionId,
    ratios.map((aspect_ratio, i) => ({ prompt: `a golden sunset over the sea, take ${i}`, params: { aspect_ratio } })),
  );
  const started = performance.now();
  const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: ids } });
  assertEquals(error, null);
  assertEquals(data.generations.map((g: { id: string }) => g.id), ids);
  const done = await settled(sb, data.generations);
  console.log(`8 demo images: invoke → completed in ${Math.round(performance.now() - started)} ms`);
  for (const g of done) {
    assertEquals(g.status, "completed", g.error);
    assertEquals(g.attempts, 1);
    assertEquals(g.provider, "demo");
    assert(g.media_url.startsWith(`${url}/storage/v1/object/public/generated_assets/${userId}/${g.id}/`), g.media_url);
    assert(Number.isInteger(g.params.seed));
  }
  const { data: row } = await sb.from("generations").select("*").eq("id", ids[3]).single();
  assertEquals([row.status, row.width, row.height], ["completed", 1024, 576]);
  const res = await fetch(row.media_url);
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("content-type"), "image/png");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assertEquals([...bytes.subarray(1, 4)], [80, 78, 71]);
  // A completed row does no work again.
  const again = await sb.functions.invoke("generate-media", { body: { generation_ids: [ids[0]] } });
  assertEquals(again.data.generations[0].attempts, 1);
  assertEquals(again.data.generations[0].media_url, done[0].media_url);
});

Deno.test({ name: "generate-media refuses ids that are not the caller's, untouched", ...opts }, async () => {
  const a = await signedInUser();
  const b = await signedInUser();
  const [theirs] = await queue(b.sb, b.sessionId, [{ prompt: "someone else's" }]);
  const unknown = crypto.randomUUID();
  const { data, error } = await a.sb.functions.invoke("generate-media", {
    body: { generation_ids: [theirs, unknown] },
  });
  assertEquals(data, null);
  const res = (error as { context: Response }).context;
  assertEquals(res.status, 404);
  const body = await res.json();
  assertEquals(body.missing_ids, [theirs, unknown]);
  const { data: row } = await b.sb.from("generations").select("status, attempts").eq("id", theirs).single();
  assertEquals([row!.status, row!.attempts], ["queued", 0]);
});

Deno.test({ name: "generate-media makes a playable demo video", ...opts }, async () => {
  const { sb, sessionId } = await signedInUser();
  const ids = await queue(sb, sessionId, [{
    prompt: "neon city night drive",
    kind: "video",
    params: { aspect_ratio: "9:16" },
  }]);
  const started = performance.now();
  const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: ids } });
  assertEquals(error, null);
  const [g] = await settled(sb, data.generations);
  console.log(`1 demo video: invoke → completed in ${Math.round(performance.now() - started)} ms`);
  assertEquals([g.status, g.width, g.height, g.duration_ms], ["completed", 180, 320, 3000]);
  const res = await fetch(g.media_url);
  assertEquals([res.status, res.headers.get("content-type")], [200, "video/mp4"]);
  await res.body?.cancel();
});

// Counted here, as publish_generation counts (supabase/migrations/20261203000700_post_text_length.sql):
// code points, or UTF-8 bytes where the platform counts bytes, a byte cap besides; tags distinct
// and case-insensitive across the caption and the list. Graphemes — what Bluesky and Mastodon
// count themselves — are never more than the code points.
const codePoints = (s: string) => [...s].length;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const graphemeCount = (s: string) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].length;
const tagCount = (s: string) =>
  new Set((s.match(/#[\p{Alphabetic}\p{Nd}_]+/gu) ?? []).map((t) => t.toLowerCase())).size;

// Kanji, accents, emoji and a tag of its own: bytes and characters disagree, and Threads' one tag is taken.
const WIDE_PROMPT =
  "Café crème ☕ on a Kyoto morning #slowliving, 東京の朝の陶器のマグと湯気 🌿🇯🇵 handmade ceramic mugs, " +
  "steam over fresh coffee, a sleepy cat on a wooden stool and the quiet ritual before the market opens. ".repeat(3);

Deno.test({
  name: "generate-caption fits the strictest selected platform, and publish_generation takes the text",
  ...opts,
}, async () => {
  const { sb, sessionId } = await signedInUser();
  const [id] = await queue(sb, sessionId, [{ prompt: WIDE_PROMPT }]);
  const media = await sb.functions.invoke("generate-media", { body: { generation_ids: [id] } });
  assertEquals(media.error, null);
  const [generation] = await settled(sb, media.data.generations);
  assertEquals(generation.status, "completed", generation.error);

  const platforms = ["x", "threads", "bluesky", "mastodon"];
  // Each a handle its platform allows (the database checks them per platform).
  const CAPTION_HANDLES: Record<string, string> = {
    x: "caption_x",
    threads: "caption.threads",
    bluesky: "caption.bsky.social",
    mastodon: "caption@masto.example",
  };
  const { data: limits, error: e1 } = await sb.from("platform_limits")
    .select("platform, caption_max, caption_counts_bytes, caption_max_bytes, hashtag_max").in("platform", platforms);
  assertEquals(e1, null);
  assertEquals(limits!.length, platforms.length);
  const { data: accounts, error: e2 } = await sb.from("connected_accounts")
    .insert(platforms.map((platform) => ({ platform, handle: CAPTION_HANDLES[platform], status: "mock" }))).select(
      "id",
    );
  assertEquals(e2, null);

  for (const tone of ["playful", "professional", "inspiring", "minimal"]) {
    const { data, error } = await sb.functions.invoke("generate-caption", {
      body: { generation_id: id, tone, platforms },
    });
    assertEquals(error, null, `${tone}: ${error}`);
    assert(data.caption.length > 0 && data.keywords.includes("kyoto"), JSON.stringify(data));
    const text = [data.caption, data.hashtags.join(" ")].filter((p: string) => p !== "").join("\n\n");
    assert(utf8Bytes(text) > codePoints(text) + 20, `${tone}: the text has multi-byte characters`);
    for (const l of limits!) {
      const length = l.caption_counts_bytes ? utf8Bytes(text) : codePoints(text);
      assert(length <= l.caption_max, `${tone}/${l.platform}: ${length} > ${l.caption_max}: ${text}`);
      assert(graphemeCount(text) <= l.caption_max, `${tone}/${l.platform}: graphemes`);
      assert(l.caption_max_bytes == null || utf8Bytes(text) <= l.caption_max_bytes, `${tone}/${l.platform}: bytes`);
      assert(tagCount(text) <= l.hashtag_max, `${tone}/${l.platform}: ${tagCount(text)} tags > ${l.hashtag_max}`);
    }
    // What real publishing decides: every selected platform takes the text as it came.
    const { data: posts, error: e3 } = await sb.rpc("publish_generation", {
      p_generation_id: id,
      p_account_ids: accounts!.map((a: { id: string }) => a.id),
      p_caption: data.caption,
      p_hashtags: data.hashtags,
    });
    assertEquals(e3, null, `${tone}: publish_generation refused ${JSON.stringify(text)}`);
    assertEquals(posts.map((p: { status: string }) => p.status), ["published", "published", "published", "published"]);
  }
});

Deno.test({ name: "generate-caption refuses a tone it does not write, naming the ones it does", ...opts }, async () => {
  const { sb, sessionId } = await signedInUser();
  const [id] = await queue(sb, sessionId, [{ prompt: "paper boats on a pond" }]);
  const { data, error } = await sb.functions.invoke("generate-caption", {
    body: { generation_id: id, tone: "grumpy" },
  });
  assertEquals(data, null);
  const res = (error as { context: Response }).context;
  assertEquals(res.status, 400);
  assertEquals((await res.json()).error, 'Unknown tone "grumpy": use playful, professional, inspiring, minimal.');
});

const service = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");

Deno.test({
  name: "generate-media runs a failed row again and records the attempt",
  ...opts,
  ignore: ignore || !service,
}, async () => {
  const { sb, sessionId } = await signedInUser();
  const [id] = await queue(sb, sessionId, [{ prompt: "paper lanterns over a river at dusk" }]);
  // A first run that failed (as the function would record a provider error).
  const admin = createClient(url!, service!, { auth: { persistSession: false, autoRefreshToken: false } });
  const failed = await admin.from("generations")
    .update({ status: "failed", error: "The provider refused the prompt: test", attempts: 1 }).eq("id", id);
  assertEquals(failed.error, null);
  const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: [id] } });
  assertEquals(error, null);
  const [g] = await settled(sb, data.generations);
  assertEquals([g.status, g.attempts, g.error], ["completed", 2, null]);
});

Deno.test({ name: "generate-media refuses a malformed request and writes nothing", ...opts }, async () => {
  const { sb } = await signedInUser();
  for (const body of [{}, { generation_ids: [] }, { generation_ids: ["not-a-uuid"] }]) {
    const { data, error } = await sb.functions.invoke("generate-media", { body });
    assertEquals(data, null);
    assertEquals((error as { context: Response }).context.status, 400, JSON.stringify(body));
    await (error as { context: Response }).context.body?.cancel();
  }
});

Deno.test({
  name: "a provider chosen without its key fails the rows with a clear message",
  ...opts,
  ignore: ignore || !service,
}, async () => {
  const { generate } = await import("../generate-media/run.ts");
  const { sb, sessionId } = await signedInUser();
  const [id] = await queue(sb, sessionId, [{ prompt: "copper kettle on a wood stove" }]);
  const admin = createClient(url!, service!, { auth: { persistSession: false, autoRefreshToken: false } });
  const env = { get: (name: string) => (name === "MEDIA_PROVIDER" ? "openai" : undefined) };
  const result = await generate([id], { caller: sb, service: admin, env });
  assert(result.configError?.includes("OPENAI_API_KEY"), String(result.configError));
  const { data: row } = await sb.from("generations").select("status, error").eq("id", id).single();
  assertEquals(row!.status, "failed");
  assert(row!.error.includes("OPENAI_API_KEY"), row!.error);
});
