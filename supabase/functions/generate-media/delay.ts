// DEMO_DELAY_MS: a pause before each demo output, so tests can make the offline provider as
// slow as a real one and check the background path (a test instance sets it through
// SUPABASE_LOCAL_FUNCTION_ENV_DEMO_DELAY_MS). Unset — everywhere else — nothing waits.
import type { Env, Provider } from "./providers/provider.ts";

export function withTestDelay(provider: Provider, env: Env): Provider {
  const ms = Number(env.get("DEMO_DELAY_MS") ?? 0);
  if (provider.name !== "demo" || !(ms > 0)) return provider;
  return {
    name: provider.name,
    generate: async (req, signal) => {
      await pause(ms, signal);
      return provider.generate(req, signal);
    },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first (a deadline). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
