// Stand-ins for the engine's dependencies in unit tests: an in-memory RPC layer that records
// every call, a clock that moves only when told (or slept), and connectors scripted per attempt.
import type { Connector, Credentials, Delivery, MediaStore, SendContext, Sent } from "../_shared/delivery.ts";
import type { Clock, DeliveryRpc } from "./engine.ts";

export type Call = { fn: string; args: unknown[] };

export class FakeRpc implements DeliveryRpc {
  calls: Call[] = [];
  keys = new Map<string, string>();
  /** Errors the next calls of a function throw (consumed in order). */
  failures = new Map<string, Error[]>();
  constructor(public pending: Delivery[]) {}

  private record(fn: string, args: unknown[]) {
    this.calls.push({ fn, args });
    const err = this.failures.get(fn)?.shift();
    if (err) throw err;
  }
  claim(worker: string, limit: number, leaseSeconds: number, postIds: string[] | null): Promise<Delivery[]> {
    this.record("claim", [worker, limit, leaseSeconds, postIds]);
    const picked: Delivery[] = [];
    for (const d of [...this.pending]) {
      if (picked.length >= limit) break;
      if (postIds && !postIds.includes(d.post_id)) continue;
      picked.push(d);
      this.pending.splice(this.pending.indexOf(d), 1);
    }
    return Promise.resolve(picked);
  }
  setKey(postId: string, worker: string, key: string): Promise<string> {
    this.record("setKey", [postId, worker, key]);
    if (!this.keys.has(postId)) this.keys.set(postId, key);
    return Promise.resolve(this.keys.get(postId)!);
  }
  complete(postId: string, worker: string, sent: Sent): Promise<void> {
    this.record("complete", [postId, worker, sent]);
    return Promise.resolve();
  }
  defer(postId: string, worker: string, at: Date, reason: string, countsAttempt: boolean): Promise<void> {
    this.record("defer", [postId, worker, at.toISOString(), reason, countsAttempt]);
    return Promise.resolve();
  }
  fail(postId: string, worker: string, reason: string, account: string | null): Promise<void> {
    this.record("fail", [postId, worker, reason, account]);
    return Promise.resolve();
  }
  /** The settling calls (complete, defer, fail) without the worker id. */
  settled(): [string, ...unknown[]][] {
    return this.calls.filter((c) => ["complete", "defer", "fail"].includes(c.fn))
      .map((c) => [c.fn, c.args[0], ...c.args.slice(2)] as [string, ...unknown[]]);
  }
}

export class FakeClock implements Clock {
  slept: number[] = [];
  constructor(public t = Date.parse("2026-12-03T12:00:00Z")) {}
  now() {
    return new Date(this.t);
  }
  sleep(ms: number) {
    this.slept.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}

let n = 0;
export function delivery(over: Partial<Delivery> = {}): Delivery {
  n++;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return {
    post_id: id,
    user_id: "11111111-1111-4111-8111-111111111111",
    generation_id: "22222222-2222-4222-8222-222222222222",
    account_id: "33333333-3333-4333-8333-333333333333",
    caption: "Morning light",
    hashtags: ["#sea"],
    delivery_key: null,
    attempts: 1,
    platform: "bluesky",
    handle: "alice.test",
    remote_account_id: "did:plc:alice",
    service_url: "http://127.0.0.1:1",
    media_kind: "image",
    media_path: "u/g/image-1.png",
    media_url: "http://127.0.0.1:1/image-1.png",
    width: 1024,
    height: 1024,
    prompt: "the sea at dawn",
    text_body: "Morning light\n\n#sea",
    ...over,
  };
}

export function credentials(): Credentials {
  return { accessToken: "access-1", refreshToken: "refresh-1", save: () => Promise.resolve() };
}

export const noMedia: MediaStore = {
  original: () => Promise.reject(new Error("no media in this test")),
  readCopy: () => Promise.resolve(null),
  writeCopy: () => Promise.resolve(),
};

/** A connector whose attempts go as scripted: a Sent is returned, an Error thrown. */
export function scripted(
  ...outcomes: (Sent | Error | ((d: Delivery, ctx: SendContext) => Promise<Sent>))[]
): Connector & { seen: Delivery[] } {
  const seen: Delivery[] = [];
  return {
    seen,
    publish(d, ctx) {
      seen.push(d);
      const next = outcomes.length > 1 ? outcomes.shift()! : outcomes[0];
      if (typeof next === "function") return next(d, ctx);
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
}

export const SENT: Sent = {
  remoteId: "at://did:plc:alice/app.bsky.feed.post/3kabc",
  remoteUrl: "https://bsky.app/profile/alice.test/post/3kabc",
};
