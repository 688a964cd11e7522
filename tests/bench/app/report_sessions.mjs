// The report's sections for the large-session measurements (10,000 cards, the wheel scroll,
// the Realtime burst), given report.mjs's formatters.

/** { grid10k, scroll, burst }: each a result → Markdown lines. */
export const sessionSections = ({ fmt, p95 }) => ({
  grid10k: (r) => [
    `${r.cards} completed image generations (one image), loaded cold; the floor is the same REST floor as for 1,000 (\`${r.floor.page}\`). ` +
      'Longest task: the longest Long Tasks API entry from navigation until the main thread is quiet (only tasks over 50 ms are reported).', '',
    '| page | navigation → first card | longest task while loading | cards ("N outputs") |', '|---|---|---|---:|',
    `| app (\`${r.path}\`) | ${fmt(r.app.firstCardMs)} | ${fmt(r.app.longestTaskMs)} | ${r.app.cardCount} |`,
    `| floor, rows over REST | ${fmt(r.floor.firstCardMs)} | ${fmt(r.floor.longestTaskMs)} | ${r.floor.cardCount} |`,
    '', `Open to first card, app / floor: **${r.ratio ?? '–'}×**${r.floor.problems.length ? ` (**FAIL**: ${r.floor.problems.join('; ')})` : ''}. ` +
      `App: ${fmt(r.app.longTasks, '')} long tasks per load, ${fmt(r.app.nodes, '')} DOM nodes once quiet${r.app.quiet ? '' : '; the main thread did not go quiet within 30 s'}.`,
  ],
  scroll: (r) => [
    `\`${r.path}\`: ${r.wheels} mouse-wheel events of ${r.wheelPx} px (CDP), one at a time, in ${r.seconds} s; ` +
      `${r.reachedEnd ? 'reached the end of the list' : '**did not reach the end of the list**'}${r.seenOldest ? ' and the oldest card' : ', **the oldest card never came into view**'}.`, '',
    `requestAnimationFrame intervals while scrolling: ${fmt(r.frameMs)}, p95 ${p95(r.frameMs)}. ` +
      `Cards in view: ${r.cardsSeen}, of which ${r.cardsWithMedia} showed their media while in view${r.withoutMediaSample.length ? ` (without: ${r.withoutMediaSample.join('; ')}…)` : ''}.`,
  ],
  burst: (r) => [
    `\`${r.path}\`: ${r.updates} waiting generations completed by ${r.updates / r.perPatch} PATCHes of ${r.perPatch} rows (service role) in ${r.sentMs} ms. ` +
      `Main thread from the first PATCH until quiet for 1 s: busy ${r.busyMs} ms (script ${r.scriptMs} ms)${r.quiet ? '' : ', **never quiet within 20 s**'}. ` +
      `Cards read by scrolling the list: ${r.cardsRead}; completed as they should be: ${r.right}/${r.updates}.`,
  ],
});
