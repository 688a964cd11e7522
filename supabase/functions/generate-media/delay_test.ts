import { assert, assertEquals } from "../tests/assert.ts";
import { withTestDelay } from "./delay.ts";
import type { MediaRequest } from "./params.ts";
import type { MediaOutput, Provider } from "./providers/provider.ts";

const fake = (name: string): Provider => ({ name, generate: () => Promise.resolve({ provider: name } as MediaOutput) });
const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });
const req = {} as MediaRequest;

Deno.test("DEMO_DELAY_MS unset, zero or aimed at a real provider changes nothing", () => {
  for (
    const [p, vars] of [[fake("demo"), {}], [fake("demo"), { DEMO_DELAY_MS: "0" }], [fake("openai"), {
      DEMO_DELAY_MS: "500",
    }]] as const
  ) {
    assertEquals(withTestDelay(p, env(vars)), p);
  }
});

Deno.test("DEMO_DELAY_MS holds the demo provider back, and a deadline cuts the pause short", async () => {
  const slow = withTestDelay(fake("demo"), env({ DEMO_DELAY_MS: "150" }));
  const started = performance.now();
  assertEquals((await slow.generate(req, new AbortController().signal)).provider, "demo");
  assert(performance.now() - started >= 140, "waited");
  const deadline = new AbortController();
  setTimeout(() => deadline.abort(new Error("Timed out")), 20);
  const cut = await slow.generate(req, deadline.signal).then(() => "ran", (e) => (e as Error).message);
  assertEquals(cut, "Timed out");
});
