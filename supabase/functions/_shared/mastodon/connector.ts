// Publishes a post with its media to a Mastodon account, once however often it is tried: the
// Idempotency-Key is stored on the post before the first attempt and sent with every attempt,
// so an instance that already made the status answers with that status instead of a second one
// (https://docs.joinmastodon.org/methods/statuses/#create). Media is uploaded and waited for
// until processed; a status refused with 422 because its media is "not finished processing" is
// a wait, not a failure. Tokens do not expire: a 401 means the creator (or the instance)
// withdrew Atelier's access.
import {
  type AccountRef,
  AuthRevoked,
  type Connector,
  type Credentials,
  type Delivery,
  DeliveryError,
  Permanent,
  RateLimited,
  type SendContext,
  type Sent,
  Transient,
} from "../delivery.ts";
import { type GuardOptions, OutboundError } from "../outbound.ts";
import { call, type CallOptions, hostOf, MastodonError, NotMastodon } from "./api.ts";
import { describe, fileName, StillProcessing, uploadMedia, waitForMedia, type Waiting } from "./media.ts";
import { type RegisteredApp, revokeToken } from "./oauth.ts";

const NOT_FINISHED = /not finished processing/i;

export interface MastodonConnectorOptions {
  /** The apps Atelier registered on an instance (any of them may have issued a token), secrets opened. */
  apps(instanceUrl: string): Promise<RegisteredApp[]>;
  /** First pause between media polls (then ×1.5, at most `maxPollIntervalMs`). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** How long one attempt waits for media processing before it gives up (Transient). */
  mediaWaitMs?: number;
  sleep?(ms: number): Promise<void>;
  /** Outbound guard options for every call (tests allow the fake on 127.0.0.1). */
  guard?: GuardOptions;
}

/** When a 429 says to try again: X-RateLimit-Reset (ISO 8601), else five minutes (Mastodon's window). */
export function rateLimitReset(headers: Headers, now: Date): Date {
  const reset = Date.parse(headers.get("x-ratelimit-reset") ?? "");
  if (!Number.isFinite(reset)) return new Date(now.getTime() + 5 * 60_000);
  return new Date(Math.max(reset, now.getTime() + 1000));
}

/** What a failed call means for the post; `handle` is the account's (`alice@mastodon.social`). */
export function toDeliveryError(e: unknown, handle: string, now: Date): unknown {
  if (e instanceof DeliveryError) return e;
  const reconnect = `Reconnect @${handle.replace(/^@/, "")}`;
  if (e instanceof MastodonError) {
    const said = e.serverMessage ? `: ${e.serverMessage}` : "";
    if (e.status === 401) {
      return new AuthRevoked(`${e.host} no longer accepts Atelier's access to this account${said}. ${reconnect}.`);
    }
    // A token without the scopes Atelier needs, or an account the instance disabled.
    if (e.status === 403) return new AuthRevoked(`${e.host} refused Atelier's access${said}. ${reconnect}.`);
    if (e.status === 429) return new RateLimited(rateLimitReset(e.headers, now), `Rate limited by ${e.host}`);
    if (e.status >= 500 || e.status === 408) return new Transient(`${e.host} had a problem (HTTP ${e.status}${said})`);
    if (e.status === 422 && NOT_FINISHED.test(e.serverMessage)) {
      return new Transient(`${e.host} was still processing the media`);
    }
    if (e.status === 413) {
      return new Permanent(`${e.host} refused the media: it is larger than the instance accepts (HTTP 413)`);
    }
    if (!e.json) {
      return new Permanent(`${e.host} answered HTTP ${e.status} where a Mastodon instance should answer: ${reconnect}`);
    }
    return new Permanent(`${e.host} refused the post${said || ` (HTTP ${e.status})`}`);
  }
  if (e instanceof NotMastodon) return new Permanent(`${e.host} is not answering as a Mastodon instance: ${reconnect}`);
  if (e instanceof StillProcessing) return new Transient(e.message);
  if (e instanceof OutboundError) {
    return e.failure === "timeout" || e.failure === "unreachable" ? new Transient(e.message) : new Permanent(e.message);
  }
  return e;
}

interface Status {
  id: string;
  url: string;
}

export function createMastodonConnector(options: MastodonConnectorOptions): Connector {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const maxPollIntervalMs = options.maxPollIntervalMs ?? 3_000;
  const mediaWaitMs = options.mediaWaitMs ?? 60_000;

  async function postStatus(
    base: string,
    text: string,
    mediaIds: string[],
    key: string,
    opts: CallOptions,
    wait: Waiting,
  ): Promise<Status> {
    for (;;) {
      try {
        const { body } = await call<Record<string, unknown>>(base, "POST", "/api/v1/statuses", {
          ...opts,
          json: { status: text, media_ids: mediaIds, visibility: "public" },
          idempotencyKey: key,
        });
        if (typeof body.id !== "string" || !body.id) throw new NotMastodon(200, hostOf(base));
        const url = typeof body.url === "string" && body.url ? body.url : typeof body.uri === "string" ? body.uri : "";
        return { id: body.id, url };
      } catch (e) {
        // Media the instance reported done may still be catching up on another of its servers.
        if (!(e instanceof MastodonError && e.status === 422 && NOT_FINISHED.test(e.serverMessage))) throw e;
        for (const id of mediaIds) await waitForMedia(base, id, opts, wait);
      }
    }
  }

  async function publish(delivery: Delivery, ctx: SendContext): Promise<Sent> {
    const base = delivery.service_url;
    const handle = delivery.handle;
    if (!base) {
      throw new Permanent(`This Mastodon account has no instance address: Reconnect @${handle.replace(/^@/, "")}`);
    }
    // Stored before anything is sent: every later attempt sends the same key.
    const key = await ctx.ensureKey(() => crypto.randomUUID());
    const guard: GuardOptions = { ...options.guard, fetch: ctx.fetch };
    const opts: CallOptions = { token: ctx.credentials.accessToken, guard };
    const wait: Waiting = {
      intervalMs: pollIntervalMs,
      maxIntervalMs: maxPollIntervalMs,
      deadline: Date.now() + mediaWaitMs,
      sleep,
    };
    try {
      const mediaIds: string[] = [];
      if (delivery.media_path || delivery.media_url) {
        const original = await ctx.media.original();
        const uploaded = await uploadMedia(base, {
          bytes: original.bytes,
          contentType: original.contentType,
          name: fileName(delivery.media_path, original.contentType),
          description: describe(delivery.prompt ?? ""),
        }, { ...opts, guard: { ...guard, timeoutMs: 120_000 } });
        if (!uploaded.ready) await waitForMedia(base, uploaded.id, opts, wait);
        mediaIds.push(uploaded.id);
      }
      const status = await postStatus(base, delivery.text_body, mediaIds, key, opts, wait);
      return { remoteId: status.id, remoteUrl: status.url };
    } catch (e) {
      throw toDeliveryError(e, handle, ctx.now());
    }
  }

  /** POST /oauth/revoke with the app that issued the token (tried in turn: the others answer 403). */
  async function revoke(account: AccountRef, credentials: Credentials, signal?: AbortSignal): Promise<void> {
    const base = account.service_url;
    if (!base) return;
    const apps = await options.apps(base);
    let refused: unknown = new Error(`No Atelier app is registered on ${hostOf(base)} to revoke the token with`);
    for (const app of apps) {
      try {
        await revokeToken(base, app, credentials.accessToken, options.guard, signal);
        return;
      } catch (e) {
        if (!(e instanceof MastodonError && e.status === 403)) throw e;
        refused = e;
      }
    }
    throw refused;
  }

  return { publish, revoke };
}
