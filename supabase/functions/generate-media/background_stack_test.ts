// The background path through a running local stack whose functions were given
// DEMO_DELAY_MS (and GENERATION_ANSWER_WITHIN_MS) with SUPABASE_LOCAL_FUNCTION_ENV_*; this
// process is told the same values. supabase/local/tests/stack/functions.rs starts such an
// instance and runs this file; without DEMO_DELAY_MS it is skipped. A slow provider's row is
// answered `processing` long before its work ends, and becomes `completed` in the database;
// a provider configured without its key (VIDEO_PROVIDER=replicate, no token) is still a 503.
import { assert, assertEquals } from "../tests/assert.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const delayMs = Number(Deno.env.get("DEMO_DELAY_MS") ?? 0);
const windowMs = Number(Deno.env.get("GENERATION_ANSWER_WITHIN_MS") ?? 10_000);
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url || !anon || !(delayMs > 0) };

/** A new user's client and one queued generation of theirs. */
async function queueOne(kind: "image" | "video") {
  const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error: e1 } = await sb.auth.signUp({
    email: `bg-${crypto.randomUUID()}@example.test`,
    password: "secret123",
  });
  if (e1) throw e1;
  const { data: session, error: e2 } = await sb.from("sessions").insert({ title: "background" }).select().single();
  if (e2) throw e2;
  const { data, error: e3 } = await sb.from("generations").insert({
    session_id: session.id,
    kind,
    prompt: "a slow heron over still water",
  }).select("id").single();
  if (e3) throw e3;
  return { sb, row: data as { id: string } };
}

Deno.test(
  { name: "generate-media answers a slow generation once claimed and completes it in the background", ...opts },
  async () => {
    assert(
      windowMs + 2_000 < delayMs,
      `the instance must answer (${windowMs} ms) well before the work ends (${delayMs} ms)`,
    );
    const { sb, row: target } = await queueOne("image");
    const started = performance.now();
    const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: [target.id] } });
    assertEquals(error, null);
    // Answered before the work ended: the row comes back `processing`, and only later turns
    // `completed` in the database (how fast the answer came is the bench's business).
    assertEquals([data.generations.length, data.generations[0].status, data.generations[0].attempts], [
      1,
      "processing",
      1,
    ]);

    let row = data.generations[0];
    while (row.status === "processing") {
      assert(performance.now() - started < delayMs + 30_000, "the row never left processing");
      await new Promise((r) => setTimeout(r, 200));
      const { data: fresh, error: e4 } = await sb.from("generations").select("*").eq("id", target.id).single();
      if (e4) throw e4;
      row = fresh;
    }
    assertEquals([row.status, row.error, row.provider], ["completed", null, "demo"]);
    assert(performance.now() - started >= delayMs - 100, "completed only after the provider's delay");
    const media = await fetch(row.media_url);
    assertEquals([media.status, media.headers.get("content-type")], [200, "image/png"]);
    await media.body?.cancel();

    // Asked again, the completed row is answered at once and not run again.
    const again = await sb.functions.invoke("generate-media", { body: { generation_ids: [target.id] } });
    assertEquals([again.data.generations[0].status, again.data.generations[0].attempts], ["completed", 1]);
  },
);

const unconfiguredVideo = Deno.env.get("VIDEO_PROVIDER") === "replicate" && !Deno.env.get("REPLICATE_API_TOKEN");

Deno.test({
  name: "generate-media still answers a provider without its key with a 503 and fails the row",
  ...opts,
  ignore: opts.ignore || !unconfiguredVideo,
}, async () => {
  const { sb, row: video } = await queueOne("video");
  const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: [video.id] } });
  assertEquals(data, null);
  const res = (error as { context: Response }).context;
  assertEquals(res.status, 503);
  const body = await res.json();
  assert(body.error.includes("REPLICATE_API_TOKEN"), body.error);
  assertEquals([body.generations[0].status, body.generations[0].error], ["failed", body.error]);
  const { data: row } = await sb.from("generations").select("status, error").eq("id", video.id).single();
  assertEquals([row!.status, row!.error], ["failed", body.error]);
});
