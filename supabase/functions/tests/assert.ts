// The two assertions the tests need, without a remote import.
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new Error(msg);
}

export function assertEquals(actual: unknown, expected: unknown, msg?: string) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${msg ? msg + ": " : ""}expected ${e}, got ${a}`);
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
