#!/usr/bin/env node
// The production security headers for a built Atelier (dist/), for the CDN and for
// scripts/serve-dist.mjs, which sends the same ones locally.
//   node scripts/csp.mjs [dist] [SUPABASE_URL]            prints every header, one "Name: value" a line
//   node scripts/csp.mjs dist https://PROJECT.supabase.co --value   prints only the CSP value
// Run it after every build: Trunk writes an inline loader <script> into index.html whose text
// (and so its sha256) changes with the asset hashes, and the policy allows exactly the inline
// scripts of the built index.html: that loader and index.html's own one-line chooser of the
// static shell shown while the wasm loads (<html data-boot>). The styles are inlined into
// index.html (so the shell paints before any other file arrives): style-src allows exactly
// those <style> elements, by hash.
// Without SUPABASE_URL, the URL in dist/config.js is used.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A CSP hash source ('sha256-…') for an inline element's text. */
const hashSource = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** sha256 sources for every inline <script> in an HTML document. */
export function inlineScriptHashes(html) {
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attrs]) => !/\ssrc\s*=/i.test(attrs)); // external scripts fall under 'self'
  return [...new Set(inline.map(([, , body]) => hashSource(body)))];
}

/** sha256 sources for every inline <style> element of an HTML document (not style attributes). */
export function inlineStyleHashes(html) {
  return [...new Set([...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map(([, body]) => hashSource(body)))];
}

/** The http(s) and ws(s) origins the app talks to for one Supabase project URL. */
export function projectOrigins(supabaseUrl) {
  const url = new URL(supabaseUrl);
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: url.origin, ws: `${ws}//${url.host}` };
}

/**
 * The Content-Security-Policy value. Storage media are served by the project's own origin
 * (/storage/v1/object/public/…), so img-src and media-src allow that origin; blob: covers
 * previews of local files, data: small inline images. 'wasm-unsafe-eval' lets the page compile
 * its wasm and nothing else; no script may be inline except the built index.html's own (Trunk's
 * loader and the shell chooser), by hash, and no style except its inlined stylesheets, by hash
 * (style attributes stay refused).
 * config.js is a file of the same origin, so 'self' covers it.
 */
export function contentSecurityPolicy({ indexHtml, supabaseUrl }) {
  const { http, ws } = projectOrigins(supabaseUrl);
  const directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'", ...inlineScriptHashes(indexHtml)],
    'style-src': ["'self'", ...inlineStyleHashes(indexHtml)],
    'img-src': ["'self'", 'data:', 'blob:', http],
    'media-src': ["'self'", 'blob:', http],
    'connect-src': ["'self'", http, ws],
    'font-src': ["'self'"],
    'manifest-src': ["'self'"],
    'worker-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** Every security header of a response from the app's origin. */
export function securityHeaders({ indexHtml, supabaseUrl }) {
  return {
    'content-security-policy': contentSecurityPolicy({ indexHtml, supabaseUrl }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // Nothing in the app uses these; denying them also denies any injected third party.
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** The Supabase URL a build was configured with (window.ATELIER_CONFIG in config.js). */
export function configuredSupabaseUrl(distDir) {
  const text = readFileSync(join(distDir, 'config.js'), 'utf8');
  const match = text.match(/supabaseUrl\s*:\s*["']([^"']+)["']/);
  if (!match) throw new Error(`no supabaseUrl in ${join(distDir, 'config.js')}`);
  return match[1];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const dist = positional[0] ?? 'dist';
  const supabaseUrl = positional[1] ?? process.env.SUPABASE_URL ?? configuredSupabaseUrl(dist);
  const indexHtml = readFileSync(join(dist, 'index.html'), 'utf8');
  const headers = securityHeaders({ indexHtml, supabaseUrl });
  if (process.argv.includes('--value')) {
    console.log(headers['content-security-policy']);
  } else {
    const title = (name) => name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());
    for (const [name, value] of Object.entries(headers)) console.log(`${title(name)}: ${value}`);
  }
}
