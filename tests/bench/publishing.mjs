#!/usr/bin/env node
// Publishing latency on a local stack (a command that prints numbers; it asserts nothing).
// Starts the reference Bluesky PDS and the fake Mastodon, connects one creator's accounts on
// both through the connect functions, then:
//   * Publish now, P times (sequential, a new request key each): from publish_generation's answer
//     to (i) the post existing on each platform (polling the server every 20 ms) and (ii) the row
//     `published` as the app's Posts page learns it (Realtime; REST polling if it cannot subscribe).
//     Nothing calls the worker but the database (its trigger, through net.http_post).
//   * Scheduled: S posts per platform, each due at one of the next S minute starts (the times a
//     creator picks), inserted as service_role as publish_generation refuses times under a
//     minute ahead; lateness = published_at - scheduled_at, as the database records them.
// Writes <out>/publishing.json (bench/ by default) next to the rest of the bench's report.
//   API_URL=… ANON_KEY=… SERVICE_ROLE_KEY=… node tests/bench/publishing.mjs [--posts 20] [--scheduled 5] [--out bench]
// The stack's functions need ATELIER_ALLOW_PRIVATE_HOSTS=true (the servers are on 127.0.0.1).
// scripts/bench.sh passes its arguments on: with --only, this runs only when it lists `publishing`.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Stack } from './app/fixtures.mjs';
import { summarize } from './app/stats.mjs';
import { connectBluesky, connectMastodon, demoImage } from './publishing/creator.mjs';
import { startMastodon, startPds } from './publishing/servers.mjs';
import { pollUntil, watchPosts } from './publishing/watch.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const only = opt('only', '').split(',').filter(Boolean);
if (only.length && !only.includes('publishing')) process.exit(0);
for (const name of ['API_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY']) {
  if (!process.env[name]) throw new Error(`${name} is not set (see \`supabase-local status -o env\`)`);
}
if (!/^http:\/\/(127\.|localhost)/.test(process.env.API_URL)) throw new Error('loopback only');

const POSTS = Math.min(Number(opt('posts', 20)), 100);
const SCHEDULED = Math.min(Number(opt('scheduled', 5)), 10);
const outDir = opt('out', 'bench');
/** A post not on its platform or not settled this long after Publish now counts as not delivered. */
const PUBLISH_NOW_WITHIN_MS = 30_000;
const PLATFORMS = ['bluesky', 'mastodon'];
const HASHTAGS = ['#bench'];
const textOf = (caption) => `${caption}\n\n${HASHTAGS.join(' ')}`;
const round = (x) => (x === null ? null : Math.round(x));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const stack = new Stack({ apiUrl: process.env.API_URL, anonKey: process.env.ANON_KEY, serviceKey: process.env.SERVICE_ROLE_KEY });
const git = (argv) => {
  try { return execFileSync('git', argv, { encoding: 'utf8', timeout: 10_000 }).trim(); } catch { return null; }
};
const report = {
  generatedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, commit: git(['rev-parse', '--short', 'HEAD']),
    // Other work on the machine skews every timing: the 1-minute load at the start and the end.
    loadAverage: { start: Math.round(loadavg()[0] * 10) / 10, end: null },
  },
  publishNow: { status: 'not measured', reason: 'not started' },
  scheduled: { status: 'not measured', reason: 'not started' },
};
function save() {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'publishing.json'), `${JSON.stringify(report, null, 2)}\n`);
}

const line = (label, s, unit = 'ms') => (s.n
  ? `  ${label.padEnd(9)} p50 ${s.median} ${unit}  p95 ${s.p95} ${unit}  max ${s.max} ${unit}  (n=${s.n})`
  : `  ${label.padEnd(9)} no samples`);

/** P × Publish now to both accounts, one after the other. */
async function publishNow({ user, generationId, accounts, pds, mastodon, watcher }) {
  const run = randomUUID().slice(0, 8);
  const samples = [];
  for (let i = 0; i < POSTS; i++) {
    const caption = `Bench ${run} #${i + 1} ✨ harbour lights`;
    const rows = await stack.call('POST', '/rest/v1/rpc/publish_generation', {
      token: user.token,
      body: { p_generation_id: generationId, p_account_ids: PLATFORMS.map((p) => accounts[p].id), p_caption: caption, p_hashtags: HASHTAGS, p_request_key: randomUUID() },
    });
    const answered = performance.now();
    const ids = Object.fromEntries(PLATFORMS.map((p) => [p, rows.find((r) => r.account_id === accounts[p].id).id]));
    const [onBluesky, onMastodon, rowBluesky, rowMastodon] = await Promise.all([
      pollUntil(async () => (await pds.recentTexts(5)).includes(textOf(caption)), PUBLISH_NOW_WITHIN_MS),
      pollUntil(async () => (await mastodon.statusTexts()).includes(textOf(caption)), PUBLISH_NOW_WITHIN_MS),
      watcher.settled(ids.bluesky, PUBLISH_NOW_WITHIN_MS),
      watcher.settled(ids.mastodon, PUBLISH_NOW_WITHIN_MS),
    ]);
    // What each server holds once both are done: one post per Publish now, never two.
    const copies = {
      bluesky: (await pds.recentTexts(20)).filter((t) => t === textOf(caption)).length,
      mastodon: (await mastodon.statusTexts()).filter((t) => t === textOf(caption)).length,
    };
    await mastodon.forget();
    const since = (t) => (t === null ? null : round(t - answered));
    const sample = {
      remoteMs: { bluesky: since(onBluesky), mastodon: since(onMastodon) },
      rowMs: { bluesky: since(rowBluesky?.at ?? null), mastodon: since(rowMastodon?.at ?? null) },
      rowStatus: { bluesky: rowBluesky?.status ?? 'not settled', mastodon: rowMastodon?.status ?? 'not settled' },
      errors: { bluesky: rowBluesky?.error ?? null, mastodon: rowMastodon?.error ?? null },
      copies,
    };
    samples.push(sample);
    const failed = PLATFORMS.filter((p) => sample.rowStatus[p] !== 'published');
    if (failed.length) console.log(`[publishing] post ${i + 1}: ${failed.map((p) => `${p} ${sample.rowStatus[p]}${sample.errors[p] ? ` (${sample.errors[p]})` : ''}`).join(', ')}`);
    // The first post decides whether the pipeline works at all: no point waiting 20 × 30 s.
    if (i === 0 && failed.length === PLATFORMS.length) break;
  }
  const per = (key) => Object.fromEntries(PLATFORMS.map((p) => [p, summarize(samples.map((s) => s[key][p]).filter((x) => x !== null), 0)]));
  return {
    status: 'measured',
    posts: samples.length,
    rowsVia: watcher.via,
    ...(watcher.subscribeError ? { realtimeError: watcher.subscribeError } : {}),
    remoteMs: per('remoteMs'),
    rowMs: per('rowMs'),
    published: Object.fromEntries(PLATFORMS.map((p) => [p, samples.filter((s) => s.rowStatus[p] === 'published').length])),
    duplicates: Object.fromEntries(PLATFORMS.map((p) => [p, samples.filter((s) => s.copies[p] > 1).length])),
    samples,
  };
}

/** S posts per platform due at the next S minute starts; how late each is published. */
async function scheduled({ user, generationId, accounts }) {
  // At least 10 s ahead, so that each post is inserted well before its minute.
  const first = Math.ceil((Date.now() + 10_000) / 60_000) * 60_000;
  const rows = [];
  for (let k = 0; k < SCHEDULED; k++) {
    for (const p of PLATFORMS) {
      rows.push({
        user_id: user.id, generation_id: generationId, account_id: accounts[p].id, caption: `Scheduled bench ${k + 1} on ${p}`,
        hashtags: HASHTAGS, status: 'scheduled', scheduled_at: new Date(first + k * 60_000).toISOString(),
      });
    }
  }
  const inserted = await stack.call('POST', '/rest/v1/posts?select=id,account_id', { token: 'service', body: rows, headers: { prefer: 'return=representation' } });
  const ids = inserted.map((r) => r.id);
  const deadline = first + (SCHEDULED - 1) * 60_000 + 90_000;
  console.log(`[publishing] ${ids.length} scheduled posts due from ${new Date(first).toISOString()}, waiting until at most ${new Date(deadline).toISOString()}`);
  let settled = [];
  for (;;) {
    settled = await stack.call('GET', `/rest/v1/posts?id=in.(${ids.join(',')})&select=id,account_id,status,error,scheduled_at,published_at`, { token: 'service' });
    if (settled.every((r) => r.status !== 'scheduled' && r.status !== 'publishing') || Date.now() > deadline) break;
    await sleep(1_000);
  }
  const platformOf = (r) => PLATFORMS.find((p) => accounts[p].id === r.account_id);
  const lateness = (r) => (r.status === 'published' ? new Date(r.published_at) - new Date(r.scheduled_at) : null);
  const late = Object.fromEntries(PLATFORMS.map((p) => [p, settled.filter((r) => platformOf(r) === p).map(lateness).filter((x) => x !== null)]));
  return {
    status: 'measured',
    postsPerPlatform: SCHEDULED,
    firstDueAt: new Date(first).toISOString(),
    latenessMs: Object.fromEntries(PLATFORMS.map((p) => [p, summarize(late[p], 0)])),
    all: summarize([...late.bluesky, ...late.mastodon], 0),
    unsettled: settled.filter((r) => r.status !== 'published').map((r) => ({ platform: platformOf(r), status: r.status, error: r.error, scheduled_at: r.scheduled_at })),
    samples: settled.map((r) => ({ platform: platformOf(r), scheduled_at: r.scheduled_at, published_at: r.published_at, latenessMs: lateness(r) })),
  };
}

const notMeasured = (e) => ({ status: 'not measured', reason: `error: ${String(e?.message ?? e).split('\n')[0]}` });
let pds = null;
let mastodon = null;
let watcher = null;
try {
  save();
  console.log('[publishing] starting the reference PDS and the fake Mastodon');
  [pds, mastodon] = await Promise.all([startPds(), startMastodon()]);
  const user = await stack.newUser('publishing');
  const generationId = await demoImage(stack, user);
  const accounts = { bluesky: await connectBluesky(stack, user, pds), mastodon: await connectMastodon(stack, user, mastodon) };
  watcher = await watchPosts(stack, user);
  const ctx = { user, generationId, accounts, pds, mastodon, watcher };

  console.log(`[publishing] ${POSTS} × Publish now to @${accounts.bluesky.handle} and @${accounts.mastodon.handle} (rows seen via ${watcher.via})`);
  try {
    report.publishNow = await publishNow(ctx);
  } catch (e) {
    report.publishNow = notMeasured(e);
  }
  save();
  const pn = report.publishNow;
  if (pn.status === 'measured') {
    console.log(`Publish now → on the platform, from the RPC's answer (${pn.posts} posts):`);
    for (const p of PLATFORMS) console.log(line(p, pn.remoteMs[p]));
    console.log(`Publish now → row published, seen via ${pn.rowsVia}:`);
    for (const p of PLATFORMS) console.log(line(p, pn.rowMs[p]));
    console.log(`published: bluesky ${pn.published.bluesky}/${pn.posts}, mastodon ${pn.published.mastodon}/${pn.posts}; posts sent twice: bluesky ${pn.duplicates.bluesky}, mastodon ${pn.duplicates.mastodon}`);
  } else {
    console.log(`Publish now: ${pn.status} (${pn.reason})`);
  }

  if (SCHEDULED > 0) {
    try {
      report.scheduled = await scheduled(ctx);
    } catch (e) {
      report.scheduled = notMeasured(e);
    }
    save();
    const s = report.scheduled;
    if (s.status === 'measured') {
      console.log(`Scheduled lateness (published_at - scheduled_at; ${s.postsPerPlatform} per platform, each due at a minute's start):`);
      for (const p of PLATFORMS) console.log(`  ${p.padEnd(9)} p50 ${s.latenessMs[p].median} ms  max ${s.latenessMs[p].max} ms  (n=${s.latenessMs[p].n})`);
      console.log(`  all       p50 ${s.all.median} ms  max ${s.all.max} ms  (n=${s.all.n}); not published: ${s.unsettled.length}`);
      for (const u of s.unsettled) console.log(`  not published: ${u.platform} due ${u.scheduled_at} is ${u.status}${u.error ? ` (${u.error})` : ''}`);
    } else {
      console.log(`Scheduled: ${s.status} (${s.reason})`);
    }
  } else {
    report.scheduled = { status: 'not measured', reason: '--scheduled 0' };
  }
} catch (e) {
  const reason = notMeasured(e);
  if (report.publishNow.reason === 'not started') report.publishNow = reason;
  if (report.scheduled.reason === 'not started') report.scheduled = reason;
  console.log(`[publishing] not measured: ${reason.reason}`);
} finally {
  await watcher?.close().catch(() => {});
  await Promise.all([pds?.stop(), mastodon?.stop()].map((p) => p?.catch(() => {})));
  report.machine.loadAverage.end = Math.round(loadavg()[0] * 10) / 10;
  save();
  console.log(`[publishing] load average ${report.machine.loadAverage.start} → ${report.machine.loadAverage.end} on ${report.machine.cpus} cores; results in ${join(outDir, 'publishing.json')}`);
}
process.exit(0);
