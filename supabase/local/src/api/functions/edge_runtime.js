// The `EdgeRuntime` global of Supabase's Edge Runtime, preloaded by supabase-local before a
// function's entry module (`deno run --preload`), with the hosted semantics functions rely on:
// `EdgeRuntime.waitUntil(promise)` returns at once, the worker keeps running the promise after
// the response is sent, and a rejection is logged rather than thrown at anyone (an unhandled
// rejection would otherwise kill the whole worker). The count of unfinished tasks goes to
// stdout on a marked line the stack reads (and keeps out of its log), so a worker replaced
// because its files changed is only stopped once its background work is done.
const MARK = "\u0001supabase-local:pending=";
const pending = new Set();
const report = () => console.log(MARK + pending.size);

function waitUntil(promise) {
  const task = Promise.resolve(promise)
    .catch((e) => console.error("EdgeRuntime.waitUntil: a background task failed:", e))
    .finally(() => {
      pending.delete(task);
      report();
    });
  pending.add(task);
  report();
  return promise;
}

Object.defineProperty(globalThis, "EdgeRuntime", {
  value: Object.freeze({ waitUntil }),
  enumerable: false,
  writable: false,
  configurable: false,
});
