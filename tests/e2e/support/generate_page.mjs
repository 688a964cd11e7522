// The Generate page: its sessions rail, the canvas (the generation form) and the result grid.
import { until } from './wait.mjs';

/** The sessions rail. */
export function sessionRail(page) {
  return page.getByRole('navigation', { name: 'Sessions' });
}

/** Makes a session with "New session" in the rail. */
export async function createSession(page, title) {
  await sessionRail(page).getByRole('button', { name: 'New session' }).click();
  await page.getByLabel('Session title').fill(title);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
}

/** The session id the URL names (/app/generate/<uuid>), or null. */
export function sessionIdOf(page) {
  const m = new URL(page.url()).pathname.match(/^\/app\/generate\/([0-9a-f-]{36})$/);
  return m ? m[1] : null;
}

/**
 * Shows the canvas's options (kind, count, ratio, "Made for", style, negative prompt, seed):
 * a session that already has results opens with them folded behind "Options". Clicks again if
 * the canvas decided its fold meanwhile (it does so once, when the session has loaded).
 */
export async function showCanvasOptions(page) {
  const toggle = page.getByRole('button', { name: 'Options', exact: true });
  await until(async () => {
    if (await toggle.getAttribute('aria-expanded') === 'true') return true;
    await toggle.click();
    return false;
  }, { what: 'the canvas options shown' });
}

/** Fills the canvas and presses Generate. `kind` is "Image" or "Video". */
export async function generate(page, prompt, { count = 1, kind = 'Image' } = {}) {
  await showCanvasOptions(page);
  await page.getByRole('group', { name: 'Kind' }).getByRole('radio', { name: kind }).check();
  await page.getByRole('spinbutton', { name: 'Count' }).fill(String(count));
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

/** The result grid's region. */
export function results(page) {
  return page.getByRole('region', { name: 'Results' });
}

/**
 * The grid's cards: the items of its "Outputs" list, one per generation, newest first (a
 * card's own "Posted to" list is not a card).
 */
export function resultCards(page) {
  return results(page).getByRole('list', { name: 'Outputs', exact: true }).locator(':scope > li');
}

/** The grid's finished images of `prompt` (an <img> whose alt is the prompt). */
export function resultImages(page, prompt) {
  return results(page).getByRole('img', { name: prompt, exact: true });
}

/** Waits until `count` images of `prompt` are in the grid and decoded; returns their natural widths. */
export async function imagesLoaded(page, prompt, count) {
  const images = resultImages(page, prompt);
  return until(async () => {
    // Images load lazily: bring the first one still waiting into view.
    const widths = await images.evaluateAll((els) => {
      const waiting = els.find((i) => !(i.complete && i.naturalWidth > 0));
      waiting?.scrollIntoView({ block: 'center' });
      return els.map((i) => (i.complete ? i.naturalWidth : 0));
    });
    return widths.length === count && widths.every((w) => w > 0) && widths;
  }, { timeout: 30_000, what: `${count} decoded images of "${prompt}"` });
}
