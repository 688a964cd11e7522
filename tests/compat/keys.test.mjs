// supabase-js with the new api keys: the CLI's publishable and secret keys work as anon and
// service_role; any other `sb_` key is the gateway's 401, on every service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient, ANON_KEY, newUser, PUBLISHABLE_KEY, SECRET_KEY, uniqueEmail } from './client.mjs';

test('an invented sb_secret_ key reads nothing and writes nothing', async () => {
  const { client } = await newUser('keys');
  const { data: [account] } = await client.from('connected_accounts')
    .insert({ platform: 'x', handle: `k${Date.now()}` }).select();
  const forged = anonClient('sb_secret_anything');
  const read = await forged.from('connected_accounts').select('user_id, handle');
  assert.equal(read.status, 401);
  assert.equal(read.error.message, 'Invalid API key');
  const promote = await forged.from('connected_accounts').update({ status: 'active' }).eq('id', account.id);
  assert.equal(promote.status, 401);
  const list = await forged.storage.from('generated_assets').list('');
  assert.equal(list.error.status, 401);
  const fn = await forged.functions.invoke('health');
  assert.equal(fn.error.context.status, 401);
  const { data: mine } = await client.from('connected_accounts').select('status').eq('id', account.id).single();
  assert.equal(mine.status, 'mock');
});

test('the CLI\'s secret key is the service role and its publishable key signs users up', async () => {
  const { client } = await newUser('keys2');
  const { data: [account] } = await client.from('connected_accounts')
    .insert({ platform: 'x', handle: `s${Date.now()}` }).select();
  const service = anonClient(SECRET_KEY);
  const { data, error } = await service.from('connected_accounts').select('id').eq('id', account.id);
  assert.equal(error, null);
  assert.deepEqual(data, [{ id: account.id }]);

  const publishable = anonClient(PUBLISHABLE_KEY);
  const email = uniqueEmail('pk');
  const signUp = await publishable.auth.signUp({ email, password: 'compat-pass-1' });
  assert.equal(signUp.error, null);
  const own = await publishable.from('sessions').insert({ title: 'with a publishable key' }).select('title');
  assert.equal(own.error, null);
  assert.deepEqual(own.data, [{ title: 'with a publishable key' }]);
});

test('a client created with a key that is not the project\'s gets the gateway\'s 401', async () => {
  const invalid = { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' };
  // A JWT-looking value that is not one of the project's keys (the anon key, one character off).
  for (const key of ['not-a-key', `${ANON_KEY.slice(0, -1)}x`]) {
    const wrong = anonClient(key);
    const read = await wrong.from('sessions').select('id');
    assert.equal(read.status, 401);
    assert.deepEqual({ message: read.error.message, hint: read.error.hint }, invalid);
    const signIn = await wrong.auth.signInWithPassword({ email: uniqueEmail('wrong'), password: 'compat-pass-1' });
    assert.equal(signIn.error.status, 401);
    assert.equal(signIn.error.message, 'Invalid API key');
    const list = await wrong.storage.from('generated_assets').list('');
    assert.equal(list.error.status, 401);
    assert.equal(list.error.message, 'Invalid API key');
  }
  // The project's own key passes the gate: GoTrue itself answers the wrong password.
  const past = await anonClient(ANON_KEY).auth.signInWithPassword({ email: uniqueEmail('right'), password: 'compat-pass-1' });
  assert.equal(past.error.status, 400);
  assert.equal(past.error.code, 'invalid_credentials');
});
