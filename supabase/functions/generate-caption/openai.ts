// Captions from an OpenAI-compatible chat API (`/chat/completions`, JSON output).
import { fetchWithTimeout, ProviderError, providerMessage, readProviderJson } from "../_shared/http.ts";
import type { Caption, Tone } from "./demo.ts";

export type Env = { get(name: string): string | undefined };

export async function openaiCaption(prompt: string, tone: Tone, platforms: string[], env: Env): Promise<Caption> {
  const apiKey = env.get("OPENAI_API_KEY");
  if (!apiKey) {
    throw new ProviderError(
      "The openai caption provider is not configured: set OPENAI_API_KEY in the function secrets (supabase/functions/.env locally).",
    );
  }
  const base = (env.get("OPENAI_BASE_URL") ?? "https://api.openai.com/v1").replace(/\/+$/, "");
  const model = env.get("OPENAI_CHAT_MODEL") ?? "gpt-4o-mini";
  const res = await fetchWithTimeout(
    `${base}/chat/completions`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        model,
        response_format: { type: "json_object" },
        messages: [
          {
            role: "system",
            content:
              'You write social media captions. Answer with JSON {"caption": string, "hashtags": string[], "keywords": string[]}. Hashtags start with #.',
          },
          {
            role: "user",
            content: `Tone: ${tone}. Platforms: ${platforms.join(", ") || "any"}. The post shows: ${prompt}`,
          },
        ],
      }),
    },
    Number(env.get("CAPTION_TIMEOUT_MS") ?? 30_000),
    "The caption provider",
  );
  const body = await readProviderJson(res, "The caption provider");
  if (!res.ok) {
    const msg = providerMessage(body) ?? `HTTP ${res.status}`;
    throw new ProviderError(
      res.status >= 500
        ? `The caption provider failed (${msg}) — try again later`
        : `The caption provider refused the request: ${msg}`,
    );
  }
  const content = (body.choices as { message?: { content?: string } }[] | undefined)?.[0]?.message?.content;
  try {
    const out = JSON.parse(content ?? "");
    if (typeof out.caption !== "string") throw new Error();
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    return {
      caption: out.caption,
      hashtags: strings(out.hashtags).map((h) => (h.startsWith("#") ? h : `#${h}`)),
      keywords: strings(out.keywords),
    };
  } catch {
    throw new ProviderError("The caption provider sent a malformed answer (no JSON caption) — try again");
  }
}
