// Generate page journeys on sessions and isolation: rename in place; delete asks first, and a
// session whose output was posted is refused with a message; "Session not found" for a
// malformed id and another creator's id; a second creator sees none of the first's sessions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { newCreator } from './support/auth_page.mjs';
import { createSession, generate, imagesLoaded, results, sessionIdOf, sessionRail } from './support/generate_page.mjs';
import { sql, sqlExec } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const notFound = (page) => page.getByRole('heading', { name: 'Session not found' });

test('rename a session in place', async () => {
  const creator = await newCreator(browser, 'rename');
  const { page } = creator;
  await createSession(page, 'Working title');
  const entry = sessionRail(page).getByRole('listitem').filter({ hasText: 'Working title' });
  await entry.waitFor();
  const sessionId = await until(() => sessionIdOf(page), { what: 'the session in the URL' });

  await entry.getByRole('button', { name: 'Rename' }).click();
  const field = sessionRail(page).getByRole('textbox', { name: 'Session title' });
  assert.equal(await field.inputValue(), 'Working title');
  await field.fill('Autumn knitwear drop');
  await sessionRail(page).getByRole('button', { name: 'Save' }).click();
  await sessionRail(page).getByRole('link', { name: /Autumn knitwear drop/ }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Autumn knitwear drop' }).waitFor();
  assert.equal(sessionIdOf(page), sessionId, 'still on the same session');
  assert.equal(sql(`select title from public.sessions where id = '${sessionId}'`)[0].title, 'Autumn knitwear drop');

  // Escape cancels a rename and keeps the title.
  await sessionRail(page).getByRole('button', { name: 'Rename' }).click();
  await sessionRail(page).getByRole('textbox', { name: 'Session title' }).fill('Never saved');
  await page.keyboard.press('Escape');
  await sessionRail(page).getByRole('link', { name: /Autumn knitwear drop/ }).waitFor();

  await page.reload();
  await sessionRail(page).getByRole('link', { name: /Autumn knitwear drop/ }).waitFor();
  assert.equal(await sessionRail(page).getByText('Never saved').count(), 0);
  noErrors(creator);
  await creator.context.close();
});

test('delete a session asks first; a session whose output was posted is refused with a message', async () => {
  const creator = await newCreator(browser, 'delete-session');
  const { page } = creator;
  const prompt = `Posted harbour view ${Date.now()}`;
  await generate(page, prompt, { count: 1 });
  const posted = await until(() => sessionIdOf(page), { what: 'the session in the URL' });
  await imagesLoaded(page, prompt, 1);
  // The output was posted (written as the server side would: a mock account and its post).
  sqlExec(`with a as (
      insert into public.connected_accounts (user_id, platform, handle, display_name, status)
      values ('${creator.userId}', 'instagram', 'journey.test', 'Journey', 'mock') returning id)
    insert into public.posts (user_id, generation_id, account_id, caption, status, published_at)
    select '${creator.userId}', g.id, a.id, 'Out now', 'published', now()
    from public.generations g, a where g.session_id = '${posted}'`);
  assert.equal(sql(`select p.id from public.posts p join public.generations g on g.id = p.generation_id
    where g.session_id = '${posted}'`).length, 1);

  // The posted one is refused, with the reason, and stays.
  const kept = sessionRail(page).getByRole('listitem').filter({ hasText: prompt });
  await kept.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: /^Delete “Posted harbour view/ });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Delete session' }).click();
  const refusal = confirm.getByRole('alert');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /can't be deleted: some of its outputs were posted/);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(sql(`select id from public.sessions where id = '${posted}'`).length, 1);
  await page.reload();
  await kept.waitFor();

  await createSession(page, 'Scratch pad');
  const scratch = sessionRail(page).getByRole('listitem').filter({ hasText: 'Scratch pad' });
  await scratch.waitFor();
  await page.getByRole('heading', { level: 1, name: 'Scratch pad' }).waitFor();

  // Delete asks first; Cancel keeps it.
  await scratch.getByRole('button', { name: 'Delete' }).click();
  const confirmScratch = page.getByRole('dialog', { name: /Delete “Scratch pad”\?/ });
  await confirmScratch.waitFor();
  await confirmScratch.getByRole('button', { name: 'Cancel' }).click();
  await confirmScratch.waitFor({ state: 'hidden' });
  assert.equal(await sessionRail(page).getByRole('link').count(), 2);

  // Confirmed: it goes, and the page leaves it.
  await scratch.getByRole('button', { name: 'Delete' }).click();
  await confirmScratch.getByRole('button', { name: 'Delete session' }).click();
  await scratch.waitFor({ state: 'detached' });
  await until(() => sql(`select id from public.sessions where user_id = '${creator.userId}' and title = 'Scratch pad'`).length === 0,
    { what: 'the session to be deleted' });
  // It was the current session: the page leaves it for the newest one left, and says so.
  await page.waitForURL(`**/app/generate/${posted}`);
  await page.getByRole('heading', { level: 1, name: prompt }).waitFor();
  await page.getByRole('status').getByText('Session deleted.').waitFor();

  noErrors(creator);
  await creator.context.close();
});

test('"Session not found" for a malformed id and for another creator\'s session', async () => {
  const owner = await newCreator(browser, 'owner');
  const prompt = `Private lookbook frame ${Date.now()}`;
  await generate(owner.page, prompt, { count: 1 });
  const theirs = await until(() => sessionIdOf(owner.page), { what: 'the session in the URL' });
  await imagesLoaded(owner.page, prompt, 1);

  const other = await newCreator(browser, 'visitor');
  const { page } = other;
  for (const path of ['/app/generate/not-a-session', '/app/generate/12345', `/app/generate/${theirs}`,
    '/app/generate/00000000-0000-4000-8000-000000000000']) {
    await page.goto(path);
    await notFound(page).waitFor();
    assert.equal(await page.getByText(prompt).count(), 0, `${path} shows nothing of the owner's`);
    assert.equal(await results(page).count(), 0, `${path}: no result grid`);
  }
  // The way back works.
  await page.getByRole('link', { name: 'Go to your sessions' }).click();
  await page.waitForURL((url) => url.pathname === '/app/generate');
  await sessionRail(page).getByText('No sessions yet').waitFor();
  noErrors(owner, other);
  await owner.context.close();
  await other.context.close();
});

test('a second creator sees none of the first creator\'s sessions, not even with their session URL', async () => {
  const first = await newCreator(browser, 'first');
  const prompt = `Unreleased sneaker concept ${Date.now()}`;
  await generate(first.page, prompt, { count: 2 });
  const sessionId = await until(() => sessionIdOf(first.page), { what: 'the session in the URL' });
  await imagesLoaded(first.page, prompt, 2);
  const media = sql(`select media_url from public.generations where session_id = '${sessionId}'`);

  const second = await newCreator(browser, 'second');
  const { page } = second;
  await sessionRail(page).getByText('No sessions yet').waitFor();
  assert.equal(await page.getByText(prompt).count(), 0);
  await page.goto(`/app/generate/${sessionId}`);
  await notFound(page).waitFor();
  await sessionRail(page).getByText('No sessions yet').waitFor();
  assert.equal(await sessionRail(page).getByRole('link').count(), 0);
  assert.equal(await page.getByText(prompt).count(), 0);
  // Nothing of the first creator's reaches the second's page, not even a media URL.
  const html = await page.content();
  for (const { media_url } of media) assert.ok(!html.includes(media_url), 'no media URL of the first creator');

  // The second creator's own first prompt starts their own session.
  const mine = `My own first idea ${Date.now()}`;
  await page.goto('/app/generate');
  await generate(page, mine, { count: 1 });
  await imagesLoaded(page, mine, 1);
  assert.notEqual(sessionIdOf(page), sessionId);
  assert.equal(await sessionRail(page).getByRole('link').count(), 1);
  // And the first creator's rail is unchanged.
  await first.page.reload();
  await imagesLoaded(first.page, prompt, 2);
  assert.equal(await sessionRail(first.page).getByText(mine).count(), 0);
  noErrors(first, second);
  await first.context.close();
  await second.context.close();
});
