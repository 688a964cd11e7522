// Scrolling a 10,000-card session from top to bottom with the mouse wheel (CDP
// Input.dispatchMouseEvent mouseWheel, through Playwright), one notch of WHEEL_PX a frame, as a
// user flinging through it. The page records every requestAnimationFrame interval while the
// wheel turns (p95 is the target), and in each frame which cards are in view and whether each
// shows its media (an <img> complete with naturalWidth > 0, or a <video> with a frame): a card
// that was in view but never showed its media while it was counts against the target.
import { freshPage, mark } from '../browser.mjs';
import { sharedSession } from '../fixtures.mjs';
import { quantile, summarize } from '../stats.mjs';
import { untilIdle } from '../view.mjs';
import { COUNT } from './grid10k.mjs';

const WHEEL_PX = 400;
const LIMIT_MS = 180_000;

/** Installed in the page: the frame intervals and, per card, seen in view / shown its media. */
function watch() {
  const list = document.querySelector('[aria-label="Outputs"]')
    ?? document.querySelector('section[aria-label="Results"] ul, section[aria-label="Results"] [role="list"]');
  const w = { frames: [], seen: new Set(), shown: new Set(), inView: new Set(), running: true };
  window.__scroll = w;
  const key = (li) => li.dataset.generationId ?? li.textContent.trim();
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) (e.isIntersecting ? w.inView.add(e.target) : w.inView.delete(e.target));
  });
  const observe = (root) => root.querySelectorAll?.('li:not([aria-hidden="true"]), [role="listitem"]').forEach((li) => io.observe(li));
  observe(list);
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.matches('li:not([aria-hidden="true"]), [role="listitem"]')) io.observe(n);
        observe(n);
      }
    }
  }).observe(list, { childList: true, subtree: true });
  const hasMedia = (li) => {
    const img = li.querySelector('img');
    if (img) return img.complete && img.naturalWidth > 0;
    const video = li.querySelector('video');
    return !!video && video.readyState >= 2;
  };
  let last = null;
  const frame = (t) => {
    if (last !== null) w.frames.push(t - last);
    last = t;
    for (const li of w.inView) {
      if (!li.isConnected) { w.inView.delete(li); continue; }
      const k = key(li);
      w.seen.add(k);
      if (hasMedia(li)) w.shown.add(k);
    }
    if (w.running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Whether the wheel has nothing left to scroll: the scrolling ancestor of the list is at its end. */
const atEnd = (page) => page.evaluate(() => {
  const list = document.querySelector('[aria-label="Outputs"]') ?? document.querySelector('section[aria-label="Results"] ul');
  for (let el = list; el && el !== document.body; el = el.parentElement) {
    const oy = getComputedStyle(el).overflowY;
    if ((oy === 'auto' || oy === 'scroll') && el.scrollHeight > el.clientHeight) return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
  }
  const s = document.scrollingElement;
  return s.scrollTop + s.clientHeight >= s.scrollHeight - 2;
});

/**
 * A target that FAILs, keeping its value, when the scroll did not get to the last card
 * (`short`: why not); otherwise passes on `ok`.
 */
const scrollTarget = (name, bound, value, unit, ok, short, detail) => ({
  name, target: bound, value, unit, pass: short ? false : ok, detail: short ? `${short}; ${detail}` : detail,
});

export async function scroll(ctx) {
  const { browser, appUrl } = ctx;
  const { user, path, rows } = await sharedSession(ctx, COUNT);
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await cdp.send('Performance.enable');
    await page.goto(path, { waitUntil: 'commit' });
    if ((await mark(page, 'results', 60_000)) === null) return { notMeasured: `no Results card on ${path} within 60 s` };
    await untilIdle(cdp, { timeoutMs: 30_000 });
    const box = await page.getByRole('list', { name: 'Outputs' }).boundingBox().catch(() => null)
      ?? await page.getByRole('region', { name: 'Results' }).boundingBox();
    const viewport = page.viewportSize();
    // The wheel over the middle of the list's visible part.
    const x = box.x + box.width / 2;
    const y = Math.min(viewport.height - 10, Math.max(box.y + 10, (Math.max(box.y, 0) + Math.min(box.y + box.height, viewport.height)) / 2));
    await page.mouse.move(x, y);
    await page.evaluate(watch);
    const started = Date.now();
    let wheels = 0;
    let still = 0;
    while (Date.now() - started < LIMIT_MS) {
      await page.mouse.wheel(0, WHEEL_PX);
      wheels++;
      if (wheels % 20 === 0 && await atEnd(page)) {
        // A paged list grows as its end comes into view: the end counts once nothing more loads.
        if (++still >= 5) break;
        await page.waitForTimeout(200);
      } else if (wheels % 20 === 0) {
        still = 0;
      }
    }
    const reachedEnd = await atEnd(page);
    const w = await page.evaluate(() => {
      window.__scroll.running = false;
      const s = window.__scroll;
      return { frames: s.frames, seen: [...s.seen], shown: [...s.shown] };
    });
    const oldest = rows[0].prompt; // the bottom card: the first generation made
    const seenOldest = w.seen.some((k) => k.includes(oldest) || k === rows[0].id);
    const shown = new Set(w.shown);
    const withoutMedia = w.seen.filter((k) => !shown.has(k));
    const frames = summarize(w.frames);
    const p95 = quantile([...w.frames].sort((a, b) => a - b), 0.95);
    const p95Ms = p95 === null ? null : Math.round(p95 * 10) / 10;
    const short = reachedEnd && seenOldest ? null
      : `did not reach the last card (${reachedEnd ? 'at the end, but the oldest card never came into view' : `stopped after ${LIMIT_MS / 1000} s`})`;
    const withMedia = w.seen.length - withoutMedia.length;
    return {
      path, wheels, wheelPx: WHEEL_PX, seconds: Math.round((Date.now() - started) / 100) / 10, reachedEnd, seenOldest,
      frameMs: frames, cardsSeen: w.seen.length, cardsWithMedia: withMedia,
      withoutMediaSample: withoutMedia.slice(0, 5),
      targets: [
        scrollTarget('10,000-card session, wheel scroll top to bottom: p95 frame interval', '≤ 20 ms', p95Ms, ' ms', p95Ms !== null && p95Ms <= 20, short,
          `${w.frames.length} frames, max ${frames.max ?? '–'} ms, ${wheels} wheel events of ${WHEEL_PX} px`),
        scrollTarget('10,000-card session, wheel scroll: cards in view that showed their media', 'every card', `${withMedia}/${w.seen.length}`, '',
          w.seen.length > 0 && withoutMedia.length === 0, short, `${w.seen.length} of ${COUNT} cards came into view`),
      ],
    };
  } finally {
    await context.close();
  }
}
