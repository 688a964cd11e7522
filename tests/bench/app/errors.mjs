// A measurement that cannot run yet (its page or control is not built) says why, and the run
// goes on with the next one.
export class NotMeasured extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'NotMeasured';
  }
}

/** Runs `fn`, failing after `ms` so that no measurement can hang the bench. */
export async function bounded(ms, what, fn) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: gave up after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
