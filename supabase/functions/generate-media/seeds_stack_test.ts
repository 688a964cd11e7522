// Seeds through a running local stack (SUPABASE_URL and SUPABASE_ANON_KEY; skipped otherwise):
// the rows a client writes for one request of three outputs come back with three seeds, three
// different images, the request's params intact, and the same pixels when asked again.
import { assert, assertEquals } from "../tests/assert.ts";
import { seedForOutput } from "./params.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url || !anon };

const request = {
  aspect_ratio: "1:1",
  count: 3,
  resolution: 64,
  style: "watercolour",
  negative_prompt: "text",
  targets: ["instagram", "x"],
  model: "atelier-demo-1",
};

async function user() {
  const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await sb.auth.signUp({ email: `seeds-${crypto.randomUUID()}@example.test`, password: "secret123" });
  if (error) throw error;
  const { data, error: e2 } = await sb.from("sessions").insert({ title: "seeds" }).select().single();
  if (e2) throw e2;
  return { sb, sessionId: data.id as string };
}

// deno-lint-ignore no-explicit-any
async function run(sb: any, sessionId: string, base: number | null) {
  const rows = [0, 1, 2].map((i) => ({
    session_id: sessionId,
    prompt: "paper boats on a green canal",
    params: { ...request, ...(base === null ? {} : { seed: seedForOutput(base, i) }) },
  }));
  const { data: queued, error } = await sb.from("generations").insert(rows).select("id");
  if (error) throw error;
  const ids = (queued as { id: string }[]).map((r) => r.id);
  const { data, error: e2 } = await sb.functions.invoke("generate-media", { body: { generation_ids: ids } });
  assertEquals(e2, null);
  // deno-lint-ignore no-explicit-any
  const out = data.generations as any[];
  assertEquals(
    out.map((g) => g.status),
    ["completed", "completed", "completed"],
    JSON.stringify(out.map((g) => g.error)),
  );
  const bytes = await Promise.all(
    out.map(async (g) => new Uint8Array(await (await fetch(g.media_url)).arrayBuffer()).join(",")),
  );
  return { out, bytes };
}

Deno.test(
  { name: "generate-media: a fixed seed gives seed, seed+1, seed+2 and the same images again", ...opts },
  async () => {
    const { sb, sessionId } = await user();
    const first = await run(sb, sessionId, 500);
    assertEquals(first.out.map((g) => g.params.seed), [500, 501, 502]);
    assertEquals(new Set(first.bytes).size, 3, "three different images");
    for (const g of first.out) {
      for (const [k, v] of Object.entries(request)) assertEquals(g.params[k], v, `params.${k} flows through`);
    }
    const again = await run(sb, sessionId, 500);
    assertEquals(again.bytes, first.bytes, "the same seeds make the same images");
  },
);

Deno.test({ name: "generate-media: no seed gives each output a random one, stored on the row", ...opts }, async () => {
  const { sb, sessionId } = await user();
  const { out, bytes } = await run(sb, sessionId, null);
  const seeds = out.map((g) => g.params.seed);
  assert(seeds.every((s) => Number.isInteger(s)), JSON.stringify(seeds));
  assertEquals(new Set(seeds).size, 3, "distinct seeds");
  assertEquals(new Set(bytes).size, 3, "distinct images");
  const { data: rows } = await sb.from("generations").select("id, params").in("id", out.map((g) => g.id));
  const stored = (rows ?? []) as { id: string; params: { seed?: unknown } }[];
  assertEquals(
    out.map((g) => stored.find((r) => r.id === g.id)?.params.seed),
    seeds,
    "the row keeps the seed used",
  );
});

Deno.test(
  { name: "generate-media: a malformed seed fails the row with a reason and stores nothing", ...opts },
  async () => {
    const { sb, sessionId } = await user();
    const { data: queued } = await sb.from("generations").insert({
      session_id: sessionId,
      prompt: "a red kite",
      params: { seed: "seven" },
    }).select("id").single();
    const { data, error } = await sb.functions.invoke("generate-media", { body: { generation_ids: [queued!.id] } });
    assertEquals(error, null);
    const g = data.generations[0];
    assertEquals([g.status, g.media_url, g.error], [
      "failed",
      null,
      'Seed "seven" is not valid: use a whole number from 0 to 2147483647, or none for a random one.',
    ]);
  },
);
