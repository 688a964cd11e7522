// The posts page after its Realtime socket comes back: posts changed, deleted and added while
// it was down show as they are now, without a reload — the page reads its pages again on every
// rejoin (src/services/post_pages.rs). "Another writer" is the database (the scheduler's side),
// so nothing the page itself sent can be what makes this pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newCreator, serviceRest } from './browser.mjs';
import { addMockAccount, completedGeneration, noErrors, sqlWrite, until } from './publishing.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the posts page shows what changed while its realtime socket was down, once it is back, without a reload', async () => {
  const creator = await newCreator(browser, 'posts-recovery');
  const { page, userId } = creator;
  const account = await addMockAccount(page, 'instagram', 'plover.ig');
  const generation = await completedGeneration(page, 'A ringed plover running along wet sand');
  const schedule = (caption) => sqlWrite(`insert into public.posts
    (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at)
    values ('${userId}', '${generation.id}', '${account.id}', '${caption}', '{}', 'scheduled', now() + interval '1 day')
    returning id`)[0].id;
  const changed = schedule('Changes while offline.');
  const deleted = schedule('Deleted while offline.');

  // Every realtime socket of the posts page goes through the test, which can close it and
  // refuse reconnects.
  const sockets = [];
  let down = false;
  let refused = 0;
  await page.routeWebSocket(/realtime/, (ws) => {
    if (down) {
      refused += 1;
      ws.close({ code: 4000, reason: 'test: network down' });
      return;
    }
    sockets.push({ ws, server: ws.connectToServer() });
  });
  await page.goto('/app/posts');
  await page.evaluate(() => { window.__samePage = true; });
  const list = page.getByRole('list', { name: 'Posts' });
  const item = (caption) => list.getByRole('listitem').filter({ hasText: caption });
  await item('Changes while offline.').getByText('Scheduled', { exact: true }).waitFor();
  await item('Deleted while offline.').waitFor();
  await until(() => sockets.length > 0, { what: 'a realtime socket' });

  // Live first: a post added now shows (the channel carries the user's posts before the cut).
  schedule('Arrived live.');
  await item('Arrived live.').waitFor();

  // The socket drops; meanwhile one post fails, one is deleted and one is added.
  down = true;
  const before = sockets.length;
  for (const { ws } of sockets) await ws.close({ code: 4000, reason: 'test: network down' });
  await serviceRest(`posts?id=eq.${changed}`, {
    method: 'PATCH', body: { status: 'failed', error: 'Instagram was down: use Retry post' },
  });
  await serviceRest(`posts?id=eq.${deleted}`, { method: 'DELETE' });
  schedule('Written while offline.');
  // The client notices and tries to come back; let it in.
  await until(() => refused > 0, { timeout: 10_000, what: 'a reconnect attempt while down' });
  down = false;
  await until(() => sockets.length > before, { timeout: 20_000, what: 'the client to reconnect' });

  await item('Changes while offline.').getByText('Failed', { exact: true }).waitFor();
  await item('Changes while offline.').getByText('Instagram was down: use Retry post', { exact: true }).waitFor();
  await item('Written while offline.').waitFor();
  await item('Deleted while offline.').waitFor({ state: 'detached' });
  assert.deepEqual((await list.getByRole('listitem').allInnerTexts()).map((t) => t.match(/\w+ (live|while offline)\./)[0]).sort(),
    ['Arrived live.', 'Changes while offline.', 'Written while offline.']);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload happened');
  noErrors(creator);
  await creator.context.close();
});
