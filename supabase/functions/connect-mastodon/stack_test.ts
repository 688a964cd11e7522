// connect-mastodon through a running local stack (SUPABASE_URL, SUPABASE_ANON_KEY and
// SUPABASE_SERVICE_ROLE_KEY, e.g. from `supabase-local status -o env`; skipped without
// SUPABASE_URL) against the fake Mastodon (tests/servers/mastodon.mjs). The stack's functions
// must run with ATELIER_ALLOW_PRIVATE_HOSTS=true (the fake listens on 127.0.0.1) and allow the
// app origin used here in ATELIER_APP_ORIGINS (SUPABASE_LOCAL_FUNCTION_ENV_* when it starts).
// Every refusal is checked for its message and for leaving nothing stored.
import { assert, assertEquals } from "../tests/assert.ts";
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";
import { openToken } from "../_shared/crypto.ts";
import { createMastodonConnector } from "../_shared/mastodon/connector.ts";
import { randomToken } from "../_shared/mastodon/oauth.ts";
import { type FakeMastodon, pressOnAuthorizePage, startFakeMastodon } from "../_shared/mastodon/test_fake.ts";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url };
const appOrigin =
  (Deno.env.get("ATELIER_APP_ORIGINS") ?? Deno.env.get("SUPABASE_LOCAL_FUNCTION_ENV_ATELIER_APP_ORIGINS") ??
    "http://127.0.0.1:3999")
    .split(",")[0].trim().replace(/\/+$/, "");
const REDIRECT = `${appOrigin}/app/accounts`;
const EXPIRED = "This connection link has expired or was not started here: connect again.";
const clientOptions = { auth: { persistSession: false, autoRefreshToken: false } };
/** The key the stack's functions seal tokens with: the local stack's development key unless set. */
const tokenKey = Deno.env.get("ATELIER_TOKEN_KEY") ?? Deno.env.get("SUPABASE_LOCAL_FUNCTION_ENV_ATELIER_TOKEN_KEY") ??
  "WlF/1Pm3H0TuYFIafXJRlSiiopVZlrHtXVY/qCPT6Xk=";

function admin(): SupabaseClient {
  if (!anon || !serviceKey) {
    throw new Error("SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY must be set with SUPABASE_URL");
  }
  return createClient(url!, serviceKey, clientOptions);
}

async function newUser(): Promise<{ sb: SupabaseClient; userId: string }> {
  const sb = createClient(url!, anon!, clientOptions);
  const { data, error } = await sb.auth.signUp({
    email: `mastodon-${crypto.randomUUID()}@example.test`,
    password: "secret123",
  });
  if (error) throw error;
  return { sb, userId: data.user!.id };
}

/** The function's answer: status and JSON body, error or not. */
async function invoke(
  sb: SupabaseClient,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { data, error } = await sb.functions.invoke("connect-mastodon", { body });
  if (!error) return { status: 200, body: data };
  const res = (error as { context?: Response }).context;
  if (!res) throw error;
  return { status: res.status, body: await res.json() };
}

async function start(sb: SupabaseClient, instance: string, redirectUri = REDIRECT) {
  return await invoke(sb, { action: "start", instance, redirect_uri: redirectUri });
}

/** start → the instance's page → press `button` → the query the browser comes back with. */
async function authorize(sb: SupabaseClient, fake: FakeMastodon, button: "Authorize" | "Deny" = "Authorize") {
  const started = await start(sb, fake.url);
  assertEquals(started.status, 200, JSON.stringify(started.body));
  const back = await pressOnAuthorizePage(started.body.authorize_url as string, button);
  assertEquals(`${back.origin}${back.pathname}`, REDIRECT);
  return { authorizeUrl: new URL(started.body.authorize_url as string), back: back.searchParams };
}

/** What the user has stored: accounts they can read, and (as service_role) credentials and pending states. */
async function stored(userId: string) {
  const db = admin();
  const accounts = await db.from("connected_accounts").select("*").eq("user_id", userId).eq("platform", "mastodon");
  const credentials = await db.from("account_credentials").select("*").eq("user_id", userId);
  const states = await db.from("oauth_states").select("state").eq("user_id", userId);
  for (const r of [accounts, credentials, states]) if (r.error) throw r.error;
  return { accounts: accounts.data!, credentials: credentials.data!, states: states.data! };
}

async function assertNothingStored(userId: string) {
  const s = await stored(userId);
  assertEquals([s.accounts.length, s.credentials.length, s.states.length], [0, 0, 0], JSON.stringify(s));
}

function withFake(name: string, body: (fake: FakeMastodon) => Promise<void>, args: string[] = []) {
  Deno.test({ name, ...opts }, async () => {
    const fake = await startFakeMastodon(args);
    try {
      await body(fake);
    } finally {
      await fake.stop();
    }
  });
}

withFake(
  "connect-mastodon: start, Authorize on the instance, finish → an active account with its id, instance and limit; the token sealed",
  async (fake) => {
    const { sb, userId } = await newUser();
    const { authorizeUrl, back } = await authorize(sb, fake);
    assertEquals(`${authorizeUrl.origin}${authorizeUrl.pathname}`, `${fake.url}/oauth/authorize`);
    const q = Object.fromEntries(authorizeUrl.searchParams);
    assertEquals([q.response_type, q.redirect_uri, q.scope, q.code_challenge_method], [
      "code",
      REDIRECT,
      "write:statuses write:media read:accounts",
      "S256",
    ]);
    assert(q.state.length >= 22 && q.code_challenge.length === 43, JSON.stringify(q));
    assertEquals((await stored(userId)).states.length, 1);

    const finished = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
    assertEquals(finished.status, 200, JSON.stringify(finished.body));
    const got = await fake.received();
    const account = finished.body.account as Record<string, unknown>;
    assertEquals(
      [
        account.platform,
        account.handle,
        account.status,
        account.remote_id,
        account.service_url,
        account.caption_max,
        account.display_name,
      ],
      ["mastodon", `alice@${fake.host}`, "active", `${got.account.id}@${fake.host}`, fake.url, 640, "Alice"],
    );
    // The owner sees the row; the token is nowhere they can read.
    const mine = await sb.from("connected_accounts").select("id, status, caption_max").eq("id", account.id).single();
    assertEquals([mine.data?.id, mine.data?.status, mine.data?.caption_max], [account.id, "active", 640]);
    const denied = await sb.from("account_credentials").select("*");
    assert(denied.error !== null || denied.data!.length === 0, JSON.stringify(denied));

    const s = await stored(userId);
    assertEquals(s.states.length, 0, "the state is used up");
    assertEquals(s.credentials.length, 1);
    const [tokenRow] = s.credentials;
    const [issued] = got.tokens.filter((t) => t.user);
    assertEquals([tokenRow.account_id, tokenRow.refresh_token, tokenRow.expires_at], [account.id, null, null]);
    assert(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/.test(tokenRow.access_token), tokenRow.access_token);
    assert(!tokenRow.access_token.includes(issued.access_token), "the token is stored sealed");
    assertEquals([got.tokens.filter((t) => t.user).length, issued.revoked, issued.scope], [
      1,
      false,
      "write:statuses write:media read:accounts",
    ]);
    assert(!JSON.stringify(finished.body).includes(issued.access_token), "the answer holds no token");
  },
  ["--max-characters", "640"],
);

withFake("connect-mastodon registers Atelier once per instance and redirect URI, its secret sealed", async (fake) => {
  for (let i = 0; i < 2; i++) {
    const { sb } = await newUser();
    assertEquals((await start(sb, fake.url)).status, 200);
  }
  const got = await fake.received();
  assertEquals(got.apps.length, 1);
  // The second start checked the stored registration with an app-only token, then revoked it.
  assertEquals(got.tokens.map((t) => [t.user, t.revoked]), [[false, true]]);
  assertEquals([got.apps[0].name, got.apps[0].redirect_uris, got.apps[0].scopes], ["Atelier", [REDIRECT], [
    "write:statuses",
    "write:media",
    "read:accounts",
  ]]);
  const { data: rows } = await admin().from("mastodon_apps").select("*").eq("instance_url", fake.url);
  assertEquals(rows!.map((r) => [r.redirect_uri, r.client_id]), [[REDIRECT, got.apps[0].client_id]]);
  assert(
    rows![0].client_secret.startsWith("v1.") && !rows![0].client_secret.includes(got.apps[0].client_secret),
    "secret sealed",
  );
});

withFake(
  "an app registration the instance has since deleted is made again, and the connection still works",
  async (fake) => {
    const { sb } = await newUser();
    assertEquals((await start(sb, fake.url)).status, 200);
    await fake.forgetApps();
    const { back } = await authorize(sb, fake);
    const finished = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
    assertEquals(finished.status, 200, JSON.stringify(finished.body));
    const got = await fake.received();
    assertEquals(got.apps.length, 2);
    const { data: rows } = await admin().from("mastodon_apps").select("client_id").eq("instance_url", fake.url);
    assertEquals(rows!.map((r) => r.client_id), [got.apps[1].client_id]);
  },
);

withFake("Deny on the instance: 'You did not authorize Atelier on <host>', nothing stored", async (fake) => {
  const { sb, userId } = await newUser();
  const { back } = await authorize(sb, fake, "Deny");
  assertEquals(back.get("error"), "access_denied");
  const finished = await invoke(sb, { action: "finish", state: back.get("state"), error: back.get("error") });
  assertEquals([finished.status, finished.body.error], [
    400,
    `You did not authorize Atelier on ${fake.host}: nothing was connected.`,
  ]);
  await assertNothingStored(userId);
  assertEquals((await fake.received()).tokens.filter((t) => t.user).length, 0);
});

withFake("a forged state, or a reused one, is refused with 'connect again' and stores nothing", async (fake) => {
  const { sb, userId } = await newUser();
  const forged = await invoke(sb, { action: "finish", state: randomToken(), code: "whatever" });
  assertEquals([forged.status, forged.body.error], [400, EXPIRED]);
  const tooShort = await invoke(sb, { action: "finish", state: "x", code: "whatever" });
  assertEquals([tooShort.status, tooShort.body.error], [400, EXPIRED]);
  await assertNothingStored(userId);

  const { back } = await authorize(sb, fake);
  const first = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
  assertEquals(first.status, 200);
  const again = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
  assertEquals([again.status, again.body.error], [400, EXPIRED]);
  const s = await stored(userId);
  assertEquals([s.accounts.length, s.credentials.length], [1, 1]);
  assertEquals((await fake.received()).tokens.filter((t) => t.user).length, 1, "the code was exchanged once");
});

withFake("an expired state is refused and stores nothing (the code is not even exchanged)", async (fake) => {
  const { sb, userId } = await newUser();
  const { back } = await authorize(sb, fake);
  const aged = await admin().from("oauth_states").update({ expires_at: new Date(Date.now() - 1000).toISOString() }).eq(
    "state",
    back.get("state")!,
  ).select();
  assertEquals(aged.data?.length, 1);
  const finished = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
  assertEquals([finished.status, finished.body.error], [400, EXPIRED]);
  await assertNothingStored(userId);
  assertEquals((await fake.received()).requests.filter((r) => r.path === "/oauth/token").length, 0);
});

withFake("another user's state is refused for them and still works for its owner", async (fake) => {
  const owner = await newUser();
  const other = await newUser();
  const { back } = await authorize(owner.sb, fake);
  const stolen = await invoke(other.sb, { action: "finish", state: back.get("state"), code: back.get("code") });
  assertEquals([stolen.status, stolen.body.error], [400, EXPIRED]);
  await assertNothingStored(other.userId);
  const finished = await invoke(owner.sb, { action: "finish", state: back.get("state"), code: back.get("code") });
  assertEquals([finished.status, (finished.body.account as { status: string }).status], [200, "active"]);
});

withFake("a code the instance does not accept is a clear error; nothing stored", async (fake) => {
  const { sb, userId } = await newUser();
  const { back } = await authorize(sb, fake);
  const finished = await invoke(sb, {
    action: "finish",
    state: back.get("state"),
    code: `${back.get("code")}-tampered`,
  });
  assertEquals(finished.status, 400);
  assert(
    String(finished.body.error).startsWith(`${fake.host} did not accept this authorization (invalid_grant)`),
    String(finished.body.error),
  );
  await assertNothingStored(userId);
});

withFake(
  "a mock account with the same handle becomes the real one; reconnecting matches the account id, not the handle",
  async (fake) => {
    const { sb, userId } = await newUser();
    const mock = await sb.from("connected_accounts").insert({
      platform: "mastodon",
      handle: `alice@${fake.host}`,
      display_name: "My Mastodon",
    }).select().single();
    assertEquals(mock.error, null);
    let { back } = await authorize(sb, fake);
    const first = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
    const account = first.body.account as Record<string, unknown>;
    assertEquals([account.id, account.status, account.display_name], [mock.data.id, "active", "My Mastodon"]);

    // Renamed on the instance: the same row follows, with the new handle.
    await fake.configure({ username: "alice_renamed" });
    ({ back } = await authorize(sb, fake));
    const second = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
    const renamed = second.body.account as Record<string, unknown>;
    assertEquals([renamed.id, renamed.handle, renamed.remote_id], [
      mock.data.id,
      `alice_renamed@${fake.host}`,
      account.remote_id,
    ]);
    const s = await stored(userId);
    assertEquals([s.accounts.length, s.credentials.length], [1, 1]);
  },
);

Deno.test({ name: "a host that is not a Mastodon instance is named as such; nothing stored", ...opts }, async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("<html><body>A blog</body></html>", { status: 404, headers: { "content-type": "text/html" } }),
  );
  const host = `127.0.0.1:${server.addr.port}`;
  try {
    const { sb, userId } = await newUser();
    const started = await start(sb, `http://${host}`);
    assertEquals([started.status, started.body.error], [400, `${host} is not a Mastodon instance.`]);
    await assertNothingStored(userId);
    const { data } = await admin().from("mastodon_apps").select("*").eq("instance_url", `http://${host}`);
    assertEquals(data, []);
  } finally {
    await server.shutdown();
  }
});

Deno.test(
  { name: "an unreachable instance: 'Could not reach <host>: check the address.'; nothing stored", ...opts },
  async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const host = `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
    listener.close();
    const { sb, userId } = await newUser();
    const started = await start(sb, `http://${host}`);
    assertEquals([started.status, started.body.error], [502, `Could not reach ${host}: check the address.`]);
    await assertNothingStored(userId);
  },
);

withFake(
  "a redirect_uri outside the app's origins, or another path, is refused before the instance is asked",
  async (fake) => {
    const { sb, userId } = await newUser();
    const foreign = await start(sb, fake.url, "https://evil.example/app/accounts");
    assertEquals(foreign.status, 400);
    assert(
      String(foreign.body.error).startsWith("https://evil.example is not one of this project's app addresses"),
      String(foreign.body.error),
    );
    for (
      const redirect of [
        `${appOrigin}/app/accounts/../steal`,
        `${appOrigin}/elsewhere`,
        `${appOrigin}/app/accounts?next=x`,
        "not a url",
      ]
    ) {
      const r = await start(sb, fake.url, redirect);
      assertEquals(r.status, 400, redirect);
      assert(
        String(r.body.error).startsWith("redirect_uri must be the app's address followed by /app/accounts"),
        String(r.body.error),
      );
    }
    await assertNothingStored(userId);
    assertEquals((await fake.received()).requests.length, 0);
  },
);

Deno.test({ name: "connect-mastodon refuses a request without an action or instance", ...opts }, async () => {
  const { sb, userId } = await newUser();
  const none = await invoke(sb, { instance: "mastodon.social" });
  assertEquals([none.status, none.body.error], [
    400,
    'Send {action: "start", instance, redirect_uri} or {action: "finish", state, code}.',
  ]);
  const blank = await start(sb, "  ");
  assertEquals([blank.status, blank.body.error], [
    400,
    "Enter your Mastodon instance, e.g. mastodon.social or https://mastodon.social.",
  ]);
  const noCode = await invoke(sb, { action: "finish", state: randomToken() });
  assertEquals(noCode.status, 400);
  await assertNothingStored(userId);
});

withFake(
  "what connect-mastodon stored is what publishing needs: a post goes out with the sealed token, and revoke ends it",
  async (fake) => {
    const { sb, userId } = await newUser();
    const { back } = await authorize(sb, fake);
    const finished = await invoke(sb, { action: "finish", state: back.get("state"), code: back.get("code") });
    const account = finished.body.account as Record<string, string>;
    const { credentials: [row] } = await stored(userId);
    const accessToken = await openToken(row.access_token, tokenKey);
    assertEquals([accessToken], (await fake.received()).tokens.filter((t) => t.user).map((t) => t.access_token));
    const { data: apps } = await admin().from("mastodon_apps").select("client_id, client_secret").eq(
      "instance_url",
      account.service_url,
    );
    const opened = await Promise.all(
      apps!.map(async (a) => ({ client_id: a.client_id, client_secret: await openToken(a.client_secret, tokenKey) })),
    );
    const connector = createMastodonConnector({ apps: () => Promise.resolve(opened), guard: { allowPrivate: true } });
    const credentials = { accessToken, refreshToken: null, save: () => Promise.resolve() };

    const sent = await connector.publish({
      post_id: crypto.randomUUID(),
      user_id: userId,
      generation_id: crypto.randomUUID(),
      account_id: account.id,
      caption: "Hello",
      hashtags: [],
      delivery_key: null,
      attempts: 1,
      platform: "mastodon",
      handle: account.handle,
      remote_account_id: account.remote_id,
      service_url: account.service_url,
      media_kind: "image",
      media_path: null,
      media_url: null,
      width: null,
      height: null,
      prompt: "",
      text_body: "Hello from Atelier #first",
    }, {
      credentials,
      ensureKey: (make) => Promise.resolve(make()),
      media: {
        original: () => Promise.reject(new Error("no media")),
        readCopy: () => Promise.resolve(null),
        writeCopy: () => Promise.resolve(),
      },
      fetch,
      now: () => new Date(),
    });
    assertEquals(sent.remoteUrl, `${fake.url}/@alice/${sent.remoteId}`);
    await connector.revoke!({
      id: account.id,
      platform: "mastodon",
      handle: account.handle,
      remote_id: account.remote_id,
      service_url: account.service_url,
    }, credentials);
    const got = await fake.received();
    assertEquals([got.statuses.map((s) => s.text), got.revoked], [["Hello from Atelier #first"], [accessToken]]);
  },
);
