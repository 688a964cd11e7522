// publish-worker as the stack serves it: only the service-role key starts it, it answers 202
// with how many posts it claimed, and refuses a malformed request. Skipped without a stack.
import { assert, assertEquals } from "../tests/assert.ts";
import { anonKey, creator, serviceKey, stackOpts, url } from "./stack_fixtures.ts";

async function call(
  authorization: string | null,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "Content-Type": "application/json", apikey: anonKey ?? "" };
  if (authorization) headers.Authorization = authorization;
  const res = await fetch(`${url}/functions/v1/publish-worker`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test({ name: "publish-worker refuses every caller but the service role", ...stackOpts }, async () => {
  const c = await creator();
  const onlyUnknown = { post_ids: [crypto.randomUUID()] };
  assertEquals((await call(null, onlyUnknown)).status, 401);
  for (const key of [anonKey!, c.jwt]) {
    const res = await call(`Bearer ${key}`, onlyUnknown);
    assertEquals(res.status, 401);
    assertEquals(res.body.error, "Only the server starts the publish worker: call it with the service-role key.");
  }
});

Deno.test(
  { name: "publish-worker answers 202 with the number claimed, and 400 to a malformed request", ...stackOpts },
  async () => {
    const started = performance.now();
    const res = await call(`Bearer ${serviceKey}`, { post_ids: [crypto.randomUUID()] });
    assertEquals([res.status, res.body], [202, { claimed: 0 }]);
    assert(performance.now() - started < 30_000);
    const bad = await call(`Bearer ${serviceKey}`, { post_ids: ["not-a-post"] });
    assertEquals([bad.status, bad.body.error], [400, 'Not post ids: "not-a-post".']);
  },
);
