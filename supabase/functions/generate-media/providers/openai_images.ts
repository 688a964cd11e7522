// An OpenAI-compatible images API: POST {base}/images/generations, b64_json or url outputs.
import type { MediaRequest } from "../params.ts";
import { download, fetchWithTimeout, ProviderError, providerMessage, readProviderJson } from "../../_shared/http.ts";
import { extFor, imageSize, typeFor } from "./files.ts";
import { type Env, type MediaOutput, type Provider, requireEnv } from "./provider.ts";

/** The API's sizes: square, landscape or portrait (DALL·E 3 uses 1792 for the long side). */
export function openaiSize(aspectRatio: string, model: string): string {
  const [w, h] = aspectRatio.split(":").map(Number);
  const long = model.startsWith("dall-e-3") ? 1792 : 1536;
  if (w === h) return "1024x1024";
  return w > h ? `${long}x1024` : `1024x${long}`;
}

function b64decode(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function openaiImagesProvider(env: Env): Provider {
  const [apiKey] = requireEnv(env, "openai", "OPENAI_API_KEY");
  const base = (env.get("OPENAI_BASE_URL") ?? "https://api.openai.com/v1").replace(/\/+$/, "");
  const defaultModel = env.get("OPENAI_IMAGE_MODEL") ?? "gpt-image-1";
  const timeoutMs = Number(env.get("GENERATION_TIMEOUT_MS") ?? 60_000);
  return {
    name: "openai",
    async generate(req: MediaRequest): Promise<MediaOutput> {
      if (req.kind !== "image") {
        throw new ProviderError("The openai provider makes images only: set VIDEO_PROVIDER for videos.");
      }
      const model = req.model ?? defaultModel;
      const size = openaiSize(req.aspectRatio, model);
      const prompt = req.negativePrompt ? `${req.prompt}\n\nAvoid: ${req.negativePrompt}` : req.prompt;
      const res = await fetchWithTimeout(
        `${base}/images/generations`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ model, prompt, size, n: 1, response_format: "b64_json" }),
        },
        timeoutMs,
        "The image provider",
      );
      if (!res.ok) throw await httpError(res);
      const body = await readProviderJson(res, "The image provider");
      const item = Array.isArray(body.data)
        ? (body.data[0] as { b64_json?: unknown; url?: unknown } | undefined)
        : undefined;
      let bytes: Uint8Array, contentType: string, ext: string;
      if (typeof item?.b64_json === "string") {
        try {
          bytes = b64decode(item.b64_json);
        } catch {
          throw new ProviderError("The image provider sent a malformed image (bad base64) — try again");
        }
        ext = bytes[0] === 0xff ? "jpg" : bytes[0] === 0x52 ? "webp" : "png";
        contentType = typeFor(ext);
      } else if (typeof item?.url === "string") {
        ({ bytes, contentType } = await download(item.url, timeoutMs, "The image provider"));
        ext = extFor(contentType, item.url);
        if (!contentType.startsWith("image/")) contentType = typeFor(ext);
      } else {
        throw new ProviderError(
          "The image provider answered without an image (no data[0].b64_json or url) — try again",
        );
      }
      const [fw, fh] = size.split("x").map(Number);
      const [width, height] = imageSize(bytes) ?? [fw, fh];
      return {
        media: { bytes, contentType, ext },
        thumbnail: null,
        width,
        height,
        durationMs: null,
        provider: "openai",
        model,
        used: { model, size, aspect_ratio: req.aspectRatio, seed: req.seed },
      };
    },
  };
}

async function httpError(res: Response): Promise<ProviderError> {
  const text = await res.text();
  let msg: string | null = null;
  try {
    msg = providerMessage(JSON.parse(text));
  } catch { /* not JSON */ }
  const detail = msg ?? `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403) {
    return new ProviderError(`The image provider rejected the credentials: ${detail} — check OPENAI_API_KEY`);
  }
  if (res.status === 429) {
    return new ProviderError(
      `The image provider is rate-limiting or out of quota: ${detail} — wait a minute and try again`,
    );
  }
  if (res.status >= 500) {
    return new ProviderError(
      `The image provider failed (HTTP ${res.status}${msg ? `: ${msg}` : ""}) — try again later`,
    );
  }
  return new ProviderError(`The provider refused the prompt: ${detail}`);
}
