// supabase-js realtime (postgres_changes) against the local stack, with both wire formats.
// Semantics follow Supabase Realtime (https://supabase.com/docs/guides/realtime/postgres-changes):
// INSERT/UPDATE reach only subscribers
// who can select the row under RLS; DELETE is not RLS-checked, carries only the primary key when
// the table has RLS, and a filter on a non-key column cannot match it (default replica identity).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { serviceClient } from './client.mjs';
import {
  closeRealtimeClients, eventsThrough, listen, realtimeClient as client, realtimeUser as user, rowId, waitFor,
} from './channels.mjs';

after(closeRealtimeClients);

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
    const bSession = await session(b.client);

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

    // Sentinels: a later row each user may see, committed after everything they must not see.
    const { data: aLater } = await a.client.from('generations').insert({ session_id: s.id, prompt: 'later' }).select().single();
    const { data: bOwn } = await b.client.from('generations').insert({ session_id: bSession.id, prompt: 'mine' }).select().single();
    const seenByA = await eventsThrough(mine.events, (e) => e.new?.id === aLater.id, "A's later INSERT");
    assert.deepEqual(seenByA.map((e) => [e.name, e.eventType, rowId(e)]), [
      ['filtered', 'INSERT', g.id], ['filtered', 'UPDATE', g.id], ['deletes', 'DELETE', g.id], ['filtered', 'INSERT', aLater.id],
    ]);

    // B never gets A's rows (no INSERT/UPDATE of g, no INSERT of aLater); the (unchecked)
    // DELETE reaches B exactly once, with the key only.
    const seenByB = await eventsThrough(other.events, (e) => e.new?.id === bOwn.id, "B's own INSERT");
    assert.deepEqual(seenByB.map((e) => [e.eventType, rowId(e)]), [['DELETE', g.id], ['INSERT', bOwn.id]],
      `B's events: ${JSON.stringify(seenByB.map((e) => [e.eventType, rowId(e), e.new.prompt]))}`);
    assert.deepEqual(seenByB[0].old, { id: g.id });
    assert.deepEqual(seenByB[0].new, {});
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
  // A later row that only neq matches: anything a filter let through wrongly came before it.
  const { data: g3 } = await a.client.from('generations').insert({ session_id: s.id, prompt: 'later' }).select().single();
  const through = await eventsThrough(events, (e) => e.new.id === g3.id, 'neq INSERT of g3');
  const label = { [g1.id]: 'g1', [g2.id]: 'g2', [g3.id]: 'g3' };
  const seen = through.map((e) => [e.name, e.eventType, label[e.new.id]]);
  assert.deepEqual(seen, [['neq', 'INSERT', 'g2'], ['in', 'UPDATE', 'g1'], ['neq', 'INSERT', 'g3']]);
  await a.client.removeAllChannels();
});

test('removeChannel stops delivery', async () => {
  const frames = [];
  const a = await user('2.0.0', frames);
  const s = await session(a.client);
  const inserts = { event: 'INSERT', schema: 'public', table: 'generations' };
  const { channel, events } = await listen(a.client, [[inserts, 'x']]);
  // A second channel keeps the socket open once the first is gone, and carries the sentinel.
  const kept = await listen(a.client, [[inserts, 'kept']]);
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'one' });
  await waitFor(events, (e) => e.new.prompt === 'one', 'first INSERT');
  assert.equal(await a.client.removeChannel(channel), 'ok');
  assert.deepEqual(a.client.getChannels().map((c) => c.topic), [kept.channel.topic]);
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'two' });
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'three' });
  await waitFor(kept.events, (e) => e.new.prompt === 'three', 'the later INSERT on the kept channel');
  assert.deepEqual(events.map((e) => e.new.prompt), ['one']);
  // Nor did the server send the removed channel anything once it had left (supabase-js would
  // drop such frames itself, so the socket's own frames are read).
  const afterLeave = frames.filter((f) => f.topic === channel.topic && f.event === 'postgres_changes')
    .map((f) => f.payload.data.record?.prompt);
  assert.deepEqual(afterLeave, ['one']);
  await a.client.removeAllChannels();
});

test('anon subscribers get no row data from RLS tables', async () => {
  const anon = client('1.0.0');
  const { events } = await listen(anon, [[{ event: '*', schema: 'public', table: 'generations' }, 'anon']]);
  const a = await user('1.0.0');
  const s = await session(a.client);
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'private' });
  await waitFor(events, () => true, 'the 401 event');
  // A second insert's error event comes after anything more the first one sent.
  await a.client.from('generations').insert({ session_id: s.id, prompt: 'private too' });
  const through = await eventsThrough(events, (_, i) => i === 1, 'the second 401 event');
  // Realtime answers a role without SELECT on the key with an error event and no record.
  assert.equal(through.length, 2);
  for (const e of through) {
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
