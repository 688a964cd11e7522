// The whole path with nothing faked, through a running local stack and the reference PDS
// (tests/servers/pds.mjs, started here): an account connected with connect-bluesky, "Publish
// now" through publish_generation, the database's trigger calling the stack's publish-worker
// through net.http_post, and the Bluesky connector creating the record. Extra calls to the
// worker racing the trigger's must not create a second record. Skipped without a stack.
import { assert, assertEquals } from "../tests/assert.ts";
import { type RunningPds, startPds, xrpcCall } from "../tests/pds.ts";
import { check, type Creator, creator, posts, type Row, serviceKey, stackOpts, url } from "./stack_fixtures.ts";

async function connect(c: Creator, pds: RunningPds): Promise<{ id: string }> {
  const alice = pds.accounts.find((a) => a.handle === "alice.test")!;
  const { data, error } = await c.sb.functions.invoke("connect-bluesky", {
    body: { identifier: alice.handle, password: alice.appPassword, service: pds.url },
  });
  if (error) throw new Error(`connect-bluesky: ${await (error as { context?: Response }).context?.text()}`);
  return data.account;
}

async function publishNow(c: Creator, accountId: string, caption: string): Promise<Row> {
  const rows = check(
    await c.sb.rpc("publish_generation", {
      p_generation_id: c.generationId,
      p_account_ids: [accountId],
      p_caption: caption,
      p_hashtags: ["#sea"],
    }),
    "publish",
  ) as Row[];
  return rows[0];
}

/** Calls the stack's worker as the server would (service-role key). */
async function kick(postIds?: string[]): Promise<number> {
  const res = await fetch(`${url}/functions/v1/publish-worker`, {
    method: "POST",
    headers: { "Content-Type": "application/json", apikey: serviceKey!, Authorization: `Bearer ${serviceKey}` },
    body: JSON.stringify(postIds ? { post_ids: postIds } : {}),
  });
  assertEquals(res.status, 202);
  return (await res.json()).claimed;
}

async function settled(ids: string[], withinMs: number): Promise<Row[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const rows = await posts(ids);
    if (rows.every((r) => r.status !== "publishing")) return rows;
    if (Date.now() > deadline) {
      throw new Error(`still publishing after ${withinMs} ms: ${JSON.stringify(rows.map((r) => [r.status, r.error]))}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test({
  name: "Publish now reaches the reference PDS through the database's kick, once per post even with extra workers",
  ...stackOpts,
}, async () => {
  const pds = await startPds();
  try {
    const c = await creator();
    const account = await connect(c, pds);
    const started = Date.now();
    const first = await publishNow(c, account.id, "Lighthouse at dawn ✨ https://example.com/light");
    assertEquals(first.status, "publishing");
    const [done] = await settled([first.id], 15_000);
    console.log(`publish now → published in ${Date.now() - started} ms`);
    assertEquals([done.status, done.error], ["published", null]);
    assertEquals(done.remote_url, `https://bsky.app/profile/alice.test/post/${done.delivery_key}`);
    const record = await xrpcCall(pds.url, "com.atproto.repo.getRecord", {
      params: { repo: done.remote_id.split("/")[2], collection: "app.bsky.feed.post", rkey: done.delivery_key },
    });
    assertEquals(record.status, 200);
    assertEquals(record.body.value.text, "Lighthouse at dawn ✨ https://example.com/light\n\n#sea");
    assertEquals(record.body.value.embed.images.length, 1);

    // Three more posts; two extra workers race the one the trigger starts.
    const more = [
      await publishNow(c, account.id, "one"),
      await publishNow(c, account.id, "two"),
      await publishNow(c, account.id, "three"),
    ];
    const ids = more.map((p) => p.id);
    const claimed = await Promise.all([kick(ids), kick(ids)]);
    const rows = await settled(ids, 30_000);
    assertEquals(rows.map((r) => r.status), ["published", "published", "published"]);
    assert(claimed[0] + claimed[1] <= 3, `claimed ${claimed}`);
    const did = done.remote_id.split("/")[2];
    const list = await xrpcCall(pds.url, "com.atproto.repo.listRecords", {
      params: { repo: did, collection: "app.bsky.feed.post", limit: "100" },
    });
    const texts = (list.body.records as { value: { text: string } }[]).map((r) => r.value.text).sort();
    assertEquals(texts, [
      "Lighthouse at dawn ✨ https://example.com/light\n\n#sea",
      "one\n\n#sea",
      "three\n\n#sea",
      "two\n\n#sea",
    ]);
  } finally {
    await pds.stop();
  }
});
