// The Accounts page: the creator's connected accounts and the form that adds a mock one.
import { goTo } from './tabs.mjs';

/** Opens the Accounts page from the main navigation; returns its "Add a mock account" form. */
export async function openAccounts(page) {
  await goTo(page, 'Accounts');
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  return page.getByRole('form', { name: 'Add a mock account' });
}
