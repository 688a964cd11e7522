// What a measurement reads off a loaded session without assuming every card is in the DOM (the
// grid may be windowed and paged): the "N outputs" count the region "Results" prints, the
// main thread going quiet (CDP Performance metrics), and each card's state reached by
// scrolling the list "Outputs" from top to bottom.
import { metrics } from './browser.mjs';

/** The count in the region "Results"' "N outputs" text (null when it prints none). */
export function outputsCount(page) {
  return page.getByRole('region', { name: 'Results', exact: true }).innerText({ timeout: 5000 })
    .then((text) => {
      const m = /(\d[\d,\u202f ]*)\s+outputs?\b/.exec(text);
      return m ? Number(m[1].replace(/[^\d]/g, '')) : null;
    }, () => null);
}

/** Waits until the Results' "N outputs" count reads `n` (true) or `timeoutMs` passes (false). */
export async function untilOutputs(page, n, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await outputsCount(page)) === n) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

/**
 * Waits until the page's main thread is quiet: its CDP TaskDuration grows by less than
 * `slackMs` over `quietMs`. Returns the metrics then (Performance.enable must have been sent),
 * with `idle` false if it never went quiet within `timeoutMs`.
 */
export async function untilIdle(cdp, { quietMs = 500, slackMs = 10, timeoutMs = 30_000 } = {}) {
  const until = Date.now() + timeoutMs;
  const seen = [];
  for (;;) {
    const m = await metrics(cdp);
    const now = Date.now();
    seen.push({ at: now, task: m.TaskDuration });
    const before = seen.filter((s) => s.at <= now - quietMs).at(-1);
    if (before && m.TaskDuration - before.task < slackMs) return { ...m, idle: true };
    if (now > until) return { ...m, idle: false };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Scrolls the list "Outputs" (its scrolling ancestor, or the page) from top to bottom a screen
 * at a time, two frames per step, and returns every card met: { key, media } where key is its
 * data-generation-id or its text, and media whether it last held an image or video with a
 * source (a completed card; a waiting one has none).
 * Stops at the bottom once the list stops growing, or after `timeoutMs`.
 */
export async function collectCards(page, timeoutMs = 60_000) {
  return page.evaluate(async (limit) => {
    const list = document.querySelector('[aria-label="Outputs"]')
      ?? [...document.querySelectorAll('section[aria-label="Results"] ul, section[aria-label="Results"] [role="list"]')][0];
    if (!list) return { cards: [], reachedEnd: false };
    const scroller = (() => {
      for (let el = list; el && el !== document.body; el = el.parentElement) {
        const oy = getComputedStyle(el).overflowY;
        if ((oy === 'auto' || oy === 'scroll') && el.scrollHeight > el.clientHeight) return el;
      }
      return document.scrollingElement;
    })();
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const seen = new Map();
    const take = () => {
      for (const li of list.querySelectorAll('li:not([aria-hidden="true"]), [role="listitem"]')) {
        const key = li.dataset.generationId ?? li.textContent.trim();
        seen.set(key, !!li.querySelector('img[src], video[src], video source[src]'));
      }
    };
    const until = performance.now() + limit;
    scroller.scrollTop = 0;
    let still = 0;
    while (performance.now() < until) {
      await frame();
      await frame();
      take();
      const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      if (atEnd) {
        // Paged lists grow as the end comes into view: the end counts once nothing new arrives.
        if (++still >= 10) return { cards: [...seen].map(([key, media]) => ({ key, media })), reachedEnd: true };
        await new Promise((r) => setTimeout(r, 100));
      } else {
        still = 0;
      }
      scroller.scrollTop += Math.max(200, scroller.clientHeight * 0.9);
    }
    return { cards: [...seen].map(([key, media]) => ({ key, media })), reachedEnd: false };
  }, timeoutMs);
}
