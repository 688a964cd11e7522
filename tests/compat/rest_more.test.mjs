// supabase-js against the local stack's PostgREST subset: filters, logic trees, ordering,
// ranges, embedding, upsert and RPC (publish_generation, compose_post_text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newUser, serviceClient } from './client.mjs';

/** A user with three sessions titled `titles`. */
async function withSessions(who, titles) {
  const u = await newUser(who);
  const { error } = await u.client.from('sessions').insert(titles.map((title) => ({ title })));
  assert.equal(error, null);
  return u;
}

/** A user with a completed generation (completed by service_role) and a mock account. */
async function publishable(who) {
  const u = await newUser(who);
  const { data: session } = await u.client.from('sessions').insert({ title: 'Compat RPC' }).select().single();
  const { data: gen, error } = await u.client.from('generations')
    .insert({ session_id: session.id, prompt: 'a lighthouse' }).select().single();
  assert.equal(error, null);
  const done = await serviceClient().from('generations')
    .update({ status: 'completed', media_url: 'https://cdn.test/l.png' }).eq('id', gen.id);
  assert.equal(done.error, null);
  const { data: account } = await u.client.from('connected_accounts')
    .insert({ platform: 'instagram', handle: `c${Date.now()}` }).select().single();
  return { ...u, session, gen, account };
}

const titles = (data) => data.map((r) => r.title);

test('or() with a nested and() selects either branch', async () => {
  const { client } = await withSessions('or', ['Alpha', 'Beta', 'Gamma', 'Delta']);
  const { data, error } = await client.from('sessions').select('title')
    .or('title.eq.Alpha,and(title.gt.C,title.lt.E)').order('title');
  assert.equal(error, null);
  assert.deepEqual(titles(data), ['Alpha', 'Delta']);
});

test('not(), in() and is() filter as PostgREST does', async () => {
  const { client } = await withSessions('not', ['One', 'Two', 'Three, with comma']);
  const notIn = await client.from('sessions').select('title').not('title', 'in', '(One,Two)');
  assert.deepEqual(titles(notIn.data), ['Three, with comma']);
  const inQuoted = await client.from('sessions').select('title').in('title', ['Three, with comma', 'One']).order('title');
  assert.deepEqual(titles(inQuoted.data), ['One', 'Three, with comma']);
  const isNull = await client.from('sessions').select('title').is('title', null);
  assert.deepEqual(isNull.data, []);
  const notNull = await client.from('sessions').select('title', { count: 'exact' }).not('title', 'is', null);
  assert.equal(notNull.count, 3);
});

test('like() and ilike() treat % as a wildcard', async () => {
  const { client } = await withSessions('like', ['Sunset', 'sunrise', 'Moon']);
  const like = await client.from('sessions').select('title').like('title', 'Sun%');
  assert.deepEqual(titles(like.data), ['Sunset']);
  const ilike = await client.from('sessions').select('title').ilike('title', 'sun%').order('title');
  assert.deepEqual(titles(ilike.data), ['Sunset', 'sunrise']);
});

test('order() with nullsFirst puts null display names first', async () => {
  const { client } = await newUser('nulls');
  await client.from('connected_accounts').insert([
    { platform: 'x', handle: 'a', display_name: 'Zed' },
    { platform: 'x', handle: 'b', display_name: null },
  ]);
  const first = await client.from('connected_accounts').select('handle').order('display_name', { nullsFirst: true });
  assert.deepEqual(first.data.map((r) => r.handle), ['b', 'a']);
  const last = await client.from('connected_accounts').select('handle').order('display_name', { nullsFirst: false });
  assert.deepEqual(last.data.map((r) => r.handle), ['a', 'b']);
});

test('range() pages and reports the count', async () => {
  const { client } = await withSessions('range', ['A', 'B', 'C', 'D']);
  const { data, count, status } = await client.from('sessions').select('title', { count: 'exact' }).order('title').range(1, 2);
  assert.deepEqual(titles(data), ['B', 'C']);
  assert.equal(count, 4);
  assert.equal(status, 206);
});

test('count exact with head:true returns no rows, only the count', async () => {
  const { client } = await withSessions('head', ['A', 'B']);
  const { data, count, error } = await client.from('sessions').select('*', { count: 'exact', head: true });
  assert.equal(error, null);
  assert.equal(data, null);
  assert.equal(count, 2);
});

test('embedding: to-one objects, to-many arrays and !inner', async () => {
  const { client, session, gen, account } = await publishable('embed');
  const pub = await client.rpc('publish_generation', {
    p_generation_id: gen.id, p_account_ids: [account.id], p_caption: 'Embedded', p_hashtags: ['#sea'],
  });
  assert.equal(pub.error, null);
  const posts = await client.from('posts')
    .select('caption,account:connected_accounts(handle,platform),generation:generations(prompt,media_url)');
  assert.deepEqual(posts.data, [{
    caption: 'Embedded',
    account: { handle: account.handle, platform: 'instagram' },
    generation: { prompt: 'a lighthouse', media_url: 'https://cdn.test/l.png' },
  }]);
  const sessions = await client.from('sessions').select('title,generations(id,status)').eq('id', session.id);
  assert.deepEqual(sessions.data, [{ title: 'Compat RPC', generations: [{ id: gen.id, status: 'completed' }] }]);
  const inner = await client.from('sessions').select('title,generations!inner(id)').eq('generations.status', 'failed');
  assert.deepEqual(inner.data, []);
  const none = await client.from('sessions').select('title,nope(id)');
  assert.equal(none.error.code, 'PGRST200');
});

// Clients may not rewrite a session's id (their update grant is title only), and PostgREST's
// upsert sets every column it was sent, the conflict key included: a signed-in user's upsert
// of sessions is refused, so the upsert semantics are checked as service_role, whose grants
// allow it.
test('upsert() with onConflict updates the existing row', async () => {
  const { client, user } = await newUser('upsert');
  const admin = serviceClient();
  const { data: row } = await client.from('sessions').insert({ title: 'Before' }).select().single();
  const up = await admin.from('sessions').upsert({ id: row.id, user_id: user.id, title: 'After' }, { onConflict: 'id' }).select();
  assert.equal(up.error, null);
  assert.equal(up.status, 200);
  assert.deepEqual(titles(up.data), ['After']);
  const ignored = await admin.from('sessions')
    .upsert({ id: row.id, user_id: user.id, title: 'Ignored' }, { onConflict: 'id', ignoreDuplicates: true }).select();
  assert.deepEqual(ignored.data, []);
  const again = await client.from('sessions').select('title').eq('id', row.id).single();
  assert.equal(again.data.title, 'After');
});

test('a signed-in user\'s upsert of a session is refused with 42501 and changes nothing', async () => {
  const { client } = await newUser('upsert-refused');
  const { data: row } = await client.from('sessions').insert({ title: 'Kept' }).select().single();
  const up = await client.from('sessions').upsert({ id: row.id, title: 'Overwritten' }, { onConflict: 'id' }).select();
  assert.equal(up.status, 403);
  assert.equal(up.error.code, '42501');
  const again = await client.from('sessions').select('title').eq('id', row.id).single();
  assert.equal(again.data.title, 'Kept');
});

test('rpc publish_generation returns the posts it created', async () => {
  const { client, gen, account } = await publishable('rpc');
  const { data, error, status } = await client.rpc('publish_generation', {
    p_generation_id: gen.id, p_account_ids: [account.id], p_caption: 'Hello', p_hashtags: ['#one', '#two'],
  });
  assert.equal(error, null);
  assert.equal(status, 200);
  assert.equal(data.length, 1);
  assert.equal(data[0].status, 'published');
  assert.deepEqual(data[0].hashtags, ['#one', '#two']);
});

test('rpc publish_generation refusal carries the code and message', async () => {
  const { client, gen, account } = await publishable('refuse');
  const bad = await client.rpc('publish_generation', {
    p_generation_id: gen.id, p_account_ids: [account.id], p_caption: 'x', p_hashtags: ['no spaces allowed'],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.error.code, '22023');
  assert.equal(bad.error.message, 'Hashtag "no spaces allowed" is not valid');
  assert.equal(bad.error.hint, 'A hashtag is # followed by letters, digits or underscores.');
  const stranger = await newUser('stranger');
  const denied = await stranger.client.rpc('publish_generation', {
    p_generation_id: gen.id, p_account_ids: [account.id], p_caption: 'x', p_hashtags: [],
  });
  assert.equal(denied.status, 403);
  assert.equal(denied.error.code, '42501');
  const missing = await client.rpc('publish_generation', { p_generation_id: gen.id });
  assert.equal(missing.status, 404);
  assert.equal(missing.error.code, 'PGRST202');
});

test('rpc with get:true calls the immutable compose_post_text', async () => {
  const { client } = await newUser('get');
  const { data, error } = await client.rpc('compose_post_text', { p_caption: 'Hi', p_hashtags: ['#a', '#b'] }, { get: true });
  assert.equal(error, null);
  assert.equal(data, 'Hi\n\n#a #b');
});
