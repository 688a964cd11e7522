// XRPC over HTTP (https://atproto.com/specs/xrpc): a query is a GET with URL parameters, a
// procedure a POST with a JSON or binary body; errors are `{error, message}` with the HTTP
// status. Every call goes through the outbound guard (the PDS address comes from outside).
import { guardedFetch, type GuardOptions } from "../outbound.ts";

/** An XRPC error answer: HTTP status, the `error` name (e.g. ExpiredToken) and the server's message. */
export class XrpcError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly serverMessage: string,
    readonly headers: Headers,
    readonly host: string,
  ) {
    super(`${host} answered HTTP ${status}${error ? ` ${error}` : ""}${serverMessage ? `: ${serverMessage}` : ""}`);
  }
}

/** The answer body was not XRPC (not JSON, or an HTML page): not an atproto server. */
export class NotXrpc extends Error {
  constructor(readonly status: number, readonly host: string) {
    super(`${host} answered HTTP ${status} with something that is not an AT Protocol answer`);
  }
}

export interface CallOptions {
  token?: string;
  /** URL parameters (queries). */
  params?: Record<string, string>;
  /** A JSON body (procedures). */
  json?: unknown;
  /** A binary body (uploadBlob) with its content type. */
  bytes?: { data: Uint8Array<ArrayBuffer>; contentType: string };
  guard?: GuardOptions;
  /** Aborts the call (the caller stopped waiting). */
  signal?: AbortSignal;
}

export async function xrpc<T = Record<string, unknown>>(
  service: string,
  method: "GET" | "POST",
  nsid: string,
  opts: CallOptions = {},
): Promise<T> {
  const url = new URL(`/xrpc/${nsid}`, service);
  for (const [k, v] of Object.entries(opts.params ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.bytes) {
    headers["content-type"] = opts.bytes.contentType;
    body = opts.bytes.data;
  }
  const res = await guardedFetch(url, { method, headers, body, signal: opts.signal }, {
    maxBytes: 1_000_000,
    ...opts.guard,
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text.length) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
  if (res.ok) {
    if (!isObject && text.length) throw new NotXrpc(res.status, url.hostname);
    return (isObject ? parsed : {}) as T;
  }
  const err = isObject ? (parsed as { error?: unknown; message?: unknown }) : null;
  if (!err || typeof err.error !== "string") {
    // 429 and 5xx may come from a load balancer in front of the PDS, not from XRPC itself.
    if (res.status === 429 || res.status >= 500) throw new XrpcError(res.status, "", "", res.headers, url.hostname);
    throw new NotXrpc(res.status, url.hostname);
  }
  throw new XrpcError(
    res.status,
    err.error,
    typeof err.message === "string" ? err.message : "",
    res.headers,
    url.hostname,
  );
}
