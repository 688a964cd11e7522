// The pieces of the Bluesky connector that need no server: record keys, the post record, the
// PNG decoder and the JPEG shrinking.
import jpeg from "npm:jpeg-js@0.4.4";
import { crc32, encodePng } from "../../generate-media/png.ts";
import { assert, assertEquals } from "../../tests/assert.ts";
import { rateLimitReset } from "./connector.ts";
import { decodeImage, shrinkToJpeg } from "./image.ts";
import { decodePng } from "./png.ts";
import { altText, postRecord } from "./record.ts";
import { pdsFromDidDoc, readSession } from "./session.ts";
import { makeTid, TID_PATTERN, tidTime } from "./tid.ts";

Deno.test("TIDs are 13 base32-sortable characters, increasing, carrying their time", () => {
  // 2023-01-01: TIDs of that time start with "3j" (as on the network then).
  const early = makeTid(new Date("2023-01-01T00:00:00Z"));
  assert(early.startsWith("3j"), early);
  const at = new Date("2026-12-03T10:00:00.123Z");
  const a = makeTid(at, 5), b = makeTid(at, 5), c = makeTid(new Date("2026-12-03T10:00:01Z"), 0);
  for (const t of [a, b, c]) assert(TID_PATTERN.test(t), t);
  assert(a < b && b < c, `${a} ${b} ${c}`);
  assertEquals(tidTime(a).toISOString(), at.toISOString());
  // Never going back, even when the clock does.
  assert(makeTid(new Date("2020-01-01T00:00:00Z")) > c);
});

Deno.test("the post record: text, zoned createdAt, facets, image with alt and aspect ratio", () => {
  const image = { $type: "blob" as const, ref: { $link: "bafkrei" }, mimeType: "image/png", size: 10 };
  const r = postRecord({
    text: "Hi #tag",
    createdAt: new Date("2026-12-03T10:00:00Z"),
    image,
    alt: "a cat",
    width: 1024,
    height: 576,
  });
  assertEquals(r, {
    $type: "app.bsky.feed.post",
    text: "Hi #tag",
    createdAt: "2026-12-03T10:00:00.000Z",
    facets: [{
      $type: "app.bsky.richtext.facet",
      index: { byteStart: 3, byteEnd: 7 },
      features: [{ $type: "app.bsky.richtext.facet#tag", tag: "tag" }],
    }],
    embed: {
      $type: "app.bsky.embed.images",
      images: [{ image, alt: "a cat", aspectRatio: { width: 1024, height: 576 } }],
    },
  });
  const plain = postRecord({ text: "no links", createdAt: new Date(), image, alt: "", width: null, height: null });
  assertEquals("facets" in plain, false);
  // deno-lint-ignore no-explicit-any
  assertEquals((plain.embed as any).images[0], { image, alt: "" });
});

Deno.test("alt text is the prompt, whitespace collapsed, cut at a word with an ellipsis", () => {
  assertEquals(altText("  a  red\nfox  "), "a red fox");
  assertEquals(altText(null), "");
  const long = "word ".repeat(300);
  const alt = altText(long, 100);
  assert([...alt].length <= 100 && alt.endsWith("word…"), alt);
});

Deno.test("RateLimit-Reset is unix seconds; without it, a minute", () => {
  const now = new Date("2026-12-03T10:00:00Z");
  assertEquals(rateLimitReset(new Headers({ "RateLimit-Reset": "1796300000" }), now).getTime(), 1796300000 * 1000);
  assertEquals(rateLimitReset(new Headers(), now).getTime(), now.getTime() + 60_000);
});

Deno.test("the PDS is the DID document's #atproto_pds; a session without a document is at the service itself", () => {
  const did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
  const doc = {
    id: did,
    service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: "https://pds.example.com/" }],
  };
  assertEquals(pdsFromDidDoc(doc, did), "https://pds.example.com");
  assertEquals(pdsFromDidDoc({ ...doc, id: "did:plc:someoneelse00000000000000" }, did), null);
  assertEquals(
    pdsFromDidDoc(
      { id: did, service: [{ id: "#bsky_fg", type: "BskyFeedGenerator", serviceEndpoint: "https://x" }] },
      did,
    ),
    null,
  );
  const tokens = { did, handle: "a.test", accessJwt: "a", refreshJwt: "r" };
  assertEquals(readSession({ ...tokens, didDoc: doc }, "https://bsky.social").pdsUrl, "https://pds.example.com");
  assertEquals(readSession(tokens, "https://my.pds.example/").pdsUrl, "https://my.pds.example");
});

/** A PNG whose rows use each of the five filters in turn (generate-media's encoder writes only filter 0). */
async function filteredPng(width: number, height: number, rgba: Uint8Array): Promise<Uint8Array> {
  const stride = width * 4;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const x = rgba[y * stride + i];
      const a = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= 4 ? rgba[(y - 1) * stride + i - 4] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 255;
    }
  }
  const z = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer(),
  );
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", z),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

Deno.test("the PNG decoder undoes every row filter (RGBA) and reads RGB", async () => {
  const width = 7, height = 10;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + (i >> 3) * 11) & 255;
  const decoded = await decodePng(await filteredPng(width, height, rgba));
  assertEquals([decoded.width, decoded.height], [width, height]);
  assertEquals([...decoded.rgba], [...rgba]);
  const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
  const small = await decodePng(await encodePng(2, 2, rgb));
  assertEquals([...small.rgba], [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 255]);
});

Deno.test("an oversized image becomes a JPEG under the limit, never larger than the original", async () => {
  const width = 600, height = 400;
  const rgb = new Uint8Array(width * height * 3);
  for (let at = 0; at < rgb.length; at += 65536) crypto.getRandomValues(rgb.subarray(at, at + 65536));
  const png = await encodePng(width, height, rgb);
  assert(png.length > 600_000, String(png.length));
  // A limit only a smaller image meets.
  const fitted = await shrinkToJpeg(png, 60_000);
  assert(fitted.bytes.length <= 60_000, String(fitted.bytes.length));
  assert(fitted.width < width && fitted.height < height, `${fitted.width}x${fitted.height}`);
  assertEquals(Math.round((fitted.width / fitted.height) * 10), 15);
  const back = jpeg.decode(fitted.bytes, { useTArray: true });
  assertEquals([back.width, back.height], [fitted.width, fitted.height]);
  // A limit lower quality meets keeps the size.
  const same = await shrinkToJpeg(png, 500_000);
  assertEquals([same.width, same.height], [width, height]);
  const again = await decodeImage(same.bytes);
  assertEquals([again.width, again.height], [width, height]);
});
