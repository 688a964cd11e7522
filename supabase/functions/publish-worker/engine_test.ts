import { assert, assertEquals } from "../tests/assert.ts";
import { AuthExpired, AuthRevoked, Permanent, RateLimited, type Sent, Transient } from "../_shared/delivery.ts";
import { type EngineOptions, runDeliveries, startDeliveries } from "./engine.ts";
import { credentials, delivery, FakeClock, FakeRpc, noMedia, scripted, SENT } from "./test_doubles.ts";
import type { Connector } from "../_shared/delivery.ts";

function engine(
  rpc: FakeRpc,
  connector: Connector,
  clock = new FakeClock(),
  over: Partial<EngineOptions> = {},
): EngineOptions {
  return {
    rpc,
    connectors: { bluesky: connector, mastodon: connector },
    credentials: () => Promise.resolve(credentials()),
    media: () => noMedia,
    clock,
    workerId: "worker-1",
    ...over,
  };
}

const at = (clock: FakeClock, ms: number) => new Date(clock.t + ms).toISOString();

Deno.test("a sent post is completed with its remote id and URL, once", async () => {
  const d = delivery();
  const rpc = new FakeRpc([d]);
  const connector = scripted(SENT);
  const summary = await runDeliveries(engine(rpc, connector));
  assertEquals(rpc.settled(), [["complete", d.post_id, SENT]]);
  assertEquals([summary.claimed, summary.published, summary.failed, summary.deferred], [1, 1, 0, 0]);
  assertEquals(connector.seen.length, 1);
});

Deno.test("the claim gets the worker id, a 120 s lease and the requested post ids", async () => {
  const [a, b] = [delivery(), delivery()];
  const rpc = new FakeRpc([a, b]);
  await runDeliveries(engine(rpc, scripted(SENT), new FakeClock(), { postIds: [b.post_id] }));
  assertEquals(rpc.calls.filter((c) => c.fn === "claim")[0].args, ["worker-1", 4, 120, [b.post_id]]);
  assertEquals(rpc.settled(), [["complete", b.post_id, SENT]]);
  assertEquals(rpc.pending.map((d) => d.post_id), [a.post_id], "a post that was not asked for stays unclaimed");
});

Deno.test("the delivery key is stored once through the RPC and reused; a stored key is used as is", async () => {
  const fresh = delivery();
  const keyed = delivery({ delivery_key: "3kstoredkey22" });
  const rpc = new FakeRpc([fresh, keyed]);
  const keys: string[] = [];
  let made = 0;
  const connector = scripted(async (_d, ctx) => {
    keys.push(await ctx.ensureKey(() => `made-${++made}`));
    keys.push(await ctx.ensureKey(() => `made-${++made}`));
    return SENT;
  });
  await runDeliveries(engine(rpc, connector, new FakeClock(), { concurrency: 1 }));
  assertEquals(keys, ["made-1", "made-1", "3kstoredkey22", "3kstoredkey22"]);
  assertEquals(rpc.calls.filter((c) => c.fn === "setKey").map((c) => c.args), [[fresh.post_id, "worker-1", "made-1"]]);
  assertEquals(connector.seen[1].delivery_key, "3kstoredkey22");
});

Deno.test("a rate limit that resets within 20 s is waited out and the post is sent once", async () => {
  const clock = new FakeClock();
  const d = delivery();
  const rpc = new FakeRpc([d]);
  const connector = scripted(new RateLimited(new Date(clock.t + 12_000)), SENT);
  const summary = await runDeliveries(engine(rpc, connector, clock));
  assertEquals(clock.slept, [12_500]);
  assertEquals(connector.seen.length, 2);
  assertEquals(rpc.settled(), [["complete", d.post_id, SENT]]);
  assertEquals(summary.published, 1);
});

Deno.test("a rate limit that resets later defers the post to the reset time", async () => {
  const clock = new FakeClock();
  const d = delivery({ platform: "mastodon" });
  const rpc = new FakeRpc([d]);
  await runDeliveries(engine(rpc, scripted(new RateLimited(new Date(clock.t + 5 * 60_000))), clock));
  assertEquals(clock.slept, []);
  assertEquals(rpc.settled(), [[
    "defer",
    d.post_id,
    at(clock, 5 * 60_000 + 500),
    "Rate limited by Mastodon: waiting for the limit to reset",
    false,
  ]]);
});

Deno.test("a second rate limit in the same lease defers instead of waiting again", async () => {
  const clock = new FakeClock();
  const d = delivery();
  const rpc = new FakeRpc([d]);
  const connector = scripted(
    new RateLimited(new Date(clock.t + 3_000)),
    () => Promise.reject(new RateLimited(new Date(clock.t + 4_000))),
  );
  await runDeliveries(engine(rpc, connector, clock));
  assertEquals(clock.slept, [3_500]);
  assertEquals(connector.seen.length, 2);
  assertEquals(rpc.settled(), [[
    "defer",
    d.post_id,
    at(clock, 4_500),
    "Rate limited by Bluesky: waiting for the limit to reset",
    false,
  ]]);
});

Deno.test("transient failures back off 30 s, 2 min, 10 min, 45 min (within Mastodon's idempotency hour); the 5th fails with the last reason", async () => {
  const expected = [30_000, 120_000, 600_000, 2_700_000];
  assert(expected.reduce((a, b) => a + b) < 3_600_000, "every retry within an hour of the first attempt");
  for (const [i, wait] of expected.entries()) {
    const clock = new FakeClock();
    const d = delivery({ attempts: i + 1 });
    const rpc = new FakeRpc([d]);
    await runDeliveries(engine(rpc, scripted(new Transient("Bluesky answered 503")), clock));
    assertEquals(
      rpc.settled(),
      [["defer", d.post_id, at(clock, wait), "Bluesky answered 503", true]],
      `attempt ${i + 1}`,
    );
  }
  const d = delivery({ attempts: 5 });
  const rpc = new FakeRpc([d]);
  await runDeliveries(engine(rpc, scripted(new Transient("Could not reach pds.example")), new FakeClock()));
  assertEquals(rpc.settled(), [["fail", d.post_id, "Could not reach pds.example (gave up after 5 attempts)", null]]);
});

Deno.test("expired sign-in fails the post and marks the account expired; revoked marks it revoked", async () => {
  const [e, r, p] = [delivery(), delivery(), delivery()];
  const rpc = new FakeRpc([e, r, p]);
  const connector = scripted((d) => {
    if (d.post_id === e.post_id) {
      return Promise.reject(new AuthExpired("The sign-in of @alice.test expired: reconnect the account."));
    }
    if (d.post_id === r.post_id) {
      return Promise.reject(new AuthRevoked("Access was withdrawn on mastodon.example: reconnect the account."));
    }
    return Promise.reject(new Permanent("Bluesky refused the post: text too long"));
  });
  await runDeliveries(engine(rpc, connector, new FakeClock(), { concurrency: 1 }));
  assertEquals(rpc.settled(), [
    ["fail", e.post_id, "The sign-in of @alice.test expired: reconnect the account.", "expired"],
    ["fail", r.post_id, "Access was withdrawn on mastodon.example: reconnect the account.", "revoked"],
    ["fail", p.post_id, "Bluesky refused the post: text too long", null],
  ]);
});

Deno.test("an unexpected exception fails the post with what happened instead of leaving it publishing", async () => {
  const d = delivery();
  const rpc = new FakeRpc([d]);
  const error = console.error;
  console.error = () => {};
  try {
    await runDeliveries(engine(rpc, scripted(new TypeError("blob is undefined"))));
  } finally {
    console.error = error;
  }
  assertEquals(rpc.settled(), [[
    "fail",
    d.post_id,
    "Publishing to Bluesky failed unexpectedly (blob is undefined): try again with Retry post.",
    null,
  ]]);
});

Deno.test("credentials that cannot be used fail the post before the connector is called", async () => {
  const d = delivery();
  const rpc = new FakeRpc([d]);
  const connector = scripted(SENT);
  await runDeliveries(engine(rpc, connector, new FakeClock(), {
    credentials: () =>
      Promise.reject(new AuthExpired("Atelier has no sign-in stored for @alice.test: reconnect the account.")),
  }));
  assertEquals(connector.seen.length, 0);
  assertEquals(rpc.settled(), [[
    "fail",
    d.post_id,
    "Atelier has no sign-in stored for @alice.test: reconnect the account.",
    "expired",
  ]]);
});

Deno.test("a platform without a connector fails its post with the reason", async () => {
  const d = delivery({ platform: "threads" });
  const rpc = new FakeRpc([d]);
  await runDeliveries(engine(rpc, scripted(SENT)));
  assertEquals(rpc.settled(), [["fail", d.post_id, "Atelier cannot publish to Threads yet", null]]);
});

Deno.test("an answer without a usable link fails the post rather than publishing it without one", async () => {
  const d = delivery();
  const rpc = new FakeRpc([d]);
  await runDeliveries(engine(rpc, scripted({ remoteId: "109", remoteUrl: "javascript:alert(1)" } as Sent)));
  const [[fn, , reason, account]] = rpc.settled();
  assertEquals([fn, account], ["fail", null]);
  assert(String(reason).startsWith("Bluesky took the post but answered without a usable link"), String(reason));
});

Deno.test("a completion the database refuses is not turned into a failure; the post is left to its lease", async () => {
  const d = delivery();
  const rpc = new FakeRpc([d]);
  rpc.failures.set("complete", [new Error("lost"), new Error("lost again")]);
  const error = console.error;
  console.error = () => {};
  let summary;
  try {
    summary = await runDeliveries(engine(rpc, scripted(SENT)));
  } finally {
    console.error = error;
  }
  assertEquals(rpc.calls.map((c) => c.fn), ["claim", "complete", "complete"]);
  assertEquals([summary.published, summary.failed, summary.unsettled], [0, 0, 1]);
});

Deno.test("at most `concurrency` sends run at once, and a free lane claims one more post", async () => {
  const posts = Array.from({ length: 10 }, () => delivery());
  const rpc = new FakeRpc([...posts]);
  let inFlight = 0, peak = 0;
  const connector = scripted(async () => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return SENT;
  });
  const run = await startDeliveries(engine(rpc, connector));
  assertEquals(run.claimed, 4);
  const summary = await run.done;
  assertEquals([summary.claimed, summary.published, peak], [10, 10, 4]);
  // Six lanes' worth of single claims, then one that finds nothing and ends the run.
  assertEquals(rpc.calls.filter((c) => c.fn === "claim").map((c) => c.args[1]), [4, 1, 1, 1, 1, 1, 1, 1]);
  assertEquals(new Set(rpc.settled().map((s) => s[1])).size, 10);
});

Deno.test("no new claim once the time budget is spent; claimed posts still finish", async () => {
  const clock = new FakeClock();
  const posts = Array.from({ length: 3 }, () => delivery());
  const rpc = new FakeRpc([...posts]);
  const connector = scripted(() => {
    clock.t += 60_000; // each send takes a minute
    return Promise.resolve(SENT);
  });
  const summary = await runDeliveries(engine(rpc, connector, clock, { concurrency: 1, budgetMs: 100_000 }));
  assertEquals([summary.claimed, summary.published], [2, 2]);
  assertEquals(rpc.pending.length, 1);
});

Deno.test("a send still running when the lease is nearly over is cancelled and deferred", async () => {
  const d = delivery();
  const rpc = new FakeRpc([d]);
  let aborted: unknown = null;
  const hangingFetch =
    ((_: unknown, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(aborted = init.signal!.reason))
      )) as typeof fetch;
  const connector = scripted(async (_d, ctx) => {
    await ctx.fetch("http://127.0.0.1:9/xrpc/com.atproto.repo.putRecord");
    return SENT;
  });
  // A lease of 10.05 s leaves 50 ms once the 10 s safety margin is kept.
  const clock = new FakeClock();
  await runDeliveries(
    engine(rpc, connector, clock, {
      fetch: hangingFetch,
      leaseSeconds: 10.05,
      clock: { now: () => new Date(clock.t), sleep: clock.sleep.bind(clock) },
    }),
  );
  assert(aborted instanceof Transient, "the connector's request was aborted");
  assertEquals(rpc.settled(), [["defer", d.post_id, at(clock, 30_000), "Bluesky did not finish within 1 s", true]]);
});

Deno.test("nothing claimable: the run ends at once with nothing claimed", async () => {
  const rpc = new FakeRpc([]);
  const run = await startDeliveries(engine(rpc, scripted(SENT)));
  assertEquals(run.claimed, 0);
  assertEquals((await run.done).claimed, 0);
  assertEquals(rpc.calls.length, 1);
});

Deno.test("a failing first claim is thrown to the caller", async () => {
  const rpc = new FakeRpc([]);
  rpc.failures.set("claim", [new Error("claim_deliveries: permission denied")]);
  let thrown: Error | null = null;
  try {
    await startDeliveries(engine(rpc, scripted(SENT)));
  } catch (e) {
    thrown = e as Error;
  }
  assertEquals(thrown?.message, "claim_deliveries: permission denied");
});
