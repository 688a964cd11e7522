#!/usr/bin/env node
// Prints the release bundle's size: every wasm, js and css file in dist/, raw, gzip (level 9)
// and brotli (quality 11), as a CDN would serve them. Run after `trunk build --release`.
//   node scripts/bundle-size.mjs [dist]
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
const rows = readdirSync(dir)
  .filter((f) => ['.wasm', '.js', '.css'].includes(extname(f)))
  .map((f) => {
    const bytes = readFileSync(join(dir, f));
    return {
      file: f,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  })
  .sort((a, b) => b.raw - a.raw);
console.log(`${'file'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const r of rows) console.log(`${r.file.padEnd(44)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`);
const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
console.log(`${'total'.padEnd(44)}${kb(sum('raw'))}${kb(sum('gzip'))}${kb(sum('brotli'))}`);
