// What the publish worker hands a platform connector, and the ways a send can go wrong. The
// engine (publish-worker/engine.ts) decides what each outcome does to the post; a connector
// only says what happened.

/** One claimed post, as `public.claim_deliveries` returns it (columns of `public.delivery`). */
export interface Delivery {
  post_id: string;
  user_id: string;
  generation_id: string;
  account_id: string;
  caption: string;
  hashtags: string[];
  /** Bluesky record key (TID) or Mastodon Idempotency-Key: stored before the first attempt. */
  delivery_key: string | null;
  /** 1 on the first attempt (the claim counts it). */
  attempts: number;
  platform: string;
  handle: string;
  /** Bluesky DID, or Mastodon `<account id>@<instance host>`. */
  remote_account_id: string | null;
  /** Bluesky PDS URL, or the Mastodon instance's base URL. */
  service_url: string | null;
  media_kind: "image" | "video";
  media_path: string | null;
  media_url: string | null;
  width: number | null;
  height: number | null;
  prompt: string;
  /** The caption, a blank line and the hashtags: what the post says. */
  text_body: string;
}

/** Where a post ended up on the platform. */
export interface Sent {
  /** Bluesky at-uri, or Mastodon status id. */
  remoteId: string;
  /** The public page of the post. */
  remoteUrl: string;
}

/** Decrypted tokens of an account; `save` stores a rotated pair before it is used. */
export interface Credentials {
  accessToken: string;
  refreshToken: string | null;
  save(next: { accessToken: string; refreshToken: string | null }): Promise<void>;
}

/** Everything a connector may use besides the delivery itself. */
export interface SendContext {
  credentials: Credentials;
  /** Stores the idempotency key on the post (first attempt) and returns the one that is stored. */
  ensureKey(make: () => string): Promise<string>;
  /** The media bytes (from Storage); `variant` names a re-encoded copy kept beside the original. */
  media: MediaStore;
  fetch: typeof fetch;
  now(): Date;
}

export interface MediaStore {
  original(): Promise<{ bytes: Uint8Array; contentType: string }>;
  /** A copy kept beside the media so retries reuse it; null when none was made yet. */
  readCopy(name: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  writeCopy(name: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

/** The account being disconnected: the non-secret columns of its connected_accounts row. */
export interface AccountRef {
  id: string;
  platform: string;
  handle: string;
  /** Bluesky DID, or Mastodon `<account id>@<instance host>`. */
  remote_id: string | null;
  /** Bluesky PDS URL, or the Mastodon instance's base URL. */
  service_url: string | null;
}

export interface Connector {
  publish(delivery: Delivery, ctx: SendContext): Promise<Sent>;
  /**
   * Ends the session at the platform, where its API allows it (best effort: disconnect-account
   * goes on when it throws). `signal` aborts when the caller stops waiting (a few seconds).
   */
  revoke?(account: AccountRef, credentials: Credentials, signal?: AbortSignal): Promise<void>;
}

/** Base of every outcome other than success; `message` is what the creator reads on the post. */
export class DeliveryError extends Error {}

/** The platform asked to wait: try again at `resetAt`. */
export class RateLimited extends DeliveryError {
  constructor(readonly resetAt: Date, message = "Rate limited by the platform") {
    super(message);
  }
}

/** A 5xx, a timeout or a dropped connection: worth trying again later. */
export class Transient extends DeliveryError {}

/** The tokens no longer work and could not be refreshed: the account becomes `expired`. */
export class AuthExpired extends DeliveryError {}

/** The platform says access was withdrawn: the account becomes `revoked`. */
export class AuthRevoked extends DeliveryError {}

/** Anything trying again cannot fix (the platform refused the content). */
export class Permanent extends DeliveryError {}
