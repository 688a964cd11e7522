// generate-caption: POST {generation_id, tone?, platforms?} → {caption, hashtags, keywords},
// fitted to every platform asked for — or, when none is, to the generation's "Made for"
// targets, or else to a conservative fit (targets.ts). Limits are read from platform_limits
// as the caller.
import { HttpError, json, readJson, withCors } from "../_shared/cors.ts";
import { ProviderError } from "../_shared/http.ts";
import { requireCallerId } from "../_shared/auth.ts";
import { callerClient } from "../_shared/supabase.ts";
import { demoCaption, fit, type Limits } from "./demo.ts";
import { isTone, TONES } from "./tones.ts";
import { CONSERVATIVE_LIMITS, platformsToFit, requestedPlatforms } from "./targets.ts";
import { openaiCaption } from "./openai.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

Deno.serve(withCors(async (req) => {
  // Only the API key as bearer (no one signed in) is a 401 to act on, not a database refusal.
  requireCallerId(req);
  const body = await readJson(req);
  const id = body.generation_id;
  if (typeof id !== "string" || !UUID.test(id)) throw new HttpError(400, "Send {generation_id: uuid}.");
  const tone: unknown = body.tone ?? "playful";
  if (!isTone(tone)) throw new HttpError(400, `Unknown tone "${tone}": use ${TONES.join(", ")}.`);
  const requested = requestedPlatforms(body.platforms);
  if (requested === null) throw new HttpError(400, "platforms must be a list of platform names.");

  const caller = callerClient(req);
  const { data: gen, error } = await caller.from("generations").select("id, prompt, params").eq("id", id).maybeSingle();
  if (error) throw new HttpError(500, `Could not read the generation: ${error.message}`);
  if (!gen) throw new HttpError(404, `Generation ${id} does not exist or is not yours.`);
  const platforms = platformsToFit(requested, gen.params);
  let limits: (Limits & { platform?: string })[] = [CONSERVATIVE_LIMITS];
  if (platforms.length) {
    const { data, error: e } = await caller.from("platform_limits").select(
      "platform, caption_max, caption_counts_bytes, hashtag_max, caption_max_bytes, url_length",
    ).in("platform", platforms);
    if (e) throw new HttpError(e.code === "22P02" ? 400 : 500, `Could not read the platform limits: ${e.message}`);
    // A name the caller sent must exist; a stored target that no longer does is skipped.
    const unknown = platforms.filter((p) => !(data ?? []).some((l) => l.platform === p));
    if (unknown.length && requested.length) throw new HttpError(400, `Unknown platforms: ${unknown.join(", ")}.`);
    if (data?.length) limits = data;
  }
  const fittedTo = limits.flatMap((l) => l.platform ?? []);

  const provider = (Deno.env.get("CAPTION_PROVIDER") ?? "demo").toLowerCase();
  try {
    const raw = provider === "openai"
      ? await openaiCaption(gen.prompt, tone, fittedTo, Deno.env)
      : demoCaption(gen.prompt, tone);
    return json(fit(raw, limits));
  } catch (e) {
    if (e instanceof ProviderError) throw new HttpError(502, e.message);
    throw e;
  }
}));
