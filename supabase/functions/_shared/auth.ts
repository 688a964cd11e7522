// The caller as the gateway saw them (no network, no npm imports).
import { HttpError } from "./cors.ts";

/** The caller's user id from their JWT (the gateway has verified it; RLS re-checks it). */
export function callerId(req: Request): string | null {
  const token = req.headers.get("Authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof payload.sub === "string" && payload.role === "authenticated" ? payload.sub : null;
  } catch {
    return null;
  }
}

/**
 * The caller's user id, or a 401 when the request carries no signed-in user (only the API
 * key, whose role has no rights on user data), so a function never gets as far as a
 * database "permission denied".
 */
export function requireCallerId(req: Request): string {
  const id = callerId(req);
  if (!id) {
    throw new HttpError(
      401,
      "Sign in first: this function needs a signed-in user's access token, not only the API key.",
    );
  }
  return id;
}
