#!/usr/bin/env node
// Serves the built app (dist/) the way a CDN would: its own origin, hashed assets cached for
// good, index.html for every other path so client-side routes survive a reload.
//   node scripts/serve-dist.mjs [--dir dist] [--port 3000]
// With SUPABASE_URL and SUPABASE_ANON_KEY in the environment, /config.js is generated from them,
// so one build can be pointed at any stack (the tests point it at their own instance).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = resolve(flag('dir', 'dist'));
const port = Number(flag('port', '3000'));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain',
};

function runtimeConfig() {
  const { SUPABASE_URL: url, SUPABASE_ANON_KEY: key } = process.env;
  if (!url || !key) return null;
  return `window.ATELIER_CONFIG = ${JSON.stringify({ supabaseUrl: url, supabaseAnonKey: key })};\n`;
}

async function fileFor(pathname) {
  const candidate = normalize(join(root, decodeURIComponent(pathname)));
  if (!candidate.startsWith(root)) return null; // no escaping dist/
  try {
    if ((await stat(candidate)).isFile()) return candidate;
  } catch { /* fall through to the SPA shell */ }
  return null;
}

createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, 'http://localhost');
    const config = pathname === '/config.js' ? runtimeConfig() : null;
    if (config) {
      res.writeHead(200, { 'content-type': types['.js'], 'cache-control': 'no-cache' });
      return res.end(config);
    }
    const file = (await fileFor(pathname)) ?? (extname(pathname) ? null : join(root, 'index.html'));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    const hashed = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(file);
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(await readFile(file));
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(err));
  }
}).listen(port, '127.0.0.1', () => console.log(`app: http://127.0.0.1:${port} (serving ${root})`));
