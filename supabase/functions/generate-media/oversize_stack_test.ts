// A video asked larger than storage accepts, through a running local stack (SUPABASE_URL and
// SUPABASE_ANON_KEY; skipped otherwise): generate-media answers 400 with what to ask instead,
// before any work — the row is not claimed, nothing is stored — and the row asked within the
// bound in the same call is not run either (the call is refused as a whole).
import { assertEquals } from "../tests/assert.ts";
import { VIDEO_MAX_LONG_SIDE } from "./params.ts";
import { BUCKET } from "./record.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url || !anon };

Deno.test({
  name: "generate-media refuses a video resolution storage cannot hold with a 400, before any work",
  ...opts,
}, async () => {
  const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data: signed, error: e1 } = await sb.auth.signUp({
    email: `big-${crypto.randomUUID()}@example.test`,
    password: "secret123",
  });
  if (e1) throw e1;
  const { data: session, error: e2 } = await sb.from("sessions").insert({ title: "too big" }).select("id").single();
  if (e2) throw e2;
  const rows = [2048, VIDEO_MAX_LONG_SIDE].map((resolution) => ({
    session_id: session.id,
    kind: "video",
    prompt: "a heron over a lake",
    params: { resolution },
  }));
  const { data: queued, error: e3 } = await sb.from("generations").insert(rows).select("id");
  if (e3) throw e3;
  const [big, fine] = (queued as { id: string }[]).map((r) => r.id);

  const started = performance.now();
  const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: [big, fine] } });
  const tookMs = performance.now() - started;
  assertEquals(data, null);
  const res = (error as { context: Response }).context;
  assertEquals([res.status, await res.json()], [400, {
    error: `A video of resolution 2048 is larger than storage accepts: ask for ${VIDEO_MAX_LONG_SIDE} or less.`,
    refused_ids: [big],
  }]);
  console.log(`refused in ${Math.round(tookMs)} ms`);

  const { data: after } = await sb.from("generations").select("id, status, attempts, error").in("id", [big, fine])
    .order("created_at");
  assertEquals(
    after!.map((r) => [r.status, r.attempts, r.error]),
    [["queued", 0, null], ["queued", 0, null]],
    "nothing was claimed",
  );
  for (const id of [big, fine]) {
    const { data: files } = await sb.storage.from(BUCKET).list(`${signed.user!.id}/${id}`);
    assertEquals(files, [], "nothing was stored");
  }
});
