// A session of 1,000 completed generations: time from navigation to the grid's first painted
// card (region "Results" listitems), and JS heap + wasm memory once it has settled. The floor
// is the same 1,000 cards as a plain HTML page (no framework), served by the same server: the
// grid is reported as a ratio to it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshPage, mark, memory } from '../browser.mjs';
import { summarize, target } from '../stats.mjs';

const COUNT = 1000;
const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The floor page: the cards a grid shows, with nothing else. */
function floorHtml(cards) {
  const items = cards.map((c) => `<li><img src="${escape(c.url)}" width="${c.width}" height="${c.height}" alt="${escape(c.prompt)}" loading="lazy"><p>${escape(c.prompt)}</p></li>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Grid floor</title>
<style>ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;list-style:none;padding:0}img{width:100%;height:auto}</style>
</head><body><section aria-label="Results"><ul>
${items}
</ul></section></body></html>`;
}

async function sampleGrid(browser, appUrl, user, path) {
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await page.goto(path, { waitUntil: 'commit' });
    const region = await mark(page, 'resultsRegion', 20_000);
    if (region === null) return { missing: true };
    const first = await mark(page, 'results', 30_000);
    // Settled: every card is in the DOM (or the count stops growing), then measure memory.
    await page.waitForFunction((n) => {
      const region = [...document.querySelectorAll('section, [role="region"]')].find((el) => el.getAttribute('aria-label') === 'Results');
      return region && region.querySelectorAll('li, [role="listitem"]').length >= n;
    }, COUNT, { timeout: 30_000 }).catch(() => {});
    const cards = await page.locator('[aria-label="Results"] li, [aria-label="Results"] [role="listitem"]').count();
    return { first, cards, ...(await memory(page, cdp)) };
  } finally {
    await context.close();
  }
}

async function sampleFloor(browser, appUrl) {
  const { context, page, cdp } = await freshPage(browser, appUrl);
  try {
    await page.goto('/__bench/floor.html', { waitUntil: 'commit' });
    const first = await mark(page, 'results', 30_000);
    await page.waitForLoadState('load');
    return { first, ...(await memory(page, cdp)) };
  } finally {
    await context.close();
  }
}

export async function grid({ browser, appUrl, stack, runs, benchPages }) {
  const user = await stack.newUser('grid');
  const session = await stack.newSession(user, 'A thousand generations');
  const image = await stack.uploadImage(user);
  const rows = await stack.completedGenerations(user, session, image, COUNT);
  writeFileSync(join(benchPages, 'floor.html'), floorHtml(rows.map((r) => ({ ...image, prompt: r.prompt }))));

  const floor = [];
  await sampleFloor(browser, appUrl); // warm-up (server cache, browser processes), not counted
  for (let i = 0; i < runs; i++) floor.push(await sampleFloor(browser, appUrl));
  const floorFirst = summarize(floor.map((s) => s.first));

  const path = `/app/generate/${session.id}`;
  // The first visit checks the grid is there and warms up; it is not counted.
  if ((await sampleGrid(browser, appUrl, user, path)).missing) {
    return { notMeasured: `no region "Results" on ${path} yet`, cards: COUNT, floor: { firstCardMs: floorFirst, jsHeapBytes: floor.at(-1).jsHeap } };
  }
  const gridSamples = [];
  for (let i = 0; i < runs; i++) gridSamples.push(await sampleGrid(browser, appUrl, user, path));
  const gridFirst = summarize(gridSamples.map((s) => s.first));
  const ratio = gridFirst.median && floorFirst.median ? Math.round((gridFirst.median / floorFirst.median) * 100) / 100 : null;
  const last = gridSamples.at(-1);
  return {
    path,
    cards: COUNT,
    grid: { firstCardMs: gridFirst, cardsInDom: last.cards, jsHeapBytes: last.jsHeap, wasmMemoryBytes: last.wasm },
    floor: { firstCardMs: floorFirst, jsHeapBytes: floor.at(-1).jsHeap },
    ratio,
    targets: [target('grid first paint / plain HTML floor', ratio, { max: 1.5, unit: '×' })],
  };
}
