// The reference Bluesky PDS for tests: @atproto/dev-env's TestPlc (a PLC directory in memory)
// and TestPds (@atproto/pds on SQLite), offline, listening on 127.0.0.1 only. Accounts
// alice.test and bob.test exist, each with an app password.
//
//   node tests/servers/pds.mjs [--with-proxy]
//
// prints one JSON line when ready — {"url", "plcUrl", "accounts": [{handle, email, password,
// appPassword, did}]} plus "proxyUrl" with --with-proxy (a pds_proxy.mjs in front of the PDS) —
// and runs until killed. From Node: `const pds = await start(); …; await pds.close()`.
import net from "node:net";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

process.env.LOG_ENABLED ??= "false";

/**
 * Binds every server this process starts to 127.0.0.1: dev-env's servers listen on a port of
 * all interfaces, and a test server must not be reachable from elsewhere.
 */
function listenOnLoopbackOnly() {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
      if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
    } else if (args[0] && typeof args[0] === "object" && !args[0].path && !args[0].fd && !args[0]._handle) {
      args[0] = { ...args[0], host: args[0].host ?? "127.0.0.1" };
    } else if (args.length === 0 || typeof args[0] === "function") {
      args.unshift(0, "127.0.0.1");
    }
    return listen.apply(this, args);
  };
}

async function xrpc(base, nsid, { body, token, method = "POST" } = {}) {
  const res = await fetch(`${base}/xrpc/${nsid}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${nsid}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Creates an account with a password and an app password on the PDS at `url`. */
export async function createAccount(url, name) {
  const handle = `${name}.test`;
  const email = `${name}@example.test`;
  const password = `${name}-main-password`;
  const account = await xrpc(url, "com.atproto.server.createAccount", { body: { handle, email, password } });
  const app = await xrpc(url, "com.atproto.server.createAppPassword", { body: { name: "atelier" }, token: account.accessJwt });
  return { handle, email, password, appPassword: app.password, did: account.did };
}

export async function start({ accounts = ["alice", "bob"], withProxy = false } = {}) {
  listenOnLoopbackOnly();
  const { TestPlc, TestPds, mockNetworkUtilities } = await import("@atproto/dev-env");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "atelier-pds-"));
  for (const sub of ["data", "blobs", "blobs-tmp"]) await fs.mkdir(path.join(dir, sub));
  const plc = await TestPlc.create({});
  const pds = await TestPds.create({
    didPlcUrl: plc.url,
    // createSession answers with the DID document, as bsky.social does, so clients find the PDS.
    enableDidDocWithSession: true,
    dataDirectory: path.join(dir, "data"),
    blobstoreDiskLocation: path.join(dir, "blobs"),
    blobstoreDiskTmpLocation: path.join(dir, "blobs-tmp"),
  });
  // Handles under .test resolve through the PDS itself instead of DNS (offline).
  mockNetworkUtilities(pds);
  const made = [];
  for (const name of accounts) made.push(await createAccount(pds.url, name));
  let proxy = null;
  if (withProxy) {
    const { start: startProxy } = await import("./pds_proxy.mjs");
    proxy = await startProxy({ target: pds.url });
  }
  return {
    url: pds.url,
    plcUrl: plc.url,
    proxyUrl: proxy?.url,
    accounts: made,
    pds,
    plc,
    async close() {
      await proxy?.close();
      await pds.close();
      await plc.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await start({ withProxy: process.argv.includes("--with-proxy") });
  const { url, plcUrl, proxyUrl, accounts } = server;
  process.stdout.write(JSON.stringify({ url, plcUrl, ...(proxyUrl ? { proxyUrl } : {}), accounts }) + "\n");
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await server.close().catch((e) => console.error(e));
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
