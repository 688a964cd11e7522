// Writes the media of seed.sql's completed generations with the demo provider, laid out as
// generate-media stores them (<user_id>/<generation_id>/image-1.png, thumbnail-1.png,
// video-1.mp4) under generated_assets/, which config.toml seeds into the bucket. Run once
// from the repository root when seed.sql's generations change, and commit the output:
//   deno run --allow-write=supabase/seed supabase/seed/generate_assets.ts
// It prints each file's size and the metadata seed.sql must carry (width, height, duration).
import { mediaRequest } from "../functions/generate-media/params.ts";
import { demoImage, demoVideo } from "../functions/generate-media/providers/demo.ts";

const USER = "d0d0d0d0-0000-4000-8000-000000000001";
const ROOT = new URL("./generated_assets/", import.meta.url);

/** Small on purpose: these files live in git. */
const IMAGE_LONG_SIDE = 400;
const VIDEO_LONG_SIDE = 64;
const VIDEO_MS = 1000;

const images = [
  { id: "9e000000-0000-4000-8000-000000000001", prompt: "Oversized camel coat on a rainy Paris street, golden hour", seed: 101 },
  { id: "9e000000-0000-4000-8000-000000000002", prompt: "Knitted scarf flat lay with dried maple leaves, top-down", seed: 202 },
  { id: "9e000000-0000-4000-8000-000000000003", prompt: "Model in a burgundy turtleneck among autumn vineyards", seed: 303 },
  { id: "9e000000-0000-4000-8000-000000000005", prompt: "White linen shirt on a windswept sea cliff, morning light", seed: 505 },
  { id: "9e000000-0000-4000-8000-000000000006", prompt: "Straw hat and linen dress by the sea waves at sunset", seed: 606 },
  { id: "9e000000-0000-4000-8000-000000000007", prompt: "Waxed jacket on a misty forest trail among pine trees", seed: 707 },
  { id: "9e000000-0000-4000-8000-000000000008", prompt: "Hiking boots on mossy forest rocks, close-up", seed: 808 },
  { id: "9e000000-0000-4000-8000-000000000009", prompt: "Campfire at night in the forest, wool blanket and tin mugs", seed: 909 },
];
const videos = [
  { id: "9e000000-0000-4000-8000-000000000004", prompt: "Latte art pour in a sunny coffee shop, slow motion", seed: 404 },
];

async function write(id: string, name: string, bytes: Uint8Array) {
  const dir = new URL(`${USER}/${id}/`, ROOT);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(new URL(name, dir), bytes);
  console.log(`${USER}/${id}/${name}: ${bytes.length} bytes`);
}

for (const g of images) {
  const req = mediaRequest({ id: g.id, kind: "image", prompt: g.prompt, params: { aspect_ratio: "4:5", seed: g.seed, resolution: IMAGE_LONG_SIDE } });
  const out = await demoImage(req);
  await write(g.id, "image-1.png", out.media.bytes);
  await write(g.id, "thumbnail-1.png", out.thumbnail!.bytes);
  console.log(JSON.stringify({ id: g.id, width: out.width, height: out.height, model: out.model }));
}

for (const g of videos) {
  const req = mediaRequest({ id: g.id, kind: "video", prompt: g.prompt, params: { aspect_ratio: "9:16", seed: g.seed, resolution: VIDEO_LONG_SIDE } });
  // mediaRequest keeps user-requested clips between 2 and 4 s; a seed file can be shorter.
  const out = await demoVideo({ ...req, durationMs: VIDEO_MS });
  await write(g.id, "video-1.mp4", out.media.bytes);
  await write(g.id, "thumbnail-1.png", out.thumbnail!.bytes);
  console.log(JSON.stringify({ id: g.id, width: out.width, height: out.height, duration_ms: out.durationMs, model: out.model }));
}
