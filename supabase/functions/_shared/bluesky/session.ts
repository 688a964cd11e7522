// Bluesky sessions from an app password (https://docs.bsky.app/docs/api/com-atproto-server-create-session):
// sign in at the hosting provider (bsky.social is an entryway, not the PDS), then talk to the PDS
// that the DID document in the answer names. The access token lives ~2 h, the refresh token
// ~90 days and is single-use: refreshSession returns a new pair.
import type { GuardOptions } from "../outbound.ts";
import { xrpc } from "./xrpc.ts";

export interface Session {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
  /** The PDS that holds the repository (from the DID document), without a trailing slash. */
  pdsUrl: string;
}

interface SessionAnswer {
  did?: unknown;
  handle?: unknown;
  accessJwt?: unknown;
  refreshJwt?: unknown;
  didDoc?: unknown;
}

const DID = /^did:(plc:[a-z2-7]{24}|web:[a-zA-Z0-9.%:-]+)$/;

/** The `#atproto_pds` service endpoint of a DID document (https://atproto.com/specs/did), or null. */
export function pdsFromDidDoc(didDoc: unknown, did: string): string | null {
  const doc = didDoc as { id?: unknown; service?: unknown } | null;
  if (!doc || typeof doc !== "object" || doc.id !== did || !Array.isArray(doc.service)) return null;
  for (const s of doc.service as { id?: unknown; type?: unknown; serviceEndpoint?: unknown }[]) {
    const id = typeof s?.id === "string" ? s.id : "";
    if (
      (id === "#atproto_pds" || id === `${did}#atproto_pds`) && s.type === "AtprotoPersonalDataServer" &&
      typeof s.serviceEndpoint === "string"
    ) {
      try {
        const url = new URL(s.serviceEndpoint);
        if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
      } catch { /* not a URL: no PDS */ }
    }
  }
  return null;
}

/** A decoded JWT payload (no verification: only the server that issued it can verify it). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return {};
  }
}

/** The session of an answer, or an error naming what is missing; `fallbackPds` when it has no DID document. */
export function readSession(answer: SessionAnswer, fallbackPds: string): Session {
  const { did, handle, accessJwt, refreshJwt } = answer;
  if (
    typeof did !== "string" || !DID.test(did) || typeof handle !== "string" || typeof accessJwt !== "string" ||
    typeof refreshJwt !== "string"
  ) {
    throw new TypeError("The session answer lacks a DID, handle or tokens");
  }
  // An entryway always sends the DID document; a PDS signed in to directly may not, and is then the PDS itself.
  const pdsUrl = answer.didDoc === undefined ? new URL(fallbackPds).origin : pdsFromDidDoc(answer.didDoc, did);
  if (!pdsUrl) throw new TypeError("The session's DID document names no PDS");
  return { did, handle, accessJwt, refreshJwt, pdsUrl };
}

export async function createSession(
  service: string,
  identifier: string,
  password: string,
  guard?: GuardOptions,
): Promise<Session> {
  const answer = await xrpc<SessionAnswer>(service, "POST", "com.atproto.server.createSession", {
    json: { identifier, password },
    guard,
  });
  return readSession(answer, service);
}

/** A new token pair for a refresh token (which stops working once used). */
export async function refreshSession(
  pdsUrl: string,
  refreshJwt: string,
  guard?: GuardOptions,
): Promise<{ accessJwt: string; refreshJwt: string }> {
  const answer = await xrpc<SessionAnswer>(pdsUrl, "POST", "com.atproto.server.refreshSession", {
    token: refreshJwt,
    guard,
  });
  if (typeof answer.accessJwt !== "string" || typeof answer.refreshJwt !== "string") {
    throw new TypeError("The refresh answer lacks tokens");
  }
  return { accessJwt: answer.accessJwt, refreshJwt: answer.refreshJwt };
}

/** Ends the session the refresh token belongs to. */
export async function deleteSession(
  pdsUrl: string,
  refreshJwt: string,
  guard?: GuardOptions,
  signal?: AbortSignal,
): Promise<void> {
  await xrpc(pdsUrl, "POST", "com.atproto.server.deleteSession", { token: refreshJwt, guard, signal });
}
