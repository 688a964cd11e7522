// supabase-js from() against the stack's REST limits and JSON paths: `[api] max_rows = 1000`
// (supabase/config.toml) caps a read as PostgREST's db-max-rows does, range() pages past it;
// `params->>key` selects and filters inside generations.params; a select list past
// PostgreSQL's 1,664 entries is a 400 error object, not a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newUser } from './client.mjs';

async function sessionOf(client, title) {
  const { data, error } = await client.from('sessions').insert({ title }).select('id').single();
  assert.equal(error, null);
  return data.id;
}

test('a read returns at most max_rows (1000) rows and range() reaches the rest', async () => {
  const { client } = await newUser('maxrows');
  const session = await sessionOf(client, 'Max rows');
  const rows = Array.from({ length: 1100 }, (_, i) => ({ session_id: session, prompt: `p${i}` }));
  const ins = await client.from('generations').insert(rows).select('id');
  assert.equal(ins.error, null);
  assert.equal(ins.data.length, 1100, 'the representation of a write is not capped');

  const all = await client.from('generations').select('id', { count: 'exact' })
    .eq('session_id', session).order('created_at').order('id');
  assert.equal(all.error, null);
  assert.equal(all.data.length, 1000);
  assert.equal(all.count, 1100);
  assert.equal(all.status, 206);

  const rest = await client.from('generations').select('id')
    .eq('session_id', session).order('created_at').order('id').range(1000, 1999);
  assert.equal(rest.error, null);
  assert.equal(rest.data.length, 100);
  const ids = new Set([...all.data, ...rest.data].map((r) => r.id));
  assert.equal(ids.size, 1100, 'the two pages hold every row once');

  const big = await client.from('generations').select('id').eq('session_id', session).range(0, 1999);
  assert.equal(big.data.length, 1000);
  const limited = await client.from('generations').select('id').eq('session_id', session).limit(5000);
  assert.equal(limited.data.length, 1000);
});

test("select('id, params->>aspect_ratio') and filters read inside a jsonb column", async () => {
  const { client } = await newUser('jsonpath');
  const session = await sessionOf(client, 'JSON paths');
  const params = { aspect_ratio: '16:9', size: { w: 1024, h: 576 } };
  const { data: g } = await client.from('generations')
    .insert({ session_id: session, prompt: 'a fox', params }).select('id').single();

  const sel = await client.from('generations').select('id, params->>aspect_ratio').eq('id', g.id);
  assert.equal(sel.error, null);
  assert.deepEqual(sel.data, [{ id: g.id, aspect_ratio: '16:9' }]);
  const aliased = await client.from('generations')
    .select('ratio:params->>aspect_ratio, size:params->size, w:params->size->>w::int').eq('id', g.id);
  assert.deepEqual(aliased.data, [{ ratio: '16:9', size: { w: 1024, h: 576 }, w: 1024 }]);

  const byRatio = await client.from('generations').select('id')
    .eq('session_id', session).eq('params->>aspect_ratio', '16:9');
  assert.deepEqual(byRatio.data, [{ id: g.id }]);
  const none = await client.from('generations').select('id')
    .eq('session_id', session).eq('params->>aspect_ratio', '1:1');
  assert.deepEqual(none.data, []);
  const byWidth = await client.from('generations').select('id')
    .eq('session_id', session).filter('params->size->w', 'eq', 1024);
  assert.deepEqual(byWidth.data, [{ id: g.id }]);
});

test('a select of 2,001 columns is a 400 error object', async () => {
  const { client } = await newUser('wide');
  const { data, error, status } = await client.from('generations').select(Array(2001).fill('id').join(','));
  assert.equal(data, null);
  assert.equal(status, 400);
  assert.equal(error.code, '54011');
  assert.equal(error.message, 'target lists can have at most 1664 entries');
});
