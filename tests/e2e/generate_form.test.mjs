// The Generate form from the keyboard: skip links to the prompt and the results are the page's
// first Tab stops, and Enter in a field starts one batch however it is pressed (twice quickly,
// or held so it repeats), with the CPU throttled as on a slow laptop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, throttle } from './support/chromium.mjs';
import { until } from './support/wait.mjs';
import { goTo } from './support/tabs.mjs';
import { screenshot } from './support/screenshots.mjs';
import { newCreator } from './support/auth_page.mjs';
import { imagesLoaded, sessionIdOf } from './support/generate_page.mjs';
import { sql } from './support/data.mjs';
import { assertFocusVisible, focusState } from './support/a11y.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('skip links are the first Tab stops of the Generate page, shown on focus, and move focus', async () => {
  const creator = await newCreator(browser, 'skip-links');
  const { page } = creator;
  const skipToPrompt = page.getByRole('link', { name: 'Skip to the prompt' });
  const skipToResults = page.getByRole('link', { name: 'Skip to the results' });
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.reload();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    const hidden = await skipToPrompt.boundingBox();
    assert.ok(hidden && hidden.width <= 1, `hidden until focused at ${width} px: ${JSON.stringify(hidden)}`);

    await page.keyboard.press('Tab');
    assert.equal((await focusState(page)).element, '<a> "Skip to the prompt"', `the first Tab at ${width} px`);
    const shown = await skipToPrompt.boundingBox();
    assert.ok(shown.width > 40 && shown.height > 20, `shown while focused: ${JSON.stringify(shown)}`);
    await assertFocusVisible(page, 'Skip to the prompt');
    await screenshot(page, `generate-skip-link-${width}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt', 'Enter moves focus to the prompt');

    await page.reload();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal((await focusState(page)).element, '<a> "Skip to the results"');
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(focused, 'Results', 'Enter moves focus to the results');
  }
  // Only the Generate page has them.
  await goTo(page, 'Posts');
  await page.waitForURL('**/app/posts');
  assert.equal(await skipToPrompt.count() + await skipToResults.count(), 0);
  assert.deepEqual(creator.errors, []);
  await creator.context.close();
});

/** How many batches (distinct inserts) hold this prompt, and how many rows. */
function batchesOf(userId, prompt) {
  const [row] = sql(`select count(*)::int as rows, count(distinct created_at)::int as batches from public.generations
    where user_id = '${userId}' and prompt = '${prompt.replaceAll("'", "''")}'`);
  return row;
}

/**
 * Presses Enter in `field` as `press` says, then starts a marker batch by the button: once the
 * marker's rows exist, every batch the key presses started exists too.
 */
async function batchesAfter(page, userId, prompt, press) {
  const promptBox = page.getByRole('textbox', { name: 'Prompt', exact: true });
  const generateButton = page.getByRole('button', { name: 'Generate', exact: true });
  await promptBox.fill(prompt);
  // The previous batch is over (Generate is enabled again): a press now can start one.
  await until(() => generateButton.isEnabled(), { timeout: 30_000, what: 'Generate to be enabled' });
  await press();
  await imagesLoaded(page, prompt, 1).catch(() => {});
  const marker = `${prompt} (marker)`;
  await until(() => generateButton.isEnabled(), { timeout: 30_000, what: 'Generate to be enabled' });
  await promptBox.fill(marker);
  await generateButton.click();
  await until(() => batchesOf(userId, marker).rows === 1, { timeout: 30_000, what: 'the marker batch' });
  return batchesOf(userId, prompt);
}

test('Enter in a Generate field starts one batch, pressed twice quickly or held, with the CPU throttled', async () => {
  const creator = await newCreator(browser, 'enter-once');
  const { page } = creator;
  await throttle(page, 4);
  const count = page.getByRole('spinbutton', { name: 'Count' });
  const seed = page.getByRole('textbox', { name: 'Seed' });
  const promptBox = page.getByRole('textbox', { name: 'Prompt', exact: true });
  const tag = Date.now();
  const cases = {
    'Enter twice in Count': async () => { await count.focus(); await page.keyboard.press('Enter'); await page.keyboard.press('Enter'); },
    'Enter twice in Seed': async () => { await seed.focus(); await page.keyboard.press('Enter'); await page.keyboard.press('Enter'); },
    'Ctrl+Enter twice in Prompt': async () => {
      await promptBox.focus(); await page.keyboard.press('Control+Enter'); await page.keyboard.press('Control+Enter');
    },
    // A held key: keydown repeats (repeat: true) at the keyboard's rate until released.
    'Enter held in Count': async () => {
      await count.focus();
      for (let i = 0; i < 40; i += 1) { await page.keyboard.down('Enter'); await new Promise((r) => setTimeout(r, 33)); }
      await page.keyboard.up('Enter');
    },
    'Ctrl+Enter held in Prompt': async () => {
      await promptBox.focus();
      await page.keyboard.down('Control');
      for (let i = 0; i < 40; i += 1) { await page.keyboard.down('Enter'); await new Promise((r) => setTimeout(r, 33)); }
      await page.keyboard.up('Enter');
      await page.keyboard.up('Control');
    },
  };
  const found = {};
  for (const [name, press] of Object.entries(cases)) {
    found[name] = await batchesAfter(page, creator.userId, `${name} ${tag}`, press);
  }
  console.log(`batches per way of pressing Enter: ${JSON.stringify(found)}`);
  for (const [name, { batches, rows }] of Object.entries(found)) {
    assert.deepEqual({ batches, rows }, { batches: 1, rows: 1 }, name);
  }
  assert.ok(sessionIdOf(page));
  assert.deepEqual(creator.errors, []);
  await creator.context.close();
});
