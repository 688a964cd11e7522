// Bundle size: what a first visit downloads (html + wasm + js + css), raw, gzip and brotli, and what
// the ≤ 250 KB brotli target needs: the brotli bytes over it, and the raw wasm that is at this
// build's measured brotli/raw ratio (the largest functions, from twiggy when it is installed).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { measureBundle } from '../../../../scripts/bundle-size.mjs';
import { freshPage, mark, timeline } from '../browser.mjs';
import { target } from '../stats.mjs';
import { untilIdle } from '../view.mjs';

const KB = 1024;
/** The initial transfer target, brotli KB. */
const TARGET_KB = 250;
/**
 * A stated reference, not built here: a minimal Leptos 0.8 CSR app with leptos_router,
 * gloo-net and serde_json under the same release profile is about this many KB brotli.
 */
const MINIMAL_APP_KB = 112;

/**
 * The build's files a signed-in cold load of the Generate route fetches until its main thread
 * is quiet (a split build loads the rest later), by name; null when the page did not load.
 */
async function generateRouteFiles({ browser, appUrl, stack }, names) {
  if (!browser || !stack) return null;
  const user = await stack.newUser('bundle');
  const session = await stack.newSession(user, 'Bundle');
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await cdp.send('Performance.enable');
    await page.goto(`/app/generate/${session.id}`, { waitUntil: 'commit' });
    if ((await mark(page, 'rail', 20_000)) === null) return null;
    await untilIdle(cdp, { timeoutMs: 15_000 });
    const fetched = new Set((await timeline(page)).resources.map((e) => decodeURIComponent(new URL(e.url).pathname.split('/').pop())));
    // The document is the navigation itself, not a resource entry.
    return names.filter((n) => fetched.has(n) || n === 'index.html');
  } finally {
    await context.close();
  }
}

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

export async function bundle(ctx) {
  const { dist, wasmForNames } = ctx;
  const files = measureBundle(dist);
  const total = Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, files.reduce((s, f) => s + f[k], 0)]));
  const byKind = Object.fromEntries(['wasm', 'js', 'css', 'html'].map((kind) => {
    const of = files.filter((f) => f.kind === kind);
    return [kind, Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, of.reduce((s, f) => s + f[k], 0)]))];
  }));
  const wasm = files.find((f) => f.kind === 'wasm');
  // The Generate route's initial transfer: the files its cold load fetched (all of them when a
  // load could not be made: say so).
  const routeNames = await generateRouteFiles(ctx, files.map((f) => f.file)).catch(() => null);
  const routeFiles = routeNames ? files.filter((f) => routeNames.includes(f.file)) : files;
  const route = { files: routeFiles.map((f) => f.file), brotli: routeFiles.reduce((n, f) => n + f.brotli, 0), measured: !!routeNames };
  const routeKb = Math.round((route.brotli / KB) * 10) / 10;
  const brotliKb = Math.round((total.brotli / KB) * 10) / 10;
  const overBytes = Math.max(0, route.brotli - TARGET_KB * KB);
  // How much brotli output a raw wasm byte makes in this build (measured, not assumed).
  const wasmBrotliPerRaw = wasm ? wasm.brotli / wasm.raw : null;
  return {
    files,
    byKind,
    total,
    wasmCustomSections: wasm?.sections ?? [],
    toTarget: {
      targetKb: TARGET_KB,
      brotliKb: routeKb,
      overKb: Math.round((overBytes / KB) * 10) / 10,
      wasmBrotliPerRaw: wasmBrotliPerRaw === null ? null : Math.round(wasmBrotliPerRaw * 1000) / 1000,
      // The cut, all from the wasm, if the removed code compresses as the whole module does.
      rawWasmToCutKb: wasmBrotliPerRaw ? Math.round(overBytes / wasmBrotliPerRaw / KB) : null,
      twiggy: twiggyTop(wasmForNames),
    },
    generateRoute: { ...route, kb: routeKb, minimalAppKb: MINIMAL_APP_KB },
    targets: [
      { ...target('initial transfer, brotli (Generate route)', routeKb, { max: TARGET_KB, unit: ' KB' }),
        detail: `${route.measured ? `${route.files.length} files its cold load fetched` : 'every file of the build: the route did not load'}; ` +
          `all files ${brotliKb} KB; minimal Leptos 0.8 CSR app with leptos_router, gloo-net, serde_json: ~${MINIMAL_APP_KB} KB (stated reference, not built)` },
      target('name section in the release wasm', (wasm?.sections ?? []).some((s) => s.name === 'name') ? 'present' : 'none', { expect: 'none' }),
    ],
  };
}
