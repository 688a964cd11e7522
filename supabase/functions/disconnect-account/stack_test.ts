// disconnect-account as the stack serves it, against the database's disconnect_account.
// Skipped without a stack.
import { assertEquals } from "../tests/assert.ts";
import {
  activeAccount,
  admin,
  anonKey,
  check,
  type Creator,
  creator,
  ensureTokenKey,
  insertPosts,
  mockAccount,
  posts,
  stackOpts,
  url,
} from "../publish-worker/stack_fixtures.ts";

if (!stackOpts.ignore) ensureTokenKey();

async function disconnect(jwt: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/functions/v1/disconnect-account`, {
    method: "POST",
    headers: { "Content-Type": "application/json", apikey: anonKey!, Authorization: `Bearer ${jwt}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function publish(c: Creator, accountId: string, scheduledAt: Date | null): Promise<string> {
  const rows = check(
    await c.sb.rpc("publish_generation", {
      p_generation_id: c.generationId,
      p_account_ids: [accountId],
      p_caption: "Dawn",
      p_hashtags: [],
      p_scheduled_at: scheduledAt?.toISOString() ?? null,
    }),
    "publish",
  ) as { id: string }[];
  return rows[0].id;
}

async function account(id: string) {
  return (check(await admin().from("connected_accounts").select("status").eq("id", id), "account") as {
    status: string;
  }[])[0] ?? null;
}

Deno.test({
  name: "a mock account with posts is revoked and its scheduled post cancelled; published ones stay",
  ...stackOpts,
}, async () => {
  const c = await creator();
  const id = await mockAccount(c);
  const published = await publish(c, id, null);
  const scheduled = await publish(c, id, new Date(Date.now() + 3_600_000));
  const res = await disconnect(c.jwt, { account_id: id });
  assertEquals([res.status, res.body], [200, { result: "revoked" }]);
  assertEquals(await account(id), { status: "revoked" });
  const [p, s] = await posts([published, scheduled]);
  assertEquals([p.status, p.error], ["published", null]);
  assertEquals([s.status, s.error], ["cancelled", "Account disconnected"]);
});

Deno.test({ name: "an account without posts is deleted", ...stackOpts }, async () => {
  const c = await creator();
  const id = await mockAccount(c);
  const res = await disconnect(c.jwt, { account_id: id });
  assertEquals([res.status, res.body], [200, { result: "deleted" }]);
  assertEquals(await account(id), null);
});

Deno.test(
  { name: "a connected account loses its stored tokens and its publishing post is cancelled", ...stackOpts },
  async () => {
    const c = await creator();
    const { id } = await activeAccount(c);
    // Held by a worker for a while, so the stack's own worker leaves it alone meanwhile.
    const [post] = await insertPosts(c, id, 1, { leasedForMs: 60_000 });
    const res = await disconnect(c.jwt, { account_id: id });
    assertEquals([res.status, res.body], [200, { result: "revoked" }]);
    assertEquals(await account(id), { status: "revoked" });
    const creds = check(
      await admin().from("account_credentials").select("account_id").eq("account_id", id),
      "credentials",
    ) as unknown[];
    assertEquals(creds.length, 0);
    const [p] = await posts([post]);
    assertEquals([p.status, p.error, p.lease_owner], ["cancelled", "Account disconnected", null]);
  },
);

Deno.test({ name: "someone else's or an unknown account is a 404 and nothing changes", ...stackOpts }, async () => {
  const owner = await creator();
  const other = await creator();
  const id = await mockAccount(owner);
  const scheduled = await publish(owner, id, new Date(Date.now() + 3_600_000));
  for (const target of [id, crypto.randomUUID()]) {
    const res = await disconnect(other.jwt, { account_id: target });
    assertEquals([res.status, res.body.error], [404, "This account is not yours or no longer exists."]);
  }
  assertEquals(await account(id), { status: "mock" });
  assertEquals((await posts([scheduled]))[0].status, "scheduled");
});

Deno.test({ name: "disconnect-account needs a signed-in user and an account id", ...stackOpts }, async () => {
  const c = await creator();
  const anon = await disconnect(anonKey!, { account_id: crypto.randomUUID() });
  assertEquals(anon.status, 401);
  const bad = await disconnect(c.jwt, { account: "x" });
  assertEquals([bad.status, bad.body.error], [400, "Send {account_id: uuid}: the id of the account to disconnect."]);
});
