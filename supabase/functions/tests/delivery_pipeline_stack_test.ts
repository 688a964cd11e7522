// The whole delivery pipeline through a running local stack with no browser and no direct call
// to the worker (needs SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY; skipped
// without SUPABASE_URL). The stack's functions must run with ATELIER_ALLOW_PRIVATE_HOSTS=true:
// the reference PDS (tests/servers/pds.mjs) and the fake Mastodon (tests/servers/mastodon.mjs)
// listen on 127.0.0.1. A creator connects both accounts through the connect functions, then:
//   * Publish now: the posts table's trigger queues net.http_post to publish-worker, which sends
//     each post once, well before pg_cron's next minute could have;
//   * with nothing else running, pg_cron's per-minute tick sends due scheduled posts within a
//     minute of their time, and retakes posts whose worker vanished once their lease ran out.
// Each case checks the row the creator sees and what the servers received: one record, one status.
import { assert, assertEquals } from "./assert.ts";
import { type RunningPds, startPds, xrpcCall } from "./pds.ts";
import { type FakeMastodon, type Received, startFakeMastodon } from "../_shared/mastodon/test_fake.ts";
import {
  check,
  connectBluesky,
  connectMastodon,
  type Creator,
  creatorWithDemoImage,
  insertPosts,
  nextMinute,
  type Row,
  settled,
  url,
} from "./pipeline_fixtures.ts";

const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url };

/**
 * How long after pg_cron's minute a post may land: pg_cron starts its jobs within a second of
 * the minute, and from there it is the Publish now path (a target of 5 s on the local stack),
 * given three times that because this machine's cores are shared with builds and other tests.
 */
const TICK_SLACK_MS = 15_000;
const HASHTAGS = ["#harbour"];
const textOf = (caption: string) => `${caption}\n\n${HASHTAGS.join(" ")}`;
const ms = (t: string) => new Date(t).getTime();

async function blueskyTexts(pds: RunningPds, did: string): Promise<string[]> {
  const list = await xrpcCall(pds.url, "com.atproto.repo.listRecords", {
    params: { repo: did, collection: "app.bsky.feed.post", limit: "100" },
  });
  assertEquals(list.status, 200);
  return (list.body.records as { value: { text: string } }[]).map((r) => r.value.text);
}

/** The record a published Bluesky post points at, checked against the row. */
async function assertOnPds(pds: RunningPds, row: Row, did: string, caption: string) {
  assertEquals([row.status, row.error], ["published", null], `${caption}: ${row.error}`);
  assertEquals(row.remote_id, `at://${did}/app.bsky.feed.post/${row.delivery_key}`);
  assertEquals(row.remote_url, `https://bsky.app/profile/alice.test/post/${row.delivery_key}`);
  const record = await xrpcCall(pds.url, "com.atproto.repo.getRecord", {
    params: { repo: did, collection: "app.bsky.feed.post", rkey: row.delivery_key },
  });
  assertEquals(record.status, 200, JSON.stringify(record.body));
  assertEquals(record.body.value.text, textOf(caption));
  assertEquals(record.body.value.embed.images.length, 1);
  assertEquals(
    (await blueskyTexts(pds, did)).filter((t) => t === textOf(caption)).length,
    1,
    `records with ${caption}`,
  );
}

/** The status a published Mastodon post points at, checked against the row. */
function assertOnMastodon(got: Received, row: Row, caption: string) {
  assertEquals([row.status, row.error], ["published", null], `${caption}: ${row.error}`);
  const statuses = got.statuses.filter((s) => s.text === textOf(caption));
  assertEquals(statuses.length, 1, `statuses with ${caption}`);
  const [status] = statuses;
  assertEquals([row.remote_id, row.remote_url], [status.id, status.url]);
  assertEquals([status.idempotency_key, status.media_ids.length], [row.delivery_key, 1]);
}

Deno.test({
  name:
    "Delivery pipeline: Publish now and pg_cron's tick reach Bluesky and Mastodon with no browser and no direct worker call",
  ...opts,
}, async (t) => {
  const pds = await startPds();
  let fake: FakeMastodon | null = null;
  try {
    fake = await startFakeMastodon();
    const mastodon = fake;
    const c: Creator = await creatorWithDemoImage();
    const did = pds.accounts.find((a) => a.handle === "alice.test")!.did;
    let bluesky: Row = {}, toot: Row = {};
    const run = crypto.randomUUID().slice(0, 6);

    await t.step("connect Bluesky with an app password and Mastodon through its Authorize page", async () => {
      bluesky = await connectBluesky(c, pds);
      toot = await connectMastodon(c, mastodon);
      assertEquals([bluesky.platform, bluesky.status, bluesky.remote_id], ["bluesky", "active", did]);
      assertEquals([toot.platform, toot.status, toot.service_url], ["mastodon", "active", mastodon.url]);
    });

    await t.step(
      "Publish now: the database starts the worker, one record and one status, published with their links",
      async () => {
        // Start well clear of a minute's start, so that only the trigger can have sent the posts.
        const intoMinute = Date.now() % 60_000;
        if (intoMinute > 40_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 1_000));
        const caption = `Harbour lights ✨ ${run} https://example.com/harbour`;
        const started = Date.now();
        const answer = check(
          await c.sb.rpc("publish_generation", {
            p_generation_id: c.generationId,
            p_account_ids: [bluesky.id, toot.id],
            p_caption: caption,
            p_hashtags: HASHTAGS,
            p_request_key: crypto.randomUUID(),
          }),
          "publish_generation",
        ) as Row[];
        assertEquals(answer.map((p) => p.status), ["publishing", "publishing"]);
        const ids = [bluesky.id, toot.id].map((a) => answer.find((p) => p.account_id === a)!.id);
        const [onBluesky, onMastodon] = await settled(c, ids, nextMinute(started) - Date.now());
        console.log(`publish now → both published in ${Date.now() - started} ms`);
        for (const row of [onBluesky, onMastodon]) {
          assert(
            ms(row.published_at) < nextMinute(started),
            `published at ${row.published_at}, after pg_cron's next minute`,
          );
        }
        await assertOnPds(pds, onBluesky, did, caption);
        assertOnMastodon(await mastodon.received(), onMastodon, caption);
      },
    );

    const base = { user_id: c.userId, generation_id: c.generationId, hashtags: HASHTAGS };

    // Each case below is alone on its tick: a due scheduled post's move to `publishing` also
    // starts the worker, which would take an abandoned post too and hide a missing cron job.
    await t.step(
      "browser closed right after Publish now: the next tick after the lease ran out retakes the post, once",
      async () => {
        // The worker died after claiming them (the Mastodon one after storing its key).
        const leaseUntil = new Date(Date.now() + 2_000).toISOString();
        const key = crypto.randomUUID();
        const captions = [`Abandoned ${run} bluesky`, `Abandoned ${run} mastodon`];
        const abandoned = await insertPosts([
          {
            ...base,
            account_id: bluesky.id,
            caption: captions[0],
            status: "publishing",
            lease_owner: crypto.randomUUID(),
            lease_until: leaseUntil,
            attempts: 1,
          },
          {
            ...base,
            account_id: toot.id,
            caption: captions[1],
            status: "publishing",
            lease_owner: crypto.randomUUID(),
            lease_until: leaseUntil,
            attempts: 1,
            delivery_key: key,
          },
        ]);
        const tick = nextMinute(ms(leaseUntil));
        const [onBluesky, onMastodon] = await settled(
          c,
          abandoned.map((p) => p.id),
          tick + TICK_SLACK_MS + 5_000 - Date.now(),
        );
        for (const row of [onBluesky, onMastodon]) {
          console.log(`lease ended ${leaseUntil} → published ${row.published_at}`);
          assert(
            ms(row.published_at) >= tick && ms(row.published_at) <= tick + TICK_SLACK_MS,
            `published at ${row.published_at}, not by the tick after ${leaseUntil}`,
          );
          assertEquals([row.lease_owner, row.lease_until, row.attempts], [null, null, 2]);
        }
        assertEquals(onMastodon.delivery_key, key, "the retake sends with the key stored before the worker died");
        await assertOnPds(pds, onBluesky, did, captions[0]);
        const got = await mastodon.received();
        assertOnMastodon(got, onMastodon, captions[1]);
        assertEquals(
          got.status_posts.filter((p) => p.idempotency_key === key).length,
          1,
          "one attempt for the abandoned post",
        );
      },
    );

    await t.step(
      "browser closed: a post scheduled a little ahead goes out with the tick after its time, within a minute, never before",
      async () => {
        // Due in 5 s: publish_generation only takes times at least a minute ahead.
        const scheduledAt = new Date(Date.now() + 5_000).toISOString();
        const captions = [`Scheduled ${run} 🌊 bluesky`, `Scheduled ${run} 🌊 mastodon`];
        const scheduled = await insertPosts([
          { ...base, account_id: bluesky.id, caption: captions[0], status: "scheduled", scheduled_at: scheduledAt },
          { ...base, account_id: toot.id, caption: captions[1], status: "scheduled", scheduled_at: scheduledAt },
        ]);
        const [onBluesky, onMastodon] = await settled(
          c,
          scheduled.map((p) => p.id),
          nextMinute(ms(scheduledAt)) + TICK_SLACK_MS + 5_000 - Date.now(),
        );
        for (const row of [onBluesky, onMastodon]) {
          const lateness = ms(row.published_at) - ms(row.scheduled_at);
          console.log(`scheduled ${row.scheduled_at} → published ${row.published_at}: ${lateness} ms late`);
          assert(lateness >= 0, `published ${-lateness} ms before its time`);
          assert(lateness <= 60_000 + TICK_SLACK_MS, `published ${lateness} ms after its time`);
        }
        await assertOnPds(pds, onBluesky, did, captions[0]);
        assertOnMastodon(await mastodon.received(), onMastodon, captions[1]);
      },
    );
  } finally {
    await fake?.stop();
    await pds.stop();
  }
});
