// Bundle size: what a first visit downloads (wasm + js + css), raw, gzip and brotli, and what
// the ≤ 250 KB brotli target needs: the brotli bytes over it, and the raw wasm that is at this
// build's measured brotli/raw ratio (the largest functions, from twiggy when it is installed).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { measureBundle } from '../../../../scripts/bundle-size.mjs';
import { target } from '../stats.mjs';

const KB = 1024;
/** The initial transfer target, brotli KB. */
const TARGET_KB = 250;

/** The crate an item of code belongs to: the first `name::` path segment of its symbol. */
const crateOf = (name) => (name.startsWith('data segment') ? '(data segments)' : name.match(/([A-Za-z_][A-Za-z0-9_]*)::/)?.[1] ?? '(other)');

/**
 * Where the code is, from the pre-wasm-bindgen module (it still has names): the largest
 * functions and the crates by code bytes (before wasm-opt, so shares, not final sizes).
 */
function twiggyTop(wasmPath, count = 12) {
  if (!existsSync(wasmPath)) return { note: `no ${wasmPath} (built by trunk build --release)` };
  let items;
  try {
    const json = execFileSync('twiggy', ['top', '-f', 'json', wasmPath], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
    items = JSON.parse(json);
  } catch (err) {
    return { note: err.code === 'ENOENT' ? 'twiggy is not installed (cargo install twiggy)' : `twiggy failed: ${err.message.split('\n')[0]}` };
  }
  // Names, bindgen metadata and the describe exports are what wasm-bindgen and wasm-opt remove.
  const code = items.filter((i) => !/subsection|custom section|__wbindgen_describe/.test(i.name));
  const codeBytes = code.reduce((s, i) => s + i.shallow_size, 0);
  const crates = new Map();
  for (const i of code) crates.set(crateOf(i.name), (crates.get(crateOf(i.name)) ?? 0) + i.shallow_size);
  const share = (bytes) => Math.round((bytes / codeBytes) * 1000) / 10;
  return {
    codeBytes,
    crates: [...crates].sort((a, b) => b[1] - a[1]).slice(0, count).map(([crate, bytes]) => ({ crate, bytes, percent: share(bytes) })),
    items: code.slice(0, count).map((i) => ({ name: i.name.slice(0, 120), bytes: i.shallow_size, percent: share(i.shallow_size) })),
  };
}

export async function bundle({ dist, wasmForNames }) {
  const files = measureBundle(dist);
  const total = Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, files.reduce((s, f) => s + f[k], 0)]));
  const byKind = Object.fromEntries(['wasm', 'js', 'css'].map((kind) => {
    const of = files.filter((f) => f.kind === kind);
    return [kind, Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, of.reduce((s, f) => s + f[k], 0)]))];
  }));
  const wasm = files.find((f) => f.kind === 'wasm');
  const brotliKb = Math.round((total.brotli / KB) * 10) / 10;
  const overBytes = Math.max(0, total.brotli - TARGET_KB * KB);
  // How much brotli output a raw wasm byte makes in this build (measured, not assumed).
  const wasmBrotliPerRaw = wasm ? wasm.brotli / wasm.raw : null;
  return {
    files,
    byKind,
    total,
    wasmCustomSections: wasm?.sections ?? [],
    toTarget: {
      targetKb: TARGET_KB,
      brotliKb,
      overKb: Math.round((overBytes / KB) * 10) / 10,
      wasmBrotliPerRaw: wasmBrotliPerRaw === null ? null : Math.round(wasmBrotliPerRaw * 1000) / 1000,
      // The cut, all from the wasm, if the removed code compresses as the whole module does.
      rawWasmToCutKb: wasmBrotliPerRaw ? Math.round(overBytes / wasmBrotliPerRaw / KB) : null,
      twiggy: twiggyTop(wasmForNames),
    },
    targets: [
      target('initial transfer wasm+js+css (brotli)', brotliKb, { max: TARGET_KB, unit: ' KB' }),
      target('name section in the release wasm', (wasm?.sections ?? []).some((s) => s.name === 'name') ? 'present' : 'none', { expect: 'none' }),
    ],
  };
}
