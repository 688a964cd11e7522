// When the database committed each generation's completion, as Realtime reports it: a
// supabase-js client in this process, signed in as the bench user, follows UPDATEs of that
// user's generations and keeps each row's `commit_timestamp` (the transaction's commit time;
// the local stack runs PostgreSQL with track_commit_timestamp=on) when it turns completed.
// Same machine, same system clock as the page's Date.now().
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';

/** Follows `user`'s generations; resolves once subscribed. `completed` maps id → commit ms (epoch). */
export async function followCompletions({ apiUrl, anonKey }, user) {
  const client = createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket },
  });
  await client.realtime.setAuth(user.token);
  const completed = new Map();
  const channel = client.channel(`bench-commits-${user.id}`).on('postgres_changes',
    { event: 'UPDATE', schema: 'public', table: 'generations', filter: `user_id=eq.${user.id}` },
    (payload) => {
      if (payload.new?.status === 'completed' && !completed.has(payload.new.id)) completed.set(payload.new.id, Date.parse(payload.commit_timestamp));
    });
  await new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status !== 'CLOSED') reject(err ?? new Error(`realtime: ${status}`));
    });
  });
  return {
    completed,
    /** Resolves once `n` completions arrived, or after `timeoutMs` with what there is. */
    async waitFor(n, timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (completed.size < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return completed;
    },
    async close() {
      await client.removeAllChannels().catch(() => {});
      client.realtime.disconnect();
    },
  };
}
