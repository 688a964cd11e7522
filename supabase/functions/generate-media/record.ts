// Recording a run's outcome on its row. A row is a run's only while it is still that attempt:
// the claim set `status = processing` and `attempts = n`, and every write of the outcome is
// conditional on `attempts = n` with the row still unfinished. A write that touches no row means
// the generation was deleted meanwhile (or a later attempt took it over): the files this run
// uploaded then belong to nothing, so they are removed at once (Storage API, as service_role),
// or a deleted generation's media would stay public for good.
import { ProviderError } from "../_shared/http.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";
import { storageFailure } from "./failures.ts";
import type { MediaFile, MediaOutput } from "./providers/provider.ts";
import { type StepTimes, timedAsync } from "./timing.ts";

export const BUCKET = "generated_assets";

export type Row = Record<string, unknown> & {
  id: string;
  user_id: string;
  kind: string;
  prompt: string;
  params: Record<string, unknown>;
  status: string;
  attempts: number;
};

/** The statuses a run's outcome may replace: its own `processing`, or the stale sweep's `failed`. */
const UNFINISHED = ["processing", "failed"];

/**
 * A completed row's params: the request as the client wrote it (targets, style,
 * negative_prompt, aspect_ratio, count, model, …) stays as it was; what the provider used is
 * added under keys the request does not already have (size, fps, duration…); and `seed` is the
 * seed this output was made with.
 */
export function completedParams(
  requested: Record<string, unknown>,
  used: Record<string, unknown>,
  seed: number,
): Record<string, unknown> {
  return { ...used, ...requested, seed };
}

/** Removes `paths` (best effort: a leftover is the orphan sweep's to find). */
export async function removeUploads(service: SupabaseClient, paths: string[]): Promise<void> {
  if (!paths.length) return;
  const { error } = await service.storage.from(BUCKET).remove(paths);
  if (error) console.error(`Could not remove ${paths.join(", ")}: ${error.message}`);
}

/**
 * Uploads the output and marks the row completed with stable public URLs, if the row is still
 * this attempt; null (and the uploads removed) when it is not. Throws ProviderError when
 * storing fails, after removing what it had stored. Adds the time of its uploads and of the
 * row's update to `times` (upload, record).
 */
export async function complete(
  service: SupabaseClient,
  row: Row,
  seed: number,
  out: MediaOutput,
  times: StepTimes = {},
): Promise<Row | null> {
  const folder = `${row.user_id}/${row.id}`;
  const uploaded: string[] = [];
  const upload = async (name: string, file: MediaFile) => {
    const path = `${folder}/${name}`;
    const { error } = await timedAsync(times, "upload", () =>
      service.storage.from(BUCKET).upload(path, file.bytes, {
        contentType: file.contentType,
        upsert: true,
      }));
    if (error) throw storageFailure(error, file.bytes.length, file.contentType);
    uploaded.push(path);
    return { path, url: service.storage.from(BUCKET).getPublicUrl(path).data.publicUrl };
  };
  let data: Row[] | null;
  try {
    // The media and its thumbnail upload side by side; both settle before a failure is thrown,
    // so the catch below removes every file that did get stored.
    const [media, thumb] = await settledBoth(
      upload(`${row.kind === "video" ? "video" : "image"}-${row.attempts}.${out.media.ext}`, out.media),
      out.thumbnail ? upload(`thumbnail-${row.attempts}.${out.thumbnail.ext}`, out.thumbnail) : Promise.resolve(null),
    );
    const result = await timedAsync(times, "record", async () =>
      await service.from("generations").update({
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
      }).eq("id", row.id).eq("attempts", row.attempts).in("status", UNFINISHED).select("*"));
    if (result.error) throw new ProviderError(`Recording the result failed: ${result.error.message} — try again`);
    data = result.data as Row[];
  } catch (e) {
    await removeUploads(service, uploaded);
    throw e;
  }
  if (data.length === 0) {
    console.log(`generation ${row.id} (attempt ${row.attempts}) is gone or superseded: removing its uploads`);
    await removeUploads(service, uploaded);
    return null;
  }
  return data[0];
}

/** Both results once both have settled; the first rejection (in argument order) if either rejected. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === "rejected") throw x.reason;
  if (y.status === "rejected") throw y.reason;
  return [x.value, y.value];
}

/** Marks the row failed with `message` if it is still this attempt; null when it is not. */
export async function fail(service: SupabaseClient, row: Row, message: string): Promise<Row | null> {
  const { data, error } = await service.from("generations").update({ status: "failed", error: message })
    .eq("id", row.id).eq("attempts", row.attempts).eq("status", "processing").select("*");
  if (error) console.error(`Could not record the failure of generation ${row.id}: ${error.message}`);
  return (data?.[0] as Row | undefined) ?? null;
}
