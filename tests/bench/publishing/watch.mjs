// When the publishing bench sees things happen: a post's row settling, as the app's live Posts
// page learns it (Realtime, or polling the REST API when Realtime does not subscribe), and a post
// existing on a platform (polling the server).
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** performance.now() once `check()` is true, polling every `everyMs`; null after `withinMs`. */
export async function pollUntil(check, withinMs, everyMs = 20) {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await check()) return performance.now();
    if (performance.now() > deadline) return null;
    await sleep(everyMs);
  }
}

/**
 * Watches the user's posts for `published` or `failed`. `settled(id, withinMs)` resolves with
 * { status, error, at } (at: performance.now() when it was seen) or null after `withinMs`.
 */
export async function watchPosts(stack, user) {
  const seen = new Map();
  const waiting = new Map();
  const note = (row, at) => {
    if (row.status !== 'published' && row.status !== 'failed') return;
    if (seen.has(row.id)) return;
    const hit = { status: row.status, error: row.error, at };
    seen.set(row.id, hit);
    waiting.get(row.id)?.(hit);
  };

  const client = createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket },
  });
  const { error } = await client.auth.setSession({ access_token: user.session.access_token, refresh_token: user.session.refresh_token });
  let via = 'realtime';
  let subscribeError = null;
  if (error) {
    via = 'polling';
    subscribeError = error.message;
  } else {
    const subscribed = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('no SUBSCRIBED within 10 s'), 10_000);
      client.channel(`publishing-bench-${user.id}`)
        .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'posts' }, (p) => note(p.new, performance.now()))
        .subscribe((status, err) => {
          if (status === 'SUBSCRIBED') resolve(true);
          else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') resolve(`${status} ${err?.message ?? ''}`.trim());
          else return;
          clearTimeout(timer);
        });
    });
    if (subscribed !== true) {
      via = 'polling';
      subscribeError = subscribed;
    }
  }

  return {
    via,
    subscribeError,
    async settled(id, withinMs) {
      if (seen.has(id)) return seen.get(id);
      if (via === 'polling') {
        await pollUntil(async () => {
          const [row] = await stack.call('GET', `/rest/v1/posts?id=eq.${id}&select=id,status,error`, { token: user.token });
          note(row, performance.now());
          return seen.has(id);
        }, withinMs, 50);
        return seen.get(id) ?? null;
      }
      return await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), withinMs);
        waiting.set(id, (hit) => {
          clearTimeout(timer);
          resolve(hit);
        });
      }).finally(() => waiting.delete(id));
    },
    async close() {
      await client.removeAllChannels();
    },
  };
}
