#!/usr/bin/env node
// Import circles among the app's own Rust modules (src/**/*.rs), one node per file: prints each
// circle (a chain of imports that comes back to where it started), then one line
// "import circles: N". Exits 1 when there is any, so it can run as a lint step.
//   node scripts/import-circles-rust.mjs            the app's crate (src/lib.rs)
//   node scripts/import-circles-rust.mjs --root D   another crate root (D/lib.rs)
// No dependencies: the module tree and the paths are read from the source text.
//
// What counts as an import of module B by module A (both files):
// - the module tree is followed from lib.rs through `mod x;` (and `#[path = "…"] mod x;`);
//   inline `mod x { … }` blocks belong to their file (so `use super::*` in a `mod tests` is
//   the file using itself, not an edge);
// - every path that names B or an item of B: in `use` statements (`crate::`, `super::`,
//   `self::`, a child module, or a name imported before) and in code (`services::sessions::open`,
//   `socket::with(…)` through an imported module or a child module);
// - an item reached through a re-export (`pub use child::Item` in a mod.rs) counts as an import
//   of the module that defines it, not of the one that re-exports it;
// - NOT an import: a parent declaring its children (`mod x;`) or re-exporting a descendant's
//   items (`pub use x::Item`). So a child that uses its parent's items (`super::Services`) makes
//   a circle only when the parent itself uses the child's items beyond declaring/re-exporting
//   them (say `use child::helper;` in its own code);
// - a private child (`mod x;`, not `pub mod`) is its parent's implementation: what it imports
//   from outside the parent counts as imported by the parent too (shown "(via …)").
// Paths that start with anything else (std, leptos, a local variable) are not ours and ignored.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');

/** Source text with comments, strings and char literals blanked (same length, lines kept). */
export function strip(src) {
  let out = '';
  let i = 0;
  const blank = (s) => s.replace(/[^\n]/g, ' ');
  while (i < src.length) {
    const rest = src.slice(i);
    let m;
    if (rest.startsWith('//')) {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (rest.startsWith('/*')) {
      let depth = 0;
      let j = i;
      while (j < src.length) {
        if (src.startsWith('/*', j)) { depth++; j += 2; } else if (src.startsWith('*/', j)) { depth--; j += 2; if (!depth) break; } else j++;
      }
      out += blank(src.slice(i, j));
      i = j;
    } else if ((m = /^b?r(#*)"/.exec(rest)) && (i === 0 || !/\w/.test(src[i - 1]))) {
      const close = '"' + m[1];
      const end = src.indexOf(close, i + m[0].length);
      const stop = end < 0 ? src.length : end + close.length;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (src[i] === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += blank(src.slice(i, j + 1));
      i = j + 1;
    } else if ((m = /^'(\\[^']+|[^'\\])'/.exec(rest))) {
      out += blank(m[0]);
      i += m[0].length;
    } else {
      out += src[i];
      i++;
    }
  }
  return out;
}

/** Expands one `use` tree (the text between `use` and `;`) into [path segments, local name]. */
export function expandUse(tree) {
  const text = tree.replace(/\s+as\s+/g, '@').replace(/\s+/g, '');
  const out = [];
  const walk = (prefix, s) => {
    // s is one tree: a::b::{…} | a::b | a::b as c | a::*
    const brace = s.indexOf('{');
    if (brace >= 0 && s.endsWith('}')) {
      const head = s.slice(0, brace).replace(/::$/, '');
      const base = head ? [...prefix, ...head.split('::')] : prefix;
      for (const part of splitTop(s.slice(brace + 1, -1))) if (part) walk(base, part);
      return;
    }
    const [path, alias = null] = s.split('@');
    const segs = [...prefix, ...path.split('::').filter(Boolean)];
    if (segs[segs.length - 1] === 'self') segs.pop();
    const last = segs[segs.length - 1];
    out.push([segs, alias ?? (last === '*' ? null : last)]);
  };
  walk([], text);
  return out;
}

function splitTop(s) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (s[i] === ',' && !depth) { parts.push(s.slice(start, i)); start = i + 1; }
  }
  parts.push(s.slice(start));
  return parts;
}

/** The module tree from `libFile`: Map<module path ("" | "a::b"), { file, code }>. */
export function moduleTree(libFile) {
  const modules = new Map();
  const visit = (path, file, isDirOwner, isPub = true) => {
    const code = strip(readFileSync(file, 'utf8'));
    modules.set(path, { file, code, isPub });
    const dir = isDirOwner ? dirname(file) : join(dirname(file), file.replace(/^.*\/|\.rs$/g, ''));
    // Only declarations at the file's top level (depth 0) load files.
    let depth = 0;
    const re = /(#\[path\s*=\s*"([^"]+)"\]\s*)?(?:#\[[^\]]*\]\s*)*(pub(?:\([^)]*\))?\s+)?mod\s+([A-Za-z_]\w*)\s*;|[{}]/g;
    const raw = readFileSync(file, 'utf8');
    // #[path] values are string literals, blanked in `code`: read them from the raw text at the same offsets.
    let m;
    while ((m = re.exec(code))) {
      if (m[0] === '{') { depth++; continue; }
      if (m[0] === '}') { depth--; continue; }
      if (depth) continue;
      const name = m[4];
      const isPub = !!m[3];
      const attr = /#\[path\s*=\s*"([^"]+)"\]/.exec(raw.slice(m.index, m.index + m[0].length));
      const childPath = path ? `${path}::${name}` : name;
      let childFile;
      if (attr) childFile = join(dirname(file), attr[1]);
      else if (existsSync(join(dir, `${name}.rs`))) childFile = join(dir, `${name}.rs`);
      else childFile = join(dir, name, 'mod.rs');
      if (existsSync(childFile)) visit(childPath, childFile, attr ? false : childFile.endsWith('mod.rs'), isPub);
    }
  };
  visit('', libFile, true);
  // `#[path]` files are not directory owners; their own children (none today) would sit next to them.
  return modules;
}

const isWithin = (inner, outer) => outer === '' || inner === outer || inner.startsWith(outer + '::');

/** The import graph: Map<module, Map<module, true>> (self-edges left out). */
export function importGraph(modules) {
  const split = (p) => (p ? p.split('::') : []);
  const join2 = (segs) => segs.join('::');
  // Re-exports per module: name -> absolute segments, and aliases per module: name -> absolute segments.
  const info = new Map();
  const useRe = /\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);/g;
  for (const [path, { code }] of modules) {
    const uses = [];
    let m;
    while ((m = useRe.exec(code))) {
      // The inline module the statement sits in, for `super`/`self`.
      uses.push({ pub: !!m[1], trees: expandUse(m[2]), inline: inlineAt(code, m.index) });
    }
    info.set(path, { uses, reexports: new Map(), aliases: new Map() });
  }
  const children = (path) => new Set([...modules.keys()].filter((k) => k !== path && split(k).length === split(path).length + 1 && isWithin(k, path)).map((k) => split(k).pop()));

  /** Absolute segments of `segs` written in module `path` (inline blocks `inline` deep), or null when not ours. */
  const absolute = (path, inline, segs, aliases) => {
    let base = [...split(path), ...inline];
    const [first, ...rest] = segs;
    if (first === 'crate') return rest;
    if (first === 'self') return [...base, ...rest];
    if (first === 'super') {
      let s = segs;
      while (s[0] === 'super') { base = base.slice(0, -1); s = s.slice(1); }
      return [...base, ...s];
    }
    if (!inline.length && children(path).has(first)) return [...split(path), ...segs];
    if (aliases?.has(first)) return [...aliases.get(first), ...rest];
    return null;
  };

  // Pass 1: aliases and re-exports (absolute targets).
  for (const [path, mod] of info) {
    for (const u of mod.uses) {
      for (const [segs, alias] of u.trees) {
        const abs = absolute(path, u.inline, segs, mod.aliases);
        if (!abs) continue;
        if (alias && !u.inline.length) {
          mod.aliases.set(alias, abs);
          if (u.pub) mod.reexports.set(alias, abs);
        }
      }
    }
  }

  /** The module (file) that defines what `abs` names. */
  const owner = (abs, depth = 0) => {
    for (let n = abs.length; n >= 0; n--) {
      const mod = join2(abs.slice(0, n));
      if (!modules.has(mod)) continue;
      const item = abs[n];
      const re = item && info.get(mod).reexports.get(item);
      if (re && depth < 16 && join2(re) !== join2(abs.slice(0, n + 1))) return owner([...re, ...abs.slice(n + 1)], depth + 1);
      return mod;
    }
    return null;
  };

  const graph = new Map([...modules.keys()].map((k) => [k, new Map()]));
  const edge = (from, abs, pubUse) => {
    const to = owner(abs);
    if (to === null || to === from) return;
    // Declaring a child, or re-exporting a descendant's items, is not using them.
    if (pubUse && isWithin(to, from)) return;
    graph.get(from).set(to, true);
    // A private child is its parent's implementation: what it uses outside the parent, the
    // parent uses (so `sessions.rs` re-exporting `sessions/delete.rs`, which uses
    // `generation.rs`, depends on `generation.rs`).
    let inner = from;
    while (inner && !modules.get(inner).isPub) {
      const parent = join2(split(inner).slice(0, -1));
      if (isWithin(to, parent)) break;
      if (!graph.get(parent).has(to)) graph.get(parent).set(to, `via ${inner}`);
      inner = parent;
    }
  };
  for (const [path, { code }] of modules) {
    const mod = info.get(path);
    for (const u of mod.uses) {
      for (const [segs] of u.trees) {
        const abs = absolute(path, u.inline, segs, mod.aliases);
        if (abs) edge(path, abs, u.pub);
      }
    }
    // Paths in code (use statements blanked, they are counted above).
    const body = code.replace(useRe, (s) => s.replace(/[^\n]/g, ' '));
    const pathRe = /(?<![\w:])([A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)+)/g;
    let m;
    while ((m = pathRe.exec(body))) {
      const segs = m[1].split(/\s*::\s*/);
      const abs = absolute(path, inlineAt(body, m.index), segs, mod.aliases);
      if (abs) edge(path, abs, false);
    }
  }
  return graph;
}

/** The names of the inline `mod x { … }` blocks that enclose offset `at` of `code`. */
function inlineAt(code, at) {
  const stack = [];
  const re = /\bmod\s+([A-Za-z_]\w*)\s*\{|[{}]/g;
  let depth = 0;
  let m;
  while ((m = re.exec(code)) && m.index < at) {
    if (m[0] === '}') {
      if (stack.length && stack[stack.length - 1].depth === depth) stack.pop();
      depth--;
    } else {
      depth++;
      if (m[1]) stack.push({ name: m[1], depth });
    }
  }
  return stack.map((s) => s.name);
}

export { circles } from './import-circles-functions.mjs';

async function main() {
  const { circles } = await import('./import-circles-functions.mjs');
  const at = process.argv.indexOf('--root');
  const srcDir = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'src');
  const modules = moduleTree(join(srcDir, 'lib.rs'));
  const graph = importGraph(modules);
  const name = (p) => relative(srcDir, modules.get(p).file);
  const found = circles(graph);
  for (const c of found) {
    const hops = [...c, c[0]].map((p, i, all) => {
      if (i === 0) return name(p);
      const how = graph.get(all[i - 1]).get(p);
      return `-> ${name(p)}${how === true ? '' : ` (${how.replace(/^via (.*)$/, (_, m) => `via ${name(m)}`)})`}`;
    });
    console.log(hops.join(' '));
  }
  console.log(`import circles: ${found.length} (${modules.size} modules)`);
  process.exitCode = found.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
