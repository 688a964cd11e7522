// Generate page journeys on the Generate page's main path: the first prompt starts a session
// (the same path as an existing session), the one insert path, the canvas's validation,
// "Made for", Ctrl+Enter and Remix — on the release build, in Debian Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { goTo } from './support/tabs.mjs';
import { screenshot } from './support/screenshots.mjs';
import { newCreator } from './support/auth_page.mjs';
import {
  createSession, generate, imagesLoaded, resultCards, resultImages, sessionIdOf, sessionRail,
} from './support/generate_page.mjs';
import { sql } from './support/data.mjs';
import { coloursIn, readPng } from './support/png.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const UUID = /^\/app\/generate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('The generate flow behaves the same for a first session and an existing session', async () => {
  const creator = await newCreator(browser, 'first-prompt');
  const { page } = creator;
  await sessionRail(page).getByText('No sessions yet').waitFor();
  const first = `Lighthouse on a basalt cliff at dusk ${Date.now()}`;

  await generate(page, first, { count: 3 });
  await page.waitForURL((url) => UUID.test(url.pathname));
  const sessionId = sessionIdOf(page);
  // The rail shows the new session, titled from the prompt, marked as the current page.
  const link = sessionRail(page).getByRole('link', { name: first });
  await link.waitFor();
  assert.equal(await link.getAttribute('aria-current'), 'page');
  assert.equal(await sessionRail(page).getByRole('link').count(), 1);
  await page.getByRole('heading', { level: 1, name: first }).waitFor();

  const widths = await imagesLoaded(page, first, 3);
  assert.equal(widths.length, 3);
  assert.equal(await resultCards(page).count(), 3);
  const rows = sql(`select status, session_id from public.generations where user_id = '${creator.userId}'`);
  assert.equal(rows.length, 3);
  assert.ok(rows.every((r) => r.status === 'completed' && r.session_id === sessionId), JSON.stringify(rows));

  // A second prompt goes into the same session: still one session, now five outputs.
  const second = `Same coast, morning fog ${Date.now()}`;
  await generate(page, second, { count: 2 });
  await imagesLoaded(page, second, 2);
  assert.equal(sessionIdOf(page), sessionId, 'the URL still names the same session');
  assert.equal(await resultCards(page).count(), 5);
  // Newest first: the second prompt's cards lead the list.
  const texts = await resultCards(page).allInnerTexts();
  assert.ok(texts[0].includes(second) && texts[1].includes(second) && texts[4].includes(first), JSON.stringify(texts));
  assert.equal(await sessionRail(page).getByRole('link').count(), 1);
  const sessions = sql(`select id from public.sessions where user_id = '${creator.userId}'`);
  assert.deepEqual(sessions.map((s) => s.id), [sessionId]);
  const after = sql(`select status from public.generations where session_id = '${sessionId}'`);
  assert.equal(after.length, 5);
  assert.ok(after.every((r) => r.status === 'completed'));
  noErrors(creator);
  await creator.context.close();
});

test('No orphan or legacy generation pathway', async () => {
  // Generate through the page, with a fixed seed and with a random one.
  const creator = await newCreator(browser, 'one-path');
  const { page } = creator;
  const prompt = `Paper lanterns over a canal ${Date.now()}`;
  await page.getByRole('textbox', { name: 'Seed' }).fill('4242');
  await generate(page, prompt, { count: 2 });
  await imagesLoaded(page, prompt, 2);
  await page.getByRole('textbox', { name: 'Seed' }).fill('');
  await generate(page, `${prompt}, wide`, { count: 1 });
  await imagesLoaded(page, `${prompt}, wide`, 1);

  const legacy = sql(`select table_name from information_schema.tables
    where table_name in ('generation_assets', 'generation_metadata', 'generation_sessions')`);
  assert.deepEqual(legacy, [], 'no legacy table');

  const mine = sql(`select params from public.generations where user_id = '${creator.userId}' order by created_at`);
  assert.equal(mine.length, 3);
  assert.deepEqual(mine.slice(0, 2).map((r) => r.params.seed).sort(), [4242, 4243]);
  // Every row any journey creator made (not the seeded demo data, not the compat suite's
  // direct inserts) came through start_generation: a session of the row's own user, and the
  // params it always writes (seed, count, aspect ratio).
  const strays = sql(`select g.id, g.params, g.session_id, s.user_id as session_owner, g.user_id
    from public.generations g
    join auth.users u on u.id = g.user_id
    left join public.sessions s on s.id = g.session_id
    where u.email like '%@atelier.test' and u.email <> 'demo@atelier.test'
      and (s.user_id is distinct from g.user_id
        or jsonb_typeof(g.params->'seed') <> 'number'
        or jsonb_typeof(g.params->'count') <> 'number'
        or jsonb_typeof(g.params->'aspect_ratio') <> 'string')`);
  assert.deepEqual(strays, [], 'every journey row went through the one insert path');
  noErrors(creator);
  await creator.context.close();
});

test('Generate is disabled with the reason for an empty prompt, and Ctrl+Enter submits', async () => {
  const creator = await newCreator(browser, 'validate');
  const { page } = creator;
  const button = page.getByRole('button', { name: 'Generate', exact: true });
  const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
  assert.equal(await button.isDisabled(), true, 'disabled with no prompt');
  // The reason is next to the button, and the button is described by it.
  await page.getByText('Write a prompt first.').waitFor();
  const described = await button.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby'))?.textContent);
  assert.match(described ?? '', /prompt/i);

  await prompt.fill('   ');
  assert.equal(await button.isDisabled(), true, 'blank is empty');
  const text = `Origami cranes on a windowsill ${Date.now()}`;
  await prompt.fill(text);
  await until(() => button.isEnabled(), { timeout: 5_000, what: 'a prompt to enable Generate' });
  assert.equal(await page.getByText('Write a prompt first.').count(), 0, 'the reason is gone');

  await page.getByRole('textbox', { name: 'Seed' }).fill('twelve');
  await until(() => button.isDisabled(), { timeout: 5_000, what: 'a bad seed to disable Generate' });
  assert.match(await button.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby')).textContent), /seed/i);
  await page.getByRole('textbox', { name: 'Seed' }).fill('');
  await until(() => button.isEnabled(), { timeout: 5_000, what: 'Generate enabled again' });

  await prompt.focus();
  await page.keyboard.press('Control+Enter');
  await page.waitForURL((url) => UUID.test(url.pathname));
  await imagesLoaded(page, text, 1);
  noErrors(creator);
  await creator.context.close();
});

test('"Made for" picks the ratio the targets need, and says which target disagrees or refuses', async () => {
  const creator = await newCreator(browser, 'made-for');
  const { page } = creator;
  const madeFor = page.getByRole('group', { name: 'Made for' });
  const ratio = page.getByRole('combobox', { name: 'Aspect ratio' });
  assert.equal(await ratio.inputValue(), '1:1');

  await madeFor.getByRole('checkbox', { name: 'TikTok' }).check();
  await until(async () => (await ratio.inputValue()) === '9:16', { timeout: 5_000, what: 'TikTok to pick 9:16' });
  // It says so, next to the choice and as the ratio field's description.
  const note = madeFor.getByRole('status').filter({ hasText: 'The aspect ratio is set to 9:16 for TikTok.' });
  await note.waitFor();
  assert.equal(await ratio.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent),
    'The aspect ratio is set to 9:16 for TikTok.');

  await madeFor.getByRole('checkbox', { name: 'X', exact: true }).check();
  const conflict = madeFor.getByRole('status').filter({ hasText: 'No aspect ratio suits every target' });
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /\b(TikTok|X)\b can't take/);

  await madeFor.getByRole('checkbox', { name: 'TikTok' }).uncheck();
  await madeFor.getByRole('checkbox', { name: 'X', exact: true }).uncheck();
  await conflict.waitFor({ state: 'detached' });
  await madeFor.getByRole('checkbox', { name: 'YouTube' }).check();
  const refusal = madeFor.getByRole('status').filter({ hasText: "YouTube can't take an image" });
  await refusal.waitFor();
  // As a video, YouTube is fine.
  await page.getByRole('group', { name: 'Kind' }).getByRole('radio', { name: 'Video' }).check();
  await refusal.waitFor({ state: 'detached' });
  noErrors(creator);
  await creator.context.close();
});

test('Remix fills the canvas with the output\'s prompt and seed', async () => {
  const creator = await newCreator(browser, 'remix');
  const { page } = creator;
  const prompt = `Terracotta pots on a sunny stair ${Date.now()}`;
  await page.getByRole('textbox', { name: 'Seed' }).fill('777');
  await page.getByRole('textbox', { name: 'Negative prompt' }).fill('people');
  await generate(page, prompt, { count: 1 });
  await imagesLoaded(page, prompt, 1);

  // Clear the canvas, then Remix the card.
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('something else');
  await page.getByRole('textbox', { name: 'Seed' }).fill('');
  await page.getByRole('textbox', { name: 'Negative prompt' }).fill('');
  const card = resultCards(page).filter({ hasText: prompt });
  await card.getByRole('button', { name: 'Remix' }).click();
  assert.equal(await page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue(), prompt);
  assert.equal(await page.getByRole('textbox', { name: 'Seed' }).inputValue(), '777');
  assert.equal(await page.getByRole('textbox', { name: 'Negative prompt' }).inputValue(), 'people');
  // Focus moves to the prompt, ready to edit.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt');
  // The reused seed is said next to Generate, with a way back to random seeds.
  const inUse = page.getByText('Seed 777 is in use');
  await inUse.waitFor();
  await page.getByRole('button', { name: 'Use random seeds' }).click();
  await inUse.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('textbox', { name: 'Seed' }).inputValue(), '');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'seed', 'focus goes to the emptied Seed field');
  noErrors(creator);
  await creator.context.close();
});

test('each session keeps its own prompt, across sessions and pages', async () => {
  const creator = await newCreator(browser, 'prompt-kept');
  const { page } = creator;
  const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
  await createSession(page, 'Harbour');
  await page.waitForURL((url) => UUID.test(url.pathname));
  const harbour = sessionIdOf(page);
  await prompt.fill('Fishing boats at first light');
  await createSession(page, 'Orchard');
  await until(() => sessionIdOf(page) && sessionIdOf(page) !== harbour, { what: 'the Orchard session to open' });
  await until(async () => (await prompt.inputValue()) === '', { what: 'a new session to start with an empty prompt' });
  await prompt.fill('Apple blossom in the rain');

  await sessionRail(page).getByRole('link', { name: 'Harbour' }).click();
  await until(async () => (await prompt.inputValue()) === 'Fishing boats at first light', { what: "Harbour's prompt back" });
  // Another page and back: still there.
  await goTo(page, 'Posts');
  await page.waitForURL('**/app/posts');
  await page.goBack();
  await until(async () => (await prompt.inputValue()) === 'Fishing boats at first light', { what: "Harbour's prompt after Posts" });
  await sessionRail(page).getByRole('link', { name: 'Orchard' }).click();
  await until(async () => (await prompt.inputValue()) === 'Apple blossom in the rain', { what: "Orchard's prompt back" });
  noErrors(creator);
  await creator.context.close();
});

test('the Generate page with results, at 360 px and 1280 px (screenshots)', async () => {
  const creator = await newCreator(browser, 'shots');
  const { page } = creator;
  const prompt = `Citrus still life on linen ${Date.now()}`;
  await generate(page, prompt, { count: 4 });
  await imagesLoaded(page, prompt, 4);
  const overflows = {};
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    // Off-screen cards skip painting (content-visibility): make the viewport the whole page,
    // so the shot shows every card.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height: Math.min(height, 4000) });
    await imagesLoaded(page, prompt, 4);
    await page.evaluate(() => window.scrollTo(0, 0));
    const path = await screenshot(page, `generate-${width}`);
    // The shot shows every card's image painted (an unpainted area is one flat colour), at
    // the page's own width.
    const shot = readPng(path);
    assert.equal(shot.width, width, 'the shot is as wide as the page');
    const boxes = await resultImages(page, prompt).evaluateAll((imgs) => imgs.map((i) => {
      const r = i.getBoundingClientRect();
      return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
    }));
    assert.equal(boxes.length, 4);
    for (const box of boxes) {
      assert.ok(box.y + box.height <= shot.height, `card image at y ${box.y} lies within the ${shot.height} px shot`);
      const colours = coloursIn(shot, box);
      assert.ok(colours > 16, `the card image at ${JSON.stringify(box)} is painted in the ${width} px shot (${colours} colours)`);
    }
    // Nothing is wider than the viewport.
    overflows[width] = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }
  assert.deepEqual(overflows, { 360: 0, 1280: 0 }, 'the page never scrolls sideways (px beyond the viewport)');
  noErrors(creator);
  await creator.context.close();
});
