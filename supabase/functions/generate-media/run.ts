// The work of generate-media: check ownership as the caller, claim the rows, run the provider
// for each with a concurrency bound, store the outputs, and record the outcome on each row.
import { HttpError } from "../_shared/cors.ts";
import { ProviderError, seconds } from "../_shared/http.ts";
import { mapLimit } from "../_shared/pool.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";
import { mediaRequest } from "./params.ts";
import { chooseProvider, type Env, type MediaOutput } from "./providers/mod.ts";

export const BUCKET = "generated_assets";
export const CONCURRENCY = 4;
export const MAX_IDS = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = Record<string, unknown> & { id: string; user_id: string; kind: string; prompt: string; params: Record<string, unknown>; status: string; attempts: number };

export function parseIds(body: Record<string, unknown>): string[] {
  const ids = body.generation_ids;
  if (!Array.isArray(ids) || ids.length === 0) throw new HttpError(400, "Send {generation_ids: [uuid, …]} with at least one id.");
  if (ids.length > MAX_IDS) throw new HttpError(400, `At most ${MAX_IDS} generations per call (got ${ids.length}).`);
  const bad = ids.filter((i) => typeof i !== "string" || !UUID.test(i));
  if (bad.length) throw new HttpError(400, `Not generation ids: ${bad.map((b) => JSON.stringify(b)).join(", ")}.`);
  return [...new Set(ids as string[])];
}

/** Runs `work` with a deadline; past it, fails with "Timed out after N s — try again". */
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new ProviderError(`Timed out after ${seconds(ms)} — try again`);
      controller.abort(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunOptions {
  caller: SupabaseClient;
  service: SupabaseClient;
  env?: Env;
  concurrency?: number;
}

export interface RunResult {
  generations: Row[];
  /** Set when the provider configuration stopped every run (missing keys, unknown name). */
  configError: string | null;
}

export async function generate(ids: string[], { caller, service, env = Deno.env, concurrency = CONCURRENCY }: RunOptions): Promise<RunResult> {
  const sweep = await service.rpc("fail_stale_generations");
  if (sweep.error) console.error("fail_stale_generations:", sweep.error.message);

  // As the caller: RLS shows only their own rows, so anything missing is not theirs.
  const { data, error } = await caller.from("generations").select("*").in("id", ids);
  if (error) throw new HttpError(error.code === "PGRST301" || /jwt/i.test(error.message) ? 401 : 500, `Could not read the generations: ${error.message}`);
  const rows = (data ?? []) as Row[];
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) {
    throw new HttpError(404, `These generations do not exist or are not yours: ${missing.join(", ")}.`, { missing_ids: missing });
  }

  const configErrors: string[] = [];
  const todo = rows.filter((r) => r.status === "queued" || r.status === "failed");
  const done = await mapLimit(todo, concurrency, async (row) => {
    // Claim the row; a concurrent invocation that got there first wins and we leave it.
    const claim = await service.from("generations")
      .update({ status: "processing", attempts: row.attempts + 1, error: null })
      .eq("id", row.id).eq("status", row.status).eq("attempts", row.attempts)
      .select("*");
    if (claim.error) throw new HttpError(500, `Could not start generation ${row.id}: ${claim.error.message}`);
    if (!claim.data?.length) return null;
    const attempt = row.attempts + 1;
    try {
      const req = mediaRequest(row);
      const provider = chooseProvider(req.kind, env);
      const timeoutMs = Number(env.get(req.kind === "video" ? "VIDEO_TIMEOUT_MS" : "GENERATION_TIMEOUT_MS") ?? (req.kind === "video" ? 240_000 : 60_000));
      const out = await withDeadline(timeoutMs, (signal) => provider.generate(req, signal));
      return await complete(service, row, attempt, req.seed, out);
    } catch (e) {
      const message = e instanceof ProviderError || e instanceof RangeError ? e.message : `Generation failed unexpectedly (${(e as Error).message ?? e}) — try again`;
      if ((e as Error)?.constructor?.name === "ProviderConfigError") configErrors.push(message);
      if (!(e instanceof ProviderError)) console.error(e);
      const { data: failed } = await service.from("generations").update({ status: "failed", error: message }).eq("id", row.id).select("*");
      return (failed?.[0] as Row | undefined) ?? null;
    }
  });

  const { data: final, error: finalError } = await service.from("generations").select("*").in("id", ids);
  if (finalError) throw new HttpError(500, `Could not read the results: ${finalError.message}`);
  const byId = new Map(((final ?? []) as Row[]).map((r) => [r.id, r]));
  for (const r of done) if (r) byId.set(r.id, byId.get(r.id) ?? r);
  const generations = ids.map((id) => byId.get(id)!).filter(Boolean);
  const ran = done.filter(Boolean).length;
  return { generations, configError: ran > 0 && configErrors.length === ran ? configErrors[0] : null };
}

/**
 * A completed row's params: the request as the client wrote it (targets, style,
 * negative_prompt, aspect_ratio, count, model, …) stays as it was; what the provider used is
 * added under keys the request does not already have (size, fps, duration…); and `seed` is the
 * seed this output was made with.
 */
export function completedParams(requested: Record<string, unknown>, used: Record<string, unknown>, seed: number): Record<string, unknown> {
  return { ...used, ...requested, seed };
}

/** Uploads the output and marks the row completed with stable public URLs. */
async function complete(service: SupabaseClient, row: Row, attempt: number, seed: number, out: MediaOutput): Promise<Row> {
  const folder = `${row.user_id}/${row.id}`;
  const upload = async (name: string, file: { bytes: Uint8Array; contentType: string }) => {
    const path = `${folder}/${name}`;
    const { error } = await service.storage.from(BUCKET).upload(path, file.bytes, { contentType: file.contentType, upsert: true });
    if (error) throw new ProviderError(`Storing the result failed: ${error.message} — try again`);
    return { path, url: service.storage.from(BUCKET).getPublicUrl(path).data.publicUrl };
  };
  const media = await upload(`${row.kind === "video" ? "video" : "image"}-${attempt}.${out.media.ext}`, out.media);
  const thumb = out.thumbnail ? await upload(`thumbnail-${attempt}.${out.thumbnail.ext}`, out.thumbnail) : null;
  const { data, error } = await service.from("generations").update({
    status: "completed",
    media_path: media.path,
    media_url: media.url,
    thumbnail_url: thumb?.url ?? (row.kind === "image" ? media.url : null),
    width: out.width,
    height: out.height,
    duration_ms: out.durationMs,
    provider: out.provider,
    model: out.model,
    error: null,
    completed_at: new Date().toISOString(),
    params: completedParams(row.params, out.used, seed),
  }).eq("id", row.id).select("*");
  if (error) throw new ProviderError(`Recording the result failed: ${error.message} — try again`);
  return data![0] as Row;
}
