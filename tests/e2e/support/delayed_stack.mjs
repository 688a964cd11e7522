// A second local stack, of one journey's own, whose demo provider takes `delayMs` per output
// (generate-media's DEMO_DELAY_MS, set through the stack's SUPABASE_LOCAL_FUNCTION_ENV_*), with
// its own app server on the same build. A journey that must act while outputs are unfinished
// uses it, so the delay never slows the journeys on the shared stack.
//   STACK_BIN: the supabase-local binary (run_journeys in scripts/lib.sh passes the one make e2e or make test uses);
//   APP_DIST: the built app (default <repo>/dist).
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { until } from './wait.mjs';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const STACK_BIN = process.env.STACK_BIN ?? join(REPO, 'target/debug/supabase-local');
const APP_DIST = process.env.APP_DIST ?? join(REPO, 'dist');
const run = promisify(execFile);

/** A TCP port nobody listens on right now (the kernel picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `status -o env`'s `KEY="value"` lines as an object. */
function parseEnv(text) {
  return Object.fromEntries(text.split('\n').map((line) => line.match(/^([A-Z_]+)="?(.*?)"?$/)).filter(Boolean)
    .map(([, key, value]) => [key, value]));
}

/**
 * Starts the stack and its app server; resolves to `{ appUrl, apiUrl, anonKey, serviceRoleKey,
 * dbUrl, stop }`. `stop()` ends both and removes the data folder; call it in an `after` hook.
 */
export async function startDelayedStack({ delayMs }) {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-delayed-'));
  // PostgreSQL runs as the postgres user when we are root: it must reach its folder.
  chmodSync(dir, 0o755);
  const dataDir = join(dir, 'stack');
  const [apiPort, dbPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const env = { ...process.env, SUPABASE_LOCAL_FUNCTION_ENV_DEMO_DELAY_MS: String(delayMs) };
  let server = null;
  const stop = async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill();
      await exited;
    }
    await run(STACK_BIN, ['stop', '--data-dir', dataDir], { cwd: REPO }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(STACK_BIN, ['start', '--workdir', REPO, '--data-dir', dataDir, '--api-port', String(apiPort),
      '--db-port', String(dbPort), '--auth-rate-limit', '1000000', '--quiet'], { cwd: REPO, env });
    const { stdout } = await run(STACK_BIN, ['status', '--data-dir', dataDir, '-o', 'env'], { cwd: REPO });
    const stack = parseEnv(stdout);
    server = spawn(process.execPath, [join(REPO, 'scripts/serve-dist.mjs'), '--dir', APP_DIST, '--port', String(webPort)], {
      cwd: REPO,
      env: { ...process.env, SUPABASE_URL: stack.API_URL, SUPABASE_ANON_KEY: stack.ANON_KEY },
      stdio: 'ignore',
    });
    const appUrl = `http://127.0.0.1:${webPort}`;
    // serve-dist listens once dist/ is compressed (seconds on a busy machine): wait for its
    // answer, and stop waiting if it exits.
    const exited = new Promise((_, reject) => server.once('exit', (code) => reject(new Error(`the delayed stack's app server exited (${code})`))));
    await Promise.race([
      until(async () => (await fetch(`${appUrl}/`)).ok, { timeout: 300_000, what: `the delayed stack's app server on ${appUrl}` }),
      exited,
    ]);
    return {
      appUrl, apiUrl: stack.API_URL, anonKey: stack.ANON_KEY, serviceRoleKey: stack.SERVICE_ROLE_KEY, dbUrl: stack.DB_URL, stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
