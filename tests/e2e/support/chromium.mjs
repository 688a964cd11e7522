// The one Chromium launcher of the journeys and the bench: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), with its flags in one place.
import { chromium } from 'playwright-core';

/** Debian Chromium, headless, without the background traffic that would blur a test or a timing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Launches Chromium with CHROMIUM_FLAGS, pages at full speed (the bench throttles per sample). */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

/**
 * How much slower than this machine every page's CPU runs: `E2E_CPU_THROTTLE=4` slows each
 * page the journeys open 4× (CDP `Emulation.setCPUThrottlingRate`), so races between the app
 * and its data show up as they do on a busy machine. Unset or 1: full speed.
 */
export const CPU_THROTTLE = Number(process.env.E2E_CPU_THROTTLE ?? 1);
if (!(CPU_THROTTLE >= 1)) throw new Error(`E2E_CPU_THROTTLE must be a number >= 1, got ${process.env.E2E_CPU_THROTTLE}`);

/** Slows `page`'s CPU by `rate` (CPU_THROTTLE unless given; once per page). */
const throttled = new WeakSet();
export async function throttle(page, rate = CPU_THROTTLE) {
  if (rate <= 1 || throttled.has(page)) return;
  throttled.add(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** The journeys' browser: launchChromium, every page slowed by CPU_THROTTLE when it is above 1. */
export async function launch() {
  const browser = await launchChromium();
  if (CPU_THROTTLE > 1) throttleEveryPage(browser);
  return browser;
}

/**
 * Every context the journeys make throttles each of its pages: `newPage` resolves only once the
 * page is slowed, and pages the app opens itself (popups) are slowed as they appear.
 */
function throttleEveryPage(browser) {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    const newPage = context.newPage.bind(context);
    context.newPage = async (...pageArgs) => {
      const page = await newPage(...pageArgs);
      await throttle(page);
      return page;
    };
    context.on('page', (page) => { throttle(page).catch(() => {}); });
    return context;
  };
}
