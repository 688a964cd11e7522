// supabase-js `auth.updateUser` against the local stack: the "Change password" flow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient, newUser } from './client.mjs';

test('updateUser changes the password: the new one signs in, the old one does not', async () => {
  const { client, user, email, password } = await newUser('update-pw');
  const { data, error } = await client.auth.updateUser({ password: 'compat-new-2', data: { theme: 'dark' } });
  assert.equal(error, null);
  assert.equal(data.user.id, user.id);
  assert.equal(data.user.user_metadata.theme, 'dark');
  // The session that changed the password goes on working.
  assert.equal((await client.auth.getUser()).data.user.user_metadata.theme, 'dark');

  const withNew = await anonClient().auth.signInWithPassword({ email, password: 'compat-new-2' });
  assert.equal(withNew.error, null);
  const withOld = await anonClient().auth.signInWithPassword({ email, password });
  assert.equal(withOld.error.code, 'invalid_credentials');
});

test('updateUser refuses a weak password and the current one, keeping the password', async () => {
  const { client, email, password } = await newUser('update-weak');
  const weak = await client.auth.updateUser({ password: '123' });
  assert.equal(weak.error.status, 422);
  assert.equal(weak.error.code, 'weak_password');
  assert.equal(weak.error.message, 'Password should be at least 6 characters.');
  assert.deepEqual(weak.error.reasons, ['length']);
  const same = await client.auth.updateUser({ password });
  assert.equal(same.error.status, 422);
  assert.equal(same.error.code, 'same_password');
  assert.equal(same.error.message, 'New password should be different from the old password.');
  const signIn = await anonClient().auth.signInWithPassword({ email, password });
  assert.equal(signIn.error, null);
});

test('updateUser after signOut is refused', async () => {
  const { client, email, password } = await newUser('update-out');
  const { access_token } = (await client.auth.getSession()).data.session;
  await client.auth.signOut();
  // The signed-out browser tab still holds the old access token.
  const stale = anonClient();
  const res = await fetch(`${process.env.API_URL}/auth/v1/user`, {
    method: 'PUT',
    headers: { apikey: process.env.ANON_KEY, authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ password: 'compat-new-2' }),
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error_code, 'session_not_found');
  assert.equal((await stale.auth.signInWithPassword({ email, password })).error, null, 'the password is unchanged');
  // Without a session supabase-js does not even send the request.
  const none = await client.auth.updateUser({ password: 'compat-new-2' });
  assert.equal(none.error.name, 'AuthSessionMissingError');
});
