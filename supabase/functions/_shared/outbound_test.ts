// The outbound guard: nothing ever reaches a private, loopback, link-local or metadata address
// with the flag off — not by literal, not by a name resolving there, not by a redirect. The
// fetch handed to the guard throws (and records) if it is ever called for such an address, so
// no socket is opened to one from this machine.
import { assert, assertEquals, assertRejects } from "../tests/assert.ts";
import { isPrivateAddress } from "./addresses.ts";
import { allowPrivateHosts, guardedFetch, OutboundError } from "./outbound.ts";

/** A resolver from a fixed table, and a fetch that answers from a script but never for a private address. */
function fakeNet(
  names: Record<string, string[]>,
  answer: (url: URL, init: RequestInit) => Response | Promise<Response> = () => new Response("ok"),
) {
  const calls: string[] = [];
  const violations: string[] = [];
  const resolver = (host: string) => Promise.resolve(names[host] ?? []);
  const fetchFn = ((input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const addresses = names[host] ?? [host];
    if (host === "localhost" || addresses.some(isPrivateAddress)) {
      violations.push(url.href);
      throw new Error(`fetch was called for a refused address: ${url.href}`);
    }
    calls.push(`${init.method ?? "GET"} ${url.href}`);
    return Promise.resolve(answer(url, init));
  }) as typeof fetch;
  return { calls, violations, opts: { resolver, fetch: fetchFn, allowPrivate: false } };
}

const refusedLiterals = [
  "https://127.0.0.1/",
  "https://127.8.9.10/",
  "https://10.0.0.5/",
  "https://172.16.0.1/",
  "https://172.31.255.254/",
  "https://192.168.1.1/",
  "https://169.254.169.254/latest/meta-data/",
  "https://100.64.0.1/",
  "https://100.127.255.254/",
  "https://0.0.0.0/",
  "https://[::1]/",
  "https://[::]/",
  "https://[fc00::1]/",
  "https://[fd12:3456::1]/",
  "https://[fe80::1]/",
  "https://[febf::1]/",
  "https://[::ffff:127.0.0.1]/",
  "https://[::ffff:a9fe:a9fe]/",
  "https://2130706433/", // 127.0.0.1 written as one number
  "https://0x7f.1/", // 127.0.0.1 in hex shorthand
  "https://localhost/",
  "https://api.localhost/",
];

Deno.test("literal private, loopback, link-local, metadata, CGNAT and unspecified addresses are refused without a request", async () => {
  const net = fakeNet({});
  for (const url of refusedLiterals) {
    const e = await assertRejects(() => guardedFetch(url, {}, net.opts), "is a private address");
    assert(e instanceof OutboundError && e.failure === "refused", url);
  }
  assertEquals(net.violations, []);
  assertEquals(net.calls, []);
});

Deno.test("a name resolving to a refused address is refused, even when it also has a public one", async () => {
  const bad = [
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.9",
    "192.168.0.10",
    "169.254.169.254",
    "::1",
    "fd00::5",
    "fe80::abcd",
    "100.100.0.1",
    "0.0.0.0",
  ];
  const names: Record<string, string[]> = {};
  bad.forEach((a, i) => (names[`evil${i}.example`] = ["93.184.215.14", a]));
  const net = fakeNet(names);
  for (const host of Object.keys(names)) {
    const e = await assertRejects(
      () => guardedFetch(`https://${host}/xrpc/x`, {}, net.opts),
      `${host} is a private address`,
    );
    assertEquals((e as OutboundError).host, host);
  }
  assertEquals(net.violations, []);
  assertEquals(net.calls, []);
});

Deno.test("a redirect to a refused address (literal or by name) is not followed", async () => {
  const targets = [
    "https://169.254.169.254/latest/meta-data/",
    "https://127.0.0.1:5432/",
    "https://inside.example/",
    "http://10.0.0.1/",
  ];
  for (const target of targets) {
    const net = fakeNet(
      { "public.example": ["93.184.215.14"], "inside.example": ["192.168.1.20"] },
      () => new Response(null, { status: 302, headers: { location: target } }),
    );
    await assertRejects(
      () => guardedFetch("https://public.example/start", {}, net.opts),
      target.startsWith("http:") ? "must be reached over https" : "is a private address",
    );
    assertEquals(net.calls, ["GET https://public.example/start"], target);
    assertEquals(net.violations, []);
  }
});

Deno.test("public addresses next to the refused ranges are reached", async () => {
  const net = fakeNet({ "pds.example": ["172.32.0.1", "2606:4700::1111"] });
  for (
    const url of [
      "https://172.15.255.255/",
      "https://100.128.0.1/",
      "https://11.0.0.1/",
      "https://[2001:4860::8888]/",
      "https://pds.example/",
    ]
  ) {
    const res = await guardedFetch(url, {}, net.opts);
    assertEquals(await res.text(), "ok", url);
  }
  assertEquals(net.calls.length, 5);
  assertEquals(net.violations, []);
});

Deno.test("http is refused and an unknown name is unreachable, both without a request", async () => {
  const net = fakeNet({ "pds.example": ["93.184.215.14"] });
  const e1 = await assertRejects(
    () => guardedFetch("http://pds.example/", {}, net.opts),
    "pds.example must be reached over https",
  );
  assertEquals((e1 as OutboundError).failure, "refused");
  const e2 = await assertRejects(
    () => guardedFetch("https://nowhere.example/", {}, net.opts),
    "Could not reach nowhere.example",
  );
  assertEquals((e2 as OutboundError).failure, "unreachable");
  await assertRejects(() => guardedFetch("ftp://pds.example/", {}, net.opts), "must be reached over https");
  await assertRejects(() => guardedFetch("not a url", {}, net.opts), "is not a valid address");
  assertEquals(net.calls, []);
});

Deno.test("redirects are followed to public hosts, POST becomes GET on 303 and credentials stay with their origin", async () => {
  const seen: { url: string; method: string; auth: string | null; body: string | null }[] = [];
  const net = fakeNet({ "a.example": ["93.184.215.14"], "b.example": ["93.184.215.15"] }, (url, init) => {
    const h = new Headers(init.headers);
    seen.push({
      url: url.href,
      method: init.method!,
      auth: h.get("authorization"),
      body: init.body ? String(init.body) : null,
    });
    if (url.pathname === "/one") return new Response(null, { status: 307, headers: { location: "/two" } });
    if (url.pathname === "/two") {
      return new Response(null, { status: 303, headers: { location: "https://b.example/three" } });
    }
    return new Response(JSON.stringify({ at: url.href }), { headers: { "content-type": "application/json" } });
  });
  const res = await guardedFetch("https://a.example/one", {
    method: "POST",
    body: "x=1",
    headers: { authorization: "Bearer secret" },
  }, net.opts);
  assertEquals(await res.json(), { at: "https://b.example/three" });
  assertEquals(res.url, "https://b.example/three");
  assertEquals(seen, [
    { url: "https://a.example/one", method: "POST", auth: "Bearer secret", body: "x=1" },
    { url: "https://a.example/two", method: "POST", auth: "Bearer secret", body: "x=1" },
    { url: "https://b.example/three", method: "GET", auth: null, body: null },
  ]);
});

Deno.test("more than five redirects is an error", async () => {
  let n = 0;
  const net = fakeNet(
    { "loop.example": ["93.184.215.14"] },
    () => new Response(null, { status: 302, headers: { location: `/r${++n}` } }),
  );
  const e = await assertRejects(
    () => guardedFetch("https://loop.example/", {}, net.opts),
    "loop.example redirected too many times",
  );
  assertEquals((e as OutboundError).failure, "redirects");
  assertEquals(net.calls.length, 6);
});

Deno.test("a body past the size cap is refused, whether declared or streamed", async () => {
  const chunk = new Uint8Array(1024).fill(65);
  const endless = () =>
    new Response(new ReadableStream({ pull: (c) => c.enqueue(chunk) }), {
      headers: { "content-type": "application/octet-stream" },
    });
  const net = fakeNet({ "big.example": ["93.184.215.14"] }, endless);
  const e = await assertRejects(
    () => guardedFetch("https://big.example/", {}, { ...net.opts, maxBytes: 10_000 }),
    "big.example sent more than 10000 bytes",
  );
  assertEquals((e as OutboundError).failure, "too_large");
  const declared = fakeNet(
    { "big.example": ["93.184.215.14"] },
    () => new Response("x".repeat(20), { headers: { "content-length": "20000000" } }),
  );
  await assertRejects(
    () => guardedFetch("https://big.example/", {}, { ...declared.opts, maxBytes: 10_000 }),
    "sent more than 10000 bytes",
  );
  const fits = fakeNet({ "big.example": ["93.184.215.14"] }, () => new Response("y".repeat(10_000)));
  assertEquals(
    (await (await guardedFetch("https://big.example/", {}, { ...fits.opts, maxBytes: 10_000 })).text()).length,
    10_000,
  );
});

Deno.test("a host that does not answer in time fails with a timeout naming it", async () => {
  const net = fakeNet(
    { "slow.example": ["93.184.215.14"] },
    (_url, init) =>
      new Promise<Response>((_, reject) =>
        init.signal!.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))
      ),
  );
  const started = performance.now();
  const e = await assertRejects(
    () => guardedFetch("https://slow.example/", {}, { ...net.opts, timeoutMs: 150 }),
    "slow.example did not answer within 0.2 s",
  );
  assertEquals((e as OutboundError).failure, "timeout");
  assert(performance.now() - started < 2_000);
});

Deno.test({
  name:
    "with ATELIER_ALLOW_PRIVATE_HOSTS=true, http to 127.0.0.1 works (redirects and a stalled body's timeout included)",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const before = Deno.env.get("ATELIER_ALLOW_PRIVATE_HOSTS");
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/hop") return new Response(null, { status: 302, headers: { location: "/json" } });
    if (path === "/stall") return new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([1])) }));
    return Response.json({ hello: "local" });
  });
  try {
    Deno.env.delete("ATELIER_ALLOW_PRIVATE_HOSTS");
    assertEquals(allowPrivateHosts(), false);
    const base = `http://127.0.0.1:${server.addr.port}`;
    await assertRejects(() => guardedFetch(`${base}/json`), "must be reached over https");
    Deno.env.set("ATELIER_ALLOW_PRIVATE_HOSTS", "true");
    assertEquals(allowPrivateHosts(), true);
    const res = await guardedFetch(`${base}/hop`);
    assertEquals([res.status, await res.json(), res.url], [200, { hello: "local" }, `${base}/json`]);
    await assertRejects(
      () => guardedFetch(`${base}/stall`, {}, { timeoutMs: 200 }),
      "127.0.0.1 did not answer within 0.2 s",
    );
  } finally {
    if (before === undefined) Deno.env.delete("ATELIER_ALLOW_PRIVATE_HOSTS");
    else Deno.env.set("ATELIER_ALLOW_PRIVATE_HOSTS", before);
    await server.shutdown();
  }
});

Deno.test("address classification at the edges of each range", () => {
  const cases: [string, boolean][] = [
    ["9.255.255.255", false],
    ["10.0.0.0", true],
    ["11.0.0.0", false],
    ["100.63.255.255", false],
    ["100.64.0.0", true],
    ["100.127.255.255", true],
    ["100.128.0.0", false],
    ["169.253.255.255", false],
    ["169.254.0.1", true],
    ["169.255.0.0", false],
    ["172.15.255.255", false],
    ["172.16.0.0", true],
    ["172.31.255.255", true],
    ["172.32.0.0", false],
    ["192.167.255.255", false],
    ["192.168.0.0", true],
    ["192.169.0.0", false],
    ["8.8.8.8", false],
    ["255.255.255.255", true],
    ["224.0.0.1", true],
    ["::1", true],
    ["::", true],
    ["fbff::1", false],
    ["fc00::", true],
    ["fdff:ffff::1", true],
    ["fe00::1", false],
    ["fe80::", true],
    ["febf:ffff::1", true],
    ["::ffff:8.8.8.8", false],
    ["::ffff:10.0.0.1", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["2002:7f00:1::", true],
    ["2002:0808:0808::", false],
    ["2606:4700:4700::1111", false],
    ["not-an-ip", true],
    ["1.2.3", true],
    ["1::2::3", true],
  ];
  for (const [address, refused] of cases) assertEquals(isPrivateAddress(address), refused, address);
});
