import { assert, assertEquals, assertRejects } from "../tests/assert.ts";
import type { AccountRef, Connector, Credentials } from "../_shared/delivery.ts";
import { disconnectAccount, type DisconnectDeps, parseAccountId } from "./disconnect.ts";
import { HttpError } from "../_shared/cors.ts";

const ACCOUNT: AccountRef = {
  id: "6f1c1b2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f",
  platform: "bluesky",
  handle: "alice.test",
  remote_id: "did:plc:alice",
  service_url: "http://127.0.0.1:2583",
};
const CREDS: Credentials = { accessToken: "access-1", refreshToken: "refresh-1", save: () => Promise.resolve() };

function deps(over: Partial<DisconnectDeps> & { revoke?: Connector["revoke"] } = {}) {
  const log: string[] = [];
  const connector: Connector = { publish: () => Promise.reject(new Error("not here")), revoke: over.revoke };
  const d: DisconnectDeps = {
    findOwnAccount: (id) => Promise.resolve(id === ACCOUNT.id ? ACCOUNT : null),
    credentials: () => Promise.resolve(CREDS),
    connectors: { bluesky: connector },
    disconnect: (id) => {
      log.push(`disconnect ${id}`);
      return Promise.resolve("revoked");
    },
    ...over,
  };
  return { d, log };
}

function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  return fn().finally(() => (console.warn = warn));
}

Deno.test("the token is revoked at the platform with the stored credentials, then the account is disconnected", async () => {
  const seen: unknown[] = [];
  const { d, log } = deps({
    revoke: (account, creds) => {
      seen.push([account.service_url, creds.accessToken, creds.refreshToken]);
      log.push("revoke");
      return Promise.resolve();
    },
  });
  assertEquals(await disconnectAccount(ACCOUNT.id, d), { result: "revoked" });
  assertEquals(seen, [["http://127.0.0.1:2583", "access-1", "refresh-1"]]);
  assertEquals(log, ["revoke", `disconnect ${ACCOUNT.id}`]);
});

Deno.test("a revocation that fails or hangs does not stop the disconnect", async () => {
  const failing = deps({ revoke: () => Promise.reject(new Error("Could not reach 127.0.0.1")) });
  assertEquals(await quietly(() => disconnectAccount(ACCOUNT.id, failing.d)), { result: "revoked" });
  assertEquals(failing.log, [`disconnect ${ACCOUNT.id}`]);

  let aborted = false;
  const hanging = deps({
    revoke: (_a, _c, signal) => new Promise(() => signal?.addEventListener("abort", () => (aborted = true))),
    revokeWithinMs: 30,
  });
  const started = performance.now();
  assertEquals(await quietly(() => disconnectAccount(ACCOUNT.id, hanging.d)), { result: "revoked" });
  assert(performance.now() - started < 1_000, "waited for a hanging platform");
  assert(aborted, "the hanging revocation was told to stop");
});

Deno.test("an account without stored credentials (mock) is disconnected without calling the platform", async () => {
  let revoked = false;
  const { d, log } = deps({
    credentials: () => Promise.resolve(null),
    revoke: () => Promise.resolve(void (revoked = true)),
  });
  assertEquals(await disconnectAccount(ACCOUNT.id, d), { result: "revoked" });
  assertEquals([revoked, log], [false, [`disconnect ${ACCOUNT.id}`]]);
});

Deno.test("unreadable credentials skip the revocation but still disconnect", async () => {
  let revoked = false;
  const { d, log } = deps({
    credentials: () => Promise.reject(new Error("A stored token cannot be decrypted")),
    revoke: () => Promise.resolve(void (revoked = true)),
  });
  assertEquals(await quietly(() => disconnectAccount(ACCOUNT.id, d)), { result: "revoked" });
  assertEquals([revoked, log], [false, [`disconnect ${ACCOUNT.id}`]]);
});

Deno.test("an account the caller cannot see is a 404 and nothing is revoked or disconnected", async () => {
  let revoked = false;
  const { d, log } = deps({ revoke: () => Promise.resolve(void (revoked = true)) });
  const e = await assertRejects(
    () => disconnectAccount("0e1c1b2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f", d),
    "This account is not yours or no longer exists.",
  );
  assertEquals([(e as HttpError).status, revoked, log], [404, false, []]);
});

Deno.test("account_id must be a uuid", () => {
  assertEquals(parseAccountId({ account_id: ACCOUNT.id }), ACCOUNT.id);
  for (const body of [{}, { account_id: "1" }, { account_id: 5 }, { id: ACCOUNT.id }]) {
    try {
      parseAccountId(body);
      throw new Error(`accepted ${JSON.stringify(body)}`);
    } catch (e) {
      assertEquals((e as HttpError).status, 400);
    }
  }
});
