import { assert, assertEquals } from "../tests/assert.ts";
import { canOutliveResponse, inBackground } from "./background.ts";

type Global = { EdgeRuntime?: unknown };

/** Runs `body` with `EdgeRuntime` set to `rt` (or absent), restoring what was there. */
async function withRuntime(rt: unknown, body: () => void | Promise<void>) {
  const g = globalThis as Global;
  const before = g.EdgeRuntime;
  if (rt === undefined) delete g.EdgeRuntime;
  else g.EdgeRuntime = rt;
  try {
    await body();
  } finally {
    if (before === undefined) delete g.EdgeRuntime;
    else g.EdgeRuntime = before;
  }
}

Deno.test("inBackground hands the work to EdgeRuntime.waitUntil and logs a failure instead of throwing", async () => {
  const handed: Promise<unknown>[] = [];
  await withRuntime({ waitUntil: (p: Promise<unknown>) => handed.push(p) }, async () => {
    assert(canOutliveResponse());
    const logged: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      inBackground(Promise.reject(new Error("provider down")), "generation 1");
      assertEquals(handed.length, 1);
      await handed[0]; // settles: the rejection was handled
    } finally {
      console.error = error;
    }
    assertEquals(logged.length, 1);
    assertEquals(logged[0][0], "generation 1 failed in the background:");
    assertEquals((logged[0][1] as Error).message, "provider down");
  });
});

Deno.test("without EdgeRuntime the work cannot outlive the response but still runs", async () => {
  await withRuntime(undefined, async () => {
    assertEquals(canOutliveResponse(), false);
    let ran = false;
    const work = new Promise<void>((r) => setTimeout(r, 10)).then(() => {
      ran = true;
    });
    inBackground(work, "work");
    await work;
    assert(ran);
  });
  await withRuntime({ waitUntil: "not a function" }, () => assertEquals(canOutliveResponse(), false));
});
