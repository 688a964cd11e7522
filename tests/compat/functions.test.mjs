// supabase-js functions.invoke against the local stack's Edge Functions runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { anonClient, newUser } from './client.mjs';

test('invoke reaches the function with the caller\'s JWT, apikey and body', async () => {
  const { client, user } = await newUser('fn');
  const { data, error } = await client.functions.invoke('health?probe=1', { body: { hello: 'world' } });
  assert.equal(error, null);
  assert.equal(data.ok, true);
  assert.equal(data.method, 'POST');
  assert.equal(data.user_id, user.id);
  assert.equal(data.apikey, true);
  assert.deepEqual(data.query, { probe: '1' });
  assert.equal(data.body_bytes, JSON.stringify({ hello: 'world' }).length);
});

test('verify_jwt refuses a forged token before the function runs', async () => {
  const client = anonClient();
  const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImF1dGhlbnRpY2F0ZWQifQ.c2lnbmF0dXJl';
  const { data, error } = await client.functions.invoke('health', { headers: { Authorization: `Bearer ${forged}` } });
  assert.equal(data, null);
  assert.ok(error instanceof FunctionsHttpError);
  assert.equal(error.context.status, 401);
});

test('an unknown function is a 404 with a JSON body', async () => {
  const { client } = await newUser('fn404');
  const { error } = await client.functions.invoke('no-such-function');
  assert.ok(error instanceof FunctionsHttpError);
  assert.equal(error.context.status, 404);
  assert.equal((await error.context.json()).msg, 'Function not found');
});

test('generate-caption writes a caption within the strictest platform\'s limits', async () => {
  const { client } = await newUser('caption');
  const { data: session } = await client.from('sessions').insert({ title: 'Captions' }).select().single();
  const { data: [generation] } = await client.from('generations')
    .insert({ session_id: session.id, prompt: 'Handmade ceramic mugs on a sunny kitchen shelf, morning light' })
    .select();
  const { data, error } = await client.functions.invoke('generate-caption', {
    body: { generation_id: generation.id, tone: 'professional', platforms: ['instagram', 'threads', 'x'] },
  });
  assert.equal(error, null);
  assert.ok(data.caption.length > 0);
  assert.ok(/ceramic|mug/i.test(data.caption + data.hashtags.join(' ')), JSON.stringify(data));
  // Threads: one tag and 500 bytes; X: 280 characters for the whole text.
  assert.ok(data.hashtags.length <= 1, JSON.stringify(data.hashtags));
  const text = [data.caption, data.hashtags.join(' ')].filter(Boolean).join('\n\n');
  assert.ok([...text].length <= 280 && Buffer.byteLength(text) <= 500, text);
});

test('generate-caption refuses another user\'s generation', async () => {
  const owner = await newUser('owner');
  const other = await newUser('other');
  const { data: session } = await owner.client.from('sessions').insert({ title: 'Mine' }).select().single();
  const { data: [generation] } = await owner.client.from('generations')
    .insert({ session_id: session.id, prompt: 'private prompt' }).select();
  const { error } = await other.client.functions.invoke('generate-caption', { body: { generation_id: generation.id } });
  assert.ok(error instanceof FunctionsHttpError);
  assert.equal(error.context.status, 404);
});

test('generate-caption without a signed-in user is a 401 that says to sign in, not a 500', async () => {
  const { data, error } = await anonClient().functions.invoke('generate-caption', {
    body: { generation_id: '00000000-0000-4000-8000-000000000000' },
  });
  assert.equal(data, null);
  assert.ok(error instanceof FunctionsHttpError);
  assert.equal(error.context.status, 401);
  assert.match((await error.context.json()).error, /^Sign in first/);
});

test('generate-media without a signed-in user is a 401 that says to sign in', async () => {
  // supabase-js sends the anon key as the bearer when there is no session.
  const { data, error } = await anonClient().functions.invoke('generate-media', {
    body: { generation_ids: ['00000000-0000-4000-8000-000000000000'] },
  });
  assert.equal(data, null);
  assert.ok(error instanceof FunctionsHttpError);
  assert.equal(error.context.status, 401);
  const body = await error.context.json();
  assert.match(body.error, /^Sign in first/);
  assert.doesNotMatch(body.error, /permission denied/);
});
