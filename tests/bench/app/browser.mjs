// Debian Chromium for the bench (the e2e flags), one fresh context per sample so every load
// is cold, with the probe installed and, when asked, a signed-in user and CDP throttling.
import { chromium } from 'playwright-core';
import { probe } from './probe.mjs';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/**
 * A new context and page on `appUrl`: the probe in every document, `user`'s session in
 * localStorage (key atelier.auth) before the app starts, the HTTP cache off and the CPU slowed
 * `cpu` times through CDP.
 */
export async function freshPage(browser, appUrl, { user = null, cpu = 1, width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ baseURL: appUrl, viewport: { width, height } });
  await context.addInitScript(probe);
  if (user) {
    await context.addInitScript(([origin, session]) => {
      if (location.origin === origin && !localStorage.getItem('atelier.auth')) {
        localStorage.setItem('atelier.auth', JSON.stringify(session));
      }
    }, [new URL(appUrl).origin, user.session]);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  return { context, page, cdp, errors };
}

/** Waits for a probe mark (ms since navigation start), or null after `timeoutMs`. */
export async function mark(page, name, timeoutMs = 15_000) {
  try {
    const handle = await page.waitForFunction((k) => window.__bench?.at[k], name, { timeout: timeoutMs, polling: 50 });
    return await handle.jsonValue();
  } catch {
    return null;
  }
}

/** JS heap (after a garbage collection) and wasm linear memory, in bytes. */
export async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  const wasm = await page.evaluate(() => window.__bench?.wasm?.memory?.buffer?.byteLength ?? null);
  return { jsHeap, wasm };
}
