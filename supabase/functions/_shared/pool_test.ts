import { assertEquals } from "../tests/assert.ts";
import { mapLimit } from "./pool.ts";

Deno.test("mapLimit keeps at most `limit` tasks in flight and the input order", async () => {
  let inFlight = 0, peak = 0;
  const out = await mapLimit([50, 10, 30, 5, 20, 15, 25, 1, 40], 4, async (ms, i) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    return i;
  });
  assertEquals(out, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assertEquals(peak, 4);
});
