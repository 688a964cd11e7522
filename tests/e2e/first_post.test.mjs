// The first post of a brand-new creator, as they would make it: sign up (through the login
// page), generate with the demo provider, open Post on an image, Generate caption, keep the
// suggested hashtags, add an Instagram mock account from the dialog, Publish now. No request
// is refused on the way, the draft survives the add-account detour, and the journey prints
// its action count (a click, a field filled or a submitting key press each count one, counted
// from the first screen after sign-up) and its time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { toasts } from './support/tabs.mjs';
import { newCreator } from './support/auth_page.mjs';
import { results } from './support/generate_page.mjs';
import { accountsGroup, postProduction } from './support/post_dialog.mjs';
import { sql } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('A new creator publishes a first image with the generated caption and hashtags in at most 12 actions', async () => {
  const creator = await newCreator(browser, 'first-post');
  const { page, userId } = creator;
  const refused = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if ((url.pathname.startsWith('/rest/') || url.pathname.startsWith('/functions/')) && r.status() >= 400) {
      refused.push(`${r.request().method()} ${url.pathname} → ${r.status()}`);
    }
  });
  let actions = 0;
  const act = async (what) => { actions += 1; return what; };
  const started = Date.now();

  // Generate.
  await act(page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('A ceramic vase of wild poppies on a sunny windowsill'));
  await act(page.getByRole('button', { name: 'Generate', exact: true }).click());
  await act(results(page).getByRole('button', { name: 'Post…' }).first().click());
  const dialog = postProduction(page);
  const caption = dialog.getByRole('textbox', { name: 'Caption' });
  await caption.waitFor();

  // Caption, then the suggested hashtags as they come.
  await act(dialog.getByRole('button', { name: 'Generate caption' }).click());
  const written = await until(() => caption.inputValue(), { what: 'the written caption' });
  await act(dialog.getByRole('button', { name: 'Next' }).click());
  await dialog.getByRole('heading', { name: 'Hashtags', exact: true }).waitFor();
  await act(dialog.getByRole('button', { name: 'Next' }).click());
  await dialog.getByRole('heading', { name: 'Distribution', exact: true }).waitFor();

  // No account yet: the step says what to do, and adds one without leaving the dialog.
  const publishNow = dialog.getByRole('button', { name: 'Publish now' });
  const why = await publishNow.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby'))?.textContent ?? '');
  assert.match(why, /Add an account/, `with no account, Publish says what to do: ${why}`);
  // The kept draft(s) of this creator in sessionStorage (one per generation).
  const keptDrafts = () => page.evaluate((prefix) => Object.keys(sessionStorage)
    .filter((k) => k.startsWith(prefix)).map((k) => JSON.parse(sessionStorage.getItem(k))), `atelier.post-draft.${userId}.`);
  const kept = async () => {
    const all = await keptDrafts();
    assert.ok(all.length <= 1, `one draft at most: ${all.length}`);
    return all[0] ?? null;
  };
  const before = await kept();
  assert.equal(before?.content.caption, written, 'the draft holds the written caption');
  await act(dialog.getByRole('button', { name: 'Add an account' }).click());
  await act(dialog.getByLabel('Handle').fill('poppy.studio'));
  await act(dialog.getByRole('button', { name: 'Add mock account' }).click());
  const account = accountsGroup(dialog).getByRole('checkbox', { name: '@poppy.studio on Instagram' });
  await account.waitFor();
  assert.ok(await account.isChecked(), 'the account added from the dialog comes back selected');
  const afterAdd = await kept();
  assert.equal(afterAdd.content.caption, before.content.caption, 'caption intact across the detour');
  assert.deepEqual(afterAdd.content.hashtags, before.content.hashtags, 'hashtags intact across the detour');

  // One list serves every account: Instagram takes 5.
  const keep = dialog.getByRole('button', { name: /^Keep the first \d+$/ });
  if (await keep.count()) await act(keep.click());
  await act(publishNow.click());
  await toasts(page).getByText('Published to 1 account', { exact: true }).waitFor();
  const elapsed = Date.now() - started;

  const [post] = sql(`select caption, hashtags, status from public.posts where user_id = '${userId}'`);
  assert.equal(post.status, 'published');
  assert.equal(post.caption, written, 'the generated caption went out');
  assert.ok(post.hashtags.length <= 5, `at most Instagram's 5 hashtags: ${post.hashtags}`);
  assert.deepEqual(refused, [], 'no request refused on the way');
  assert.equal(await kept(), null, 'published: the draft is forgotten');
  console.log(`first post: ${actions} actions after sign-up, ${elapsed} ms (hashtags sent: ${post.hashtags.length})`);
  assert.ok(actions <= 12, `at most 12 actions: ${actions}`);
  noErrors(creator);
  await creator.context.close();
});
