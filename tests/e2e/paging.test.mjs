// Paging journeys: the session rail and the posts page load a page at a time. More sessions
// and posts than a page are seeded through REST as the service role; "Load more sessions" /
// "Load more posts" bring the rest in order, each once, and disappear at the end; new rows
// arrive on top, and a change to a post of a page not loaded does not make it appear.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { newCreator } from './support/auth_page.mjs';
import { createSession, sessionIdOf, sessionRail } from './support/generate_page.mjs';
import { postList } from './support/posts_page.mjs';
import { addMockAccount, completedGeneration, serviceRest } from './support/data.mjs';

/** The rail's page size (RAIL_PAGE in src/services/sessions.rs) and the posts page's (POSTS_PAGE). */
const RAIL_PAGE = 30;
const POSTS_PAGE = 20;
const SESSIONS = 2 * RAIL_PAGE + 5;
const POSTS = 2 * POSTS_PAGE + 5;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const pad = (n) => String(n).padStart(2, '0');
/** `n` minutes before a fixed instant an hour ago, so seeded rows are older than any new one. */
const minutesAgo = (n) => new Date(Date.now() - 3_600_000 - n * 60_000).toISOString();

test('The session rail loads a page of sessions and "Load more sessions" brings the rest, in order', async () => {
  const creator = await newCreator(browser, 'rail-pages');
  const { page, userId } = creator;
  // Seeded newest first: "Seeded 01" is the newest. Three share one instant (ties break on id).
  const tie = minutesAgo(40);
  const rows = Array.from({ length: SESSIONS }, (_, i) => ({
    user_id: userId, title: `Seeded ${pad(i + 1)}`, created_at: i >= 39 && i <= 41 ? tie : minutesAgo(i),
  }));
  const seeded = await serviceRest('sessions?select=id,title,created_at', { method: 'POST', body: rows });
  // The order the server pages in: created_at desc, then id desc.
  const expected = [...seeded]
    .sort((a, b) => (Date.parse(b.created_at) - Date.parse(a.created_at)) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0))
    .map((s) => s.title);

  await page.reload();
  const rail = sessionRail(page);
  const entries = rail.getByRole('link', { name: /Seeded \d\d/ });
  const more = rail.getByRole('button', { name: 'Load more sessions' });
  await more.waitFor();
  const titles = async () => (await entries.allInnerTexts()).map((t) => t.match(/Seeded \d\d/)[0]);
  assert.deepEqual(await titles(), expected.slice(0, RAIL_PAGE), 'the newest page, newest first');

  // By mouse, then by keyboard: the button keeps focus while more remain.
  await more.click();
  await until(async () => (await entries.count()) === 2 * RAIL_PAGE, { what: 'the second page' });
  assert.deepEqual(await titles(), expected.slice(0, 2 * RAIL_PAGE));
  await more.focus();
  await page.keyboard.press('Enter');
  await until(async () => (await entries.count()) === SESSIONS, { what: 'the last page' });
  assert.deepEqual(await titles(), expected, 'every session once, in the server\'s order');
  await more.waitFor({ state: 'detached' });
  // With the button gone, focus is on the first session the last page brought.
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  assert.match(focused, new RegExp(expected[2 * RAIL_PAGE]));

  // A new session goes on top.
  await createSession(page, 'Fresh on top');
  await until(async () => (await rail.getByRole('link').first().innerText()).includes('Fresh on top'),
    { what: 'the new session on top' });
  assert.equal(await entries.count(), SESSIONS);

  // An old session opened by its URL shows before its page is loaded, and paging then
  // neither repeats nor loses one.
  const oldest = seeded.find((s) => s.title === expected.at(-1));
  await page.goto(`/app/generate/${oldest.id}`);
  await page.getByRole('heading', { level: 1, name: oldest.title }).waitFor();
  // The first page now starts with the new session: 29 seeded ones, and the opened one last.
  await until(async () => (await entries.count()) === RAIL_PAGE, { what: 'the first page and the opened session' });
  assert.deepEqual(await titles(), [...expected.slice(0, RAIL_PAGE - 1), oldest.title]);
  assert.equal(sessionIdOf(page), oldest.id);
  await more.click();
  await until(async () => (await entries.count()) === 2 * RAIL_PAGE, { what: 'the second page' });
  await more.click();
  await more.waitFor({ state: 'detached' });
  await until(async () => (await entries.count()) === SESSIONS, { what: 'every seeded session' });
  assert.deepEqual(await titles(), expected, 'no session twice, none missing');
  noErrors(creator);
  await creator.context.close();
});

test('The posts page loads a page of posts, "Load more posts" brings the rest, and live changes respect the pages', async () => {
  const creator = await newCreator(browser, 'post-pages');
  const { page, userId } = creator;
  const account = await addMockAccount(page, 'instagram', 'pages.test');
  const generation = await completedGeneration(page, 'A stack of paper lanterns', { seed: 42 });
  const rows = Array.from({ length: POSTS }, (_, i) => ({
    user_id: userId, generation_id: generation.id, account_id: account.id, caption: `Seeded post ${pad(i + 1)}`,
    status: 'published', published_at: minutesAgo(i), created_at: minutesAgo(i),
  }));
  const seeded = await serviceRest('posts?select=id,caption', { method: 'POST', body: rows });

  await page.goto('/app/posts');
  const list = postList(page);
  const items = list.getByRole('listitem');
  const more = page.getByRole('button', { name: 'Load more posts' });
  await more.waitFor();
  const captions = async () => (await items.allInnerTexts()).map((t) => t.match(/Seeded post \d\d|Live post|Backdated post/)?.[0]);
  const expected = seeded.map((p) => p.caption);
  assert.deepEqual(await captions(), expected.slice(0, POSTS_PAGE), 'the newest page, newest first');

  // A post of a page not loaded changes, and one older than every page loaded arrives; a new
  // post comes after them. When the new one shows on top, the others were heard too, and
  // neither shows before its page is loaded.
  const oldest = seeded.at(-1);
  const post = (caption, createdAt) => ({
    user_id: userId, generation_id: generation.id, account_id: account.id, caption, status: 'published',
    published_at: createdAt, created_at: createdAt,
  });
  await serviceRest(`posts?id=eq.${oldest.id}`, { method: 'PATCH', body: { caption: 'Seeded post 45 (edited)' } });
  await serviceRest('posts', { method: 'POST', body: post('Backdated post', minutesAgo(POSTS + 10)) });
  await serviceRest('posts', { method: 'POST', body: post('Live post', new Date().toISOString()) });
  await until(async () => (await captions())[0] === 'Live post', { what: 'the live post on top' });
  assert.equal(await items.count(), POSTS_PAGE + 1);
  assert.equal(await list.getByText('Backdated post').count(), 0, 'no post of a page not loaded');
  assert.equal(await list.getByText('Seeded post 45', { exact: false }).count(), 0, 'no post of a page not loaded');

  await more.click();
  await until(async () => (await items.count()) === 2 * POSTS_PAGE + 1, { what: 'the second page' });
  await more.focus();
  await page.keyboard.press('Enter');
  await until(async () => (await items.count()) === POSTS + 2, { what: 'the last page' });
  await more.waitFor({ state: 'detached' });
  assert.deepEqual(await captions(), ['Live post', ...expected, 'Backdated post'], 'every post once, in order');
  // The edited post shows as it is now.
  await list.getByText('Seeded post 45 (edited)', { exact: true }).waitFor();
  // With every page loaded, a post older than all of them arrives live, at the bottom.
  await serviceRest('posts', { method: 'POST', body: post('Oldest of all', minutesAgo(POSTS + 20)) });
  await until(async () => (await items.last().innerText()).includes('Oldest of all'), { what: 'the oldest post, live' });
  noErrors(creator);
  await creator.context.close();
});
