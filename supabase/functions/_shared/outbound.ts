// Every request a function sends to an address a creator typed (a Bluesky hosting provider, a
// Mastodon instance, a PDS named in a DID document) goes through `guardedFetch`, so that a
// hostile or mistyped address cannot make the server call itself, its private network or a
// cloud metadata endpoint (server-side request forgery), hang a worker, or fill its memory.
//
// By default only https to public addresses: the host is resolved first and refused when any
// of its addresses is not public, and each redirect is followed by hand and checked the same
// way. `ATELIER_ALLOW_PRIVATE_HOSTS=true` (local development and tests only, where the servers
// run on 127.0.0.1) lifts both rules.
//
// The check resolves the name and then `fetch` resolves it again; a DNS server that answers
// differently within that instant (rebinding) is not covered — the runtime's fetch offers no way
// to pin the address it connects to.
import { isIpLiteral, isPrivateAddress } from "./addresses.ts";

/** What went wrong, for a caller that reacts differently (a timeout is worth a retry, a refusal is not). */
export type OutboundFailure = "invalid" | "refused" | "unreachable" | "timeout" | "too_large" | "redirects";

/** An outbound call that was refused or failed; `message` names the host and can be shown to a creator. */
export class OutboundError extends Error {
  constructor(message: string, readonly failure: OutboundFailure, readonly host: string) {
    super(message);
  }
}

/** The host's addresses (IPv4 and IPv6 text). */
export type Resolver = (host: string) => Promise<string[]>;

export interface GuardOptions {
  /** Name resolution; `Deno.resolveDns` A and AAAA by default. */
  resolver?: Resolver;
  fetch?: typeof fetch;
  /** For the whole call, redirects and body included. */
  timeoutMs?: number;
  /** The most body bytes read; a longer answer is an error. */
  maxBytes?: number;
  /** http and private addresses allowed; `allowPrivateHosts()` by default. */
  allowPrivate?: boolean;
  maxRedirects?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

/** True when ATELIER_ALLOW_PRIVATE_HOSTS=true: http and loopback/private hosts may be reached (local testing only). */
export function allowPrivateHosts(): boolean {
  return (Deno.env.get("ATELIER_ALLOW_PRIVATE_HOSTS") ?? "").trim().toLowerCase() === "true";
}

/** A and AAAA records; an empty list when the name has none. */
export async function resolveWithDns(host: string): Promise<string[]> {
  const lookups = await Promise.allSettled([Deno.resolveDns(host, "A"), Deno.resolveDns(host, "AAAA")]);
  return lookups.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Refuses a URL this call may not reach; resolves names to check where they point. */
async function checkDestination(url: URL, allowPrivate: boolean, resolver: Resolver): Promise<void> {
  const host = hostOf(url);
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new OutboundError(`${host || url.href} must be reached over https`, "refused", host);
  }
  if (allowPrivate) return;
  if (url.username || url.password) {
    throw new OutboundError(`${host}: an address with a user name or password is not allowed`, "refused", host);
  }
  const name = host.replace(/\.$/, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) {
    throw new OutboundError(`${host} is a private address`, "refused", host);
  }
  let addresses: string[];
  if (isIpLiteral(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await resolver(name);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new OutboundError(`Could not reach ${host}`, "unreachable", host);
  }
  if (addresses.some(isPrivateAddress)) throw new OutboundError(`${host} is a private address`, "refused", host);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` for addresses that come from outside: https and public addresses only (unless
 * private hosts are allowed), redirects followed by hand (at most 5, each checked), one
 * deadline for the whole call, and the body read with a size cap — the Response returned
 * holds the whole body already. Failures are `OutboundError`s.
 */
export async function guardedFetch(
  url: string | URL,
  init: RequestInit = {},
  opts: GuardOptions = {},
): Promise<Response> {
  const allowPrivate = opts.allowPrivate ?? allowPrivateHosts();
  const resolver = opts.resolver ?? resolveWithDns;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? MAX_REDIRECTS;

  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new OutboundError(`${String(url)} is not a valid address`, "invalid", "");
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const outer = init.signal;
  const onOuterAbort = () => controller.abort();
  outer?.addEventListener("abort", onOuterAbort);
  const failure = (e: unknown, host: string): OutboundError => {
    if (e instanceof OutboundError) return e;
    if (controller.signal.aborted && !outer?.aborted) {
      return new OutboundError(`${host} did not answer within ${Math.round(timeoutMs / 100) / 10} s`, "timeout", host);
    }
    return new OutboundError(`Could not reach ${host}`, "unreachable", host);
  };

  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body;
  const headers = new Headers(init.headers);
  try {
    for (let hop = 0;; hop++) {
      const host = hostOf(current);
      await checkDestination(current, allowPrivate, resolver);
      let res: Response;
      try {
        res = await doFetch(current.href, {
          ...init,
          method,
          body,
          headers,
          redirect: "manual",
          signal: controller.signal,
        });
      } catch (e) {
        throw failure(e, host);
      }
      const location = res.headers.get("location");
      if (REDIRECTS.has(res.status) && location) {
        await res.body?.cancel().catch(() => {});
        if (hop >= maxRedirects) throw new OutboundError(`${host} redirected too many times`, "redirects", host);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new OutboundError(`${host} redirected to an invalid address`, "invalid", host);
        }
        // As browsers do: 303 (and 301/302 after a POST) continue as GET without the body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
          headers.delete("content-type");
          headers.delete("content-length");
        }
        // Credentials are for the origin they were meant for.
        if (next.origin !== current.origin) {
          headers.delete("authorization");
          headers.delete("cookie");
        }
        current = next;
        continue;
      }
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = await readCapped(res, maxBytes, host);
      } catch (e) {
        throw failure(e, host);
      }
      const answer = new Response(NO_BODY.has(res.status) ? null : bytes, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
      Object.defineProperty(answer, "url", { value: current.href });
      return answer;
    }
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/** The whole body, or an OutboundError once it passes `maxBytes` (the rest is not read). */
async function readCapped(res: Response, maxBytes: number, host: string): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new OutboundError(`${host} sent more than ${maxBytes} bytes`, "too_large", host);
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
