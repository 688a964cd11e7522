// The posts page after its Realtime socket comes back: posts changed, deleted and added while
// it was down show as they are now, without a reload — the page reads its pages again on every
// rejoin (src/services/post_pages.rs). "Another writer" is the database (the scheduler's side),
// so nothing the page itself sent can be what makes this pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { newCreator } from './support/auth_page.mjs';
import { postList } from './support/posts_page.mjs';
import { addMockAccount, completedGeneration, serviceRest, sqlWrite } from './support/data.mjs';
import { controlRealtime } from './support/realtime.mjs';

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
  const realtime = await controlRealtime(page);
  await page.goto('/app/posts');
  await page.evaluate(() => { window.__samePage = true; });
  const list = postList(page);
  const item = (caption) => list.getByRole('listitem').filter({ hasText: caption });
  await item('Changes while offline.').getByText('Scheduled', { exact: true }).waitFor();
  await item('Deleted while offline.').waitFor();
  await realtime.connected();

  // Live first: a post added now shows (the channel carries the user's posts before the cut).
  schedule('Arrived live.');
  await item('Arrived live.').waitFor();

  // The socket drops; meanwhile one post fails, one is deleted and one is added.
  await realtime.goDown();
  await serviceRest(`posts?id=eq.${changed}`, {
    method: 'PATCH', body: { status: 'failed', error: 'Instagram was down: use Retry post' },
  });
  await serviceRest(`posts?id=eq.${deleted}`, { method: 'DELETE' });
  schedule('Written while offline.');
  await realtime.comeBack();

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
