// Every dialog's keyboard path, one after another: Tab to its opener and Enter; focus lands
// inside the dialog, which is modal (the page behind is inert); Tab and Shift+Tab go round the
// dialog's controls and never reach the page behind; Escape closes it; focus is back on the
// opener. The confirm dialog also refuses Escape while its action runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { goTo } from './support/tabs.mjs';
import { newCreator } from './support/auth_page.mjs';
import { results, sessionRail } from './support/generate_page.mjs';
import { postProduction } from './support/post_dialog.mjs';
import { postList } from './support/posts_page.mjs';
import { addMockAccount, completedGeneration, userRest, yearAhead } from './support/data.mjs';
import { keyboardPath, openWithKeyboard } from './support/dialogs.mjs';

const PROMPT = 'A kingfisher on a reed above still water';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A creator with one finished image, on its session's page. */
async function creatorWithOutput(who) {
  const creator = await newCreator(browser, who);
  const generation = await completedGeneration(creator.page, PROMPT, { seed: 31 });
  await creator.page.goto(`/app/generate/${generation.session_id}`);
  await results(creator.page).getByRole('button', { name: 'Open' }).waitFor();
  return { ...creator, generation };
}

/** Resolves once the page has run two animation frames: what a key started has settled. */
const settled = (page) => page.evaluate(() => new Promise((done) => {
  requestAnimationFrame(() => requestAnimationFrame(done));
}));

test('Generate page: change password, session delete, lightbox, post dialog and delete output, by keyboard', async () => {
  const { context, page, errors, dialogs } = await creatorWithOutput('dialogkeys');
  try {
    await keyboardPath(page, page.getByRole('button', { name: 'Change password' }),
      page.getByRole('dialog', { name: 'Change password' }), { what: 'Change password' });

    await keyboardPath(page, sessionRail(page).getByRole('button', { name: 'Delete', exact: true }),
      page.getByRole('dialog', { name: `Delete “${PROMPT}”?` }), { what: 'the session\'s Delete' });

    const card = results(page);
    await keyboardPath(page, card.getByRole('button', { name: 'Open' }),
      page.getByRole('dialog', { name: PROMPT }), { what: 'the lightbox' });

    const post = card.getByRole('button', { name: 'Post…' });
    await keyboardPath(page, post, postProduction(page), { what: 'the post dialog' });
    await page.waitForURL((url) => !url.searchParams.has('post'));

    // Delete output: Escape closes it; while the deletion runs, Escape is refused.
    const remove = card.getByRole('button', { name: 'Delete', exact: true });
    const confirm = page.getByRole('dialog', { name: 'Delete this output?' });
    await keyboardPath(page, remove, confirm, { what: 'Delete this output?' });

    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route((url) => url.pathname.endsWith('/rest/v1/posts') && url.search.includes('generation_id'),
      async (route) => { await held; await route.continue(); });
    await openWithKeyboard(page, remove, confirm, { what: 'Delete this output? (again)' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await confirm.getByRole('button', { name: 'Delete output', disabled: true }).waitFor();
    await page.keyboard.press('Escape');
    await settled(page);
    assert.ok(await confirm.isVisible(), 'Escape does not close the confirm dialog while the deletion runs');
    release();
    await confirm.waitFor({ state: 'hidden' });
    await card.getByRole('button', { name: 'Open' }).waitFor({ state: 'detached' });

    noErrors({ errors, dialogs });
  } finally {
    await context.close();
  }
});

test('Posts and Accounts pages: edit post, cancel post and remove account, by keyboard', async () => {
  const { context, page, errors, dialogs } = await newCreator(browser, 'dialogposts');
  try {
    const account = await addMockAccount(page, 'instagram', 'dialogposts.ig');
    const generation = await completedGeneration(page, PROMPT, { seed: 32 });
    const year = yearAhead(12, 8, 9);
    await userRest(page, 'rpc/publish_generation', {
      method: 'POST',
      body: {
        p_generation_id: generation.id, p_account_ids: [account.id], p_caption: 'Kingfisher at dawn.',
        p_hashtags: ['#kingfisher'], p_scheduled_at: `${year}-12-08T09:00:00Z`,
      },
    });
    await goTo(page, 'Posts');
    const row = postList(page).getByRole('listitem').filter({ hasText: 'Kingfisher at dawn.' });
    await row.waitFor();

    await keyboardPath(page, row.getByRole('button', { name: 'Edit post' }),
      page.getByRole('dialog', { name: 'Edit post' }), { what: 'Edit post' });
    await keyboardPath(page, row.getByRole('button', { name: 'Cancel post' }),
      page.getByRole('dialog', { name: 'Cancel this post?' }), { what: 'Cancel this post?' });

    await goTo(page, 'Accounts');
    const list = page.getByRole('list', { name: 'Connected accounts' });
    await keyboardPath(page, list.getByRole('button', { name: 'Remove @dialogposts.ig on Instagram' }),
      page.getByRole('dialog', { name: 'Remove @dialogposts.ig on Instagram?' }), { what: 'Remove account', max: 120 });

    noErrors({ errors, dialogs });
  } finally {
    await context.close();
  }
});
