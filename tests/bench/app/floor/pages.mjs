// The grid floor's pages, written into the folder scripts/serve-dist.mjs mounts at /__bench
// (so they are served with the app's own security headers, CSP included):
//   rest.html?session=<id>  fetches the rows over REST with the stored session (floor.js)
//   inline.html             the same cards written into the HTML (the floor before it fetched)
// Both take their style from floor.css, a file: the CSP allows no inline <style> or <script>.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The cards as markup, the same elements floor.js builds. */
function inlineHtml(cards) {
  const items = cards.map((c) => `<li data-generation-id="${escape(c.id)}"><img src="${escape(c.url)}" width="${c.width}" height="${c.height}" ` +
    `alt="${escape(c.prompt)}" loading="lazy" decoding="async"><p>${escape(c.prompt)}</p></li>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Grid floor (data in the HTML)</title>
<link rel="stylesheet" href="/__bench/floor.css">
</head><body><section aria-label="Results"><ul>
${items}
</ul></section></body></html>
`;
}

/**
 * Writes both floors into `dir`; `cards` are { id, prompt, url, width, height } newest first
 * (the order the app shows). Returns their paths for a session id.
 */
export function writeFloorPages(dir, cards, sessionId) {
  for (const name of ['floor.css', 'floor.js', 'rest.html']) copyFileSync(here(name), join(dir, name));
  writeFileSync(join(dir, 'inline.html'), inlineHtml(cards));
  return { rest: `/__bench/rest.html?session=${encodeURIComponent(sessionId)}`, inline: '/__bench/inline.html' };
}
