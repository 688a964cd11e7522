// Functions only the server side starts (the database through pg_net, an operator): the caller
// must present the service-role key itself, not merely a valid JWT (a signed-in user's token
// passes the gateway's verify_jwt but not this check).
import { HttpError } from "./cors.ts";

/** Compares without stopping at the first difference, so timing does not reveal the key. */
function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** Throws 401 unless the request's bearer is the service-role key; `what` names the function. */
export function requireServiceKey(
  req: Request,
  what: string,
  serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY"),
): void {
  if (!serviceKey) throw new HttpError(500, "The function is missing SUPABASE_SERVICE_ROLE_KEY in its environment.");
  const presented = /^Bearer\s+(.+)$/i.exec(req.headers.get("Authorization") ?? "")?.[1]?.trim() ?? "";
  if (!sameSecret(presented, serviceKey)) {
    throw new HttpError(401, `Only the server runs ${what}: call it with the service-role key.`);
  }
}
