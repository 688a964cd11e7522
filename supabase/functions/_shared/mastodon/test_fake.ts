// For tests only: starts the fake Mastodon (tests/servers/mastodon.mjs, Node) and talks to its
// admin API. The child's stdin is a pipe it watches, so it goes away with the test process.

export interface Received {
  requests: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    status: number | "dropped" | null;
  }[];
  apps: {
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    scopes: string[];
    name: string;
    website: string | null;
  }[];
  statuses: {
    id: string;
    text: string;
    visibility: string;
    media_ids: string[];
    media_descriptions: (string | null)[];
    idempotency_key: string | null;
    url: string;
  }[];
  status_posts: {
    idempotency_key: string | null;
    text: string | null;
    status: number | null;
    replayed?: boolean;
    dropped?: boolean;
    injected?: boolean;
  }[];
  media: {
    id: string;
    description: string | null;
    content_type: string;
    filename: string;
    size: number;
    sha256: string;
  }[];
  revoked: string[];
  tokens: { access_token: string; client_id: string; scope: string; user: boolean; revoked: boolean }[];
  account: { id: string; username: string };
}

export interface Fault {
  path: string;
  method?: string;
  status?: number;
  drop?: boolean;
  count?: number;
  body?: unknown;
  reset_at?: string;
}

export interface FakeMastodon {
  url: string;
  host: string;
  received(): Promise<Received>;
  inject(fault: Fault): Promise<void>;
  configure(config: { max_characters?: number; media_polls?: number; username?: string }): Promise<void>;
  revokeAllTokens(): Promise<void>;
  /** As Mastodon's cleanup of app registrations that never got a token. */
  forgetApps(): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const repoRoot = new URL("../../../../", import.meta.url);

export async function startFakeMastodon(args: string[] = []): Promise<FakeMastodon> {
  const child = new Deno.Command("node", {
    args: ["tests/servers/mastodon.mjs", ...args],
    cwd: repoRoot,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`tests/servers/mastodon.mjs exited before it was ready: ${out}`);
    out += value;
  }
  const url: string = JSON.parse(out.slice(0, out.indexOf("\n"))).url;
  const draining = (async () => {
    try {
      while (!(await reader.read()).done) { /* discard */ }
    } catch { /* closed */ }
  })();

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/__admin/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (!res.ok) throw new Error(`fake Mastodon admin ${path}: HTTP ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  return {
    url,
    host: new URL(url).host,
    received: () => admin("GET", "received"),
    inject: async (fault) => void await admin("POST", "faults", fault),
    configure: async (config) => void await admin("POST", "config", config),
    revokeAllTokens: async () => void await admin("POST", "revoke-tokens", {}),
    forgetApps: async () => void await admin("POST", "forget-apps", {}),
    reset: async () => void await admin("POST", "reset", {}),
    async stop() {
      await child.stdin.close();
      await child.status;
      await draining;
    },
  };
}

/**
 * Presses a button ("Authorize" or "Deny") on the instance's authorization page the way a browser
 * submits its form, and returns where the instance sends the browser back to.
 */
export async function pressOnAuthorizePage(authorizeUrl: string, button: "Authorize" | "Deny"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the authorization page answered HTTP ${page.status}: ${html}`);
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)].find((m) =>
    m[2].includes(`>${button}</button>`)
  );
  if (!form) throw new Error(`no ${button} button on the authorization page: ${html}`);
  const unescape = (s: string) =>
    s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const fields = new URLSearchParams(
    [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], unescape(m[2])]),
  );
  const res = await fetch(new URL(form[1], authorizeUrl), { method: "POST", body: fields, redirect: "manual" });
  await res.body?.cancel();
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) {
    throw new Error(`pressing ${button} answered HTTP ${res.status} without a redirect`);
  }
  return new URL(location);
}
