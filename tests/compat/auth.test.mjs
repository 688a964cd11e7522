// supabase-js auth against the local stack: the calls the app and any Supabase client make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient, newUser, uniqueEmail } from './client.mjs';

test('signUp returns a session for an auto-confirmed user', async () => {
  const client = anonClient();
  const email = uniqueEmail('signup');
  const { data, error } = await client.auth.signUp({ email, password: 'compat-pass-1' });
  assert.equal(error, null);
  assert.equal(data.user.email, email);
  assert.ok(data.session?.access_token);
  assert.equal(data.session.user.id, data.user.id);
});

test('signUp with a taken email fails with user_already_exists', async () => {
  const { email } = await newUser('dup');
  const { data, error } = await anonClient().auth.signUp({ email, password: 'compat-pass-1' });
  assert.equal(data.session, null);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'user_already_exists');
});

test('signUp with a short password fails with weak_password', async () => {
  const { error } = await anonClient().auth.signUp({ email: uniqueEmail('weak'), password: '123' });
  assert.equal(error.status, 422);
  assert.equal(error.code, 'weak_password');
});

test('signInWithPassword signs in, and a wrong password is invalid_credentials', async () => {
  const { email, password } = await newUser('signin');
  const client = anonClient();
  const ok = await client.auth.signInWithPassword({ email, password });
  assert.equal(ok.error, null);
  assert.equal(ok.data.user.email, email);
  const bad = await anonClient().auth.signInWithPassword({ email, password: 'nope-nope' });
  assert.equal(bad.error.status, 400);
  assert.equal(bad.error.code, 'invalid_credentials');
  assert.equal(bad.error.message, 'Invalid login credentials');
});

test('getUser returns the signed-in user', async () => {
  const { client, user } = await newUser('getuser');
  const { data, error } = await client.auth.getUser();
  assert.equal(error, null);
  assert.equal(data.user.id, user.id);
});

test('refreshSession rotates the refresh token and keeps the user', async () => {
  const { client, user } = await newUser('refresh');
  const before = (await client.auth.getSession()).data.session;
  const { data, error } = await client.auth.refreshSession();
  assert.equal(error, null);
  assert.equal(data.user.id, user.id);
  assert.notEqual(data.session.refresh_token, before.refresh_token);
});

test('a made-up refresh token is refused', async () => {
  const client = anonClient();
  const { error } = await client.auth.refreshSession({ refresh_token: 'abcdefghijklmnopqrstuvwxyz' });
  assert.equal(error.status, 400);
  assert.equal(error.code, 'refresh_token_not_found');
});

test('signOut revokes the session: its refresh token stops working', async () => {
  const { client } = await newUser('signout');
  const { refresh_token } = (await client.auth.getSession()).data.session;
  assert.equal((await client.auth.signOut()).error, null);
  const { error } = await anonClient().auth.refreshSession({ refresh_token });
  assert.equal(error.status, 400);
});

test('signUp refuses an address GoTrue refuses, and no account is created', async () => {
  const email = uniqueEmail('a<b');
  const { data, error } = await anonClient().auth.signUp({ email, password: 'compat-pass-1' });
  assert.equal(data.user, null);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'validation_failed');
  assert.equal(error.message, 'Unable to validate email address: invalid format');
  const signIn = await anonClient().auth.signInWithPassword({ email, password: 'compat-pass-1' });
  assert.equal(signIn.error.code, 'invalid_credentials');
});
