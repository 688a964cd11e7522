// One status change, end to end: the service role PATCHes a generation's status in the open
// session (as generate-media does), and a MutationObserver in the page timestamps the moment
// that card shows the new state (its media back, or a waiting placeholder instead). 200 updates, one at a time; each is timed from the moment the PATCH is
// sent (so the figure includes the write itself: an upper bound on commit → DOM).
import { freshPage, mark } from '../browser.mjs';
import { quantileTarget, summarize } from '../stats.mjs';

const UPDATES = 200;
const CARDS = 20;

export async function statusLatency({ browser, appUrl, stack }) {
  const user = await stack.newUser('status');
  const session = await stack.newSession(user, 'Live status');
  const image = await stack.uploadImage(user);
  const rows = await stack.completedGenerations(user, session, image, CARDS, (i) => `live card ${String(i).padStart(4, '0')}`);
  const { context, page } = await freshPage(browser, appUrl, { user });
  try {
    const path = `/app/generate/${session.id}`;
    await page.goto(path, { waitUntil: 'commit' });
    if ((await mark(page, 'results', 20_000)) === null) return { notMeasured: `no region "Results" with cards on ${path} yet` };
    await page.waitForTimeout(1000); // let the realtime subscription settle

    // A windowed grid renders only the cards near the viewport: the updates go to the cards the
    // page shows (a card scrolled out of the window is judged by the scroll and burst rows).
    const inPage = await page.evaluate((prompts) => {
      const texts = [...document.querySelectorAll('li')].map((li) => li.textContent);
      return prompts.filter((p) => texts.some((t) => t.includes(p)));
    }, rows.map((r) => r.prompt));
    const watched = rows.filter((r) => inPage.includes(r.prompt));
    if (watched.length === 0) return { notMeasured: 'none of the session\'s cards is in the page' };
    const latencies = [];
    let missed = 0;
    const status = new Map(rows.map((r) => [r.id, 'completed']));
    for (let i = 0; i < UPDATES; i++) {
      const row = watched[i % watched.length];
      const next = status.get(row.id) === 'completed' ? 'processing' : 'completed';
      await page.evaluate(([text, completed]) => { window.__benchChange = window.__bench.changed(text, completed, 5000); },
        [row.prompt, next === 'completed']);
      const sent = Date.now(); // the page stamps the change with Date.now() too (same clock, 1 ms steps)
      await stack.setStatus(row.id, next);
      status.set(row.id, next);
      const seen = await page.evaluate(() => window.__benchChange);
      // An update that never reached the card is a miss: it stays in the list (as null) so the
      // p95 counts it instead of ranking only the updates that arrived.
      if (seen === null) missed++;
      latencies.push(seen === null ? null : seen - sent);
      if (missed >= 10 && missed === latencies.length) {
        return { notMeasured: `the cards did not change on 10 status updates (no realtime in the grid yet?)` };
      }
    }
    const ms = summarize(latencies);
    return { updates: UPDATES, cards: watched.length, missed, latencyMs: ms, targets: [quantileTarget('status change → card, p95', ms, 'p95', { max: 50, unit: ' ms' })] };
  } finally {
    await context.close();
  }
}
