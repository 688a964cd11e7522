// Work that may outlive the response. Hosted Supabase and supabase-local give functions an
// `EdgeRuntime` global whose `waitUntil(promise)` keeps the worker running the promise after
// the answer is sent. Where it is missing (plain `deno test`/`deno run`) nothing promises the
// process outlives the answer, so a caller should wait for the work instead — that is what
// `canOutliveResponse()` is for, and it keeps such runs deterministic.

type EdgeRuntimeLike = { waitUntil(promise: Promise<unknown>): unknown };

function edgeRuntime(): EdgeRuntimeLike | null {
  const rt = (globalThis as { EdgeRuntime?: Partial<EdgeRuntimeLike> }).EdgeRuntime;
  return typeof rt?.waitUntil === "function" ? (rt as EdgeRuntimeLike) : null;
}

/** True when work handed to `inBackground` may keep running after the response. */
export function canOutliveResponse(): boolean {
  return edgeRuntime() !== null;
}

/**
 * Lets `work` run on after the response: handed to `EdgeRuntime.waitUntil` where there is one.
 * Its failure is logged as `<what> failed in the background`, never thrown at a caller (who
 * has had their answer). Without the runtime the promise still runs in this process.
 */
export function inBackground(work: Promise<unknown>, what: string): void {
  const logged = work.catch((e) => console.error(`${what} failed in the background:`, e));
  edgeRuntime()?.waitUntil(logged);
}
