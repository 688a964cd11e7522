// Starts the reference PDS (tests/servers/pds.mjs, Node) for a test and stops it afterwards.
export interface PdsAccount {
  handle: string;
  email: string;
  password: string;
  appPassword: string;
  did: string;
}

export interface RunningPds {
  url: string;
  proxyUrl: string;
  accounts: PdsAccount[];
  /** POST /__admin/<action> on the proxy. */
  admin(action: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const repoRoot = new URL("../../../", import.meta.url);

export async function startPds(): Promise<RunningPds> {
  const child = new Deno.Command("node", {
    args: ["tests/servers/pds.mjs", "--with-proxy"],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    while (!buffered.includes("\n")) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`tests/servers/pds.mjs exited before it was ready: ${buffered}`);
      buffered += value;
    }
  } finally {
    clearTimeout(timer);
  }
  const ready = JSON.parse(buffered.slice(0, buffered.indexOf("\n")));
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    try {
      while (!(await reader.read()).done) { /* discard */ }
    } catch { /* closed */ }
  })();
  return {
    url: ready.url,
    proxyUrl: ready.proxyUrl,
    accounts: ready.accounts,
    async admin(action, body) {
      const res = await fetch(`${ready.proxyUrl}/__admin/${action}`, {
        method: action === "log" ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        body: action === "log" ? undefined : JSON.stringify(body ?? {}),
      });
      return await res.json();
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}

/** An XRPC call to the PDS for test setup and checks (no guard: the test talks to its own server). */
export async function xrpcCall(
  base: string,
  nsid: string,
  opts: { token?: string; json?: unknown; params?: Record<string, string> } = {},
) {
  const url = new URL(`/xrpc/${nsid}`, base);
  for (const [k, v] of Object.entries(opts.params ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: opts.json === undefined ? "GET" : "POST",
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.json !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
  });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

/** Runs `fn` with ATELIER_ALLOW_PRIVATE_HOSTS=true (the test servers are on 127.0.0.1), then restores it. */
export async function withPrivateHosts<T>(fn: () => Promise<T>): Promise<T> {
  const before = Deno.env.get("ATELIER_ALLOW_PRIVATE_HOSTS");
  Deno.env.set("ATELIER_ALLOW_PRIVATE_HOSTS", "true");
  try {
    return await fn();
  } finally {
    if (before === undefined) Deno.env.delete("ATELIER_ALLOW_PRIVATE_HOSTS");
    else Deno.env.set("ATELIER_ALLOW_PRIVATE_HOSTS", before);
  }
}
