// supabase-js from() against the local stack: reads, writes, counts and RLS on sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient, newUser } from './client.mjs';

test('insert returns the row with server defaults, select reads it back', async () => {
  const { client, user } = await newUser('rest');
  const ins = await client.from('sessions').insert({ title: 'Compat one' }).select().single();
  assert.equal(ins.error, null);
  assert.equal(ins.data.user_id, user.id);
  const sel = await client.from('sessions').select('id,title').eq('id', ins.data.id);
  assert.deepEqual(sel.data, [{ id: ins.data.id, title: 'Compat one' }]);
});

test('count exact and order with limit', async () => {
  const { client } = await newUser('count');
  await client.from('sessions').insert([{ title: 'A' }, { title: 'B' }, { title: 'C' }]);
  const { data, count, error } = await client.from('sessions')
    .select('title', { count: 'exact' }).order('title', { ascending: false }).limit(2);
  assert.equal(error, null);
  assert.equal(count, 3);
  assert.deepEqual(data.map((r) => r.title), ['C', 'B']);
});

test('single() on no rows is PGRST116; maybeSingle() is null', async () => {
  const { client } = await newUser('single');
  const one = await client.from('sessions').select().eq('title', 'missing').single();
  assert.equal(one.error.code, 'PGRST116');
  assert.equal(one.status, 406);
  const maybe = await client.from('sessions').select().eq('title', 'missing').maybeSingle();
  assert.equal(maybe.error, null);
  assert.equal(maybe.data, null);
});

test('update and delete change only matching rows of the caller', async () => {
  const { client } = await newUser('write');
  const { data: row } = await client.from('sessions').insert({ title: 'Before' }).select().single();
  const upd = await client.from('sessions').update({ title: 'After' }).eq('id', row.id).select();
  assert.deepEqual(upd.data.map((r) => r.title), ['After']);
  const del = await client.from('sessions').delete().eq('id', row.id);
  assert.equal(del.error, null);
  const left = await client.from('sessions').select().eq('id', row.id);
  assert.deepEqual(left.data, []);
});

test('another user can neither read nor change a session', async () => {
  const ana = await newUser('ana');
  const bo = await newUser('bo');
  const { data: row } = await ana.client.from('sessions').insert({ title: 'Ana only' }).select().single();
  assert.deepEqual((await bo.client.from('sessions').select().eq('id', row.id)).data, []);
  const upd = await bo.client.from('sessions').update({ title: 'Bo was here' }).eq('id', row.id).select();
  assert.deepEqual(upd.data, []);
  await bo.client.from('sessions').delete().eq('id', row.id);
  const reread = await ana.client.from('sessions').select('title').eq('id', row.id).single();
  assert.equal(reread.data.title, 'Ana only');
});

// Refused by the column grants (clients insert a session's id and title only) before RLS's
// owner check would refuse it too.
test('planting a row on another user is refused with 42501', async () => {
  const ana = await newUser('ana');
  const bo = await newUser('bo');
  const { error, status } = await bo.client.from('sessions').insert({ title: 'Planted', user_id: ana.user.id });
  assert.equal(status, 403);
  assert.equal(error.code, '42501');
  assert.deepEqual((await ana.client.from('sessions').select('title')).data, []);
});

test('a session keeps its id and created_at: a client may rename it only', async () => {
  const { client } = await newUser('rail');
  const { data: older } = await client.from('sessions').insert({ title: 'Older' }).select().single();
  await client.from('sessions').insert({ title: 'Newer' });
  const bump = await client.from('sessions').update({ created_at: '2999-01-01T00:00:00Z' }).eq('id', older.id).select();
  assert.equal(bump.status, 403);
  assert.equal(bump.error.code, '42501');
  const move = await client.from('sessions').update({ id: crypto.randomUUID() }).eq('id', older.id).select();
  assert.equal(move.status, 403);
  assert.equal(move.error.code, '42501');
  const rail = await client.from('sessions').select('id,title').order('created_at', { ascending: false });
  assert.deepEqual(rail.data.map((s) => s.title), ['Newer', 'Older']);
  assert.equal(rail.data[1].id, older.id);
});

test('anon is refused, unknown tables and columns get PostgREST errors', async () => {
  const anon = await anonClient().from('sessions').select();
  assert.equal(anon.status, 401);
  assert.equal(anon.error.code, '42501');
  const { client } = await newUser('errors');
  const table = await client.from('nope').select();
  assert.equal(table.status, 404);
  assert.equal(table.error.code, 'PGRST205');
  const column = await client.from('sessions').select('nope');
  assert.equal(column.status, 400);
  assert.equal(column.error.code, '42703');
  const uuid = await client.from('sessions').select().eq('id', 'not-a-uuid');
  assert.equal(uuid.status, 400);
  assert.equal(uuid.error.code, '22P02');
});
