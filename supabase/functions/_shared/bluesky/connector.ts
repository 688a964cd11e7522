// Publishes a post with its image to a Bluesky account, exactly once however often it is tried:
// the record key (a TID) is stored on the post before the first attempt, a later attempt first
// reads the record back and returns it if the earlier one got through, and the record is
// created under that key (a second create of the same key fails instead of posting twice).
import {
  type AccountRef,
  AuthExpired,
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
import { BLUESKY_LIMITS, fitsLimits } from "../text.ts";
import { MAX_IMAGE_BYTES, shrinkToJpeg, UnsupportedImage } from "./image.ts";
import { altText, type BlobRef, POST_COLLECTION, postRecord } from "./record.ts";
import { deleteSession, refreshSession } from "./session.ts";
import { makeTid } from "./tid.ts";
import { type CallOptions, NotXrpc, xrpc, XrpcError } from "./xrpc.ts";

/** The name of the re-encoded copy kept beside the media, so a retry uploads the same bytes. */
export const IMAGE_COPY = "bluesky.jpg";
const UPLOADABLE = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);
const RECORD_KEY = /^[a-zA-Z0-9._:~-]{1,512}$/;

/** The public page of a post (bsky.app resolves the handle). */
export function postUrl(handle: string, rkey: string): string {
  return `https://bsky.app/profile/${handle.replace(/^@/, "")}/post/${rkey}`;
}

/** When a 429 says to try again: RateLimit-Reset (unix seconds), else a minute from now. */
export function rateLimitReset(headers: Headers, now: Date): Date {
  const reset = Number(headers.get("ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now.getTime() + 60_000);
}

function isAuthFailure(e: unknown): boolean {
  return e instanceof XrpcError &&
    (e.status === 401 || (e.status === 400 && (e.error === "ExpiredToken" || e.error === "InvalidToken")));
}

/** What a failed call means for the post. */
export function toDeliveryError(e: unknown, now: Date): unknown {
  if (e instanceof DeliveryError) return e;
  if (e instanceof XrpcError) {
    const said = e.serverMessage ? `: ${e.serverMessage}` : "";
    if (e.status === 429) return new RateLimited(rateLimitReset(e.headers, now), "Rate limited by Bluesky");
    if (e.status >= 500) return new Transient(`Bluesky had a problem (HTTP ${e.status}${said})`);
    if (isAuthFailure(e)) {
      return new AuthExpired(`Bluesky no longer accepts this account's session${said}: reconnect it`);
    }
    return new Permanent(`Bluesky refused the post (${e.error || `HTTP ${e.status}`}${said})`);
  }
  if (e instanceof NotXrpc) {
    return e.status >= 500 ? new Transient(e.message) : new Permanent(`${e.host} is not a Bluesky PDS`);
  }
  if (e instanceof OutboundError) {
    return e.failure === "timeout" || e.failure === "unreachable" ? new Transient(e.message) : new Permanent(e.message);
  }
  if (e instanceof UnsupportedImage) return new Permanent(e.message);
  return e;
}

/**
 * Calls the PDS as the account. An expired access token (HTTP 400 ExpiredToken) is renewed
 * once with the refresh token; the new pair is stored before it is used, since the old refresh
 * token stops working. A refused renewal is AuthExpired; a failure to reach the PDS is not.
 */
export class BlueskyAccount {
  private refreshed = false;

  constructor(readonly pdsUrl: string, private credentials: Credentials, private guard: GuardOptions = {}) {}

  async call<T = Record<string, unknown>>(method: "GET" | "POST", nsid: string, opts: CallOptions = {}): Promise<T> {
    try {
      return await xrpc<T>(this.pdsUrl, method, nsid, {
        ...opts,
        token: this.credentials.accessToken,
        guard: { ...this.guard, ...opts.guard },
      });
    } catch (e) {
      if (!isAuthFailure(e) || this.refreshed) throw e;
    }
    await this.refresh();
    return await xrpc<T>(this.pdsUrl, method, nsid, {
      ...opts,
      token: this.credentials.accessToken,
      guard: { ...this.guard, ...opts.guard },
    });
  }

  private async refresh(): Promise<void> {
    this.refreshed = true;
    const refreshToken = this.credentials.refreshToken;
    if (!refreshToken) {
      throw new AuthExpired("The Bluesky session expired and cannot be renewed: reconnect the account");
    }
    let next: { accessJwt: string; refreshJwt: string };
    try {
      next = await refreshSession(this.pdsUrl, refreshToken, this.guard);
    } catch (e) {
      if (e instanceof XrpcError && e.status >= 400 && e.status < 500 && e.status !== 429) {
        throw new AuthExpired(
          `Bluesky refused to renew the session${
            e.serverMessage ? ` (${e.serverMessage})` : ""
          }: reconnect the account`,
        );
      }
      throw e;
    }
    try {
      await this.credentials.save({ accessToken: next.accessJwt, refreshToken: next.refreshJwt });
    } catch (e) {
      throw new Transient(`The renewed Bluesky session could not be stored (${(e as Error).message})`);
    }
    this.credentials = { ...this.credentials, accessToken: next.accessJwt, refreshToken: next.refreshJwt };
  }
}

/** The record at (did, post collection, rkey), or null when there is none. Public: no token needed. */
export async function findPost(
  pdsUrl: string,
  did: string,
  rkey: string,
  guard: GuardOptions = {},
): Promise<{ uri: string } | null> {
  try {
    const found = await xrpc<{ uri?: unknown }>(pdsUrl, "GET", "com.atproto.repo.getRecord", {
      params: { repo: did, collection: POST_COLLECTION, rkey },
      guard,
    });
    return typeof found.uri === "string" ? { uri: found.uri } : null;
  } catch (e) {
    if (e instanceof XrpcError && (e.status === 404 || e.error === "RecordNotFound")) return null;
    throw e;
  }
}

/** The image bytes to upload: the original when small enough, else the stored (or a new) JPEG copy. */
async function uploadableImage(ctx: SendContext): Promise<{ data: Uint8Array<ArrayBuffer>; contentType: string }> {
  const copy = await ctx.media.readCopy(IMAGE_COPY);
  if (copy) return { data: new Uint8Array(copy.bytes), contentType: copy.contentType };
  const original = await ctx.media.original();
  const type = original.contentType.split(";")[0].trim().toLowerCase();
  if (original.bytes.length <= MAX_IMAGE_BYTES && UPLOADABLE.has(type)) {
    return { data: new Uint8Array(original.bytes), contentType: type };
  }
  const fitted = await shrinkToJpeg(original.bytes, MAX_IMAGE_BYTES);
  await ctx.media.writeCopy(IMAGE_COPY, fitted.bytes, "image/jpeg");
  return { data: fitted.bytes, contentType: "image/jpeg" };
}

async function publish(delivery: Delivery, ctx: SendContext): Promise<Sent> {
  const now = ctx.now();
  try {
    const did = delivery.remote_account_id;
    const pdsUrl = delivery.service_url;
    if (!did || !pdsUrl) throw new AuthExpired("This Bluesky account has no DID or PDS on record: reconnect it");
    if (delivery.media_kind !== "image") throw new Permanent("Atelier cannot post videos to Bluesky yet");
    const text = delivery.text_body ?? "";
    if (!fitsLimits(text, BLUESKY_LIMITS)) {
      throw new Permanent("The text is longer than Bluesky allows (300 characters and 3,000 bytes)");
    }

    const rkey = await ctx.ensureKey(() => makeTid(now));
    if (!RECORD_KEY.test(rkey)) {
      throw new Permanent(`The stored record key ${JSON.stringify(rkey)} is not a valid Bluesky record key`);
    }
    const guard: GuardOptions = { fetch: ctx.fetch };
    const sent = (uri: string): Sent => ({ remoteId: uri, remoteUrl: postUrl(delivery.handle, rkey) });

    // An earlier attempt may have created the record and lost the answer: one did whenever the
    // key was stored before this claim (after "Retry post" too, which starts the count again).
    if (delivery.attempts > 1 || delivery.delivery_key !== null) {
      const existing = await findPost(pdsUrl, did, rkey, guard);
      if (existing) return sent(existing.uri);
    }

    const account = new BlueskyAccount(pdsUrl, ctx.credentials, guard);
    const image = await uploadableImage(ctx);
    const uploaded = await account.call<{ blob?: BlobRef }>("POST", "com.atproto.repo.uploadBlob", {
      bytes: image,
      guard: { timeoutMs: 60_000 },
    });
    if (!uploaded.blob) throw new Transient("Bluesky did not return the uploaded image");
    const record = postRecord({
      text,
      createdAt: now,
      image: uploaded.blob,
      alt: altText(delivery.prompt),
      width: delivery.width,
      height: delivery.height,
    });
    try {
      const created = await account.call<{ uri?: unknown }>("POST", "com.atproto.repo.createRecord", {
        json: { repo: did, collection: POST_COLLECTION, rkey, validate: true, record },
      });
      if (typeof created.uri !== "string") throw new Transient("Bluesky did not say where the post is");
      return sent(created.uri);
    } catch (e) {
      // The write may have happened although its answer was lost (or the key already exists,
      // which this PDS answers with a 500): read it back before calling it a failure.
      const unclear = e instanceof OutboundError || (e instanceof XrpcError && e.status >= 500);
      if (unclear) {
        const existing = await findPost(pdsUrl, did, rkey, guard).catch(() => null);
        if (existing) return sent(existing.uri);
      }
      throw e;
    }
  } catch (e) {
    throw toDeliveryError(e, now);
  }
}

/** Ends the session at the PDS (deleteSession with the refresh token); an already dead session is fine. */
async function revoke(account: AccountRef, credentials: Credentials, signal?: AbortSignal): Promise<void> {
  if (!account.service_url || !credentials.refreshToken) return;
  try {
    await deleteSession(account.service_url, credentials.refreshToken, {}, signal);
  } catch (e) {
    if (isAuthFailure(e)) return;
    throw e;
  }
}

export const blueskyConnector: Connector = { publish, revoke };
