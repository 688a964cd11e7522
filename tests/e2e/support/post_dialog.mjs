// The post dialog ("Post"), opened with "Post…" on a card: caption, hashtags, then distribution
// (accounts and schedule).
import { results } from './generate_page.mjs';

/** The post dialog. */
export function postProduction(page) {
  return page.getByRole('dialog', { name: 'Post', exact: true });
}

/** Opens the generate page on the generation's session, then "Post…" on its card. */
export async function openPostFor(page, generation) {
  if (!page.url().endsWith(`/app/generate/${generation.session_id}`)) {
    await page.goto(`/app/generate/${generation.session_id}`);
  }
  const card = results(page).getByRole('listitem').filter({ hasText: generation.prompt });
  await card.getByRole('button', { name: 'Post…' }).click();
  const dialog = postProduction(page);
  await dialog.getByRole('heading', { name: 'Caption', exact: true }).waitFor();
  return dialog;
}

/** Moves to step 3 with Next. */
export async function toDistribution(dialog) {
  for (const heading of ['Hashtags', 'Distribution']) {
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('heading', { name: heading, exact: true }).waitFor();
  }
}

/** The accounts group of step 3. */
export function accountsGroup(dialog) {
  return dialog.getByRole('group', { name: 'Accounts' });
}
