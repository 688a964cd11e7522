// Seeds per output: a fixed seed gives seed, seed+1, … on a request's rows and the same pixels
// every time; no seed gives each row a random one; the seed used is what params records.
import { assert, assertEquals } from "../tests/assert.ts";
import { MAX_SEED, mediaRequest, seedForOutput, seedOf } from "./params.ts";
import { demoImage } from "./providers/demo.ts";
import { completedParams } from "./run.ts";

const ids = [
  "6f1c1d2e-0000-4000-8000-0000000000a1",
  "6f1c1d2e-0000-4000-8000-0000000000a2",
  "6f1c1d2e-0000-4000-8000-0000000000a3",
];
const prompt = "paper boats on a green canal";

/** The rows a client writes for one request of `ids.length` outputs (the documented contract). */
const rows = (base: number | null) =>
  ids.map((id, i) => ({
    id,
    kind: "image",
    prompt,
    params: {
      aspect_ratio: "1:1",
      count: ids.length,
      resolution: 64,
      ...(base === null ? {} : { seed: seedForOutput(base, i) }),
    },
  }));

const pixels = (base: number | null) =>
  Promise.all(
    rows(base).map(async (r) => {
      const req = mediaRequest(r);
      return { seed: req.seed, png: JSON.stringify([...(await demoImage(req)).media.bytes]) };
    }),
  );

Deno.test("a fixed seed gives each output its own seed: seed, seed+1, …", async () => {
  const outs = await pixels(41);
  assertEquals(outs.map((o) => o.seed), [41, 42, 43]);
  assertEquals(new Set(outs.map((o) => o.png)).size, 3, "three different images");
});

Deno.test("a fixed seed makes the same images every time", async () => {
  const [a, b] = [await pixels(41), await pixels(41)];
  assertEquals(a, b);
  const other = await pixels(900);
  assert(other.every((o, i) => o.png !== a[i].png), "another seed gives other images");
});

Deno.test("no seed: each output draws a random one", async () => {
  const outs = await pixels(null);
  assertEquals(new Set(outs.map((o) => o.seed)).size, 3, "distinct seeds");
  assert(outs.every((o) => Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= MAX_SEED));
  assertEquals(new Set(outs.map((o) => o.png)).size, 3, "distinct images");
  const again = await pixels(null);
  assert(again.every((o, i) => o.seed !== outs[i].seed), "a new run draws new seeds");
});

Deno.test("seeds wrap at the top of the range and bad ones are refused with a reason", () => {
  assertEquals([seedForOutput(MAX_SEED, 0), seedForOutput(MAX_SEED, 1), seedForOutput(MAX_SEED - 1, 3)], [
    MAX_SEED,
    0,
    1,
  ]);
  assertEquals(seedOf({ seed: 0 }), 0);
  assertEquals(seedOf({ seed: MAX_SEED }), MAX_SEED);
  for (const seed of [-1, 1.5, "7", MAX_SEED + 1, true]) {
    let message = "";
    try {
      seedOf({ seed });
    } catch (e) {
      assert(e instanceof RangeError, "a RangeError, which the row's error shows as is");
      message = (e as Error).message;
    }
    assertEquals(
      message,
      `Seed ${JSON.stringify(seed)} is not valid: use a whole number from 0 to ${MAX_SEED}, or none for a random one.`,
    );
  }
});

Deno.test("a completed row keeps the request and records the seed used", () => {
  const requested = {
    targets: ["instagram", "x"],
    style: "watercolour",
    negative_prompt: "text",
    aspect_ratio: "4:5",
    count: 2,
    model: "atelier-demo-1",
  };
  const used = { aspect_ratio: "4:5", seed: 8, width: 820, height: 1024, model: "provider-model-v2" };
  // Key order is not the point (jsonb does not keep it).
  const sorted = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  assertEquals(
    sorted(completedParams(requested, used, 8)),
    sorted({ ...requested, seed: 8, width: 820, height: 1024 }),
  );
  assertEquals(
    sorted(completedParams({ count: 1 }, { model: "m", width: 2 }, 5)),
    sorted({ model: "m", width: 2, count: 1, seed: 5 }),
  );
});
