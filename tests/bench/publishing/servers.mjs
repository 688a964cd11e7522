// The platforms the publishing bench posts to: the reference Bluesky PDS and the fake Mastodon,
// each in a Node process of its own (their CLI forms), so that their work and the bench's
// polling do not share one event loop and skew each other's timings.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Set();
// Whatever happens to the bench, its servers go with it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `node tests/servers/<file> …` and resolves with the JSON line it prints once ready. */
async function startServer(file, args = []) {
  const child = spawn(process.execPath, [`tests/servers/${file}`, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(child);
  const lines = createInterface({ input: child.stdout });
  let onExit;
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} was not ready within 120 s`)), 120_000);
    onExit = (code) => reject(new Error(`${file} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try { resolve(JSON.parse(line)); } catch { reject(new Error(`${file} printed ${line}`)); }
    });
  }).catch((e) => {
    child.kill('SIGKILL');
    running.delete(child);
    throw e;
  });
  child.off('exit', onExit);
  lines.on('line', () => {}); // keep its stdout drained
  return {
    ready,
    async stop() {
      if (child.exitCode !== null) return running.delete(child);
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end(); // the fake Mastodon leaves when its stdin closes
      child.kill('SIGTERM');
      await gone;
      running.delete(child);
    },
  };
}

async function getJson(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** The reference PDS (alice.test), with a way to read alice's post records. */
export async function startPds() {
  const server = await startServer('pds.mjs');
  const { url, accounts } = server.ready;
  const alice = accounts.find((a) => a.handle === 'alice.test');
  return {
    url,
    alice,
    /** Texts of alice's most recent post records, newest first. */
    async recentTexts(limit = 10) {
      const q = new URLSearchParams({ repo: alice.did, collection: 'app.bsky.feed.post', limit: String(limit) });
      const body = await getJson(`${url}/xrpc/com.atproto.repo.listRecords?${q}`);
      return body.records.map((r) => r.value.text);
    },
    stop: server.stop,
  };
}

/** The fake Mastodon instance, with its admin API for what it received. */
export async function startMastodon() {
  const server = await startServer('mastodon.mjs');
  const { url } = server.ready;
  return {
    url,
    /** Texts of the statuses it created since the last `forget()`. */
    async statusTexts() {
      return (await getJson(`${url}/__admin/received`)).statuses.map((s) => s.text);
    },
    /** Drops what it received so far (accounts, tokens and statuses stay). */
    async forget() {
      await getJson(`${url}/__admin/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    },
    stop: server.stop,
  };
}
