// The engine against a running local stack's database and Storage (the real claim, key, settle
// RPCs; tokens opened from account_credentials; media read from the bucket), with a fake
// connector registered for Bluesky in the run's registry. Skipped without a stack, as
// tests/stack_test.ts is.
import { assert, assertEquals } from "../tests/assert.ts";
import { openToken } from "../_shared/crypto.ts";
import { AuthExpired, type Connector, type Delivery, type SendContext, Transient } from "../_shared/delivery.ts";
import { deliveryCredentials } from "./credentials.ts";
import { type ConnectorRegistry, runDeliveries, startDeliveries } from "./engine.ts";
import { BUCKET, storageMedia } from "./media.ts";
import { databaseRpc } from "./rpc.ts";
import {
  activeAccount,
  admin,
  check,
  clearOfCronTick,
  creator,
  ensureTokenKey,
  insertPosts,
  PNG,
  posts,
  stackOpts,
} from "./stack_fixtures.ts";

if (!stackOpts.ignore) ensureTokenKey();

/** A run of the engine in this process, as the stack's worker would run, with `connectors`. */
function run(connectors: ConnectorRegistry, postIds: string[], concurrency = 4) {
  const service = admin();
  return runDeliveries({
    rpc: databaseRpc(service),
    connectors,
    credentials: deliveryCredentials(service),
    media: (d) => storageMedia(service, d),
    postIds,
    concurrency,
  });
}

/** Sends nothing anywhere: counts each post it is handed and answers like a platform. */
function countingConnector(extra?: (d: Delivery, ctx: SendContext) => Promise<void>) {
  const sends = new Map<string, number>();
  const connector: Connector = {
    async publish(d, ctx) {
      sends.set(d.post_id, (sends.get(d.post_id) ?? 0) + 1);
      const key = await ctx.ensureKey(() => `3k${crypto.randomUUID().replaceAll("-", "").slice(0, 11)}`);
      await extra?.(d, ctx);
      await new Promise((r) => setTimeout(r, 15));
      return {
        remoteId: `at://${d.remote_account_id}/app.bsky.feed.post/${key}`,
        remoteUrl: `https://bsky.app/profile/${d.handle}/post/${key}`,
      };
    },
  };
  return { connector, sends };
}

Deno.test(
  { name: "a due post to an active account goes out once and is published with its remote URL", ...stackOpts },
  async () => {
    const c = await creator();
    const account = await activeAccount(c);
    await clearOfCronTick();
    const [id] = await insertPosts(c, account.id, 1, { due: true });
    const seen: { token: string; media: number[]; text: string; attempts: number }[] = [];
    const { connector, sends } = countingConnector(async (d, ctx) => {
      seen.push({
        token: ctx.credentials.accessToken,
        media: [...(await ctx.media.original()).bytes],
        text: d.text_body,
        attempts: d.attempts,
      });
    });
    const summary = await run({ bluesky: connector }, [id]);
    assertEquals([summary.claimed, summary.published], [1, 1]);
    assertEquals(sends.get(id), 1);
    assertEquals(seen, [{ token: "access-1", media: [...PNG], text: "Lighthouse 0 ✨ at dawn\n\n#sea", attempts: 1 }]);

    const [post] = await posts([id]);
    assertEquals([post.status, post.error, post.lease_owner, post.lease_until, post.next_attempt_at, post.attempts], [
      "published",
      null,
      null,
      null,
      null,
      1,
    ]);
    assert(post.published_at, "published_at is set");
    assertEquals(post.remote_url, `https://bsky.app/profile/${account.handle}/post/${post.delivery_key}`);
    assert(post.remote_id.endsWith(`/app.bsky.feed.post/${post.delivery_key}`), post.remote_id);
    // The owner sees the link too (the posts page reads it as them).
    const mine = check(
      await c.sb.from("posts").select("status, remote_url").eq("id", id).single(),
      "read as owner",
    ) as { status: string; remote_url: string };
    assertEquals([mine.status, mine.remote_url], ["published", post.remote_url]);
  },
);

Deno.test({
  name: "renewed tokens are stored sealed before use, and a media copy is kept beside the original",
  ...stackOpts,
}, async () => {
  const c = await creator();
  const account = await activeAccount(c);
  await clearOfCronTick();
  const [id] = await insertPosts(c, account.id, 1, { due: true });
  const copy = new Uint8Array([255, 216, 255, 224, 1, 2, 3]);
  const readBack: (number[] | null)[] = [];
  const { connector } = countingConnector(async (_d, ctx) => {
    await ctx.credentials.save({ accessToken: "access-2", refreshToken: "refresh-2" });
    assertEquals([ctx.credentials.accessToken, ctx.credentials.refreshToken], ["access-2", "refresh-2"]);
    readBack.push(await ctx.media.readCopy("bsky-small.jpg").then((m) => m && [...m.bytes]));
    await ctx.media.writeCopy("bsky-small.jpg", copy, "image/jpeg");
    readBack.push(await ctx.media.readCopy("bsky-small.jpg").then((m) => m && [...m.bytes]));
  });
  assertEquals((await run({ bluesky: connector }, [id])).published, 1);
  assertEquals(readBack, [null, [...copy]]);

  const stored = check(
    await admin().from("account_credentials").select("access_token, refresh_token").eq("account_id", account.id)
      .single(),
    "credentials",
  ) as { access_token: string; refresh_token: string };
  assert(stored.access_token.startsWith("v1.") && stored.refresh_token.startsWith("v1."), "stored sealed");
  assertEquals([await openToken(stored.access_token), await openToken(stored.refresh_token)], [
    "access-2",
    "refresh-2",
  ]);
  const file = check(
    await admin().storage.from(BUCKET).download(`${c.userId}/${c.generationId}/post-${id}-bsky-small.jpg`),
    "copy",
  ) as Blob;
  assertEquals([...new Uint8Array(await file.arrayBuffer())], [...copy]);
});

Deno.test(
  { name: "two workers started at once on the same posts send each post exactly once", ...stackOpts },
  async () => {
    const c = await creator();
    const account = await activeAccount(c);
    await clearOfCronTick();
    const ids = await insertPosts(c, account.id, 8, { due: true });
    const { connector, sends } = countingConnector();
    const [a, b] = await Promise.all([run({ bluesky: connector }, ids, 2), run({ bluesky: connector }, ids, 2)]);
    console.log(`worker A published ${a.published}, worker B ${b.published}`);
    assertEquals(a.published + b.published, 8);
    assertEquals(ids.map((id) => sends.get(id)), Array(8).fill(1));
    const rows = await posts(ids);
    assertEquals(rows.map((r) => r.status), Array(8).fill("published"));
    assertEquals(rows.map((r) => r.attempts), Array(8).fill(1));
    assertEquals(new Set(rows.map((r) => r.remote_url)).size, 8);
  },
);

Deno.test({
  name: "a publishing post whose worker vanished is taken by the next run once its lease runs out, with its stored key",
  ...stackOpts,
}, async () => {
  const c = await creator();
  const account = await activeAccount(c);
  await clearOfCronTick();
  const [id] = await insertPosts(c, account.id, 1, { leasedForMs: 1_500, deliveryKey: "3kexistingkey", attempts: 1 });
  const { connector, sends } = countingConnector();
  // While the lease is live, nobody takes the post.
  const early = await startDeliveries({
    rpc: databaseRpc(admin()),
    connectors: { bluesky: connector },
    credentials: deliveryCredentials(admin()),
    media: (d) => storageMedia(admin(), d),
    postIds: [id],
  });
  assertEquals(early.claimed, 0);
  await early.done;
  const [before] = await posts([id]);
  await new Promise((r) => setTimeout(r, Date.parse(before.lease_until) - Date.now() + 200));

  const summary = await run({ bluesky: connector }, [id]);
  assertEquals([summary.claimed, summary.published, sends.get(id)], [1, 1, 1]);
  const [post] = await posts([id]);
  assertEquals([post.status, post.attempts, post.delivery_key], ["published", 2, "3kexistingkey"]);
  assertEquals(post.remote_url, `https://bsky.app/profile/${account.handle}/post/3kexistingkey`);
});

Deno.test({
  name: "a platform error defers the post with the reason; an expired sign-in fails it and marks the account expired",
  ...stackOpts,
}, async () => {
  const c = await creator();
  const flaky = await activeAccount(c);
  const expired = await activeAccount(c);
  await clearOfCronTick();
  const [retried] = await insertPosts(c, flaky.id, 1, { due: true });
  const [failed] = await insertPosts(c, expired.id, 1, { due: true });
  const connector: Connector = {
    publish(d) {
      if (d.account_id === flaky.id) return Promise.reject(new Transient("Bluesky answered 502: try again later"));
      return Promise.reject(
        new AuthExpired(`The sign-in of @${d.handle} expired and could not be renewed: reconnect the account.`),
      );
    },
  };
  const started = Date.now();
  const summary = await run({ bluesky: connector }, [retried, failed]);
  assertEquals([summary.deferred, summary.failed], [1, 1]);

  const [r, f] = await posts([retried, failed]);
  assertEquals([r.status, r.error, r.lease_owner, r.attempts], [
    "publishing",
    "Bluesky answered 502: try again later",
    null,
    1,
  ]);
  const wait = Date.parse(r.next_attempt_at) - started;
  assert(wait >= 29_000 && wait <= 35_000, `next attempt in ${wait} ms, not about 30 s`);
  assertEquals([f.status, f.error], [
    "failed",
    `The sign-in of @${expired.handle} expired and could not be renewed: reconnect the account.`,
  ]);
  const accounts = check(
    await c.sb.from("connected_accounts").select("id, status").in("id", [flaky.id, expired.id]),
    "accounts",
  ) as { id: string; status: string }[];
  assertEquals(Object.fromEntries(accounts.map((a) => [a.id, a.status])), {
    [flaky.id]: "active",
    [expired.id]: "expired",
  });
  // A deferred post is not claimable before its time.
  assertEquals((await run({ bluesky: connector }, [retried])).claimed, 0);
});
