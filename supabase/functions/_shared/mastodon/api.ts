// One call to a Mastodon instance's REST or OAuth API (https://docs.joinmastodon.org/client/intro/).
// Every call goes through the outbound guard: the instance address comes from a creator. Errors
// are `{"error": "...", "error_description"?: "..."}` with the HTTP status
// (https://docs.joinmastodon.org/entities/Error/); a proxy in front of the instance may answer
// 429 or 5xx with an HTML page instead, which is still a MastodonError.
import { guardedFetch, type GuardOptions } from "../outbound.ts";

/** A non-2xx answer: the status, the instance's own message (may be empty) and the headers. */
export class MastodonError extends Error {
  constructor(
    readonly status: number,
    /** `error` of the JSON body, e.g. "The access token was revoked" or "invalid_grant". */
    readonly serverMessage: string,
    readonly description: string,
    readonly headers: Headers,
    readonly host: string,
    /** False when the body was not a JSON error (an HTML page, nothing). */
    readonly json: boolean,
  ) {
    super(`${host} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ""}`);
  }
}

/** A 2xx answer whose body is not a JSON object: not the API that was asked for. */
export class NotMastodon extends Error {
  constructor(readonly status: number, readonly host: string) {
    super(`${host} answered HTTP ${status} with something that is not a Mastodon API answer`);
  }
}

export interface CallOptions {
  /** The user's access token (Bearer). */
  token?: string;
  json?: unknown;
  /** application/x-www-form-urlencoded, as the OAuth endpoints take it. */
  form?: Record<string, string>;
  multipart?: FormData;
  /** Sent as Idempotency-Key: the instance answers a repeat with the status it already made. */
  idempotencyKey?: string;
  guard?: GuardOptions;
  signal?: AbortSignal;
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export function hostOf(base: string): string {
  return new URL(base).host;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: "GET" | "POST",
  path: string,
  opts: CallOptions = {},
): Promise<Answer<T>> {
  const url = new URL(path, base);
  const host = url.host;
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.multipart) {
    body = opts.multipart; // fetch writes the multipart content type with its boundary
  }
  const res = await guardedFetch(url, { method, headers, body, signal: opts.signal }, {
    maxBytes: 1_000_000,
    ...opts.guard,
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text.length ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  if (res.ok) {
    if (!isObject) throw new NotMastodon(res.status, host);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  const err = isObject ? (parsed as { error?: unknown; error_description?: unknown }) : {};
  throw new MastodonError(
    res.status,
    typeof err.error === "string" ? err.error : "",
    typeof err.error_description === "string" ? err.error_description : "",
    res.headers,
    host,
    isObject && typeof err.error === "string",
  );
}
