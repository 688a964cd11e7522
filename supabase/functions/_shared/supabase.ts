// Supabase clients for functions: one acting as the caller (RLS decides what they may see)
// and one as service_role for the writes only the server may do.
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";
import { HttpError } from "./cors.ts";

export type { SupabaseClient };

function env(name: string): string {
  const v = Deno.env.get(name);
  if (!v) throw new HttpError(500, `The function is missing ${name} in its environment.`);
  return v;
}

export function supabaseUrl(): string {
  return env("SUPABASE_URL").replace(/\/+$/, "");
}

const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** A client that runs as the caller: their Authorization header rides on every request. */
export function callerClient(req: Request): SupabaseClient {
  const authorization = req.headers.get("Authorization");
  if (!authorization) throw new HttpError(401, "Sign in first: the request has no Authorization header.");
  return createClient(supabaseUrl(), env("SUPABASE_ANON_KEY"), {
    ...options,
    global: { headers: { Authorization: authorization } },
  });
}

export function serviceClient(): SupabaseClient {
  return createClient(supabaseUrl(), env("SUPABASE_SERVICE_ROLE_KEY"), options);
}

export { callerId } from "./auth.ts";
