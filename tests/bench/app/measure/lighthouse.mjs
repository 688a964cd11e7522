// Lighthouse 12 (mobile preset: simulated slow 4G and 4× CPU) on /login and on the Generate
// page with a session's results, signed in by putting the session into localStorage
// (atelier.auth) first and keeping storage between the runs. Debian Chromium via puppeteer-core
// (Lighthouse's own driver).
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from '../browser.mjs';
import { summarize, target } from '../stats.mjs';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];

async function audit(browser, url, { session = null } = {}) {
  const page = await browser.newPage();
  try {
    if (session) {
      await page.goto(new URL('/login', url).href, { waitUntil: 'domcontentloaded' });
      await page.evaluate((s) => localStorage.setItem('atelier.auth', JSON.stringify(s)), session);
    }
    const result = await lighthouse(url, {
      output: 'json', logLevel: 'error', onlyCategories: CATEGORIES, disableStorageReset: !!session,
    }, undefined, page);
    const { categories, audits, finalDisplayedUrl, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`${runtimeError.code}: ${runtimeError.message}`);
    const failing = Object.values(categories).filter((c) => c.id !== 'performance')
      .flatMap((c) => c.auditRefs.filter((r) => r.weight > 0 && audits[r.id].score !== null && audits[r.id].score < 1)
        .map((r) => `${c.id}: ${r.id}`));
    return {
      finalUrl: finalDisplayedUrl,
      scores: Object.fromEntries(CATEGORIES.map((id) => [id, Math.round(categories[id].score * 100)])),
      lcpMs: audits['largest-contentful-paint'].numericValue,
      tbtMs: audits['total-blocking-time'].numericValue,
      cls: audits['cumulative-layout-shift'].numericValue,
      failing,
    };
  } finally {
    await page.close();
  }
}

function summary(runs) {
  const pick = (f, digits) => summarize(runs.map(f), digits);
  return {
    performance: pick((r) => r.scores.performance),
    accessibility: pick((r) => r.scores.accessibility),
    bestPractices: pick((r) => r.scores['best-practices']),
    lcpMs: pick((r) => r.lcpMs), tbtMs: pick((r) => r.tbtMs), cls: pick((r) => r.cls, 3),
    finalUrl: runs.at(-1).finalUrl,
    failing: [...new Set(runs.flatMap((r) => r.failing))],
  };
}

export async function lighthouseRuns({ appUrl, stack, runs }) {
  const user = await stack.newUser('lighthouse');
  const session = await stack.newSession(user, 'Lighthouse');
  const image = await stack.uploadImage(user);
  await stack.completedGenerations(user, session, image, 12);
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
  });
  try {
    const n = Math.min(runs, 3);
    const login = [];
    for (let i = 0; i < n; i++) login.push(await audit(browser, `${appUrl}/login`));
    const generate = [];
    for (let i = 0; i < n; i++) generate.push(await audit(browser, `${appUrl}/app/generate/${session.id}`, { session: user.session }));
    const out = { login: summary(login), generate: summary(generate) };
    out.targets = [
      target('login: performance', out.login.performance.median, { min: 95 }),
      target('login: accessibility', out.login.accessibility.median, { min: 100 }),
      target('login: best practices', out.login.bestPractices.median, { min: 100 }),
      target('generate: accessibility', out.generate.accessibility.median, { min: 100 }),
      target('generate: best practices', out.generate.bestPractices.median, { min: 100 }),
    ];
    return out;
  } finally {
    await browser.close();
  }
}
