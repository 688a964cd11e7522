// Realtime on `posts` (in the supabase_realtime publication; owners-only select policy): a
// subscriber receives the INSERTs and UPDATEs of their own posts and never another user's,
// whether they subscribe as the app does (user_id=eq.<own id>), to the whole table, or with a
// filter naming the other user. Posts are created through publish_generation, as the app does.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceClient } from './client.mjs';
import { closeRealtimeClients, eventsThrough, listen, realtimeUser, rowId } from './channels.mjs';

after(closeRealtimeClients);

/** A user with a completed generation (completed by service_role) and a mock account. */
async function publisher() {
  const u = await realtimeUser('2.0.0');
  const { data: session } = await u.client.from('sessions').insert({ title: 'Posts live' }).select().single();
  const { data: gen, error } = await u.client.from('generations')
    .insert({ session_id: session.id, prompt: 'a harbour' }).select().single();
  assert.equal(error, null);
  const done = await serviceClient().from('generations')
    .update({ status: 'completed', media_url: 'https://cdn.test/h.png' }).eq('id', gen.id);
  assert.equal(done.error, null);
  const { data: account, error: accountError } = await u.client.from('connected_accounts')
    .insert({ platform: 'instagram', handle: `p${Date.now()}${Math.floor(Math.random() * 1e6)}` }).select().single();
  assert.equal(accountError, null);
  return { ...u, gen, account };
}

/** Publishes the user's generation to their account (now, or scheduled an hour ahead); returns the post. */
async function publish(u, { scheduled = false } = {}) {
  const { data, error } = await u.client.rpc('publish_generation', {
    p_generation_id: u.gen.id,
    p_account_ids: [u.account.id],
    p_caption: 'Live',
    p_hashtags: [],
    p_scheduled_at: scheduled ? new Date(Date.now() + 3600_000).toISOString() : null,
  });
  assert.equal(error, null);
  assert.equal(data.length, 1);
  return data[0];
}

/** Cancels a scheduled post of the user's (the one update clients make directly). */
async function cancel(u, post) {
  const { data, error } = await u.client.from('posts').update({ status: 'cancelled' }).eq('id', post.id).select();
  assert.equal(error, null);
  assert.deepEqual(data.map((p) => [p.id, p.status]), [[post.id, 'cancelled']]);
}

test("posts: a subscriber gets its own post's INSERT and UPDATE, never another user's", async () => {
  const a = await publisher();
  const b = await publisher();
  const posts = { schema: 'public', table: 'posts' };
  const feed = await listen(a.client, [
    [{ event: 'INSERT', ...posts, filter: `user_id=eq.${a.user.id}` }, 'app'],
    [{ event: 'UPDATE', ...posts, filter: `user_id=eq.${a.user.id}` }, 'app'],
    [{ event: '*', ...posts }, 'table'],
    [{ event: '*', ...posts, filter: `user_id=eq.${b.user.id}` }, 'prying'],
  ]);

  // B's posts: one published now, one scheduled then cancelled by B, one updated by the server.
  const bNow = await publish(b);
  assert.equal(bNow.status, 'published');
  const bLater = await publish(b, { scheduled: true });
  await cancel(b, bLater);
  const touched = await serviceClient().from('posts').update({ caption: 'Edited by the server' }).eq('id', bNow.id);
  assert.equal(touched.error, null);

  // A's own post, committed after all of B's changes: its INSERT and UPDATE are the sentinel.
  const mine = await publish(a, { scheduled: true });
  assert.equal(mine.status, 'scheduled');
  await cancel(a, mine);
  // The whole-table binding is dispatched last for each change.
  const seen = await eventsThrough(feed.events, (e) => e.name === 'table' && e.eventType === 'UPDATE' && e.new.id === mine.id,
    "the UPDATE of A's own post");
  assert.deepEqual(seen.map((e) => [e.name, e.eventType, rowId(e)]), [
    ['app', 'INSERT', mine.id], ['table', 'INSERT', mine.id],
    ['app', 'UPDATE', mine.id], ['table', 'UPDATE', mine.id],
  ], `A's events: ${JSON.stringify(seen.map((e) => [e.name, e.eventType, e.new?.user_id]))}`);
  const [insert, , update] = seen;
  assert.equal(insert.new.user_id, a.user.id);
  assert.equal(insert.new.status, 'scheduled');
  assert.equal(update.new.status, 'cancelled');
  assert.deepEqual(update.old, { id: mine.id });
});
