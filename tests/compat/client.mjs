// Shared set-up for the compatibility suite: the official supabase-js (pinned in
// package.json) pointed at the stack instance that scripts/test.sh started.
import { createClient } from '@supabase/supabase-js';
// Node 20 has no global WebSocket; realtime-js takes `ws` as its transport.
import WebSocket from 'ws';

export const API_URL = process.env.API_URL ?? 'http://127.0.0.1:54321';
export const ANON_KEY = process.env.ANON_KEY;
export const SERVICE_ROLE_KEY = process.env.SERVICE_ROLE_KEY;
if (!ANON_KEY) throw new Error('ANON_KEY is not set: run through scripts/test.sh (make test)');
// The Supabase CLI's fixed local keys (`supabase-local status -o env` prints them too).
export const PUBLISHABLE_KEY = process.env.PUBLISHABLE_KEY ?? 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const SECRET_KEY = process.env.SECRET_KEY ?? 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

/** A client with no session, as a fresh browser tab would have (`key`: the api key it holds). */
export function anonClient(key = ANON_KEY) {
  return createClient(API_URL, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket },
  });
}

/** A client acting as the server side (bypasses RLS), for arranging fixtures. */
export function serviceClient() {
  return createClient(API_URL, SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket },
  });
}

export function uniqueEmail(who) {
  return `${who}-${Date.now()}-${Math.floor(Math.random() * 1e9)}@compat.test`;
}

/** Signs a new user up and returns their signed-in client and user. */
export async function newUser(who = 'user') {
  const client = anonClient();
  const email = uniqueEmail(who);
  const { data, error } = await client.auth.signUp({ email, password: 'compat-pass-1' });
  if (error) throw error;
  return { client, user: data.user, email, password: 'compat-pass-1' };
}
