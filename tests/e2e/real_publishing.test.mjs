// Real publishing, the way a creator does it: connect a Bluesky account (app password, on the
// reference PDS running here) and a Mastodon account (through the instance's own "Authorize"
// page, on the fake instance running here), publish one generation to both, and see both
// posts "Published" with links to where they really are.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { goTo, toasts } from './support/tabs.mjs';
import { newCreator } from './support/auth_page.mjs';
import { accountsGroup, openPostFor } from './support/post_dialog.mjs';
import { postList } from './support/posts_page.mjs';
import { completedGeneration, sql, sqlWrite } from './support/data.mjs';
import { start as startPds } from '../servers/pds.mjs';
import { start as startMastodon } from '../servers/mastodon.mjs';

let browser;
let pds;
let mastodon;
before(async () => {
  [browser, pds, mastodon] = await Promise.all([launch(), startPds({ accounts: ['alice', 'bob'] }), startMastodon({ username: 'alice' })]);
});
after(async () => {
  await browser?.close();
  await pds?.close();
  await mastodon?.close();
});


/** The record as the PDS holds it (public read, as any AppView would). */
async function bskyRecord(did, rkey) {
  const q = new URLSearchParams({ repo: did, collection: 'app.bsky.feed.post', rkey });
  const res = await fetch(`${pds.url}/xrpc/com.atproto.repo.getRecord?${q}`);
  return { status: res.status, body: await res.json() };
}

/** UTF-8 byte offset of `part` in `text` (facets index bytes, not UTF-16 units). */
function byteIndex(text, part) {
  const at = text.indexOf(part);
  assert.ok(at >= 0, `${part} is in the text`);
  return Buffer.byteLength(text.slice(0, at), 'utf8');
}

test('A creator connects Bluesky and Mastodon, publishes one generation to both and sees both published with links to the real posts', async () => {
  const creator = await newCreator(browser, 'real-publish');
  const { page, userId } = creator;
  const alice = pds.accounts[0];
  const instanceHost = new URL(mastodon.url).host;
  const prompt = 'A fox crossing a frozen lake at dawn';
  const generation = await completedGeneration(page, prompt, { seed: 9001 });

  // Everything the functions answer the browser, to check that no token or password is in it.
  const answers = [];
  page.on('response', (res) => {
    if (res.url().includes('/functions/v1/')) answers.push(res.text().then((body) => ({ url: res.url(), body }), () => null));
  });

  await goTo(page, 'Accounts');
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  const list = page.getByRole('list', { name: 'Connected accounts' });

  // Bluesky: handle, app password and the hosting provider (the PDS running here).
  const bluesky = page.getByRole('form', { name: 'Connect Bluesky' });
  assert.equal(await bluesky.getByRole('textbox', { name: 'Hosting provider' }).inputValue(), 'https://bsky.social');
  await bluesky.getByRole('textbox', { name: 'Handle or email' }).fill(alice.handle);
  await bluesky.getByLabel('App password').fill(alice.appPassword);
  await bluesky.getByRole('textbox', { name: 'Hosting provider' }).fill(pds.url);
  await bluesky.getByRole('button', { name: 'Connect Bluesky' }).click();
  const bskyItem = list.getByRole('listitem').filter({ hasText: `@${alice.handle}` });
  await bskyItem.getByText('Bluesky · Connected', { exact: true }).waitFor();
  assert.equal(await bluesky.getByLabel('App password').inputValue(), '', 'the app password is not kept in the form');

  // Mastodon: the browser goes to the instance's own page, the creator authorizes, and comes back.
  const mastodonForm = page.getByRole('form', { name: 'Connect Mastodon' });
  await mastodonForm.getByRole('textbox', { name: 'Instance' }).fill(mastodon.url);
  await mastodonForm.getByRole('button', { name: 'Connect Mastodon' }).click();
  await page.waitForURL(`${mastodon.url}/oauth/authorize**`);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL('**/app/accounts**');
  const mastoHandle = `@alice@${instanceHost}`;
  const mastoItem = list.getByRole('listitem').filter({ hasText: mastoHandle });
  await mastoItem.getByText('Mastodon · Connected', { exact: true }).waitFor();
  await until(async () => !page.url().includes('code='), { what: 'the code and state to leave the address bar' });

  const accounts = sql(`select platform, handle, status, remote_id, service_url from public.connected_accounts
    where user_id = '${userId}' order by platform`);
  assert.deepEqual(accounts.map((a) => [a.platform, a.handle, a.status]),
    [['bluesky', alice.handle, 'active'], ['mastodon', `alice@${instanceHost}`, 'active']]);
  assert.equal(accounts[0].remote_id, alice.did, 'Bluesky accounts are matched on their DID');

  // One post to both, with an emoji, accented text, a link and a hashtag.
  const caption = 'Café at dawn 🦊 — more at https://example.com/fox';
  const dialog = await openPostFor(page, generation);
  await dialog.getByRole('textbox', { name: 'Caption' }).fill(caption);
  await dialog.getByRole('button', { name: 'Next' }).click();
  const tagInput = dialog.getByRole('textbox', { name: 'Add hashtag' });
  await tagInput.fill('winter');
  await tagInput.press('Enter');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('heading', { name: 'Distribution', exact: true }).waitFor();
  await accountsGroup(dialog).getByRole('checkbox', { name: `@${alice.handle} on Bluesky` }).check();
  await accountsGroup(dialog).getByRole('checkbox', { name: `${mastoHandle} on Mastodon` }).check();
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The posts page follows both to "Published", live.
  await goTo(page, 'Posts');
  const posts = postList(page).getByRole('listitem');
  const bskyPost = posts.filter({ hasText: `@${alice.handle} on Bluesky` });
  const mastoPost = posts.filter({ hasText: `${mastoHandle} on Mastodon` });
  await bskyPost.getByText('Published', { exact: true }).waitFor({ timeout: 30_000 });
  await mastoPost.getByText('Published', { exact: true }).waitFor({ timeout: 30_000 });

  // Bluesky: the link is bsky.app's address of the record, and the record is on the PDS.
  const bskyHref = await bskyPost.getByRole('link', { name: 'View on Bluesky' }).getAttribute('href');
  const match = bskyHref.match(/^https:\/\/bsky\.app\/profile\/([^/]+)\/post\/([a-z2-7]{13})$/);
  assert.ok(match, `a bsky.app post link: ${bskyHref}`);
  assert.equal(match[1], alice.handle);
  const record = await bskyRecord(alice.did, match[2]);
  assert.equal(record.status, 200, 'the record exists on the PDS');
  const text = `${caption}\n\n#winter`;
  assert.equal(record.body.value.text, text);
  const facets = record.body.value.facets.map((f) => ({ ...f.index, feature: f.features[0] }));
  const link = 'https://example.com/fox';
  assert.deepEqual(facets.sort((a, b) => a.byteStart - b.byteStart), [
    { byteStart: byteIndex(text, link), byteEnd: byteIndex(text, link) + Buffer.byteLength(link),
      feature: { $type: 'app.bsky.richtext.facet#link', uri: link } },
    { byteStart: byteIndex(text, '#winter'), byteEnd: byteIndex(text, '#winter') + '#winter'.length,
      feature: { $type: 'app.bsky.richtext.facet#tag', tag: 'winter' } },
  ]);
  assert.equal(record.body.value.embed.$type, 'app.bsky.embed.images');
  assert.equal(record.body.value.embed.images[0].alt, prompt);

  // Mastodon: the link is the status the instance returned, with the same text and the image.
  const mastoHref = await mastoPost.getByRole('link', { name: 'View on Mastodon' }).getAttribute('href');
  const received = await (await fetch(`${mastodon.url}/__admin/received`)).json();
  assert.equal(received.statuses.length, 1, 'exactly one status on the instance');
  const [status] = received.statuses;
  assert.equal(status.url, mastoHref);
  assert.equal(status.text, text);
  assert.deepEqual(status.media_descriptions, [prompt], 'the image is attached, described by its prompt');

  // Tokens stay server-side: no answer to the browser holds one, nor the app password.
  const bodies = (await Promise.all(answers)).filter(Boolean);
  assert.ok(bodies.some((a) => a.url.endsWith('/connect-bluesky')) && bodies.some((a) => a.url.endsWith('/connect-mastodon')));
  const stored = sql(`select c.platform from public.account_credentials k join public.connected_accounts c on c.id = k.account_id
    where c.user_id = '${userId}' order by c.platform`);
  assert.deepEqual(stored.map((r) => r.platform), ['bluesky', 'mastodon'], 'credentials are stored server-side');
  for (const { url, body } of bodies) {
    assert.ok(!body.includes(alice.appPassword), `${url} echoes the app password`);
    assert.ok(!/accessJwt|refreshJwt|access_token|refresh_token|eyJ[\w-]+\.eyJ/.test(body), `${url} answers a token: ${body}`);
  }

  const rows = sql(`select c.platform, p.status, p.remote_url from public.posts p
    join public.connected_accounts c on c.id = p.account_id where p.user_id = '${userId}' order by c.platform`);
  assert.deepEqual(rows, [
    { platform: 'bluesky', status: 'published', remote_url: bskyHref },
    { platform: 'mastodon', status: 'published', remote_url: mastoHref },
  ]);

  // Remove: the token is revoked at the instance, the stored credentials go, and the account
  // stays (revoked) for the post that used it.
  await goTo(page, 'Accounts');
  await list.getByRole('button', { name: `Remove ${mastoHandle} on Mastodon` }).click();
  await page.getByRole('dialog', { name: `Remove ${mastoHandle} on Mastodon?` }).getByRole('button', { name: 'Remove account' }).click();
  await mastoItem.getByText('Mastodon · Revoked', { exact: true }).waitFor();
  const revoked = (await (await fetch(`${mastodon.url}/__admin/received`)).json()).revoked;
  assert.equal(revoked.length, 1, 'the token was revoked at the instance');
  assert.deepEqual(sql(`select c.platform from public.account_credentials k join public.connected_accounts c on c.id = k.account_id
    where c.user_id = '${userId}'`), [{ platform: 'bluesky' }], 'the Mastodon credentials are gone');
  noErrors(creator);
  await creator.context.close();
});

test('An expired Bluesky account is reconnected in place, a failed post is sent again with "Retry post", and a post waiting on a rate limit says when it retries', async () => {
  const creator = await newCreator(browser, 'real-retry');
  const { page, userId } = creator;
  const bob = pds.accounts[1];
  const prompt = 'Seals resting on a pebble beach';
  const generation = await completedGeneration(page, prompt, { seed: 4242 });

  await goTo(page, 'Accounts');
  const list = page.getByRole('list', { name: 'Connected accounts' });
  const bluesky = page.getByRole('form', { name: 'Connect Bluesky' });
  await bluesky.getByRole('textbox', { name: 'Handle or email' }).fill(bob.handle);
  await bluesky.getByLabel('App password').fill(bob.appPassword);
  await bluesky.getByRole('textbox', { name: 'Hosting provider' }).fill(pds.url);
  await bluesky.getByRole('button', { name: 'Connect Bluesky' }).click();
  const item = list.getByRole('listitem').filter({ hasText: `@${bob.handle}` });
  await item.getByText('Bluesky · Connected', { exact: true }).waitFor();
  const [account] = sql(`select id from public.connected_accounts where user_id = '${userId}'`);

  // Expired (its refresh was refused at some point): Reconnect fills the form and asks for the
  // app password only; the same row comes back connected.
  sqlWrite(`update public.connected_accounts set status = 'expired' where id = '${account.id}' returning id`);
  await page.reload();
  await item.getByText('Bluesky · Expired', { exact: true }).waitFor();
  await item.getByRole('button', { name: `Reconnect @${bob.handle} on Bluesky` }).click();
  const password = bluesky.getByLabel('App password');
  await until(() => password.evaluate((el) => el === document.activeElement), { what: 'focus on App password' });
  assert.equal(await bluesky.getByRole('textbox', { name: 'Handle or email' }).inputValue(), bob.handle);
  await password.fill(bob.appPassword);
  await bluesky.getByRole('button', { name: 'Connect Bluesky' }).click();
  await item.getByText('Bluesky · Connected', { exact: true }).waitFor();
  assert.deepEqual(sql(`select id, status from public.connected_accounts where user_id = '${userId}'`),
    [{ id: account.id, status: 'active' }], 'reconnected in place: one row, matched on the DID');

  // A post that failed (the platform was down) and one waiting for a rate limit to reset.
  const retryAt = new Date(Date.now() + 20 * 60_000);
  sqlWrite(`insert into public.posts (user_id, generation_id, account_id, caption, status, error)
    values ('${userId}', '${generation.id}', '${account.id}', 'Seals, take two.', 'failed',
            'Bluesky is not answering (HTTP 503): try again later') returning id`);
  sqlWrite(`insert into public.posts (user_id, generation_id, account_id, caption, status, error, next_attempt_at)
    values ('${userId}', '${generation.id}', '${account.id}', 'Seals, later.', 'publishing',
            'Rate limited by Bluesky: waiting for the limit to reset', '${retryAt.toISOString()}') returning id`);
  await goTo(page, 'Posts');
  const posts = postList(page).getByRole('listitem');
  const waiting = posts.filter({ hasText: 'Seals, later.' });
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(retryAt);
  await waiting.getByText(`Retrying at ${clock}`, { exact: true }).waitFor();
  await waiting.getByText('Rate limited by Bluesky: waiting for the limit to reset', { exact: true }).waitFor();
  assert.equal(await waiting.getByRole('button', { name: 'Retry post' }).count(), 0, 'a waiting post is no failed one');

  const failed = posts.filter({ hasText: 'Seals, take two.' });
  await failed.getByText('Failed', { exact: true }).waitFor();
  await failed.getByText('Bluesky is not answering (HTTP 503): try again later', { exact: true }).waitFor();
  await failed.getByRole('button', { name: 'Retry post' }).click();
  await toasts(page).getByText('Sending the post again.', { exact: true }).waitFor();
  await failed.getByText('Published', { exact: true }).waitFor({ timeout: 30_000 });
  const href = await failed.getByRole('link', { name: 'View on Bluesky' }).getAttribute('href');
  const rkey = href.match(/\/post\/([a-z2-7]{13})$/)?.[1];
  assert.ok(rkey, `a post link: ${href}`);
  assert.equal((await bskyRecord(bob.did, rkey)).body.value.text, 'Seals, take two.');
  noErrors(creator);
  await creator.context.close();
});
