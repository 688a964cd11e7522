// supabase-js realtime (postgres_changes) against the local stack, with both wire formats.
// Semantics follow Supabase Realtime (reference §4.6–4.9): INSERT/UPDATE reach only subscribers
// who can select the row under RLS; DELETE is not RLS-checked, carries only the primary key when
// the table has RLS, and a filter on a non-key column cannot match it (default replica identity).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { createHmac } from 'node:crypto';
import { API_URL, ANON_KEY, serviceClient, uniqueEmail } from './client.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function client(vsn) {
  return createClient(API_URL, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket, vsn },
  });
}

async function user(vsn) {
  const c = client(vsn);
  const { data, error } = await c.auth.signUp({ email: uniqueEmail('rt'), password: 'compat-pass-1' });
  if (error) throw error;
  return { client: c, user: data.user };
}

/** Subscribes `bindings` ([filter, name]) on a new channel; resolves once SUBSCRIBED. */
async function listen(c, bindings) {
  const events = [];
  let channel = c.channel(`t-${Math.random().toString(36).slice(2)}`);
  for (const [filter, name] of bindings) {
    channel = channel.on('postgres_changes', filter, (p) => events.push({ name, ...p }));
  }
  await new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status !== 'CLOSED') reject(err ?? new Error(status));
    });
  });
  return { channel, events };
}

/** Waits until `pred` holds for some event (or fails after 5 s). */
async function waitFor(events, pred, what) {
  for (let i = 0; i < 100; i++) {
    const e = events.find(pred);
    if (e) return e;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => [e.name, e.eventType]))}`);
}

async function session(c) {
  const { data, error } = await c.from('sessions').insert({ title: 'rt' }).select().single();
  if (error) throw error;
  return data;
}

for (const vsn of ['1.0.0', '2.0.0']) {
  test(`vsn ${vsn}: own generation INSERT, UPDATE, DELETE; another user sees none of it`, async () => {
    const a = await user(vsn);
    const b = await user(vsn);
    assert.equal(a.client.realtime.vsn, vsn);
    const s = await session(a.client);
    const table = { schema: 'public', table: 'generations' };
    const mine = await listen(a.client, [
      [{ event: '*', ...table, filter: `session_id=eq.${s.id}` }, 'filtered'],
      [{ event: 'DELETE', ...table }, 'deletes'],
    ]);
    const other = await listen(b.client, [[{ event: '*', ...table }, 'other']]);

    const { data: g, error } = await a.client.from('generations').insert({ session_id: s.id, prompt: 'a cat' }).select().single();
    assert.equal(error, null);
    const ins = await waitFor(mine.events, (e) => e.eventType === 'INSERT', 'INSERT');
    assert.equal(ins.name, 'filtered');
    assert.equal(ins.schema, 'public');
    assert.equal(ins.table, 'generations');
    assert.equal(ins.new.id, g.id);
    assert.equal(ins.new.prompt, 'a cat');
    assert.equal(ins.new.status, 'queued');
    assert.deepEqual(ins.old, {});
    assert.match(ins.commit_timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(ins.errors, null);

    const upd = await serviceClient().from('generations')
      .update({ status: 'completed', media_url: 'https://media.test/a.png' }).eq('id', g.id);
    assert.equal(upd.error, null);
    const u = await waitFor(mine.events, (e) => e.eventType === 'UPDATE', 'UPDATE');
    assert.equal(u.new.status, 'completed');
    assert.equal(u.new.media_url, 'https://media.test/a.png');
    assert.deepEqual(u.old, { id: g.id }, 'default replica identity: old carries the key');

    const del = await a.client.from('generations').delete().eq('id', g.id);
    assert.equal(del.error, null);
    const d = await waitFor(mine.events, (e) => e.eventType === 'DELETE', 'DELETE');
    assert.equal(d.name, 'deletes');
    assert.deepEqual(d.old, { id: g.id }, 'RLS table: DELETE carries only the primary key');
    await sleep(300);
    assert.deepEqual(mine.events.map((e) => [e.name, e.eventType]), [['filtered', 'INSERT'], ['filtered', 'UPDATE'], ['deletes', 'DELETE']]);

    // B never gets A's row: no INSERT/UPDATE; the (unchecked) DELETE has the key only.
    for (const e of other.events) {
      assert.equal(e.eventType, 'DELETE', `other user got ${e.eventType}`);
      assert.deepEqual(e.old, { id: g.id });
      assert.deepEqual(e.new, {});
    }
    await a.client.removeAllChannels();
    await b.client.removeAllChannels();
  });
}

test('filters neq and in, on INSERT and UPDATE', async () => {
  const a = await user('2.0.0');
  const s = await session(a.client);
  const table = { event: '*', schema: 'public', table: 'generations' };
  const { events } = await listen(a.client, [
    [{ ...table, filter: 'prompt=neq.skip me' }, 'neq'],
    [{ ...table, filter: 'status=in.(completed,failed)' }, 'in'],
  ]);
  const { data: g1 } = await a.client.from('generations').insert({ session_id: s.id, prompt: 'skip me' }).select().single();
  const { data: g2 } = await a.client.from('generations').insert({ session_id: s.id, prompt: 'keep me' }).select().single();
  await waitFor(events, (e) => e.name === 'neq' && e.new.id === g2.id, 'neq INSERT of g2');
  await serviceClient().from('generations').update({ status: 'failed', error: 'boom' }).eq('id', g1.id);
  await waitFor(events, (e) => e.name === 'in' && e.new.id === g1.id, 'in UPDATE of g1');
  await sleep(300);
  const seen = events.map((e) => [e.name, e.eventType, e.new.id === g1.id ? 'g1' : 'g2']);
  assert.deepEqual(seen, [['neq', 'INSERT', 'g2'], ['in', 'UPDATE', 'g1']]);
  await a.client.removeAllChannels();
});

test('removeChannel stops delivery', async () => {
  const a = await user('2.0.0');
  const s = await session(a.client);
  const { channel, events } = await listen(a.client, [[{ event: 'INSERT', schema: 'public', table: 'generations' }, 'x']]);
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'one' });
  await waitFor(events, (e) => e.new.prompt === 'one', 'first INSERT');
  assert.equal(await a.client.removeChannel(channel), 'ok');
  assert.equal(a.client.getChannels().length, 0);
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'two' });
  await sleep(500);
  assert.deepEqual(events.map((e) => e.new.prompt), ['one']);
});

test('anon subscribers get no row data from RLS tables', async () => {
  const anon = client('1.0.0');
  const { events } = await listen(anon, [[{ event: '*', schema: 'public', table: 'generations' }, 'anon']]);
  const a = await user('1.0.0');
  const s = await session(a.client);
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'private' });
  await waitFor(events, () => true, 'the 401 event');
  await sleep(300);
  // Realtime answers a role without SELECT on the key with an error event and no record.
  assert.equal(events.length, 1);
  for (const e of events) {
    assert.deepEqual(e.new, {});
    assert.deepEqual(e.errors, ['Error 401: Unauthorized']);
  }
  await anon.removeAllChannels();
});

test('an expired access token is refused at join', async () => {
  const c = client('2.0.0');
  const secret = process.env.JWT_SECRET ?? 'super-secret-jwt-token-with-at-least-32-characters-long';
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ role: 'authenticated', sub: 'x', exp: Math.floor(Date.now() / 1000) - 30 })}`;
  const sig = createHmac('sha256', secret).update(body).digest('base64url');
  c.realtime.setAuth(`${body}.${sig}`);
  const ch = c.channel('expired');
  const err = await new Promise((resolve) => ch.subscribe((status, e) => status === 'CHANNEL_ERROR' && resolve(e)));
  assert.match(String(err?.message), /^InvalidJWTToken: Token has expired 3\d seconds ago$/);
  await c.removeAllChannels();
});
