import { assert, assertEquals } from "../tests/assert.ts";
import { crc32, PNG_SIGNATURE } from "./png.ts";
import { demoImage, demoVideo } from "./providers/demo.ts";
import { ASPECT_RATIOS, mediaRequest } from "./params.ts";

const req = (prompt: string, params: Record<string, unknown> = {}, kind = "image") =>
  mediaRequest({ id: "6f1c1d2e-0000-4000-8000-000000000001", kind, prompt, params });

function chunks(png: Uint8Array) {
  const v = new DataView(png.buffer, png.byteOffset);
  const out: { type: string; data: Uint8Array; crcOk: boolean }[] = [];
  for (let o = 8; o < png.length;) {
    const len = v.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    out.push({
      type,
      data: png.subarray(o + 8, o + 8 + len),
      crcOk: crc32(png, o + 4, o + 8 + len) === v.getUint32(o + 8 + len),
    });
    o += 12 + len;
  }
  return out;
}

Deno.test("demo PNG: signature, IHDR size per aspect ratio, CRCs, decodable data", async () => {
  const expected: Record<string, [number, number]> = {
    "1:1": [1024, 1024],
    "4:5": [820, 1024],
    "9:16": [576, 1024],
    "16:9": [1024, 576],
    "2:3": [682, 1024],
  };
  for (const ratio of Object.keys(ASPECT_RATIOS)) {
    const out = await demoImage(req("a blue ocean at dawn", { aspect_ratio: ratio, seed: 7 }));
    const png = out.media.bytes;
    assertEquals([...png.subarray(0, 8)], [...PNG_SIGNATURE]);
    const cs = chunks(png);
    assertEquals(cs.map((c) => c.type), ["IHDR", "IDAT", "IEND"]);
    assert(cs.every((c) => c.crcOk), "every chunk CRC matches");
    const ihdr = new DataView(cs[0].data.buffer, cs[0].data.byteOffset);
    assertEquals([ihdr.getUint32(0), ihdr.getUint32(4)], expected[ratio], ratio);
    assertEquals([out.width, out.height], expected[ratio]);
    const raw = new Uint8Array(
      await new Response(new Blob([cs[1].data as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate")))
        .arrayBuffer(),
    );
    assertEquals(raw.length, (expected[ratio][0] * 3 + 1) * expected[ratio][1]);
    const distinct = new Set<number>();
    for (let i = 1; i < raw.length; i += 997) distinct.add(raw[i]);
    assert(distinct.size > 20, "not a blank tile");
  }
});

Deno.test("demo PNG is deterministic and differs by prompt and seed", async () => {
  const a = (await demoImage(req("red fox in snow", { seed: 1, resolution: 256 }))).media.bytes;
  const b = (await demoImage(req("red fox in snow", { seed: 1, resolution: 256 }))).media.bytes;
  const c = (await demoImage(req("green forest lake", { seed: 1, resolution: 256 }))).media.bytes;
  const d = (await demoImage(req("red fox in snow", { seed: 2, resolution: 256 }))).media.bytes;
  assertEquals(a, b);
  assert(JSON.stringify(a) !== JSON.stringify(c), "different prompts give different images");
  assert(JSON.stringify(a) !== JSON.stringify(d), "different seeds give different images");
});

Deno.test("demo video is an MP4 with an H.264 track of the requested size", async () => {
  const out = await demoVideo(req("neon night", { aspect_ratio: "9:16" }, "video"));
  const b = out.media.bytes;
  assertEquals(String.fromCharCode(...b.subarray(4, 8)), "ftyp");
  const text = String.fromCharCode(...b.subarray(0, 2000));
  assert(text.includes("moov") && text.includes("avc1") && text.includes("avcC"));
  assertEquals([out.width, out.height, out.durationMs], [180, 320, 3000]);
});
