// Screenshots for a person to look at, in tests/.artifacts/screenshots/<name>.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCREENSHOTS = fileURLToPath(new URL('../../.artifacts/screenshots/', import.meta.url));

function pathFor(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return `${SCREENSHOTS}${name}.png`;
}

/** Saves a full-page screenshot; returns its path. */
export async function screenshot(page, name) {
  const path = pathFor(name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Saves what the viewport shows (a modal dialog as the creator sees it, not the page scrolled
 * under it); returns its path.
 */
export async function viewportShot(page, name) {
  const path = pathFor(name);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}
