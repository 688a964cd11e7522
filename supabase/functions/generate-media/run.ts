// The work of generate-media: check ownership as the caller, claim the rows, run the provider
// for each with a concurrency bound, store the outputs, and record the outcome on each row.
// The answer need not wait for slow work (a video provider may take minutes, longer than a
// function may hold a request): past `answerWithinMs` the rows still running are answered as
// they are (`processing`) and their work is returned as `pending`, for index.ts to hand to
// EdgeRuntime.waitUntil; the rows then reach `completed` or `failed` in the database, where
// the client follows them through Realtime. Errors a caller must see (400, 401, 404, and the
// 503 of a provider configured without its keys) are all known before that point.
import { HttpError } from "../_shared/cors.ts";
import { ProviderError, seconds } from "../_shared/http.ts";
import { mapLimit } from "../_shared/pool.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";
import { withTestDelay } from "./delay.ts";
import { mediaRequest, oversizeReason } from "./params.ts";
import { chooseProvider } from "./providers/mod.ts";
import { type Env, type Provider, ProviderConfigError } from "./providers/provider.ts";
import { complete, fail, type Row } from "./record.ts";
import { CallTimings, type StepTimes, timedAsync } from "./timing.ts";

export { BUCKET, completedParams } from "./record.ts";
export const CONCURRENCY = 4;
export const MAX_IDS = 16;
/** How long an answer waits for the work by default: quick (demo) work answers completed. */
export const ANSWER_WITHIN_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseIds(body: Record<string, unknown>): string[] {
  const ids = body.generation_ids;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new HttpError(400, "Send {generation_ids: [uuid, …]} with at least one id.");
  }
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
  /** How long the answer may wait for the providers; by default until every row is done. */
  answerWithinMs?: number;
}

export interface RunResult {
  generations: Row[];
  /** Set when the provider configuration stopped every run (missing keys, unknown name). */
  configError: string | null;
  /** The work still running when the answer was due (it never rejects), or null. */
  pending: Promise<void> | null;
  /** The steps of the generations that ran so far (work still pending adds to it later). */
  timings: CallTimings;
}

/** GENERATION_ANSWER_WITHIN_MS, or the default; 0 answers as soon as the rows are claimed. */
export function answerWindow(env: Env = Deno.env): number {
  const ms = Number(env.get("GENERATION_ANSWER_WITHIN_MS") ?? ANSWER_WITHIN_MS);
  return Number.isFinite(ms) ? Math.max(0, ms) : ANSWER_WITHIN_MS;
}

export async function generate(
  ids: string[],
  { caller, service, env = Deno.env, concurrency = CONCURRENCY, answerWithinMs = Infinity }: RunOptions,
): Promise<RunResult> {
  const sweep = await service.rpc("fail_stale_generations");
  if (sweep.error) console.error("fail_stale_generations:", sweep.error.message);

  // As the caller: RLS shows only their own rows, so anything missing is not theirs.
  const { data, error } = await caller.from("generations").select("*").in("id", ids);
  if (error) {
    throw new HttpError(
      error.code === "PGRST301" || /jwt/i.test(error.message) ? 401 : 500,
      `Could not read the generations: ${error.message}`,
    );
  }
  const rows = (data ?? []) as Row[];
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) {
    throw new HttpError(404, `These generations do not exist or are not yours: ${missing.join(", ")}.`, {
      missing_ids: missing,
    });
  }

  const todo = rows.filter((r) => r.status === "queued" || r.status === "failed");
  // A request whose output could never be stored is refused before any work, and nothing is written.
  const oversize = todo.map((r) => ({ id: r.id, reason: oversizeReason(r) })).filter((o) => o.reason !== null);
  if (oversize.length) throw new HttpError(400, oversize[0].reason!, { refused_ids: oversize.map((o) => o.id) });
  const claimed = (await mapLimit(todo, concurrency, (row) => claim(service, row))).filter((r): r is Row => r !== null);
  // A provider that cannot run as configured fails its rows now, before anything is answered.
  const configErrors: string[] = [];
  const settled: Row[] = [];
  const runnable: { row: Row; provider: Provider }[] = [];
  for (const row of claimed) {
    try {
      runnable.push({
        row,
        provider: withTestDelay(chooseProvider(row.kind === "video" ? "video" : "image", env), env),
      });
    } catch (e) {
      if (!(e instanceof ProviderConfigError)) throw e;
      configErrors.push(e.message);
      const failed = await fail(service, row, e.message);
      if (failed) settled.push(failed);
    }
  }

  const timings = new CallTimings();
  const work = mapLimit(runnable, concurrency, ({ row, provider }) => run(service, row, provider, env, timings));
  const finished = await settleWithin(work, answerWithinMs);

  const { data: final, error: finalError } = await service.from("generations").select("*").in("id", ids);
  if (finalError) throw new HttpError(500, `Could not read the results: ${finalError.message}`);
  const byId = new Map(((final ?? []) as Row[]).map((r) => [r.id, r]));
  for (const r of [...settled, ...(finished ?? [])]) if (r) byId.set(r.id, byId.get(r.id) ?? r);
  const generations = ids.map((id) => byId.get(id)!).filter(Boolean);
  const configError = runnable.length === 0 && configErrors.length > 0 ? configErrors[0] : null;
  return { generations, configError, pending: finished ? null : work.then(() => undefined), timings };
}

/** The work's result if it settles within `ms`, else null (the work keeps running). */
async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | null> {
  if (!Number.isFinite(ms)) return await work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Marks a row `processing` with one more attempt; null when a concurrent call got it first. */
async function claim(service: SupabaseClient, row: Row): Promise<Row | null> {
  const { data, error } = await service.from("generations")
    .update({ status: "processing", attempts: row.attempts + 1, error: null })
    .eq("id", row.id).eq("status", row.status).eq("attempts", row.attempts)
    .select("*");
  if (error) throw new HttpError(500, `Could not start generation ${row.id}: ${error.message}`);
  return (data?.[0] as Row | undefined) ?? null;
}

/** Runs one claimed row to its outcome, recorded on the row, its steps' times added to `timings`; never throws. */
async function run(
  service: SupabaseClient,
  row: Row,
  provider: Provider,
  env: Env,
  timings: CallTimings,
): Promise<Row | null> {
  const times: StepTimes = {};
  try {
    const req = mediaRequest(row);
    const timeoutMs = Number(
      env.get(req.kind === "video" ? "VIDEO_TIMEOUT_MS" : "GENERATION_TIMEOUT_MS") ??
        (req.kind === "video" ? 240_000 : 60_000),
    );
    const out = await timedAsync(
      times,
      "provider",
      () => withDeadline(timeoutMs, (signal) => provider.generate(req, signal)),
    );
    timings.add(out.times ?? {});
    return await complete(service, row, req.seed, out, times);
  } catch (e) {
    const message = e instanceof ProviderError || e instanceof RangeError
      ? e.message
      : `Generation failed unexpectedly (${(e as Error).message ?? e}) — try again`;
    if (!(e instanceof ProviderError)) console.error(e);
    return await fail(service, row, message);
  } finally {
    timings.add(times);
    if (times.provider !== undefined) timings.generations++;
  }
}
