// Waiting on a condition outside the page (database rows, files, counters) by polling it.

/** Polls `check` (sync or async) until it returns a truthy value; that value is returned. */
export async function until(check, { timeout = 15_000, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}
