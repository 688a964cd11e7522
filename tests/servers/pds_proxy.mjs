// A proxy in front of the reference PDS that can misbehave on demand, for the failures a real
// PDS produces only at the wrong moment: expired access tokens, a refused refresh, rate limits,
// server errors, and a response lost after the write happened.
//
//   node tests/servers/pds_proxy.mjs --target http://localhost:PORT
//
// prints {"url"} when ready. Admin API (JSON bodies; `nsid` limits a fault to one XRPC method,
// `count` is how many requests it hits, 1 by default):
//   POST /__admin/expire-access             every access token issued so far answers 400 ExpiredToken
//                                           (tokens from later createSession/refreshSession work)
//   POST /__admin/fail-refresh {count}      refreshSession answers 400 ExpiredToken "Token has been revoked"
//   POST /__admin/rate-limit {nsid, count, reset}   429 with RateLimit-Reset = reset (unix seconds)
//   POST /__admin/error {nsid, count, status}       a 5xx (502 by default) without forwarding
//   POST /__admin/drop {nsid, count}        forwards the request, then closes the connection unanswered
//   GET  /__admin/log                       [{method, nsid, status, outcome}] of every XRPC request
//   POST /__admin/reset                     no faults, empty log
import http from "node:http";
import { pathToFileURL } from "node:url";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length", "proxy-connection"]);
// Answers pass through uncompressed, so the proxy can read the sessions it forwards.
const NOT_FORWARDED = new Set([...HOP_BY_HOP, "accept-encoding"]);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The `typ` of a JWT's header ("at+jwt" access, "refresh+jwt" refresh), or null. */
function tokenType(token) {
  try {
    return JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()).typ ?? null;
  } catch {
    return null;
  }
}

function forward(target, req, body) {
  return new Promise((resolve, reject) => {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!NOT_FORWARDED.has(k)) headers[k] = v;
    if (body.length) headers["content-length"] = String(body.length);
    const out = http.request(new URL(req.url, target), { method: req.method, headers }, (answer) => {
      readBody(answer).then((data) => resolve({ status: answer.statusCode, headers: answer.headers, body: data }), reject);
    });
    out.on("error", reject);
    out.end(body);
  });
}

export async function start({ target, port = 0 } = {}) {
  if (!target) throw new Error("pds_proxy: --target <PDS url> is required");
  let faults = [];
  let expired = null; // {except: Set<token>} once expire-access was called
  let log = [];

  const takeFault = (kind, nsid) => {
    const f = faults.find((x) => x.kind === kind && x.remaining > 0 && (!x.nsid || x.nsid === nsid));
    if (f) f.remaining--;
    return f ?? null;
  };

  async function admin(req, res, action) {
    const raw = await readBody(req);
    const body = raw.length ? JSON.parse(raw.toString()) : {};
    const count = Number(body.count ?? 1);
    switch (action) {
      case "expire-access":
        expired = { except: new Set() };
        return send(res, 200, { ok: true });
      case "fail-refresh":
        faults.push({ kind: "fail-refresh", nsid: "com.atproto.server.refreshSession", remaining: count });
        return send(res, 200, { ok: true });
      case "rate-limit":
        if (!Number.isFinite(Number(body.reset))) return send(res, 400, { error: "reset (unix seconds) is required" });
        faults.push({ kind: "rate-limit", nsid: body.nsid ?? null, remaining: count, reset: Number(body.reset) });
        return send(res, 200, { ok: true });
      case "error":
        faults.push({ kind: "error", nsid: body.nsid ?? null, remaining: count, status: Number(body.status ?? 502) });
        return send(res, 200, { ok: true });
      case "drop":
        faults.push({ kind: "drop", nsid: body.nsid ?? null, remaining: count });
        return send(res, 200, { ok: true });
      case "log":
        return send(res, 200, log);
      case "reset":
        faults = [];
        expired = null;
        log = [];
        return send(res, 200, { ok: true });
      default:
        return send(res, 404, { error: `unknown admin action ${action}` });
    }
  }

  async function handle(req, res) {
    const url = new URL(req.url, "http://proxy");
    if (url.pathname.startsWith("/__admin/")) return admin(req, res, url.pathname.slice("/__admin/".length));
    const nsid = url.pathname.startsWith("/xrpc/") ? url.pathname.slice("/xrpc/".length) : null;
    const entry = { method: req.method, nsid: nsid ?? url.pathname, status: 0, outcome: "forwarded" };
    log.push(entry);
    const body = await readBody(req);
    const inject = (status, payload, headers) => {
      entry.status = status;
      entry.outcome = "injected";
      send(res, status, payload, headers);
    };

    const bearer = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    if (expired && bearer && tokenType(bearer) === "at+jwt" && !expired.except.has(bearer)) {
      return inject(400, { error: "ExpiredToken", message: "Token has expired" });
    }
    if (nsid === "com.atproto.server.refreshSession" && takeFault("fail-refresh", nsid)) {
      return inject(400, { error: "ExpiredToken", message: "Token has been revoked" });
    }
    const limited = takeFault("rate-limit", nsid);
    if (limited) {
      return inject(429, { error: "RateLimitExceeded", message: "Rate Limit Exceeded" }, {
        "RateLimit-Limit": "3000",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": String(limited.reset),
        "RateLimit-Policy": "3000;w=300",
      });
    }
    const failing = takeFault("error", nsid);
    if (failing) return inject(failing.status, { error: "InternalServerError", message: "Injected failure" });

    const drop = takeFault("drop", nsid);
    let answer;
    try {
      answer = await forward(target, req, body);
    } catch (e) {
      entry.status = 502;
      entry.outcome = "target unreachable";
      return send(res, 502, { error: "BadGateway", message: String(e) });
    }
    entry.status = answer.status;
    if (drop) {
      entry.outcome = "dropped";
      req.socket.destroy();
      return;
    }
    if (expired && (nsid === "com.atproto.server.refreshSession" || nsid === "com.atproto.server.createSession") && answer.status === 200) {
      try {
        expired.except.add(JSON.parse(answer.body.toString()).accessJwt);
      } catch { /* not a session: nothing to remember */ }
    }
    const headers = {};
    for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error(e);
      if (!res.headersSent) send(res, 500, { error: "ProxyError", message: String(e) });
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--target");
  const portAt = process.argv.indexOf("--port");
  const proxy = await start({ target: at > 0 ? process.argv[at + 1] : undefined, port: portAt > 0 ? Number(process.argv[portAt + 1]) : 0 });
  process.stdout.write(JSON.stringify({ url: proxy.url }) + "\n");
  const stop = () => proxy.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
