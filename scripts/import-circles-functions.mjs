#!/usr/bin/env node
// Import circles among the Edge Functions' own modules (supabase/functions): asks Deno for the
// module graph of every function entry (<name>/index.ts) and every test file (*_test.ts), joins
// them, and prints each circle (an import chain that comes back to where it started), then one
// line "import circles: N". Exits 1 when there is any, so it can run as a lint step.
//   node scripts/import-circles-functions.mjs              every static import counts
//   node scripts/import-circles-functions.mjs --runtime    `import type` edges left out
// Deno is node_modules/.bin/deno (the npm package), or DENO_BIN.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const functionsDir = join(root, 'supabase/functions');

/** Every module Deno is started from: the functions' entries and the test files. */
export function entrypoints(dir = functionsDir) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'index.ts' && d !== dir && resolve(d, '..') === dir) found.push(p);
      else if (/_test\.ts$/.test(e.name)) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * The import edges between local modules under `scope` from one `deno info --json` answer:
 * Map<file URL, Map<file URL, { typeOnly }>>. An edge is type-only when every import of that
 * target from that module is `import type` (Deno lists those under `type`, not `code`).
 */
export function edgesFrom(info, scope, into = new Map()) {
  const inScope = (s) => typeof s === 'string' && s.startsWith(scope);
  for (const m of info.modules ?? []) {
    if (!inScope(m.specifier)) continue;
    const out = into.get(m.specifier) ?? new Map();
    into.set(m.specifier, out);
    for (const d of m.dependencies ?? []) {
      if (d.isDynamic) continue;
      for (const [target, typeOnly] of [[d.code?.specifier, false], [d.type?.specifier, true]]) {
        if (!inScope(target)) continue;
        const prev = out.get(target);
        out.set(target, { typeOnly: prev ? prev.typeOnly && typeOnly : typeOnly });
      }
    }
  }
  return into;
}

/**
 * Every elementary circle of a directed graph (Johnson's algorithm, on each strongly connected
 * component), each as the list of its nodes starting from its smallest one, sorted.
 */
export function circles(graph) {
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((m) => [...m.keys()])])].sort();
  const index = new Map(nodes.map((n, i) => [n, i]));
  const next = nodes.map((n) => [...(graph.get(n)?.keys() ?? [])].map((t) => index.get(t)).sort((a, b) => a - b));
  const found = [];
  for (let s = 0; s < nodes.length; s++) {
    // Circles whose smallest node is s: search only among nodes >= s.
    const blocked = new Set();
    const blockedBy = new Map();
    const stack = [];
    const unblock = (u) => {
      blocked.delete(u);
      for (const w of blockedBy.get(u) ?? []) if (blocked.has(w)) unblock(w);
      blockedBy.delete(u);
    };
    const visit = (v) => {
      let closed = false;
      stack.push(v);
      blocked.add(v);
      for (const w of next[v]) {
        if (w < s) continue;
        if (w === s) {
          found.push(stack.map((i) => nodes[i]));
          closed = true;
        } else if (!blocked.has(w) && visit(w)) closed = true;
      }
      if (closed) unblock(v);
      else for (const w of next[v]) if (w >= s) blockedBy.set(w, new Set([...(blockedBy.get(w) ?? []), v]));
      stack.pop();
      return closed;
    };
    visit(s);
  }
  return found;
}

function denoBin() {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  const local = join(root, 'node_modules/.bin/deno');
  if (existsSync(local)) return local;
  return 'deno';
}

function main() {
  const runtimeOnly = process.argv.includes('--runtime');
  const scope = pathToFileURL(functionsDir).href + '/';
  const graph = new Map();
  for (const entry of entrypoints()) {
    // From the function's folder, as supabase-local starts it (the same config and node_modules).
    const json = execFileSync(denoBin(), ['info', '--json', entry], { cwd: resolve(entry, '..'), encoding: 'utf8', maxBuffer: 64 << 20 });
    edgesFrom(JSON.parse(json), scope, graph);
  }
  if (runtimeOnly) {
    for (const out of graph.values()) for (const [t, e] of out) if (e.typeOnly) out.delete(t);
  }
  const name = (u) => relative(functionsDir, fileURLToPath(u));
  const found = circles(graph);
  for (const c of found) {
    const hops = [...c, c[0]].map((u, i, all) => (i === 0 ? name(u) : `${graph.get(all[i - 1]).get(u).typeOnly ? '-(type)->' : '->'} ${name(u)}`));
    console.log(hops.join(' '));
  }
  console.log(`import circles: ${found.length} (${graph.size} modules${runtimeOnly ? ', runtime imports only' : ''})`);
  process.exitCode = found.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
