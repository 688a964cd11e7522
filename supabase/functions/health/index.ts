// A diagnostics function: answers with what it received (method, path, query, caller) and
// the runtime's view, so a developer can see the functions gateway end to end.
import { callerId } from "../_shared/auth.ts";
import { json, preflight } from "../_shared/cors.ts";

Deno.serve(async (req: Request) => {
  const pre = preflight(req);
  if (pre) return pre;
  const url = new URL(req.url);
  const body = new Uint8Array(await req.arrayBuffer());
  return json({
    ok: true,
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    user_id: callerId(req),
    apikey: req.headers.has("apikey"),
    client_info: req.headers.get("x-client-info"),
    body_bytes: body.length,
    supabase_url: Deno.env.get("SUPABASE_URL") ?? null,
    deno: Deno.version.deno,
  });
});
