// The assertions the tests need, without a remote import.
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new Error(msg);
}

export function assertEquals(actual: unknown, expected: unknown, msg?: string) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${msg ? msg + ": " : ""}expected ${e}, got ${a}`);
}

/** Runs `fn`, which must throw an error whose message contains `includes`; returns that error. */
export function assertThrows(fn: () => unknown, includes: string): Error {
  try {
    fn();
  } catch (e) {
    const m = (e as Error).message;
    if (!m.includes(includes)) {
      throw new Error(`expected an error containing ${JSON.stringify(includes)}, got ${JSON.stringify(m)}`);
    }
    return e as Error;
  }
  throw new Error(`expected an error containing ${JSON.stringify(includes)}, but it returned`);
}

export async function assertRejects(fn: () => Promise<unknown>, includes: string): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    const m = (e as Error).message;
    if (!m.includes(includes)) {
      throw new Error(`expected an error containing ${JSON.stringify(includes)}, got ${JSON.stringify(m)}`);
    }
    return e as Error;
  }
  throw new Error(`expected an error containing ${JSON.stringify(includes)}, but it resolved`);
}
