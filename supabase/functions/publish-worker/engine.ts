// The delivery engine: claims posts due for delivery (each under a lease, so two workers never
// hold one post at once), hands each to its platform's connector, and records the outcome.
//
// One run keeps `concurrency` lanes busy: the first claim takes up to that many posts (its size
// is what the caller answers with), and a lane that runs out claims one more, until nothing is
// claimable or the time budget is spent. A post is claimed only when a lane is free to start
// it, so its lease is never spent waiting in a queue.
//
// Whatever happens, a claimed post ends the run settled (published, deferred or failed) unless
// recording that outcome itself failed; then its lease runs out and the next run takes it again,
// and the idempotency key stored on the post keeps the platform from receiving it twice.
import {
  type Connector,
  type Credentials,
  type Delivery,
  DeliveryError,
  type MediaStore,
  Permanent,
  type SendContext,
  type Sent,
  Transient,
} from "../_shared/delivery.ts";
import { type AccountStatusChange, decide, platformName } from "./settle.ts";

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The worker RPCs of the database (see rpc.ts for the supabase-js implementation). */
export interface DeliveryRpc {
  claim(worker: string, limit: number, leaseSeconds: number, postIds: string[] | null): Promise<Delivery[]>;
  /** Stores `key` unless the post has one; returns the stored key. */
  setKey(postId: string, worker: string, key: string): Promise<string>;
  complete(postId: string, worker: string, sent: Sent): Promise<void>;
  defer(postId: string, worker: string, nextAttemptAt: Date, reason: string, countsAttempt: boolean): Promise<void>;
  fail(postId: string, worker: string, reason: string, account: AccountStatusChange | null): Promise<void>;
}

/** Connectors by `public.platform` value. */
export type ConnectorRegistry = Readonly<Record<string, Connector | undefined>>;

export interface EngineOptions {
  rpc: DeliveryRpc;
  connectors: ConnectorRegistry;
  /**
   * The account's opened tokens. Throws a DeliveryError when there are none to use
   * (`AuthExpired`), or `Transient` when they cannot be read right now.
   */
  credentials(delivery: Delivery): Promise<Credentials>;
  media(delivery: Delivery): MediaStore;
  clock?: Clock;
  fetch?: typeof fetch;
  /** A fresh uuid per run by default. */
  workerId?: string;
  /** Only these posts (the rest wait for another run); every claimable post when null. */
  postIds?: string[] | null;
  concurrency?: number;
  leaseSeconds?: number;
  /** No new claim after this long; posts already claimed still finish. */
  budgetMs?: number;
}

export const CONCURRENCY = 4;
/** Long enough for a slow upload and one short rate-limit wait. */
export const LEASE_SECONDS = 120;
export const BUDGET_MS = 100_000;
/** A send must end this long before the lease does, so the outcome is recorded while it is ours. */
export const LEASE_SAFETY_MS = 10_000;
/** Sending again after a rate-limit wait needs at least this much of the lease left. */
export const RETRY_SEND_MS = 30_000;

export type Outcome = "published" | "deferred" | "failed" | "unsettled";

export interface RunSummary {
  workerId: string;
  claimed: number;
  published: number;
  deferred: number;
  failed: number;
  /** Claimed, but the outcome could not be recorded: the lease will run out. */
  unsettled: number;
}

export interface Run {
  workerId: string;
  /** How many posts the first claim took. */
  claimed: number;
  /** The rest of the run; never rejects. */
  done: Promise<RunSummary>;
}

/**
 * Claims the first posts (errors of that claim are thrown: the caller answers with them), then
 * delivers in `done`.
 */
export async function startDeliveries(opts: EngineOptions): Promise<Run> {
  const workerId = opts.workerId ?? crypto.randomUUID();
  const clock = opts.clock ?? systemClock;
  const concurrency = Math.max(1, opts.concurrency ?? CONCURRENCY);
  const leaseSeconds = opts.leaseSeconds ?? LEASE_SECONDS;
  const budgetMs = opts.budgetMs ?? BUDGET_MS;
  const postIds = opts.postIds?.length ? opts.postIds : null;
  const started = clock.now().getTime();

  const claim = async (limit: number) => {
    const rows = await opts.rpc.claim(workerId, limit, leaseSeconds, postIds);
    const claimedAt = clock.now().getTime();
    return rows.map((delivery) => ({ delivery, leaseEnd: claimedAt + leaseSeconds * 1000 - LEASE_SAFETY_MS }));
  };

  const first = await claim(concurrency);
  const summary: RunSummary = { workerId, claimed: first.length, published: 0, deferred: 0, failed: 0, unsettled: 0 };
  const queue = [...first];
  let exhausted = first.length < concurrency;

  const lane = async () => {
    for (;;) {
      let next = queue.shift();
      if (!next) {
        if (exhausted || clock.now().getTime() - started >= budgetMs) return;
        try {
          [next] = await claim(1);
        } catch (e) {
          console.error(`publish-worker ${workerId}: claiming failed:`, e);
          exhausted = true;
          return;
        }
        if (!next) {
          exhausted = true;
          return;
        }
        summary.claimed++;
      }
      summary[await deliver(opts, workerId, clock, next.delivery, next.leaseEnd)]++;
    }
  };

  const done = first.length === 0
    ? Promise.resolve(summary)
    : Promise.all(Array.from({ length: concurrency }, lane)).then(() => summary);
  return { workerId, claimed: first.length, done };
}

/** `startDeliveries` and its whole run. */
export async function runDeliveries(opts: EngineOptions): Promise<RunSummary> {
  return await (await startDeliveries(opts)).done;
}

/** Sends one claimed post and records what happened. Never throws. */
async function deliver(
  opts: EngineOptions,
  workerId: string,
  clock: Clock,
  delivery: Delivery,
  leaseEnd: number,
): Promise<Outcome> {
  let waitedOnce = false;
  for (;;) {
    let sent: Sent;
    try {
      sent = checkedSent(delivery, await sendOnce(opts, workerId, clock, delivery, leaseEnd));
    } catch (error) {
      const now = clock.now();
      const decision = decide(error, {
        platform: delivery.platform,
        attempts: delivery.attempts,
        now,
        waitedOnce,
        leaseLeftMs: leaseEnd - now.getTime() - RETRY_SEND_MS,
      });
      if (decision.kind === "wait") {
        waitedOnce = true;
        await clock.sleep(decision.ms);
        continue;
      }
      if (!(error instanceof DeliveryError)) {
        console.error(`publish-worker: post ${delivery.post_id} failed unexpectedly:`, error);
      }
      if (decision.kind === "defer") {
        return await record(
          clock,
          delivery,
          "defer",
          () => opts.rpc.defer(delivery.post_id, workerId, decision.at, decision.reason, decision.countsAttempt),
          "deferred",
        );
      }
      return await record(
        clock,
        delivery,
        "fail",
        () => opts.rpc.fail(delivery.post_id, workerId, decision.reason, decision.account),
        "failed",
      );
    }
    return await record(
      clock,
      delivery,
      "complete",
      () => opts.rpc.complete(delivery.post_id, workerId, sent),
      "published",
    );
  }
}

/** One attempt through the platform's connector, bounded by what is left of the lease. */
async function sendOnce(
  opts: EngineOptions,
  workerId: string,
  clock: Clock,
  delivery: Delivery,
  leaseEnd: number,
): Promise<Sent> {
  const connector = opts.connectors[delivery.platform];
  if (!connector) throw new Permanent(`Atelier cannot publish to ${platformName(delivery.platform)} yet`);
  const leftMs = leaseEnd - clock.now().getTime();
  if (leftMs <= 0) throw new Transient(`${platformName(delivery.platform)} took too long: trying again`);

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Transient(`${platformName(delivery.platform)} did not finish within ${Math.ceil(leftMs / 1000)} s`);
      controller.abort(e);
      reject(e);
    }, leftMs);
  });
  try {
    return await Promise.race([attempt(opts, workerId, clock, delivery, connector, controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function attempt(
  opts: EngineOptions,
  workerId: string,
  clock: Clock,
  delivery: Delivery,
  connector: Connector,
  signal: AbortSignal,
): Promise<Sent> {
  const credentials = await opts.credentials(delivery);
  let key = delivery.delivery_key;
  const baseFetch = opts.fetch ?? fetch;
  const ctx: SendContext = {
    credentials,
    async ensureKey(make) {
      if (key) return key;
      key = await opts.rpc.setKey(delivery.post_id, workerId, make());
      return key;
    },
    media: opts.media(delivery),
    // Calls still running when the lease's time is up are cancelled with the attempt.
    fetch: (input, init) =>
      baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    now: () => clock.now(),
  };
  return await connector.publish({ ...delivery, delivery_key: key }, ctx);
}

/**
 * The connector's answer, if the posts table can hold it. A post that reached the platform but
 * came back without an id or link is failed with that said, rather than published without a link.
 */
function checkedSent(delivery: Delivery, sent: Sent): Sent {
  const ok = sent && typeof sent.remoteId === "string" && sent.remoteId.length > 0 && sent.remoteId.length <= 500 &&
    typeof sent.remoteUrl === "string" && /^https?:\/\/\S+$/.test(sent.remoteUrl) && sent.remoteUrl.length <= 2000;
  if (ok) return sent;
  throw new Permanent(
    `${platformName(delivery.platform)} took the post but answered without a usable link to it (${
      JSON.stringify(sent)
    }): check the account before retrying.`,
  );
}

/** Runs a settling RPC, once more after a second if it fails; `unsettled` when both fail. */
async function record(
  clock: Clock,
  delivery: Delivery,
  what: string,
  call: () => Promise<void>,
  outcome: Outcome,
): Promise<Outcome> {
  for (let round = 1;; round++) {
    try {
      await call();
      return outcome;
    } catch (e) {
      if (round >= 2) {
        console.error(
          `publish-worker: could not ${what} post ${delivery.post_id} (its lease will run out and another run takes it):`,
          e,
        );
        return "unsettled";
      }
      await clock.sleep(1000);
    }
  }
}
