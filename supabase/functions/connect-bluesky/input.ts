// What the "Connect Bluesky" form sends, checked before anything leaves the server.
import { HttpError } from "../_shared/cors.ts";

export const DEFAULT_SERVICE = "https://bsky.social";

export interface ConnectInput {
  /** A handle without its leading @ (alice.bsky.social), or the account's e-mail. */
  identifier: string;
  password: string;
  /** The hosting provider's origin (https://bsky.social, or a self-hosted PDS). */
  service: string;
}

export function parseInput(body: Record<string, unknown>): ConnectInput {
  const rawId = typeof body.identifier === "string" ? body.identifier.trim().replace(/^@+/, "") : "";
  if (!rawId || rawId.length > 253 || /\s/.test(rawId)) {
    throw new HttpError(
      400,
      "Enter your Bluesky handle (like alice.bsky.social) or the e-mail address of the account.",
    );
  }
  const password = typeof body.password === "string" ? body.password.trim() : "";
  if (!password || password.length > 200) {
    throw new HttpError(
      400,
      "Enter an app password: create one in Bluesky's settings (Privacy and security → App passwords).",
    );
  }
  const rawService = body.service === undefined || body.service === null ? "" : body.service;
  if (typeof rawService !== "string") {
    throw new HttpError(400, "The hosting provider must be an address like https://bsky.social.");
  }
  const typed = rawService.trim() || DEFAULT_SERVICE;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw new HttpError(400, `${typed} is not a valid address for a hosting provider.`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname || url.username || url.password) {
    throw new HttpError(400, `${typed} is not a valid address for a hosting provider.`);
  }
  return { identifier: rawId, password, service: url.origin };
}
