// Eight demo images: a new creator types a prompt, asks for 8 and presses Generate; the clock
// (in the page) runs from the click to the frame where all 8 cards hold their media element
// (completed; the grid loads images lazily, so decoding is not waited for).
import { freshPage } from '../browser.mjs';
import { summarize, target } from '../stats.mjs';

/** Sets "Count" to 8, whatever control it is (number field, select, or radio group). */
async function chooseCount(page) {
  const number = page.getByRole('spinbutton', { name: 'Count', exact: true });
  if (await number.count()) return number.fill('8');
  const select = page.getByRole('combobox', { name: 'Count', exact: true });
  if (await select.count()) return select.selectOption('8');
  const group = page.getByRole('radiogroup', { name: 'Count', exact: true });
  if (await group.count()) return group.getByRole('radio', { name: '8', exact: true }).check();
  return page.getByLabel('Count').fill('8');
}

async function sample(browser, appUrl, stack, i) {
  const user = await stack.newUser('demo');
  const { context, page } = await freshPage(browser, appUrl, { user });
  try {
    await page.goto('/app/generate');
    const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
    const generate = page.getByRole('button', { name: 'Generate', exact: true });
    try {
      await prompt.waitFor({ timeout: 20_000 });
    } catch {
      return { missing: 'no textbox "Prompt" on /app/generate yet' };
    }
    if (!(await generate.count())) return { missing: 'no button "Generate" on /app/generate yet' };
    await chooseCount(page);
    await prompt.fill(`bench demo run ${i}: a lighthouse at dawn, watercolour`);
    // The button follows the form through reactive effects: give it a moment.
    for (let t = 0; t < 30 && (await generate.isDisabled()); t++) await page.waitForTimeout(100);
    if (await generate.isDisabled()) {
      const why = await generate.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
      return { missing: `button "Generate" stays disabled after filling Prompt and Count${why ? ` ("${why.trim()}")` : ''}` };
    }
    await page.evaluate(() => {
      document.addEventListener('click', () => { window.__benchClick = performance.now(); }, { capture: true, once: true });
    });
    await generate.click();
    const handle = await page.waitForFunction(
      () => (window.__bench.completedCards() >= 8 ? performance.now() - window.__benchClick : 0),
      null, { timeout: 30_000, polling: 'raf' },
    ).catch(() => null);
    return { ms: handle ? await handle.jsonValue() : null };
  } finally {
    await context.close();
  }
}

export async function demoGenerate({ browser, appUrl, stack, runs }) {
  const samples = [];
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const s = await sample(browser, appUrl, stack, i);
    if (s.missing) return { notMeasured: s.missing };
    samples.push(s.ms);
  }
  const ms = summarize(samples);
  return {
    allCompletedMs: ms,
    missed: samples.filter((s) => s === null).length,
    targets: [target('submit → 8 cards completed, median', ms.median, { max: 3000, unit: ' ms' })],
  };
}
