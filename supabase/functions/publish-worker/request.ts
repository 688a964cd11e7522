// Who may start the publish worker, and what they may ask of it.
import { HttpError } from "../_shared/cors.ts";

export const MAX_POST_IDS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Compares without stopping at the first difference, so timing does not reveal the key. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Only the database's kick (pg_net, with the key from private.worker_endpoint) and other
 * server-side callers holding the service-role key may start deliveries: a signed-in user's
 * JWT passes the gateway but not this check.
 */
export function requireServiceRole(req: Request, serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")): void {
  if (!serviceKey) throw new HttpError(500, "The function is missing SUPABASE_SERVICE_ROLE_KEY in its environment.");
  const presented = /^Bearer\s+(.+)$/i.exec(req.headers.get("Authorization") ?? "")?.[1]?.trim() ?? "";
  if (!sameSecret(presented, serviceKey)) {
    throw new HttpError(401, "Only the server starts the publish worker: call it with the service-role key.");
  }
}

/** `{}` (every post awaiting delivery) or `{post_ids: [uuid, …]}` (only those). */
export function parsePostIds(body: Record<string, unknown>): string[] | null {
  const unknown = Object.keys(body).filter((k) => k !== "post_ids");
  if (unknown.length) {
    throw new HttpError(
      400,
      `Unknown field ${unknown.map((k) => JSON.stringify(k)).join(", ")}: send {} or {post_ids: [uuid, …]}.`,
    );
  }
  if (body.post_ids === undefined || body.post_ids === null) return null;
  const ids = body.post_ids;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new HttpError(400, "post_ids must be a non-empty list of post ids (or leave it out for every due post).");
  }
  if (ids.length > MAX_POST_IDS) {
    throw new HttpError(400, `At most ${MAX_POST_IDS} post ids per call (got ${ids.length}).`);
  }
  const bad = ids.filter((i) => typeof i !== "string" || !UUID.test(i));
  if (bad.length) throw new HttpError(400, `Not post ids: ${bad.map((b) => JSON.stringify(b)).join(", ")}.`);
  return [...new Set(ids as string[])];
}
