// What the bench watches inside the page, installed before any page script runs
// (context.addInitScript). It finds controls the way a screen reader would name them — the
// navigation "Sessions", the region "Results" and its listitems — and timestamps, on the
// page's own clock (ms since navigation start), the first frame in which each appears.
// `window.__bench.changed(text, completed)` resolves with the wall-clock time at which the
// Results card holding `text` turns completed or back to waiting (realtime latency).

export function probe() {
  const accessibleName = (el) => {
    const label = el.getAttribute('aria-label');
    if (label) return label.trim();
    const ids = el.getAttribute('aria-labelledby');
    if (ids) return ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    return '';
  };
  const selectors = {
    navigation: 'nav, [role="navigation"]',
    region: 'section[aria-label], section[aria-labelledby], [role="region"]',
  };
  const landmark = (role, name) => [...document.querySelectorAll(selectors[role])].find((el) => accessibleName(el) === name);
  // Laid out and painted: an element with a box under `visibility: hidden` is not shown.
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (el.checkVisibility?.({ visibilityProperty: true }) ?? true);
  };
  const listItems = (root) => [...root.querySelectorAll('li:not([aria-hidden="true"]), [role="listitem"]')];
  const results = () => landmark('region', 'Results');
  const checks = {
    // The rail's session buttons (not "New session", which is there before any data).
    rail: () => {
      const nav = landmark('navigation', 'Sessions');
      return !!nav && listItems(nav).some((li) => shown(li) && li.querySelector('button, a, [role="button"]'));
    },
    resultsRegion: () => !!results(),
    results: () => {
      const region = results();
      return !!region && listItems(region).some(shown);
    },
  };
  // The floor pages (served under /__bench/) have no rail: waiting for one there kept the
  // frame loop below running on every frame, so a floor never counted as quiet.
  if (location.pathname.startsWith('/__bench/')) delete checks.rail;
  const bench = { at: {}, wasm: null, violations: [] };
  window.__bench = bench;
  // Content-Security-Policy violations of this document (a blocked style or script changes
  // what is measured: the grid floor must render under the same policy as the app).
  document.addEventListener('securitypolicyviolation', (e) => {
    bench.violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}${e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ''}`);
  }, true);
  // Every main-thread task over 50 ms (Long Tasks API) as { start, ms }, page clock.
  bench.longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no Long Tasks API: longTasks stays empty and the measurement says so */ }
  // Room for every request of a 1,000-card page in resource timing (the default keeps 250).
  performance.setResourceTimingBufferSize?.(20_000);
  // The app's first DOM: the first node added under <body> other than what index.html holds
  // (main() mounting the app; index.html's static shell #boot is not the app), timestamped in
  // the mutation's microtask.
  const firstDom = new MutationObserver((records) => {
    const appNode = (n) => n !== document.body && document.body?.contains(n) && !(n.nodeType === 1 ? n : n.parentElement)?.closest('noscript, script, #boot');
    const added = records.flatMap((r) => [...r.addedNodes]).find(appNode);
    if (added) {
      bench.at.firstAppDom = performance.now();
      bench.firstAppNode = `${added.nodeName}${added.id ? `#${added.id}` : ''}${added.className ? `.${String(added.className).split(' ')[0]}` : ''}`;
      firstDom.disconnect();
    }
  });
  firstDom.observe(document, { childList: true, subtree: true });
  // Trunk's loader fires this once the wasm is instantiated and main() has run.
  addEventListener('TrunkApplicationStarted', (e) => {
    bench.wasm = e.detail?.wasm ?? null;
    bench.at.appStarted = performance.now();
  });

  // Checked once per frame; the time recorded is after that frame (a task queued from rAF
  // runs once the frame is painted).
  const frame = () => {
    const pending = Object.keys(checks).filter((k) => !(k in bench.at));
    const hits = pending.filter((k) => document.body && checks[k]());
    if (hits.length) {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        for (const k of hits) {
          if (k in bench.at) continue;
          bench.at[k] = performance.now();
          performance.mark(`bench:${k}`); // for a trace of the load (trace.mjs)
        }
      };
      channel.port2.postMessage(0);
    }
    if (pending.length > hits.length) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  /** Counts Results cards holding their media (<img>/<video> with a source: a completed row). */
  bench.completedCards = () => {
    const region = results();
    if (!region) return 0;
    return listItems(region).filter(hasMedia).length;
  };

  // A card's words: its text and its media's alternative text.
  const words = (li) => `${li.textContent} ${[...li.querySelectorAll('[alt], [aria-label]')]
    .map((el) => el.getAttribute('alt') ?? el.getAttribute('aria-label')).join(' ')} ${li.getAttribute('aria-label') ?? ''}`;
  const hasMedia = (li) => !!li.querySelector('img[src], video[src], video source[src]');
  // A card's generation: its data-generation-id, else the id in its media URL (generate-media
  // stores outputs under generated_assets/<user id>/<generation id>/).
  const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  const inMediaUrl = new RegExp(`/generated_assets/${uuid}/(${uuid})/`, 'i');
  const cardId = (li) => {
    if (li.dataset.generationId) return { id: li.dataset.generationId, from: 'data-generation-id' };
    const src = li.querySelector('img[src], video[src], video source[src]')?.getAttribute('src') ?? '';
    const id = src.match(inMediaUrl)?.[1] ?? null;
    return { id, from: id ? 'media URL' : null };
  };

  /** The Results cards holding their media, each as { id, from } (id null when none is found). */
  bench.completedCardIds = () => {
    const region = results();
    return region ? listItems(region).filter(hasMedia).map(cardId) : [];
  };

  /**
   * Resolves with Date.now() at the first DOM change after which the card holding `text` shows
   * (`completed` true) or no longer shows (false) its media, or null after `timeoutMs`. Other
   * changes to the card (a waiting card's elapsed-time label) do not count.
   */
  bench.changed = (text, completed, timeoutMs = 5000) => new Promise((resolve) => {
    const region = results();
    if (!region) return resolve(null);
    const observer = new MutationObserver(() => {
      const card = listItems(region).find((li) => words(li).includes(text));
      if (card && hasMedia(card) === completed) {
        // Date.now(): the system clock the bench process reads too (timeOrigin-based clocks of
        // two processes can drift apart by milliseconds).
        const wall = Date.now();
        observer.disconnect();
        clearTimeout(timer);
        resolve(wall);
      }
    });
    observer.observe(region, { subtree: true, childList: true, attributes: true, characterData: true });
    const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
  });
}
