#!/usr/bin/env node
// Prints the release bundle's size: every wasm, js, css and html file in dist/ (index.html
// carries the inlined styles), raw, gzip (level 9)
// and brotli (quality 11), as a CDN would serve them, and the wasm's custom sections (a
// release build should carry no "name" section: wasm-opt -Oz without -g drops it).
// Run after `trunk build --release`. The bench (tests/bench/) imports measureBundle.
//   node scripts/bundle-size.mjs [dist]
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** Names and sizes of a wasm module's custom sections (id 0). */
export function customSections(bytes) {
  const sections = [];
  let at = 8; // magic + version
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 0) {
      const len = leb();
      sections.push({ name: bytes.subarray(at, at + len).toString('utf8'), bytes: size });
    }
    at = end;
  }
  return sections;
}

/** Every wasm/js/css/html file of a build with its raw, gzip and brotli size in bytes, largest first. */
export function measureBundle(dir) {
  return readdirSync(dir)
    .filter((f) => ['.wasm', '.js', '.css', '.html'].includes(extname(f)))
    .map((f) => {
      const bytes = readFileSync(join(dir, f));
      return {
        file: f,
        kind: extname(f).slice(1),
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        ...(f.endsWith('.wasm') ? { sections: customSections(bytes) } : {}),
      };
    })
    .sort((a, b) => b.raw - a.raw);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = measureBundle(process.argv[2] ?? 'dist');
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
  console.log(`${'file'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const r of rows) console.log(`${r.file.padEnd(44)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`);
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  console.log(`${'total'.padEnd(44)}${kb(sum('raw'))}${kb(sum('gzip'))}${kb(sum('brotli'))}`);
  for (const r of rows.filter((r) => r.sections)) {
    const list = r.sections.map((s) => `${s.name} (${s.bytes} B)`).join(', ') || 'none';
    console.log(`${r.file} custom sections: ${list}`);
  }
}
