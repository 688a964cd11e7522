// The local stack's REST API under 50 concurrent clients: tests/bench/rest_load.mjs, run as it
// is, its closing line read back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function rest({ stack }) {
  const env = { ...process.env, API_URL: stack.apiUrl, ANON_KEY: stack.anonKey };
  let stdout;
  try {
    ({ stdout } = await run(process.execPath, ['tests/bench/rest_load.mjs', '50', '200'], { env, timeout: 180_000 }));
  } catch (err) {
    stdout = err.stdout ?? '';
    if (!/p50=/.test(stdout)) throw new Error(`rest_load.mjs failed: ${(err.stderr || err.message).slice(0, 300)}`);
  }
  const line = stdout.trim().split('\n').at(-1);
  const field = (name) => Number(line.match(new RegExp(`${name}=([0-9.]+)`))?.[1]);
  return {
    clients: field('clients'), requests: field('requests'), errors: field('errors'),
    p50Ms: field('p50'), p99Ms: field('p99'), maxMs: field('max'), throughputPerS: field('throughput'),
    line,
  };
}
