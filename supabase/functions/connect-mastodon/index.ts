// connect-mastodon, with the caller's JWT:
//   POST {action: "start", instance, redirect_uri} → {authorize_url}: send the browser there;
//   POST {action: "finish", state, code} or {action: "finish", state, error} (what the instance put
//   on redirect_uri) → {account}: the connected_accounts row, status active.
// See start.ts and finish.ts; tokens and secrets are stored sealed, as service_role only.
import { requireCallerId } from "../_shared/auth.ts";
import { HttpError, json, readJson, withCors } from "../_shared/cors.ts";
import { serviceClient } from "../_shared/supabase.ts";
import { finishConnection } from "./finish.ts";
import { startConnection } from "./start.ts";

Deno.serve(withCors(async (req) => {
  const userId = requireCallerId(req);
  const body = await readJson(req);
  if (body.action === "start") return json(await startConnection(body, { userId, service: serviceClient() }));
  if (body.action === "finish") return json(await finishConnection(body, { userId, service: serviceClient() }));
  throw new HttpError(400, 'Send {action: "start", instance, redirect_uri} or {action: "finish", state, code}.');
}));
