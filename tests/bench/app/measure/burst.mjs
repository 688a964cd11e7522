// A burst of 500 Realtime updates in one second: a session of 500 generations, all waiting
// (status processing) when the page opens; then the service role completes them by REST,
// BATCH rows per PATCH, one PATCH every 1000 / (500 / BATCH) ms, so 500 row updates reach
// Realtime within 1 s. Measured: the page's main-thread busy time (CDP TaskDuration) from the
// first PATCH until the main thread is quiet again, and how many cards then show the completed
// state (media in place), read by scrolling the list "Outputs" through (it may be windowed).
import { freshPage, mark, metrics } from '../browser.mjs';
import { collectCards, untilIdle, untilOutputs } from '../view.mjs';
import { target } from '../stats.mjs';

const COUNT = 500;
const BATCH = 25;

export async function burst({ browser, appUrl, stack }) {
  const user = await stack.newUser('burst');
  const session = await stack.newSession(user, 'Burst');
  const image = await stack.uploadImage(user);
  const rows = await stack.completedGenerations(user, session, image, COUNT, (i) => `burst card ${String(i).padStart(4, '0')}`);
  await stack.setStatusWhere(`session_id=eq.${session.id}`, 'processing');
  const path = `/app/generate/${session.id}`;
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await cdp.send('Performance.enable');
    await page.goto(path, { waitUntil: 'commit' });
    if ((await mark(page, 'results', 30_000)) === null) return { notMeasured: `no Results card on ${path} within 30 s` };
    if (!(await untilOutputs(page, COUNT, 30_000))) return { notMeasured: `the Results never read "${COUNT} outputs"` };
    await untilIdle(cdp, { timeoutMs: 20_000 });
    await page.waitForTimeout(1000); // the realtime subscription settles

    const before = await metrics(cdp);
    const started = Date.now();
    const every = 1000 / (COUNT / BATCH);
    const sends = [];
    for (let i = 0; i < COUNT; i += BATCH) {
      const due = started + (i / BATCH) * every;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const ids = rows.slice(i, i + BATCH).map((r) => r.id);
      sends.push(stack.setStatusWhere(`id=in.(${ids.join(',')})`, 'completed'));
    }
    await Promise.all(sends);
    const sentMs = Date.now() - started;
    // Quiet for a second: no more events arriving and nothing left to render.
    const after = await untilIdle(cdp, { quietMs: 1000, timeoutMs: 20_000 });
    const busyMs = Math.round((after.TaskDuration - before.TaskDuration) * 10) / 10;
    const scriptMs = Math.round((after.ScriptDuration - before.ScriptDuration) * 10) / 10;
    const { cards, reachedEnd } = await collectCards(page);
    const completed = new Set(cards.filter((c) => c.media).map((c) => c.key));
    const right = rows.filter((r) => completed.has(r.id) || [...completed].some((k) => k.includes(r.prompt))).length;
    const fail = reachedEnd ? undefined : 'scrolling the list never reached its end';
    return {
      path, updates: COUNT, perPatch: BATCH, sentMs, busyMs, scriptMs, quiet: after.idle, right, cardsRead: cards.length,
      targets: [
        fail ? target('burst of 500 Realtime updates in 1 s: cards right', null, { expect: `${COUNT}/${COUNT}`, fail })
          : target('burst of 500 Realtime updates in 1 s: cards right', `${right}/${COUNT}`, { expect: `${COUNT}/${COUNT}` }),
        { ...target('burst of 500 Realtime updates in 1 s: main-thread busy', busyMs, { max: 300, unit: ' ms',
          fail: after.idle ? undefined : 'the main thread never went quiet within 20 s' }),
        detail: `script ${scriptMs} ms; the ${COUNT / BATCH} PATCHes took ${sentMs} ms` },
      ],
    };
  } finally {
    await context.close();
  }
}
