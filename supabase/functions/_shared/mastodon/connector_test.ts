// The Mastodon connector against the fake instance (tests/servers/mastodon.mjs): what the creator
// would see on the post (remote id and link, or the typed reason) and what the instance received.
import { assert, assertEquals, assertRejects } from "../../tests/assert.ts";
import { AuthRevoked, type Delivery, Permanent, RateLimited, type SendContext, Transient } from "../delivery.ts";
import type { GuardOptions } from "../outbound.ts";
import { call, MastodonError } from "./api.ts";
import { createMastodonConnector, rateLimitReset } from "./connector.ts";
import { authorizeUrl, codeChallenge, exchangeCode, randomToken, registerApp, type RegisteredApp } from "./oauth.ts";
import { type FakeMastodon, pressOnAuthorizePage, startFakeMastodon } from "./test_fake.ts";

const guard: GuardOptions = { allowPrivate: true };
const REDIRECT = "http://127.0.0.1:3999/app/accounts";
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
const TEXT = "Café at dawn ☕️👩‍👩‍👧 — more at https://example.com/ateliers/heron?from=atelier&x=1\n\n#heron #café";
const opts = { sanitizeOps: false, sanitizeResources: false };

/** Signs in on the fake the way connect-mastodon does (register, Authorize, PKCE exchange). */
async function signIn(fake: FakeMastodon): Promise<{ app: RegisteredApp; token: string }> {
  const app = await registerApp(fake.url, REDIRECT, guard);
  const verifier = randomToken();
  const state = randomToken();
  const back = await pressOnAuthorizePage(
    authorizeUrl(fake.url, {
      clientId: app.client_id,
      redirectUri: REDIRECT,
      state,
      challenge: await codeChallenge(verifier),
    }),
    "Authorize",
  );
  assertEquals(back.searchParams.get("state"), state);
  const token = await exchangeCode(fake.url, {
    app,
    redirectUri: REDIRECT,
    code: back.searchParams.get("code")!,
    verifier,
  }, guard);
  return { app, token };
}

function delivery(fake: FakeMastodon, over: Partial<Delivery> = {}): Delivery {
  return {
    post_id: crypto.randomUUID(),
    user_id: crypto.randomUUID(),
    generation_id: crypto.randomUUID(),
    account_id: crypto.randomUUID(),
    caption: "Café at dawn",
    hashtags: ["heron"],
    delivery_key: null,
    attempts: 1,
    platform: "mastodon",
    handle: `alice@${fake.host}`,
    remote_account_id: `1@${fake.host}`,
    service_url: fake.url,
    media_kind: "image",
    media_path: "u/g/heron.png",
    media_url: `${fake.url}/unused.png`,
    width: 1,
    height: 1,
    prompt: "  a heron over still water at dawn \n",
    text_body: TEXT,
    ...over,
  };
}

/** A send context whose idempotency key lives as long as the object (as the post's column does). */
function context(token: string): SendContext & { keys: () => string | null } {
  let stored: string | null = null;
  return {
    credentials: { accessToken: token, refreshToken: null, save: () => Promise.resolve() },
    ensureKey: (make) => Promise.resolve(stored ??= make()),
    media: {
      original: () => Promise.resolve({ bytes: PNG, contentType: "image/png" }),
      readCopy: () => Promise.resolve(null),
      writeCopy: () => Promise.resolve(),
    },
    fetch,
    now: () => new Date(),
    keys: () => stored,
  };
}

const connector = (apps: RegisteredApp[] = [], mediaWaitMs = 10_000) =>
  createMastodonConnector({
    apps: () => Promise.resolve(apps),
    pollIntervalMs: 20,
    maxPollIntervalMs: 50,
    mediaWaitMs,
    guard,
  });

/** Runs `body` with a fresh fake and a signed-in token. */
function withFake(
  name: string,
  args: string[],
  body: (fake: FakeMastodon, token: string, app: RegisteredApp) => Promise<void>,
) {
  Deno.test({ name, ...opts }, async () => {
    const fake = await startFakeMastodon(args);
    try {
      const { app, token } = await signIn(fake);
      await fake.reset();
      await body(fake, token, app);
    } finally {
      await fake.stop();
    }
  });
}

withFake(
  "posts the image after it is processed (202 → 206 → 200) and the exact text, with the stored Idempotency-Key",
  ["--media-polls", "2"],
  async (fake, token) => {
    const ctx = context(token);
    const sent = await connector().publish(delivery(fake), ctx);
    const got = await fake.received();
    assertEquals(got.statuses.length, 1);
    const [status] = got.statuses;
    assertEquals(sent, { remoteId: status.id, remoteUrl: `${fake.url}/@alice/${status.id}` });
    assertEquals(status.text, TEXT);
    assertEquals(status.visibility, "public");
    assertEquals(status.idempotency_key, ctx.keys());
    assert(/^[0-9a-f-]{36}$/.test(ctx.keys()!), String(ctx.keys()));
    assertEquals(got.media.map((m) => [m.description, m.content_type, m.filename, m.size]), [[
      "a heron over still water at dawn",
      "image/png",
      "heron.png",
      PNG.length,
    ]]);
    assertEquals(status.media_ids, [got.media[0].id]);
    const mediaCalls = got.requests.filter((r) => r.path.includes("/media")).map((r) => `${r.method} ${r.status}`);
    assertEquals(mediaCalls, ["POST 202", "GET 206", "GET 206", "GET 200"]);
    assertEquals(got.status_posts.map((p) => p.status), [200]);
  },
);

withFake(
  "a text-only post sends no media and keeps emoji, hashtags and the link as written",
  ["--media-polls", "0"],
  async (fake, token) => {
    const sent = await connector().publish(delivery(fake, { media_path: null, media_url: null }), context(token));
    const got = await fake.received();
    assertEquals(got.media.length, 0);
    assertEquals(got.statuses.map((s) => [s.id, s.text, s.media_ids]), [[sent.remoteId, TEXT, []]]);
    const shown = await call<{ tags: { name: string }[]; content: string }>(
      fake.url,
      "GET",
      `/api/v1/statuses/${sent.remoteId}`,
      { guard },
    );
    assertEquals(shown.body.tags.map((t) => t.name), ["heron", "café"]);
    assert(
      shown.body.content.includes('href="https://example.com/ateliers/heron?from=atelier&amp;x=1"'),
      shown.body.content,
    );
  },
);

withFake("a 422 'not finished processing' on the status is a wait for the media, then one status", [
  "--media-polls",
  "0",
], async (fake, token) => {
  await fake.inject({
    path: "/api/v1/statuses",
    status: 422,
    body: { error: "Cannot attach files that have not finished processing. Try again in a moment!" },
  });
  const ctx = context(token);
  const sent = await connector().publish(delivery(fake), ctx);
  const got = await fake.received();
  assertEquals(got.status_posts.map((p) => [p.status, p.idempotency_key]), [[422, ctx.keys()], [200, ctx.keys()]]);
  assertEquals(got.statuses.map((s) => s.id), [sent.remoteId]);
  const order = got.requests.map((r) => `${r.method} ${r.path.replace(/\d+$/, ":id")} ${r.status}`);
  assertEquals(order, [
    "POST /api/v2/media 200",
    "POST /api/v1/statuses 422",
    "GET /api/v1/media/:id 200",
    "POST /api/v1/statuses 200",
  ]);
});

withFake("media still processing when the wait runs out is Transient, not a post without its image", [
  "--media-polls",
  "1000",
], async (fake, token) => {
  const e = await assertRejects(
    () => connector([], 200).publish(delivery(fake), context(token)),
    "still processing the media",
  );
  assert(e instanceof Transient, e.constructor.name);
  assertEquals((await fake.received()).status_posts.length, 0);
});

withFake(
  "a revoked token is AuthRevoked with 'Reconnect @alice@host', and nothing is posted",
  [],
  async (fake, token) => {
    await fake.revokeAllTokens();
    const e = await assertRejects(
      () => connector().publish(delivery(fake), context(token)),
      `Reconnect @alice@${fake.host}`,
    );
    assert(e instanceof AuthRevoked, e.constructor.name);
    assert(e.message.includes("The access token was revoked"), e.message);
    assertEquals((await fake.received()).statuses.length, 0);
  },
);

withFake("a 401 on the status itself is AuthRevoked too", ["--media-polls", "0"], async (fake, token) => {
  await fake.inject({ path: "/api/v1/statuses", status: 401 });
  const e = await assertRejects(() => connector().publish(delivery(fake), context(token)), "Reconnect @alice@");
  assert(e instanceof AuthRevoked, e.constructor.name);
});

withFake("429 is RateLimited until the instance's X-RateLimit-Reset", ["--media-polls", "0"], async (fake, token) => {
  const reset = new Date(Math.ceil((Date.now() + 10 * 60_000) / 1000) * 1000);
  await fake.inject({ path: "/api/v2/media", status: 429, reset_at: reset.toISOString() });
  const e = await assertRejects(() => connector().publish(delivery(fake), context(token)), "Rate limited");
  assert(e instanceof RateLimited, e.constructor.name);
  assertEquals((e as RateLimited).resetAt.toISOString(), reset.toISOString());
  assertEquals((await fake.received()).statuses.length, 0);
});

withFake("5xx is Transient with the instance's status", ["--media-polls", "0"], async (fake, token) => {
  await fake.inject({ path: "/api/v1/statuses", status: 503 });
  const e = await assertRejects(() => connector().publish(delivery(fake), context(token)), "HTTP 503");
  assert(e instanceof Transient, e.constructor.name);
});

withFake(
  "a lost response, then a retry with the same key: exactly one status on the instance",
  ["--media-polls", "0"],
  async (fake, token) => {
    // Deno's fetch sends a request once more by itself when the connection drops before an answer
    // (with the same headers, so the same key); dropping both makes the attempt fail as a lost answer.
    await fake.inject({ path: "/api/v1/statuses", drop: true, count: 2 });
    const ctx = context(token);
    const lost = await assertRejects(() => connector().publish(delivery(fake), ctx), "Could not reach");
    assert(lost instanceof Transient, `${lost.constructor.name}: ${lost.message}`);
    assertEquals((await fake.received()).statuses.length, 1, "the status was made before the answer was lost");
    const sent = await connector().publish(delivery(fake), ctx);
    const got = await fake.received();
    assertEquals(got.statuses.length, 1);
    assertEquals(sent.remoteId, got.statuses[0].id);
    assertEquals(
      got.status_posts.map((p) => [p.idempotency_key, Boolean(p.replayed), Boolean(p.dropped)]),
      [[ctx.keys(), false, true], [ctx.keys(), true, true], [ctx.keys(), true, false]],
    );
  },
);

withFake("a content refusal (over max_characters) is Permanent with the instance's words", [
  "--max-characters",
  "20",
  "--media-polls",
  "0",
], async (fake, token) => {
  const e = await assertRejects(
    () => connector().publish(delivery(fake), context(token)),
    "Text character limit of 20 exceeded",
  );
  assert(e instanceof Permanent, e.constructor.name);
  assertEquals((await fake.received()).statuses.length, 0);
});

Deno.test({ name: "an unreachable instance is Transient", ...opts }, async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const fake = { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` } as FakeMastodon;
  const e = await assertRejects(() => connector().publish(delivery(fake), context("t")), "Could not reach");
  assert(e instanceof Transient, e.constructor.name);
});

withFake(
  "revoke ends the token with the app that issued it (other apps of the instance are refused first)",
  [],
  async (fake, token, app) => {
    const other = await registerApp(fake.url, "http://127.0.0.1:4000/app/accounts", guard);
    const account = {
      id: crypto.randomUUID(),
      platform: "mastodon",
      handle: `alice@${fake.host}`,
      remote_id: null,
      service_url: fake.url,
    };
    const credentials = { accessToken: token, refreshToken: null, save: () => Promise.resolve() };
    await assertRejects(() => connector([other]).revoke!(account, credentials), "unauthorized_client");
    await call(fake.url, "GET", "/api/v1/accounts/verify_credentials", { token, guard }); // still works
    await connector([other, app]).revoke!(account, credentials);
    const e = await assertRejects(
      () => call(fake.url, "GET", "/api/v1/accounts/verify_credentials", { token, guard }),
      "revoked",
    );
    assertEquals((e as MastodonError).status, 401);
    assertEquals((await fake.received()).revoked, [token]);
  },
);

Deno.test("rateLimitReset reads Mastodon's ISO time (microseconds included), else waits five minutes", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  assertEquals(
    rateLimitReset(new Headers({ "x-ratelimit-reset": "2026-12-03T12:05:00.123456Z" }), now).toISOString(),
    "2026-12-03T12:05:00.123Z",
  );
  assertEquals(rateLimitReset(new Headers(), now).toISOString(), "2026-12-03T12:05:00.000Z");
  assertEquals(
    rateLimitReset(new Headers({ "x-ratelimit-reset": "2026-12-03T11:00:00Z" }), now).toISOString(),
    "2026-12-03T12:00:01.000Z",
  );
});
