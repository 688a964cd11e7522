// What a provider is and gives back, and the check of its configuration: its own module, so
// the providers and mod.ts (which chooses between them) import it and not each other.
import type { MediaRequest } from "../params.ts";
import { ProviderError } from "../../_shared/http.ts";
import type { StepTimes } from "../timing.ts";

export interface MediaFile {
  bytes: Uint8Array;
  contentType: string;
  /** File extension without the dot. */
  ext: string;
}

export interface MediaOutput {
  media: MediaFile;
  thumbnail: MediaFile | null;
  width: number;
  height: number;
  durationMs: number | null;
  provider: string;
  model: string;
  /** What was actually used (seed, size, aspect ratio…), merged into the row's params. */
  used: Record<string, unknown>;
  /** The provider's own steps (the demo provider's render and encode), for Server-Timing. */
  times?: StepTimes;
}

export interface Provider {
  name: string;
  /** Produces one output; throws ProviderError with a message a person can act on. */
  generate(req: MediaRequest, signal: AbortSignal): Promise<MediaOutput>;
}

/** A provider that cannot run as configured (missing keys): rows fail with this message. */
export class ProviderConfigError extends ProviderError {}

export type Env = { get(name: string): string | undefined };

export function requireEnv(env: Env, provider: string, ...names: string[]): string[] {
  const missing = names.filter((n) => !env.get(n));
  if (missing.length) {
    throw new ProviderConfigError(
      `The ${provider} provider is not configured: set ${
        missing.join(" and ")
      } in the function secrets (supabase/functions/.env locally).`,
    );
  }
  return names.map((n) => env.get(n)!);
}
