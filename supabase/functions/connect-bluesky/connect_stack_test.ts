// connect-bluesky through a running local stack (SUPABASE_URL, SUPABASE_ANON_KEY and
// SUPABASE_SERVICE_ROLE_KEY set, as `make test` does; skipped otherwise) against the reference
// PDS: what the creator reads, and what is (or is not) stored. The stack must let functions
// reach 127.0.0.1 (ATELIER_ALLOW_PRIVATE_HOSTS=true in its function env).
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";
import { assert, assertEquals } from "../tests/assert.ts";
import { type RunningPds, startPds, xrpcCall } from "../tests/pds.ts";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const service = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
const ignore = !url;
const auth = { persistSession: false, autoRefreshToken: false };

async function signedInUser(): Promise<{ sb: SupabaseClient; userId: string }> {
  const sb = createClient(url!, anon!, { auth });
  const { data, error } = await sb.auth.signUp({
    email: `bsky-${crypto.randomUUID()}@example.test`,
    password: "secret123",
  });
  if (error) throw error;
  return { sb, userId: data.user!.id };
}

// deno-lint-ignore no-explicit-any
type Answer = { status: number; body: any };

async function connect(sb: SupabaseClient, body: Record<string, unknown>): Promise<Answer> {
  const { data, error } = await sb.functions.invoke("connect-bluesky", { body });
  if (!error) return { status: 200, body: data };
  const res = (error as { context?: Response }).context;
  if (!res) throw error;
  return { status: res.status, body: await res.json() };
}

/** What is stored for a user, read as service_role. */
async function stored(userId: string) {
  const admin = createClient(url!, service!, { auth });
  const accounts = await admin.from("connected_accounts").select("*").eq("user_id", userId);
  const credentials = await admin.from("account_credentials").select("*").eq("user_id", userId);
  assertEquals([accounts.error, credentials.error], [null, null]);
  // deno-lint-ignore no-explicit-any
  return { accounts: accounts.data as any[], credentials: credentials.data as any[] };
}

async function newPdsAccount(pds: RunningPds, name: string) {
  const created = await xrpcCall(pds.url, "com.atproto.server.createAccount", {
    json: { handle: `${name}.test`, email: `${name}@example.test`, password: `${name}-main-password` },
  });
  assertEquals(created.status, 200, JSON.stringify(created.body));
  const app = await xrpcCall(pds.url, "com.atproto.server.createAppPassword", {
    token: created.body.accessJwt,
    json: { name: "atelier" },
  });
  assertEquals(app.status, 200, JSON.stringify(app.body));
  return {
    did: created.body.did as string,
    accessJwt: created.body.accessJwt as string,
    appPassword: app.body.password as string,
  };
}

async function expectRefused(pds: RunningPds, body: Record<string, unknown>, status: number, message: string) {
  const { sb, userId } = await signedInUser();
  const answer = await connect(sb, { service: pds.url, ...body });
  assertEquals([answer.status, answer.body.error], [status, message]);
  assertEquals(await stored(userId), { accounts: [], credentials: [] });
}

Deno.test(
  { name: "connect-bluesky against the reference PDS", ignore, sanitizeOps: false, sanitizeResources: false },
  async (t) => {
    assert(anon && service, "SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY are needed with SUPABASE_URL");
    const pds = await startPds();
    const [alice, bob] = pds.accounts;
    try {
      await t.step(
        "an app password connects the account: active, its DID and PDS, tokens sealed and unreadable by the creator",
        async () => {
          const { sb, userId } = await signedInUser();
          const answer = await connect(sb, {
            identifier: `@${alice.handle}`,
            password: alice.appPassword,
            service: pds.url,
          });
          assertEquals(answer.status, 200, JSON.stringify(answer.body));
          const account = answer.body.account;
          assertEquals([
            account.platform,
            account.status,
            account.handle,
            account.remote_id,
            account.service_url,
            account.user_id,
          ], [
            "bluesky",
            "active",
            "alice.test",
            alice.did,
            pds.url,
            userId,
          ]);
          const { accounts, credentials } = await stored(userId);
          assertEquals(accounts.map((a) => a.id), [account.id]);
          assertEquals(credentials.length, 1);
          const [c] = credentials;
          assertEquals(c.account_id, account.id);
          for (const sealed of [c.access_token, c.refresh_token]) {
            assert(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/.test(sealed), sealed);
            assert(!sealed.includes("eyJ"), "a JWT in clear");
          }
          assert(new Date(c.expires_at).getTime() > Date.now(), c.expires_at);
          // The creator reads their account row whole: no token, no password in it; credentials not at all.
          const mine = await sb.from("connected_accounts").select("*");
          assertEquals(mine.error, null);
          const visible = JSON.stringify(mine.data);
          for (const secret of [alice.appPassword, "eyJ", c.access_token, c.refresh_token]) {
            assert(!visible.includes(secret), `visible: ${secret}`);
          }
          const creds = await sb.from("account_credentials").select("*");
          assert(creds.error !== null || (creds.data ?? []).length === 0, JSON.stringify(creds.data));
          // The app password is not stored anywhere Atelier keeps per account.
          assert(!JSON.stringify(await stored(userId)).includes(alice.appPassword));
        },
      );

      await t.step("connecting again updates the same row and replaces the tokens", async () => {
        const { sb, userId } = await signedInUser();
        const first = await connect(sb, { identifier: alice.handle, password: alice.appPassword, service: pds.url });
        const sealedBefore = (await stored(userId)).credentials[0].access_token;
        const second = await connect(sb, { identifier: alice.email, password: alice.appPassword, service: pds.url });
        assertEquals([first.status, second.status], [200, 200]);
        assertEquals(second.body.account.id, first.body.account.id);
        const after = await stored(userId);
        assertEquals([after.accounts.length, after.credentials.length], [1, 1]);
        assert(after.credentials[0].access_token !== sealedBefore);
      });

      await t.step("a wrong app password", () =>
        expectRefused(
          pds,
          { identifier: alice.handle, password: "aaaa-bbbb-cccc-dddd" },
          400,
          "Wrong handle or app password: check them, or create a new app password in Bluesky's settings.",
        ));

      await t.step("an unknown handle", () =>
        expectRefused(
          pds,
          { identifier: "nobody.test", password: "aaaa-bbbb-cccc-dddd" },
          400,
          "No Bluesky account has the handle nobody.test.",
        ));

      await t.step("the account's own password is refused: only app passwords are kept", () =>
        expectRefused(
          pds,
          { identifier: alice.handle, password: alice.password },
          400,
          "That is the account's own password: create an app password in Bluesky's settings (Privacy and security → App passwords) and use it here.",
        ));

      await t.step("an unreachable hosting provider", async () => {
        const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const port = (listener.addr as Deno.NetAddr).port;
        listener.close();
        await expectRefused(
          pds,
          { identifier: alice.handle, password: alice.appPassword, service: `http://127.0.0.1:${port}` },
          400,
          "Could not reach 127.0.0.1: check the address.",
        );
      });

      await t.step("a host that is not a Bluesky hosting provider", async () => {
        const web = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen() {} },
          () => new Response("<!doctype html><title>My blog</title>", { headers: { "content-type": "text/html" } }),
        );
        try {
          await expectRefused(
            pds,
            { identifier: alice.handle, password: alice.appPassword, service: `http://127.0.0.1:${web.addr.port}` },
            400,
            "127.0.0.1 is not a Bluesky hosting provider.",
          );
        } finally {
          await web.shutdown();
        }
      });

      await t.step("bad input is refused before anything is sent", async () => {
        await expectRefused(
          pds,
          { identifier: "  ", password: alice.appPassword },
          400,
          "Enter your Bluesky handle (like alice.bsky.social) or the e-mail address of the account.",
        );
        await expectRefused(
          pds,
          { identifier: alice.handle },
          400,
          "Enter an app password: create one in Bluesky's settings (Privacy and security → App passwords).",
        );
        await expectRefused(
          pds,
          { identifier: alice.handle, password: alice.appPassword, service: "ftp://example.com" },
          400,
          "ftp://example.com is not a valid address for a hosting provider.",
        );
      });

      await t.step("a mock account with the same handle becomes the real one", async () => {
        const { sb, userId } = await signedInUser();
        const mock = await sb.from("connected_accounts").insert({ platform: "bluesky", handle: "Bob.test" }).select()
          .single();
        assertEquals([mock.error, mock.data?.status], [null, "mock"]);
        const answer = await connect(sb, { identifier: bob.handle, password: bob.appPassword, service: pds.url });
        assertEquals(answer.status, 200, JSON.stringify(answer.body));
        assertEquals([
          answer.body.account.id,
          answer.body.account.status,
          answer.body.account.handle,
          answer.body.account.remote_id,
        ], [
          mock.data.id,
          "active",
          "bob.test",
          bob.did,
        ]);
        assertEquals((await stored(userId)).accounts.length, 1);
      });

      await t.step("reconnecting after a handle change matches the DID, not the handle", async () => {
        const { sb, userId } = await signedInUser();
        const carol = await newPdsAccount(pds, "carol");
        const first = await connect(sb, { identifier: "carol.test", password: carol.appPassword, service: pds.url });
        assertEquals(first.status, 200, JSON.stringify(first.body));
        const renamed = await xrpcCall(pds.url, "com.atproto.identity.updateHandle", {
          token: carol.accessJwt,
          json: { handle: "carol-renamed.test" },
        });
        assertEquals(renamed.status, 200, JSON.stringify(renamed.body));
        const second = await connect(sb, {
          identifier: "carol-renamed.test",
          password: carol.appPassword,
          service: pds.url,
        });
        assertEquals(second.status, 200, JSON.stringify(second.body));
        assertEquals([second.body.account.id, second.body.account.handle, second.body.account.remote_id], [
          first.body.account.id,
          "carol-renamed.test",
          carol.did,
        ]);
        const { accounts, credentials } = await stored(userId);
        assertEquals([accounts.length, credentials.length], [1, 1]);
      });
    } finally {
      await pds.stop();
    }
  },
);
