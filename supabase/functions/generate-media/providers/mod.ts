// The choice between providers (server-side configuration only: MEDIA_PROVIDER for images,
// VIDEO_PROVIDER for videos; both default to `demo`). What a provider is: provider.ts.
import { type Env, type Provider, ProviderConfigError } from "./provider.ts";
import { demoProvider } from "./demo.ts";
import { openaiImagesProvider } from "./openai_images.ts";
import { replicateVideoProvider } from "./replicate_video.ts";

/** The provider for a kind of media, or a ProviderConfigError saying what to set. */
export function chooseProvider(kind: "image" | "video", env: Env = Deno.env): Provider {
  const key = kind === "video" ? "VIDEO_PROVIDER" : "MEDIA_PROVIDER";
  const name = (env.get(key) ?? "demo").trim().toLowerCase() || "demo";
  if (name === "demo") return demoProvider();
  if (kind === "image" && name === "openai") return openaiImagesProvider(env);
  if (kind === "video" && name === "replicate") return replicateVideoProvider(env);
  const known = kind === "video" ? "demo or replicate" : "demo or openai";
  throw new ProviderConfigError(`Unknown ${key} "${name}": use ${known}.`);
}
