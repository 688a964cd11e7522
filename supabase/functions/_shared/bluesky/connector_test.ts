// The Bluesky connector against the reference PDS (tests/servers/pds.mjs) and its
// fault-injecting proxy: what the PDS stores is read back with getRecord, byte for byte.
// Runs with the other stack tests (SUPABASE_URL set, as `make test` does).
import { encodePng } from "../../generate-media/png.ts";
import { assert, assertEquals } from "../../tests/assert.ts";
import { type RunningPds, startPds, withPrivateHosts, xrpcCall } from "../../tests/pds.ts";
import { AuthExpired, type Delivery, RateLimited, type SendContext, Transient } from "../delivery.ts";
import { blueskyConnector, IMAGE_COPY } from "./connector.ts";
import { TID_PATTERN } from "./tid.ts";

const ignore = !Deno.env.get("SUPABASE_URL");

/** The value with object keys sorted: the PDS answers records in DAG-CBOR key order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

const TEXT = "Crème brûlée 🍮 à la maison, recette: https://exemple.fr/crème?x=1.\n\n#dessert #café";
const EXPECTED_FACETS = [
  {
    $type: "app.bsky.richtext.facet",
    index: { byteStart: 44, byteEnd: 73 },
    features: [{ $type: "app.bsky.richtext.facet#link", uri: "https://exemple.fr/crème?x=1" }],
  },
  {
    $type: "app.bsky.richtext.facet",
    index: { byteStart: 76, byteEnd: 84 },
    features: [{ $type: "app.bsky.richtext.facet#tag", tag: "dessert" }],
  },
  {
    $type: "app.bsky.richtext.facet",
    index: { byteStart: 85, byteEnd: 91 },
    features: [{ $type: "app.bsky.richtext.facet#tag", tag: "café" }],
  },
];

/** A small PNG (a colour ramp) of `width` × `height`. */
function smallPng(width = 64, height = 48): Promise<Uint8Array> {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i * 3) % 256, 128], i * 3);
  return encodePng(width, height, data);
}

/** Noise compresses badly: a PNG well over 1,000,000 bytes. */
function hugePng(width = 1100, height = 800): Promise<Uint8Array> {
  const data = new Uint8Array(width * height * 3);
  for (let at = 0; at < data.length; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
  return encodePng(width, height, data);
}

interface Harness {
  ctx: SendContext;
  key: { value: string | null };
  saved: { accessToken: string; refreshToken: string | null; logLength: number }[];
  copies: Map<string, { bytes: Uint8Array; contentType: string }>;
  counts: { original: number; writeCopy: number };
}

async function session(base: string, identifier: string, password: string) {
  const { status, body } = await xrpcCall(base, "com.atproto.server.createSession", { json: { identifier, password } });
  assertEquals(status, 200, JSON.stringify(body));
  return body as { accessJwt: string; refreshJwt: string; did: string };
}

function harness(
  pds: RunningPds,
  tokens: { accessJwt: string; refreshJwt: string },
  image: Uint8Array,
  key: string | null = null,
): Harness {
  const h: Harness = {
    key: { value: key },
    saved: [],
    copies: new Map(),
    counts: { original: 0, writeCopy: 0 },
    ctx: undefined as unknown as SendContext,
  };
  h.ctx = {
    credentials: {
      accessToken: tokens.accessJwt,
      refreshToken: tokens.refreshJwt,
      async save(next) {
        // What the proxy had seen when the new pair was stored: nothing used it yet.
        const log = (await pds.admin("log")) as unknown[];
        h.saved.push({ ...next, logLength: log.length });
      },
    },
    ensureKey(make) {
      h.key.value ??= make();
      return Promise.resolve(h.key.value);
    },
    media: {
      original() {
        h.counts.original++;
        return Promise.resolve({ bytes: image, contentType: "image/png" });
      },
      readCopy(name) {
        return Promise.resolve(h.copies.get(name) ?? null);
      },
      writeCopy(name, bytes, contentType) {
        h.counts.writeCopy++;
        h.copies.set(name, { bytes, contentType });
        return Promise.resolve();
      },
    },
    fetch: globalThis.fetch,
    now: () => new Date(),
  };
  return h;
}

function delivery(did: string, serviceUrl: string, attempts = 1, extra: Partial<Delivery> = {}): Delivery {
  return {
    post_id: crypto.randomUUID(),
    user_id: crypto.randomUUID(),
    generation_id: crypto.randomUUID(),
    account_id: crypto.randomUUID(),
    caption: TEXT,
    hashtags: [],
    delivery_key: null,
    attempts,
    platform: "bluesky",
    handle: "alice.test",
    remote_account_id: did,
    service_url: serviceUrl,
    media_kind: "image",
    media_path: "u/g/image.png",
    media_url: "http://127.0.0.1/unused",
    width: 64,
    height: 48,
    prompt: "  A crème brûlée on a blue plate,\n morning light  ",
    text_body: TEXT,
    ...extra,
  };
}

async function postCount(pds: RunningPds, did: string): Promise<number> {
  const { body } = await xrpcCall(pds.url, "com.atproto.repo.listRecords", {
    params: { repo: did, collection: "app.bsky.feed.post", limit: "100" },
  });
  return (body as { records: unknown[] }).records.length;
}

async function getPost(pds: RunningPds, did: string, rkey: string) {
  const { status, body } = await xrpcCall(pds.url, "com.atproto.repo.getRecord", {
    params: { repo: did, collection: "app.bsky.feed.post", rkey },
  });
  assertEquals(status, 200, JSON.stringify(body));
  // deno-lint-ignore no-explicit-any
  return (body as any).value;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the publish to fail");
}

Deno.test(
  { name: "Bluesky connector against the reference PDS", ignore, sanitizeOps: false, sanitizeResources: false },
  async (t) => {
    const pds = await startPds();
    const alice = pds.accounts[0];
    try {
      await withPrivateHosts(async () => {
        await t.step("a post with image, emoji, hashtags and a link is stored with byte-exact facets", async () => {
          const before = await postCount(pds, alice.did);
          const h = harness(pds, await session(pds.url, alice.handle, alice.appPassword), await smallPng());
          const sent = await blueskyConnector.publish(delivery(alice.did, pds.url), h.ctx);
          const rkey = h.key.value!;
          assert(TID_PATTERN.test(rkey), rkey);
          assertEquals(sent, {
            remoteId: `at://${alice.did}/app.bsky.feed.post/${rkey}`,
            remoteUrl: `https://bsky.app/profile/alice.test/post/${rkey}`,
          });
          const record = await getPost(pds, alice.did, rkey);
          assertEquals(record.text, TEXT);
          assertEquals(canonical(record.facets), canonical(EXPECTED_FACETS));
          const bytes = new TextEncoder().encode(TEXT);
          const cut = (f: { index: { byteStart: number; byteEnd: number } }) =>
            new TextDecoder().decode(bytes.slice(f.index.byteStart, f.index.byteEnd));
          assertEquals(record.facets.map(cut), ["https://exemple.fr/crème?x=1", "#dessert", "#café"]);
          assert(/T\d\d:\d\d:\d\d\.\d{3}Z$/.test(record.createdAt), record.createdAt);
          const [image] = record.embed.images;
          assertEquals(record.embed.$type, "app.bsky.embed.images");
          assertEquals(image.alt, "A crème brûlée on a blue plate, morning light");
          assertEquals(image.aspectRatio, { width: 64, height: 48 });
          assertEquals([image.image.mimeType, image.image.size], ["image/png", (await smallPng()).length]);
          assertEquals(await postCount(pds, alice.did), before + 1);
          assertEquals(h.counts.writeCopy, 0);
        });

        await t.step("an expired access token is renewed once, the new pair stored before it is used", async () => {
          await pds.admin("reset");
          const tokens = await session(pds.url, alice.handle, alice.appPassword);
          await pds.admin("expire-access");
          const h = harness(pds, tokens, await smallPng());
          await blueskyConnector.publish(delivery(alice.did, pds.proxyUrl), h.ctx);
          assertEquals(h.saved.length, 1);
          // Refresh tokens are single-use: a new one came back (an access token issued in the same
          // second can be identical, as it has no unique id).
          assert(h.saved[0].refreshToken !== tokens.refreshJwt);
          const log = (await pds.admin("log")) as { nsid: string; status: number; outcome: string }[];
          assertEquals(log.map((l) => `${l.nsid} ${l.status}`), [
            "com.atproto.repo.uploadBlob 400",
            "com.atproto.server.refreshSession 200",
            "com.atproto.repo.uploadBlob 200",
            "com.atproto.repo.createRecord 200",
          ]);
          assertEquals(h.saved[0].logLength, 2); // stored right after the refresh, before the upload
          await getPost(pds, alice.did, h.key.value!);
        });

        await t.step("a refused renewal is AuthExpired and posts nothing", async () => {
          await pds.admin("reset");
          const before = await postCount(pds, alice.did);
          const tokens = await session(pds.url, alice.handle, alice.appPassword);
          await pds.admin("expire-access");
          await pds.admin("fail-refresh");
          const h = harness(pds, tokens, await smallPng());
          const e = await rejection(blueskyConnector.publish(delivery(alice.did, pds.proxyUrl), h.ctx));
          assert(e instanceof AuthExpired, String(e));
          assert(e.message.includes("reconnect"), e.message);
          assertEquals(h.saved, []);
          assertEquals(await postCount(pds, alice.did), before);
        });

        await t.step("429 is RateLimited until RateLimit-Reset; the retry posts once", async () => {
          await pds.admin("reset");
          const before = await postCount(pds, alice.did);
          const reset = Math.floor(Date.now() / 1000) + 120;
          await pds.admin("rate-limit", { nsid: "com.atproto.repo.createRecord", reset });
          const h = harness(pds, await session(pds.url, alice.handle, alice.appPassword), await smallPng());
          const e = await rejection(blueskyConnector.publish(delivery(alice.did, pds.proxyUrl), h.ctx));
          assert(e instanceof RateLimited, String(e));
          assertEquals((e as RateLimited).resetAt.getTime(), reset * 1000);
          assertEquals(await postCount(pds, alice.did), before);
          await blueskyConnector.publish(delivery(alice.did, pds.proxyUrl, 2), h.ctx);
          assertEquals(await postCount(pds, alice.did), before + 1);
        });

        await t.step("a 5xx is Transient", async () => {
          await pds.admin("reset");
          await pds.admin("error", { nsid: "com.atproto.repo.uploadBlob", status: 503 });
          const h = harness(pds, await session(pds.url, alice.handle, alice.appPassword), await smallPng());
          const e = await rejection(blueskyConnector.publish(delivery(alice.did, pds.proxyUrl), h.ctx));
          assert(e instanceof Transient && e.message.includes("HTTP 503"), String(e));
        });

        await t.step(
          "a lost answer to createRecord leaves exactly one record, found again on the next attempt",
          async () => {
            await pds.admin("reset");
            const before = await postCount(pds, alice.did);
            // The write goes through but its answer is lost, and the read-back fails too.
            await pds.admin("drop", { nsid: "com.atproto.repo.createRecord" });
            await pds.admin("error", { nsid: "com.atproto.repo.getRecord", status: 502 });
            const h = harness(pds, await session(pds.url, alice.handle, alice.appPassword), await smallPng());
            const e = await rejection(blueskyConnector.publish(delivery(alice.did, pds.proxyUrl), h.ctx));
            assert(e instanceof Transient, String(e));
            assertEquals(await postCount(pds, alice.did), before + 1);
            await pds.admin("reset");
            const sent = await blueskyConnector.publish(delivery(alice.did, pds.proxyUrl, 2), h.ctx);
            assertEquals(sent.remoteUrl, `https://bsky.app/profile/alice.test/post/${h.key.value}`);
            const log = (await pds.admin("log")) as { nsid: string }[];
            assertEquals(log.map((l) => l.nsid), ["com.atproto.repo.getRecord"]);
            assertEquals(await postCount(pds, alice.did), before + 1);
          },
        );

        await t.step("a lost answer within one attempt is read back at once: one record, no error", async () => {
          await pds.admin("reset");
          const before = await postCount(pds, alice.did);
          await pds.admin("drop", { nsid: "com.atproto.repo.createRecord" });
          const h = harness(pds, await session(pds.url, alice.handle, alice.appPassword), await smallPng());
          const sent = await blueskyConnector.publish(delivery(alice.did, pds.proxyUrl), h.ctx);
          assertEquals(sent.remoteId, `at://${alice.did}/app.bsky.feed.post/${h.key.value}`);
          assertEquals(await postCount(pds, alice.did), before + 1);
        });

        await t.step("an image over 1,000,000 bytes is re-encoded once, and the retry reuses the copy", async () => {
          await pds.admin("reset");
          const huge = await hugePng();
          assert(huge.length > 1_000_000, String(huge.length));
          await pds.admin("error", { nsid: "com.atproto.repo.createRecord", status: 502 });
          const h = harness(pds, await session(pds.url, alice.handle, alice.appPassword), huge);
          const d = delivery(alice.did, pds.proxyUrl, 1, { width: 1100, height: 800 });
          const e = await rejection(blueskyConnector.publish(d, h.ctx));
          assert(e instanceof Transient, String(e));
          assertEquals(h.counts, { original: 1, writeCopy: 1 });
          const copy = h.copies.get(IMAGE_COPY)!;
          assertEquals(copy.contentType, "image/jpeg");
          assert(copy.bytes.length <= 1_000_000, String(copy.bytes.length));
          await blueskyConnector.publish({ ...d, attempts: 2 }, h.ctx);
          assertEquals(h.counts, { original: 1, writeCopy: 1 });
          const [image] = (await getPost(pds, alice.did, h.key.value!)).embed.images;
          assertEquals([image.image.mimeType, image.image.size], ["image/jpeg", copy.bytes.length]);
          assertEquals(image.aspectRatio, { width: 1100, height: 800 });
        });

        await t.step("revoke ends the session: its refresh token no longer works", async () => {
          const tokens = await session(pds.url, alice.handle, alice.appPassword);
          await blueskyConnector.revoke!({
            id: crypto.randomUUID(),
            platform: "bluesky",
            handle: alice.handle,
            remote_id: alice.did,
            service_url: pds.url,
          }, { accessToken: tokens.accessJwt, refreshToken: tokens.refreshJwt, save: () => Promise.resolve() });
          const { status, body } = await xrpcCall(pds.url, "com.atproto.server.refreshSession", {
            token: tokens.refreshJwt,
            json: {},
          });
          assertEquals(status, 400, JSON.stringify(body));
        });
      });
    } finally {
      await pds.stop();
    }
  },
);
