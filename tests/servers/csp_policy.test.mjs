// The production Content-Security-Policy of scripts/csp.mjs for a deployed project: an https
// Supabase URL must open Realtime over wss:// on the same host (a browser refuses a ws:// socket
// from an https page, and connect-src must name the wss origin). No server is needed: this
// reads the policy the builder returns. tests/e2e/csp.test.mjs checks the http build it serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, projectOrigins, securityHeaders } from '../../scripts/csp.mjs';

/** A CSP header value as { directive: [sources] }. */
function parsePolicy(value) {
  return Object.fromEntries(value.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0])
    .map(([name, ...sources]) => [name.toLowerCase(), sources]));
}

const loader = "import init from '/atelier-1a2b.js'; init('/atelier-1a2b_bg.wasm');";
const indexHtml = `<!doctype html><html><head>
<script src="/config.js"></script>
<script type="module">${loader}</script>
</head><body></body></html>`;

test('an https project: connect-src names its https and wss origins, and no ws:// or http:// one', () => {
  const policy = parsePolicy(contentSecurityPolicy({ indexHtml, supabaseUrl: 'https://abcd1234.supabase.co' }));
  assert.deepEqual(policy['connect-src'], ["'self'", 'https://abcd1234.supabase.co', 'wss://abcd1234.supabase.co']);
  const insecure = Object.values(policy).flat().filter((s) => /^(ws|http):/.test(s));
  assert.deepEqual(insecure, [], 'an https page may not name insecure origins');
  assert.ok(policy['img-src'].includes('https://abcd1234.supabase.co'), 'stored images come from the project');
  assert.ok(policy['media-src'].includes('https://abcd1234.supabase.co'), 'stored videos come from the project');
});

test('an https project on its own domain and port keeps the port in the wss origin; a path is dropped', () => {
  assert.deepEqual(projectOrigins('https://api.atelier.example:8443/'),
    { http: 'https://api.atelier.example:8443', ws: 'wss://api.atelier.example:8443' });
  assert.deepEqual(projectOrigins('https://api.atelier.example:443/base/path'),
    { http: 'https://api.atelier.example', ws: 'wss://api.atelier.example' });
});

test('an http project (the local stack) opens ws:// on the API host and port', () => {
  const policy = parsePolicy(contentSecurityPolicy({ indexHtml, supabaseUrl: 'http://127.0.0.1:54321' }));
  assert.deepEqual(policy['connect-src'], ["'self'", 'http://127.0.0.1:54321', 'ws://127.0.0.1:54321']);
});

test("script-src allows the loader by its hash, not inline scripts in general; the headers carry the policy", () => {
  const headers = securityHeaders({ indexHtml, supabaseUrl: 'https://abcd1234.supabase.co' });
  const policy = parsePolicy(headers['content-security-policy']);
  const hash = `'sha256-${createHash('sha256').update(loader, 'utf8').digest('base64')}'`;
  assert.deepEqual(policy['script-src'], ["'self'", "'wasm-unsafe-eval'", hash]);
  assert.ok(policy['connect-src'].includes('wss://abcd1234.supabase.co'));
  assert.deepEqual(policy['object-src'], ["'none'"]);
  assert.deepEqual(policy['frame-ancestors'], ["'none'"]);
});

test("style-src allows the inlined stylesheets by their hashes, not inline styles in general", () => {
  const css = 'body{background:#111}.boot{display:grid}';
  const html = indexHtml.replace('</head>', `<style>${css}</style><style media="print">p{color:#000}</style></head>`);
  const policy = parsePolicy(contentSecurityPolicy({ indexHtml: html, supabaseUrl: 'https://abcd1234.supabase.co' }));
  const hashOf = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  assert.deepEqual(policy['style-src'], ["'self'", hashOf(css), hashOf('p{color:#000}')]);
  const plain = parsePolicy(contentSecurityPolicy({ indexHtml, supabaseUrl: 'https://abcd1234.supabase.co' }));
  assert.deepEqual(plain['style-src'], ["'self'"], 'no <style>, no hash');
});
