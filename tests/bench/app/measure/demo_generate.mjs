// Eight demo images: a new creator types a prompt, asks for 8 and presses Generate; the clock
// (in the page) runs from the click to the frame where all 8 cards hold their media element
// (completed; the grid loads images lazily, so decoding is not waited for). Row → card is
// paired by generation id: the commit of the row's completion (Realtime's commit_timestamp)
// to the moment the card of that id shows its media.
import { freshPage, phases, requests, timeline } from '../browser.mjs';
import { followCompletions } from '../commits.mjs';
import { quantileTarget, summarize } from '../stats.mjs';

/** generate-media's steps in its Server-Timing header (supabase/functions/generate-media/timing.ts). */
const STEPS = ['render', 'encode', 'provider', 'upload', 'record', 'total'];

/**
 * `render;dur=812.4, …, total;dur=950;desc="steps summed over 8 generations"` →
 * { render: 812.4, …, total: 950, generations: 8 }; null without a header.
 */
export function parseServerTiming(value) {
  if (!value) return null;
  const out = {};
  for (const metric of value.split(/,\s*(?=[\w-]+(?:;|$))/)) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    if (dur) out[name] = Number(dur.slice(4));
    const n = /summed over (\d+) generation/.exec(params.find((p) => p.startsWith('desc=')) ?? '');
    if (n) out.generations = Number(n[1]);
  }
  return out;
}

/** The Server-Timing figures of every generate-media answer of a run, added up (null without any). */
function addTimings(all) {
  const got = all.filter(Boolean);
  if (!got.length) return null;
  const sum = { calls: got.length };
  for (const key of [...STEPS, 'generations']) {
    const xs = got.map((t) => t[key]).filter((x) => x !== undefined);
    sum[key] = xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) * 10) / 10 : null;
  }
  return sum;
}

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
  const commits = await followCompletions(stack, user);
  const { context, page } = await freshPage(browser, appUrl, { user }).catch(async (err) => {
    await commits.close();
    throw err;
  });
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
      // When the 1st, 2nd … 8th card holds its media (page clock), checked every frame.
      window.__benchCompleted = [];
      const watch = () => {
        const n = window.__bench.completedCards();
        while (window.__benchCompleted.length < Math.min(n, 8)) window.__benchCompleted.push(performance.now());
        if (window.__benchCompleted.length < 8) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      // When each card, by generation id, first holds its media (system clock, as Realtime's
      // commit_timestamp), stamped in the DOM change that put the media in.
      window.__benchCardAt = {};
      window.__benchCardsWithoutId = 0;
      const stamp = () => {
        const cards = window.__bench.completedCardIds();
        window.__benchCardsWithoutId = cards.filter((c) => !c.id).length;
        for (const { id, from } of cards) if (id && !(id in window.__benchCardAt)) window.__benchCardAt[id] = { at: Date.now(), from };
      };
      new MutationObserver(stamp).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    });
    // What generate-media says its call spent on each step (Server-Timing), read off the
    // network: the header is cross-origin, so the page's resource timing does not expose it.
    const serverTimings = [];
    page.on('response', (res) => {
      if (res.request().method() !== 'POST' || !new URL(res.url()).pathname.startsWith('/functions/v1/generate-media')) return;
      serverTimings.push(res.headerValue('server-timing').then(parseServerTiming, () => null));
    });
    await generate.click();
    const handle = await page.waitForFunction(
      () => (window.__bench.completedCards() >= 8 ? performance.now() - window.__benchClick : 0),
      null, { timeout: 30_000, polling: 'raf' },
    ).catch(() => null);
    // The function's entry appears once its answer is complete, which may be after the cards.
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((e) => e.startTime >= window.__benchClick && new URL(e.name).pathname.startsWith('/functions/v1/')),
    null, { timeout: 20_000, polling: 100 }).catch(() => {});
    // Every completion the cards showed has its commit event (or we wait for the 8th).
    const committed = await commits.waitFor(8, 10_000);
    const tl = await timeline(page);
    const { click, completed, timeOrigin, cardAt, withoutId } = await page.evaluate(() => ({
      click: window.__benchClick, completed: window.__benchCompleted, timeOrigin: performance.timeOrigin,
      cardAt: window.__benchCardAt, withoutId: window.__benchCardsWithoutId,
    }));
    // Row → card by id: commit of the completion → that card shows its media (ms).
    const pairs = [...committed].filter(([id]) => cardAt[id]).map(([id, commit]) => ({ id, ms: cardAt[id].at - commit }));
    return {
      ms: handle ? await handle.jsonValue() : null, tl, click, completed,
      // The commits on the page clock.
      commitsMs: [...committed.values()].map((c) => c - timeOrigin).sort((a, b) => a - b),
      pairs, cardsWithoutId: withoutId, commitsWithoutCard: committed.size - pairs.length,
      idFrom: [...new Set(Object.values(cardAt).map((c) => c.from))],
      functionSteps: addTimings(await Promise.all(serverTimings)),
    };
  } finally {
    await commits.close();
    await context.close();
  }
}

/**
 * What the median run spent its time on (page clock, from the click): the REST writes and the
 * generate-media call (resource timing of the requests made after the click), the rows' completions
 * committed in the database (Realtime's commit_timestamp, same machine clock), and the wait from
 * a row's commit to the card of the same id showing the media (realtime event → DOM).
 */
function breakdown(s) {
  if (!s || s.ms === null) return null;
  const r1 = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
  const after = { ...s.tl, resources: s.tl.resources.filter((e) => e.start >= s.click) };
  const rest = requests(after, (u) => u.pathname.startsWith('/rest/v1'));
  const fn = requests(after, (u) => u.pathname.startsWith('/functions/v1/generate-media'));
  const rel = (x) => (x === null || x === undefined ? null : x - s.click);
  const cards = s.completed.map(rel);
  const rows = s.commitsMs.map(rel);
  const lag = summarize(s.pairs.map((p) => p.ms));
  const out = phases([
    ['click → first request', 0, rel(Math.min(rest.start ?? Infinity, fn.start ?? Infinity))],
    [`REST requests (session + inserts: ${rest.count}, longest ${rest.longestMs ?? '–'} ms)`, rel(rest.start), rel(rest.end)],
    [`generate-media call (${fn.count}, answered after ${fn.longestMs ?? '–'} ms)`, rel(fn.start), rel(fn.end)],
    ['function called → first completion committed', rel(fn.start), rows[0]],
    [`database: first → last of ${rows.length} completions committed`, rows[0], rows.at(-1)],
    ['last commit → 8th card shows its media (realtime + DOM)', rows.at(-1), cards.at(-1)],
  ]);
  return {
    sampleMs: r1(s.ms), ...out,
    cardsCompletedMs: cards.map(Math.round), rowsCompletedMs: rows.map(Math.round),
    rowToCardMs: { median: lag.median, max: lag.max, pairs: s.pairs.length },
    functionAnsweredMs: r1(rel(fn.end)),
    functionSteps: s.functionSteps,
    requests: after.resources.filter((e) => /^\/(rest|functions|auth)\/v1/.test(new URL(e.url).pathname))
      .map((e) => ({ path: new URL(e.url).pathname, start: Math.round(rel(e.start)), end: Math.round(rel(e.end)) })),
  };
}

export async function demoGenerate({ browser, appUrl, stack, runs }) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = await sample(browser, appUrl, stack, i);
    if (s.missing) return { notMeasured: s.missing };
    samples.push(s);
  }
  const ms = summarize(samples.map((s) => s.ms));
  const functionStepsMs = Object.fromEntries(STEPS.map((k) => [k, summarize(samples.filter((s) => s.functionSteps).map((s) => s.functionSteps[k]))]));
  const medianOf = (k) => (functionStepsMs[k].median === null ? '–' : `${functionStepsMs[k].median} ms`);
  const done = samples.filter((s) => s.ms !== null).sort((a, b) => a.ms - b.ms);
  return {
    allCompletedMs: ms,
    // Each run's time and steps, for comparing builds run side by side.
    samples: samples.map((s) => ({ ms: s.ms, steps: s.functionSteps })),
    missed: samples.filter((s) => s.ms === null).length,
    // Commit → card of the same id, every pair of every run.
    rowToCardMs: summarize(samples.flatMap((s) => s.pairs.map((p) => p.ms))),
    unpaired: { cardsWithoutId: samples.reduce((n, s) => n + s.cardsWithoutId, 0), commitsWithoutCard: samples.reduce((n, s) => n + s.commitsWithoutCard, 0) },
    cardIdFrom: [...new Set(samples.flatMap((s) => s.idFrom))],
    dominates: breakdown(done[Math.floor((done.length - 1) / 2)]),
    // generate-media's own account of each call (Server-Timing): each step summed over the
    // call's generations (up to 4 run at a time, so the sums can exceed the call), per run.
    functionStepsMs,
    functionStepsRuns: samples.filter((s) => s.functionSteps).length,
    targets: [{
      ...quantileTarget('submit → 8 demo images completed, median', ms, 'median', { max: 2500, unit: ' ms' }),
      // generate-media's own steps beside the total, each summed over the call's generations.
      detail: ['render', 'encode', 'upload'].map((k) => `${k} ${medianOf(k)}`).join(', ') + ' (Server-Timing, median, summed over the generations)',
    }],
  };
}
