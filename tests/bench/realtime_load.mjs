#!/usr/bin/env node
// Load check for the local stack's Realtime (a command, not a test): 19 users each subscribe
// (supabase-js, own socket) to every change of public.generations, plus one shared service_role
// subscriber; then U updates (service_role, 4 in flight) go round-robin over the users' rows.
// Prints received counts, wrong-user deliveries (must be 0), out-of-order deliveries (per row,
// an update seen before an earlier one), and p50/p99 latency from update request to callback.
//   API_URL=… ANON_KEY=… SERVICE_ROLE_KEY=… node tests/bench/realtime_load.mjs [updates=500]
// Loopback only; bounded in count (≤ 5000 updates) and time (60 s of waiting).
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';

const API = process.env.API_URL ?? 'http://127.0.0.1:54321';
const ANON = process.env.ANON_KEY;
const SERVICE = process.env.SERVICE_ROLE_KEY;
const updates = Math.min(Number(process.argv[2] ?? 500), 5000);
const USERS = 19;
if (!ANON || !SERVICE) throw new Error('set API_URL, ANON_KEY and SERVICE_ROLE_KEY (see `supabase-local status -o env`)');
if (!/^http:\/\/(127\.|localhost)/.test(API)) throw new Error('loopback only');

const opts = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket } };
const sent = new Map(); // prompt -> send time
const lat = [];
const stats = { received: 0, expected: 0, wrongUser: 0, outOfOrder: 0 };

function subscribe(client, owner) {
  const lastSeq = new Map(); // row id -> last seq seen
  return new Promise((resolve, reject) => {
    client.channel(`load-${owner ?? 'shared'}`)
      .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'generations' }, (p) => {
        const t = sent.get(p.new.prompt);
        if (t === undefined) return; // not one of ours
        stats.received++;
        lat.push(performance.now() - t);
        if (owner && p.new.user_id !== owner) stats.wrongUser++;
        const seq = Number(p.new.prompt.split('-').pop());
        if ((lastSeq.get(p.new.id) ?? -1) > seq) stats.outOfOrder++;
        lastSeq.set(p.new.id, seq);
      })
      .subscribe((status, err) => (status === 'SUBSCRIBED' ? resolve() : status === 'CHANNEL_ERROR' && reject(err)));
  });
}

const service = createClient(API, SERVICE, opts);
const rows = [];
const clients = [service];
const run = `${Date.now()}`;
for (let i = 0; i < USERS; i++) {
  const c = createClient(API, ANON, opts);
  const { data, error } = await c.auth.signUp({ email: `load-${run}-${i}@bench.test`, password: 'bench-pass-1' });
  if (error) throw error;
  const { data: s } = await c.from('sessions').insert({ title: 'load' }).select().single();
  const { data: g, error: ge } = await c.from('generations').insert({ session_id: s.id, prompt: 'start' }).select().single();
  if (ge) throw ge;
  rows.push(g.id);
  clients.push(c);
  await subscribe(c, data.user.id);
}
await subscribe(service, null);

const started = performance.now();
let next = 0;
async function worker() {
  while (next < updates) {
    const i = next++;
    const prompt = `load-${run}-${i}`;
    sent.set(prompt, performance.now());
    const { error } = await service.from('generations').update({ prompt }).eq('id', rows[i % USERS]);
    if (error) throw error;
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
const writeMs = performance.now() - started;
stats.expected = updates * 2; // the owner and the shared subscriber
const deadline = performance.now() + 60_000;
while (stats.received < stats.expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));

lat.sort((a, b) => a - b);
const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(1) : 'n/a');
console.log(`clients: ${clients.length} (${USERS} users + 1 shared service_role), updates: ${updates} in ${writeMs.toFixed(0)} ms`);
console.log(`received: ${stats.received}/${stats.expected}  wrong-user: ${stats.wrongUser}  out-of-order: ${stats.outOfOrder}`);
console.log(`latency ms: p50 ${pct(0.5)}  p99 ${pct(0.99)}  max ${lat.length ? lat[lat.length - 1].toFixed(1) : 'n/a'}`);
for (const c of clients) await c.removeAllChannels();
process.exit(stats.wrongUser === 0 && stats.received === stats.expected && stats.outOfOrder === 0 ? 0 : 1);
