#!/usr/bin/env node
// Load check for the local stack's REST API (a command, not a test): N concurrent clients,
// each signed in as its own user, send M mixed requests (insert, list with count, filter,
// update, single, delete) and every response is checked. Prints errors and p50/p99.
//   API_URL=… ANON_KEY=… node tests/bench/rest_load.mjs [clients=50] [requests=200]
// Loopback only; bounded in count and time.
const API = process.env.API_URL ?? 'http://127.0.0.1:54321';
const KEY = process.env.ANON_KEY;
const clients = Number(process.argv[2] ?? 50);
const perClient = Number(process.argv[3] ?? 200);
if (!KEY) throw new Error('set API_URL and ANON_KEY (see `supabase-local status -o env`)');
if (!/^http:\/\/(127\.|localhost)/.test(API)) throw new Error('loopback only');

async function call(method, path, token, body, headers = {}) {
  const started = performance.now();
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { apikey: KEY, authorization: `Bearer ${token ?? KEY}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

async function signUp(i) {
  const email = `load-${Date.now()}-${i}-${Math.random().toString(36).slice(2)}@bench.test`;
  const r = await call('POST', '/auth/v1/signup', null, { email, password: 'bench-pass-1' });
  if (r.status !== 200) throw new Error(`signup ${r.status} ${r.text}`);
  return JSON.parse(r.text).access_token;
}

const latencies = [];
let errors = 0;
const expect = (r, status, what) => {
  latencies.push(r.ms);
  if (r.status !== status) {
    errors += 1;
    if (errors <= 5) console.error(`${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 200)}`);
  }
};

async function client(i) {
  const token = await signUp(i);
  for (let n = 0; n < perClient; n += 6) {
    const ins = await call('POST', '/rest/v1/sessions?select=id', token, { title: `load ${i}-${n}` },
      { prefer: 'return=representation', accept: 'application/vnd.pgrst.object+json' });
    expect(ins, 201, 'insert');
    const id = ins.status === 201 ? JSON.parse(ins.text).id : '00000000-0000-0000-0000-000000000000';
    expect(await call('GET', '/rest/v1/sessions?select=id,title&order=created_at.desc&limit=20', token, undefined, { prefer: 'count=exact' }),
      200, 'list');
    expect(await call('GET', `/rest/v1/sessions?id=eq.${id}`, token), 200, 'filter');
    expect(await call('PATCH', `/rest/v1/sessions?id=eq.${id}`, token, { title: `renamed ${n}` }), 204, 'update');
    expect(await call('GET', `/rest/v1/sessions?id=eq.${id}&select=title`, token, undefined,
      { accept: 'application/vnd.pgrst.object+json' }), 200, 'single');
    expect(await call('DELETE', `/rest/v1/sessions?id=eq.${id}`, token), 204, 'delete');
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
console.log(`clients=${clients} requests=${latencies.length} errors=${errors} ` +
  `p50=${pct(50)}ms p99=${pct(99)}ms max=${latencies.at(-1).toFixed(1)}ms throughput=${(latencies.length / seconds).toFixed(0)} req/s`);
process.exit(errors === 0 ? 0 : 1);
