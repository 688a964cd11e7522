// Replicate-style async predictions for video: create, poll `urls.get` until a terminal
// status within one deadline, then download the output into our storage.
import type { MediaRequest } from "../params.ts";
import {
  download,
  fetchWithTimeout,
  ProviderError,
  providerMessage,
  readProviderJson,
  seconds,
} from "../../_shared/http.ts";
import { extFor, typeFor } from "./files.ts";
import { type Env, type MediaOutput, type Provider, requireEnv } from "./provider.ts";

interface Prediction {
  id?: string;
  status?: string;
  output?: unknown;
  error?: unknown;
  urls?: { get?: string; cancel?: string };
}

export function replicateVideoProvider(env: Env): Provider {
  const [token] = requireEnv(env, "replicate", "REPLICATE_API_TOKEN");
  const version = env.get("REPLICATE_VERSION");
  const model = env.get("REPLICATE_MODEL");
  if (!version && !model) requireEnv(env, "replicate", "REPLICATE_MODEL");
  const base = (env.get("REPLICATE_BASE_URL") ?? "https://api.replicate.com").replace(/\/+$/, "");
  const deadlineMs = Number(env.get("VIDEO_TIMEOUT_MS") ?? 240_000);
  const pollMs = Number(env.get("REPLICATE_POLL_MS") ?? 2_000);
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
  const what = "The video provider";

  async function call(url: string, init: RequestInit, ms: number): Promise<Prediction> {
    const res = await fetchWithTimeout(url, { ...init, headers }, ms, what);
    if (!res.ok) {
      let msg: string | null = null;
      const text = await res.text();
      try {
        msg = providerMessage(JSON.parse(text));
      } catch { /* not JSON */ }
      const detail = msg ?? `HTTP ${res.status}`;
      if (res.status === 401 || res.status === 403) {
        throw new ProviderError(`${what} rejected the credentials: ${detail} — check REPLICATE_API_TOKEN`);
      }
      if (res.status === 429) {
        throw new ProviderError(`${what} is rate-limiting requests: ${detail} — wait a minute and try again`);
      }
      if (res.status >= 500) {
        throw new ProviderError(`${what} failed (HTTP ${res.status}${msg ? `: ${msg}` : ""}) — try again later`);
      }
      throw new ProviderError(`The provider refused the prompt: ${detail}`);
    }
    return await readProviderJson(res, what) as Prediction;
  }

  return {
    name: "replicate",
    async generate(req: MediaRequest, signal: AbortSignal): Promise<MediaOutput> {
      const started = Date.now();
      const left = () => deadlineMs - (Date.now() - started);
      const timedOut = () => new ProviderError(`Timed out after ${seconds(deadlineMs)} — try again`);
      const input: Record<string, unknown> = {
        prompt: req.prompt,
        aspect_ratio: req.aspectRatio,
        seed: req.seed,
        duration: Math.round(req.durationMs / 1000),
      };
      if (req.negativePrompt) input.negative_prompt = req.negativePrompt;
      const target = version ? { version } : { model };
      let p = await call(
        `${base}/v1/predictions`,
        { method: "POST", body: JSON.stringify({ ...target, input }) },
        Math.max(1, left()),
      );
      // Poll only our provider's origin: the token must never go elsewhere.
      const sameOrigin = (u?: string) => !!u && new URL(u, base).origin === new URL(base).origin;
      const getUrl = sameOrigin(p.urls?.get)
        ? new URL(p.urls!.get!, base).href
        : p.id
        ? `${base}/v1/predictions/${encodeURIComponent(p.id)}`
        : null;
      const cancelUrl = sameOrigin(p.urls?.cancel) ? new URL(p.urls!.cancel!, base).href : null;
      while (!["succeeded", "failed", "canceled"].includes(String(p.status))) {
        if (!getUrl) throw new ProviderError(`${what} sent a malformed answer (no prediction id) — try again later`);
        if (signal.aborted || left() <= 0) {
          if (cancelUrl) fetchWithTimeout(cancelUrl, { method: "POST", headers }, 5_000).catch(() => {});
          throw timedOut();
        }
        await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, left()))));
        if (left() <= 0) continue;
        p = await call(getUrl, { method: "GET" }, Math.max(1, left()));
      }
      if (p.status === "failed") {
        const msg = typeof p.error === "string" ? p.error : providerMessage(p) ?? "no reason given";
        throw new ProviderError(
          /safety|nsfw|flagged|sensitive/i.test(msg)
            ? `The provider refused the prompt: ${msg}`
            : `${what} failed: ${msg} — try again`,
        );
      }
      if (p.status === "canceled") throw new ProviderError(`${what} cancelled the job — try again`);
      const out = Array.isArray(p.output) ? p.output.find((o) => typeof o === "string") : p.output;
      if (typeof out !== "string") {
        throw new ProviderError(`${what} finished without a video (no output URL) — try again`);
      }
      const { bytes, contentType } = await download(out, Math.max(1_000, left()), what);
      const ext = extFor(contentType, out);
      return {
        media: { bytes, contentType: contentType.startsWith("video/") ? contentType : typeFor(ext), ext },
        thumbnail: null,
        width: req.width,
        height: req.height,
        durationMs: req.durationMs,
        provider: "replicate",
        model: version ?? model!,
        used: { ...input, model: version ?? model },
      };
    },
  };
}
