#!/usr/bin/env node
// Serves the built app (dist/) the way a CDN would: its own origin; brotli or gzip as the
// browser accepts (Vary: Accept-Encoding); hashed assets cached for good, index.html and
// config.js revalidated; index.html for every extension-less path so client-side routes
// survive a reload; and the production security headers of scripts/csp.mjs.
//   node scripts/serve-dist.mjs [--dir dist] [--port 3000] [--mount /prefix=/some/dir]
// With SUPABASE_URL and SUPABASE_ANON_KEY in the environment, /config.js is generated from them,
// so one build can be pointed at any stack (the tests point it at their own instance), and the
// CSP names that URL; otherwise dist/config.js is served and its URL is used.
// --mount serves another folder under a prefix with the same headers (the benchmarks' pages).
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { configuredSupabaseUrl, securityHeaders } from './csp.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = resolve(flag('dir', 'dist'));
const port = Number(flag('port', '3000'));
const mounts = args.flatMap((a, i) => (a === '--mount' ? [args[i + 1].split('=')] : []))
  .map(([prefix, dir]) => ({ prefix: prefix.replace(/\/$/, ''), dir: resolve(dir) }));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
// Already-compressed formats are sent as they are.
const compressible = new Set(['.html', '.js', '.css', '.wasm', '.json', '.svg', '.ico', '.txt', '.webmanifest']);
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

function runtimeConfig() {
  const { SUPABASE_URL: url, SUPABASE_ANON_KEY: key } = process.env;
  if (!url || !key) return null;
  return Buffer.from(`window.ATELIER_CONFIG = ${JSON.stringify({ supabaseUrl: url, supabaseAnonKey: key })};\n`);
}

/** One file's bytes and encodings, computed once per version of the file (path, mtime, size). */
const cache = new Map();
async function load(file) {
  const info = await stat(file);
  const version = `${info.mtimeMs}:${info.size}`;
  const hit = cache.get(file);
  if (hit?.version === version) return hit.entry;
  const entry = (async () => {
    const raw = await readFile(file);
    if (!compressible.has(extname(file)) || raw.length < 512) return { raw };
    const [br, gzipped] = await Promise.all([
      brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
      gz(raw, { level: 9 }),
    ]);
    return { raw, br, gzip: gzipped };
  })();
  cache.set(file, { version, entry });
  entry.catch(() => cache.delete(file));
  return entry;
}

/** Compresses everything in dist/ up front, so the first visit is as fast as the next. */
async function warm(dir) {
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) await warm(path);
    else await load(path).catch(() => {});
  }
}

/** The security headers, rebuilt when index.html changes (its loader hash changes per build). */
let policy = { version: null, headers: {} };
async function security() {
  const index = join(root, 'index.html');
  const info = await stat(index).catch(() => null);
  const version = info ? `${info.mtimeMs}:${info.size}` : 'none';
  if (policy.version !== version) {
    const indexHtml = info ? await readFile(index, 'utf8') : '';
    const supabaseUrl = process.env.SUPABASE_URL ?? configuredSupabaseUrl(root);
    policy = { version, headers: securityHeaders({ indexHtml, supabaseUrl }) };
  }
  return policy.headers;
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The file for a request path: a file under dist/ (or a mount), the SPA shell, or null. */
async function fileFor(pathname) {
  const mount = mounts.find((m) => pathname === m.prefix || pathname.startsWith(`${m.prefix}/`));
  const base = mount ? mount.dir : root;
  const rest = mount ? pathname.slice(mount.prefix.length) || '/index.html' : pathname;
  const candidate = normalize(join(base, decodeURIComponent(rest)));
  if (candidate !== base && !candidate.startsWith(base + sep)) return null; // no escaping the folder
  if (await isFile(candidate)) return candidate;
  if (mount) return null;
  return extname(pathname) ? null : join(root, 'index.html');
}

/** The best encoding of `entry` the request accepts (brotli, then gzip, then none). */
function negotiate(req, entry) {
  const accepted = new Map(String(req.headers['accept-encoding'] ?? '').split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return [name, q ? Number(q.slice(2)) : 1];
  }));
  const ok = (name) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (entry.br && ok('br')) return ['br', entry.br];
  if (entry.gzip && ok('gzip')) return ['gzip', entry.gzip];
  return [null, entry.raw];
}

function send(req, res, status, headers, entry) {
  const [encoding, body] = negotiate(req, entry);
  const out = { ...headers, 'content-length': body.length };
  if (entry.br || entry.gzip) out.vary = 'Accept-Encoding';
  if (encoding) out['content-encoding'] = encoding;
  res.writeHead(status, out);
  res.end(req.method === 'HEAD' ? undefined : body);
}

const server = createServer(async (req, res) => {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      return res.end('method not allowed');
    }
    const { pathname } = new URL(req.url, 'http://localhost');
    const headers = { ...(await security()) };
    const config = pathname === '/config.js' ? runtimeConfig() : null;
    if (config) {
      return send(req, res, 200, { ...headers, 'content-type': types['.js'], 'cache-control': 'no-cache' }, { raw: config });
    }
    const file = await fileFor(pathname);
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      return res.end('not found');
    }
    // Trunk names hashed files name-<16 hex>.ext (and the wasm name-<hash>_bg.wasm).
    const hashed = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(file);
    send(req, res, 200, {
      ...headers,
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    }, await load(file));
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(err));
  }
});
// Listen only once dist/ is compressed, as a CDN has it compressed at deploy time: otherwise the
// first visit waits for brotli at quality 11 over the whole wasm, which on a busy machine takes
// longer than a journey waits for the login form.
await warm(root).catch((err) => console.error(`precompress: ${err.message}`));
server.listen(port, '127.0.0.1', () => console.log(`app: http://127.0.0.1:${port} (serving ${root})`));
