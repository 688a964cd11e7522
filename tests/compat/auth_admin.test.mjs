// supabase-js `auth.admin.createUser` against the local stack: the service role creates users
// (as a back office or a seed script would), which then sign in like any other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient, newUser, serviceClient, uniqueEmail } from './client.mjs';

test('admin.createUser creates a confirmed user who signs in with the password', async () => {
  const email = uniqueEmail('admin-create');
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password: 'compat-admin-1',
    email_confirm: true,
    user_metadata: { display_name: 'Ada' },
    app_metadata: { plan: 'pro' },
  });
  assert.equal(error, null);
  assert.equal(data.user.email, email);
  assert.ok(data.user.email_confirmed_at);
  assert.equal(data.user.user_metadata.display_name, 'Ada');
  assert.deepEqual(data.user.app_metadata, { provider: 'email', providers: ['email'], plan: 'pro' });

  const signedIn = await anonClient().auth.signInWithPassword({ email, password: 'compat-admin-1' });
  assert.equal(signedIn.error, null);
  assert.equal(signedIn.data.user.id, data.user.id);
  assert.equal(signedIn.data.user.app_metadata.plan, 'pro');
});

test('admin.createUser with a taken address fails with email_exists', async () => {
  const { email } = await newUser('admin-dup');
  const { data, error } = await serviceClient().auth.admin.createUser({ email, password: 'compat-admin-1' });
  assert.equal(data.user, null);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'email_exists');
  assert.equal(error.message, 'A user with this email address has already been registered');
});

test('admin.createUser is refused to the anon key and to a signed-in user', async () => {
  const email = uniqueEmail('admin-refused');
  const asAnon = await anonClient().auth.admin.createUser({ email, password: 'compat-admin-1', email_confirm: true });
  assert.equal(asAnon.error.status, 403);
  assert.equal(asAnon.error.code, 'not_admin');
  assert.equal(asAnon.error.message, 'User not allowed');
  const { client } = await newUser('admin-caller');
  const asUser = await client.auth.admin.createUser({ email, password: 'compat-admin-1', email_confirm: true });
  assert.equal(asUser.error?.status, 403);
  const signIn = await anonClient().auth.signInWithPassword({ email, password: 'compat-admin-1' });
  assert.equal(signIn.error.code, 'invalid_credentials', 'no user was created');
});
