// Through a running local stack (SUPABASE_URL and SUPABASE_ANON_KEY; skipped otherwise): the
// answer of generate-media says in Server-Timing how long its generations spent drawing,
// encoding, in the provider, uploading and recording, and how long the call took.
import { assert, assertEquals } from "../tests/assert.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url || !anon };

/** `name;dur=1.5;desc="…", …` → {name: {dur, desc}}. */
function parseServerTiming(value: string): Record<string, { dur: number; desc?: string }> {
  const out: Record<string, { dur: number; desc?: string }> = {};
  for (const metric of value.split(/,\s*(?=[\w-]+(?:;|$))/)) {
    const [name, ...params] = metric.trim().split(";");
    const get = (k: string) => params.find((p) => p.startsWith(`${k}=`))?.slice(k.length + 1);
    out[name] = { dur: Number(get("dur")), desc: get("desc")?.replace(/^"|"$/g, "") };
  }
  return out;
}

Deno.test(
  { name: "generate-media answers with the time of render, encode, upload and the rest", ...opts },
  async () => {
    const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
    const { error } = await sb.auth.signUp({
      email: `timing-${crypto.randomUUID()}@example.test`,
      password: "secret123",
    });
    if (error) throw error;
    const { data: session, error: e2 } = await sb.from("sessions").insert({ title: "timing" }).select().single();
    if (e2) throw e2;
    const rows = [0, 1].map((i) => ({
      session_id: session.id,
      prompt: `a kite, take ${i}`,
      params: { resolution: 64 },
    }));
    const { data: queued, error: e3 } = await sb.from("generations").insert(rows).select("id");
    if (e3) throw e3;
    const ids = (queued as { id: string }[]).map((r) => r.id);

    const { data, error: e4, response } = await sb.functions.invoke("generate-media", {
      body: { generation_ids: ids },
    });
    assertEquals(e4, null);
    const header = response?.headers.get("server-timing");
    assert(header, "the answer has a Server-Timing header");
    const timing = parseServerTiming(header);
    const done = (data.generations as { status: string }[]).filter((g) => g.status === "completed").length;
    assert(done > 0, `no generation completed within the answer: ${JSON.stringify(data.generations)}`);
    assertEquals(Object.keys(timing), ["render", "encode", "provider", "upload", "record", "total"], header);
    for (const [name, { dur }] of Object.entries(timing)) assert(dur > 0, `${name}: ${header}`);
    assertEquals(timing.total.desc, `steps summed over ${done} generation${done === 1 ? "" : "s"}`, header);
    assert(
      timing.provider.dur >= timing.render.dur + timing.encode.dur - 1,
      `provider includes render and encode: ${header}`,
    );
  },
);
