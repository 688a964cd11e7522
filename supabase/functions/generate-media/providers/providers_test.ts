// Each real provider against a fake server on loopback that speaks its wire format.
import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/assert.ts";
import { mediaRequest } from "../params.ts";
import { encodePng } from "../png.ts";
import { chooseProvider } from "./mod.ts";
import { openaiSize } from "./openai_images.ts";

type Handler = (req: Request, url: URL) => Response | Promise<Response>;
const opts = { sanitizeOps: false, sanitizeResources: false };

function fake(handler: Handler) {
  const hits: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    hits.push(`${req.method} ${url.pathname}`);
    return handler(req, url);
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return { base, hits, close: () => server.shutdown() };
}

const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });
const image = mediaRequest({
  id: "00000000-0000-4000-8000-000000000001",
  kind: "image",
  prompt: "a lighthouse",
  params: { aspect_ratio: "16:9", seed: 3 },
});
const video = mediaRequest({
  id: "00000000-0000-4000-8000-000000000002",
  kind: "video",
  prompt: "waves",
  params: { aspect_ratio: "9:16" },
});
const signal = new AbortController().signal;
const png = await encodePng(4, 2, new Uint8Array(24).fill(200));
const b64 = btoa(String.fromCharCode(...png));

Deno.test("missing keys and unknown providers are clear errors", () => {
  assertThrows(() => chooseProvider("image", env({ MEDIA_PROVIDER: "openai" })), "set OPENAI_API_KEY");
  assertThrows(
    () => chooseProvider("video", env({ VIDEO_PROVIDER: "replicate" })),
    "set REPLICATE_API_TOKEN",
  );
  assertThrows(
    () => chooseProvider("image", env({ MEDIA_PROVIDER: "midjourney" })),
    'Unknown MEDIA_PROVIDER "midjourney"',
  );
  assertEquals(chooseProvider("image", env({})).name, "demo");
  assertEquals([openaiSize("1:1", "gpt-image-1"), openaiSize("16:9", "gpt-image-1"), openaiSize("9:16", "dall-e-3")], [
    "1024x1024",
    "1536x1024",
    "1024x1792",
  ]);
});

Deno.test({ name: "openai: b64 and url outputs, then 4xx, 5xx, malformed and timeout", ...opts }, async () => {
  let mode = "b64";
  let seen: Record<string, unknown> = {};
  const srv = fake(async (req, url) => {
    if (url.pathname === "/files/out.png") {
      return new Response(png as BlobPart, { headers: { "content-type": "image/png" } });
    }
    seen = { auth: req.headers.get("authorization"), ...(await req.json()) };
    if (mode === "b64") return Response.json({ data: [{ b64_json: b64 }] });
    if (mode === "url") return Response.json({ data: [{ url: `${srv.base}/files/out.png` }] });
    if (mode === "400") {
      return Response.json({ error: { message: "Your request was rejected by the safety system." } }, { status: 400 });
    }
    if (mode === "500") return new Response("upstream exploded", { status: 500 });
    if (mode === "bad") return new Response("<html>oops</html>", { status: 200 });
    await new Promise((r) => setTimeout(r, 2_000));
    return Response.json({});
  });
  try {
    const p = chooseProvider(
      "image",
      env({
        MEDIA_PROVIDER: "openai",
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: `${srv.base}/v1`,
        OPENAI_IMAGE_MODEL: "img-model",
        GENERATION_TIMEOUT_MS: "300",
      }),
    );
    const out = await p.generate(image, signal);
    assertEquals(seen, {
      auth: "Bearer sk-test",
      model: "img-model",
      prompt: "a lighthouse",
      size: "1536x1024",
      n: 1,
      response_format: "b64_json",
    });
    assertEquals([out.media.contentType, out.width, out.height, out.provider, out.model], [
      "image/png",
      4,
      2,
      "openai",
      "img-model",
    ]);
    assertEquals(out.media.bytes, png);
    mode = "url";
    const fromUrl = await p.generate(image, signal);
    assertEquals(fromUrl.media.bytes, png);
    assert(!JSON.stringify(fromUrl.used).includes(srv.base), "the provider's link is not kept");
    mode = "400";
    await assertRejects(
      () => p.generate(image, signal),
      "The provider refused the prompt: Your request was rejected by the safety system.",
    );
    mode = "500";
    await assertRejects(() => p.generate(image, signal), "The image provider failed (HTTP 500) — try again later");
    mode = "bad";
    await assertRejects(() => p.generate(image, signal), "malformed answer (HTTP 200, not JSON)");
    mode = "slow";
    await assertRejects(() => p.generate(image, signal), "Timed out after 0.3 s — try again");
  } finally {
    await srv.close();
  }
});

Deno.test({ name: "replicate: create, poll, download; failures and the poll deadline", ...opts }, async () => {
  let mode = "ok";
  let polls = 0;
  let created: Record<string, unknown> = {};
  const mp4 = new Uint8Array([0, 0, 0, 8, 102, 116, 121, 112]);
  const srv = fake(async (req, url) => {
    if (url.pathname === "/v1/predictions" && req.method === "POST") {
      created = { auth: req.headers.get("authorization"), ...(await req.json()) };
      if (mode === "422") return Response.json({ detail: "Prompt flagged as sensitive" }, { status: 422 });
      if (mode === "bad") return new Response("nope", { status: 201 });
      polls = 0;
      return Response.json({
        id: "p1",
        status: "starting",
        urls: { get: `${srv.base}/v1/predictions/p1`, cancel: `${srv.base}/v1/predictions/p1/cancel` },
      }, { status: 201 });
    }
    if (url.pathname === "/v1/predictions/p1") {
      polls++;
      if (mode === "slow" || polls < 3) return Response.json({ id: "p1", status: "processing" });
      if (mode === "failed") return Response.json({ id: "p1", status: "failed", error: "CUDA out of memory" });
      return Response.json({ id: "p1", status: "succeeded", output: [`${srv.base}/out/video.mp4`] });
    }
    if (url.pathname === "/out/video.mp4") {
      return new Response(mp4 as BlobPart, { headers: { "content-type": "video/mp4" } });
    }
    return new Response("", { status: url.pathname.endsWith("/cancel") ? 200 : 404 });
  });
  try {
    const p = chooseProvider(
      "video",
      env({
        VIDEO_PROVIDER: "replicate",
        REPLICATE_API_TOKEN: "r8_test",
        REPLICATE_MODEL: "acme/video",
        REPLICATE_BASE_URL: srv.base,
        REPLICATE_POLL_MS: "20",
        VIDEO_TIMEOUT_MS: "400",
      }),
    );
    const out = await p.generate(video, signal);
    assertEquals([created.auth, created.model, (created.input as { prompt: string }).prompt], [
      "Bearer r8_test",
      "acme/video",
      "waves",
    ]);
    assertEquals([polls, out.media.contentType, out.media.ext, out.durationMs], [3, "video/mp4", "mp4", 3000]);
    assertEquals(out.media.bytes, mp4);
    mode = "failed";
    await assertRejects(() => p.generate(video, signal), "The video provider failed: CUDA out of memory — try again");
    mode = "422";
    await assertRejects(
      () => p.generate(video, signal),
      "The provider refused the prompt: Prompt flagged as sensitive",
    );
    mode = "bad";
    await assertRejects(() => p.generate(video, signal), "malformed answer");
    mode = "slow";
    await assertRejects(() => p.generate(video, signal), "Timed out after 0.4 s — try again");
    await new Promise((r) => setTimeout(r, 200));
    assert(srv.hits.includes("POST /v1/predictions/p1/cancel"), "a timed-out prediction is cancelled");
  } finally {
    await srv.close();
  }
});
