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
      dominates: perfBreakdown(categories.performance, audits),
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

/**
 * What Lighthouse itself says costs the performance score: the points each metric loses
 * (weight × (1 − score)), the LCP element and its phases (or why Lighthouse could not name it),
 * the longest critical chain and largest transfers, the audits with estimated savings, and the
 * main-thread work by kind and by script.
 */
function perfBreakdown(category, audits) {
  const r0 = (x) => Math.round(x);
  const lost = category.auditRefs.filter((r) => r.weight > 0 && audits[r.id]?.score !== null)
    .map((r) => ({ metric: r.id, valueMs: r0(audits[r.id].numericValue * (r.id === 'cumulative-layout-shift' ? 1000 : 1)) / (r.id === 'cumulative-layout-shift' ? 1000 : 1),
      score: audits[r.id].score, pointsLost: Math.round(r.weight * (1 - audits[r.id].score) * 10) / 10 }))
    .sort((a, b) => b.pointsLost - a.pointsLost);
  const lcpItems = audits['largest-contentful-paint-element']?.details?.items ?? [];
  const lcpPhases = lcpItems.find((t) => t.items?.[0]?.phase)?.items.map((p) => ({ phase: p.phase, ms: r0(p.timing) })) ?? [];
  const lcpElement = lcpItems[0]?.items?.[0]?.node?.snippet ?? null;
  const savings = Object.values(audits).filter((a) => a.score !== null && (a.details?.overallSavingsMs > 0
      || Object.values(a.metricSavings ?? {}).some((v) => v > 0)))
    .map((a) => ({ id: a.id, savingsMs: r0(a.details?.overallSavingsMs ?? 0),
      metricSavings: Object.fromEntries(Object.entries(a.metricSavings ?? {}).filter(([, v]) => v > 0).map(([k, v]) => [k, k === 'CLS' ? v : r0(v)])),
      displayValue: a.displayValue ?? null }))
    .sort((a, b) => Math.max(b.savingsMs, ...Object.values(b.metricSavings)) - Math.max(a.savingsMs, ...Object.values(a.metricSavings)))
    .slice(0, 6);
  const mainThread = (audits['mainthread-work-breakdown']?.details?.items ?? []).slice(0, 4)
    .map((i) => ({ group: i.groupLabel ?? i.group, ms: r0(i.duration) }));
  const bootup = (audits['bootup-time']?.details?.items ?? []).slice(0, 3)
    .map((i) => ({ url: typeof i.url === 'string' ? i.url.replace(/^https?:\/\/[^/]+/, '') : String(i.url), totalMs: r0(i.total), scriptingMs: r0(i.scripting), parseCompileMs: r0(i.scriptParseCompile) }));
  const lcpAudit = audits['largest-contentful-paint-element'];
  const chain = audits['critical-request-chains']?.details?.longestChain ?? null;
  const bytes = (audits['total-byte-weight']?.details?.items ?? []).slice(0, 3)
    .map((i) => ({ url: String(i.url).replace(/^https?:\/\/[^/]+/, ''), kb: Math.round(i.totalBytes / 102.4) / 10 }));
  const observed = audits.metrics?.details?.items?.[0] ?? {};
  return {
    score: Math.round(category.score * 100), pointsLost: lost,
    lcpElementError: lcpAudit?.scoreDisplayMode === 'error' ? (lcpAudit.errorMessage ?? 'error') : null,
    criticalChain: chain ? { ms: r0(chain.duration), requests: chain.length, kb: Math.round(chain.transferSize / 102.4) / 10 } : null,
    largestTransfers: bytes,
    observed: { fcpMs: observed.observedFirstContentfulPaint ?? null, lcpMs: observed.observedLargestContentfulPaint ?? null, loadMs: observed.observedLoad ?? null },
    lcpElement, lcpPhases, savings, mainThread, bootup,
  };
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
    // The run with the median performance score.
    dominates: [...runs].sort((a, b) => a.scores.performance - b.scores.performance)[Math.floor((runs.length - 1) / 2)].dominates,
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
    const login = [];
    for (let i = 0; i < runs; i++) login.push(await audit(browser, `${appUrl}/login`));
    const generate = [];
    for (let i = 0; i < runs; i++) generate.push(await audit(browser, `${appUrl}/app/generate/${session.id}`, { session: user.session }));
    const out = { login: summary(login), generate: summary(generate) };
    out.targets = [
      target('login: performance', out.login.performance.median, { min: 95 }),
      target('login: accessibility', out.login.accessibility.median, { min: 100 }),
      target('login: best practices', out.login.bestPractices.median, { min: 100 }),
      target('generate: performance', out.generate.performance.median, { min: 95 }),
      target('generate: accessibility', out.generate.accessibility.median, { min: 100 }),
      target('generate: best practices', out.generate.bestPractices.median, { min: 100 }),
    ];
    return out;
  } finally {
    await browser.close();
  }
}
