import { assertEquals, assertRejects } from "../../tests/assert.ts";
import { HttpError } from "../cors.ts";
import { describe } from "./media.ts";
import { normalizeInstance, readInstance } from "./instance.ts";
import { authorizeUrl, codeChallenge, randomToken } from "./oauth.ts";

function refusal(input: unknown, allowHttp = false): string {
  try {
    normalizeInstance(input, allowHttp);
  } catch (e) {
    if (e instanceof HttpError && e.status === 400) return e.message;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

Deno.test("normalizeInstance: a name, an https URL, a page or an address give the instance's base URL", () => {
  for (
    const input of [
      "mastodon.social",
      " Mastodon.Social ",
      "https://mastodon.social",
      "https://mastodon.social/",
      "https://mastodon.social/@alice/123",
      "@alice@mastodon.social",
      "alice@mastodon.social",
    ]
  ) {
    assertEquals(normalizeInstance(input, false), "https://mastodon.social", input);
  }
  assertEquals(normalizeInstance("https://social.example:8443", false), "https://social.example:8443");
  assertEquals(normalizeInstance("http://127.0.0.1:4000", true), "http://127.0.0.1:4000");
});

Deno.test("normalizeInstance refuses what is not an instance address, and http unless private hosts are allowed", () => {
  assertEquals(
    refusal("http://mastodon.social"),
    "mastodon.social must be reached over https: enter https://mastodon.social.",
  );
  for (
    const input of [
      "",
      "   ",
      42,
      null,
      "mastodon social",
      "ftp://mastodon.social",
      "https://user:pw@mastodon.social",
      "https://exa_mple..com",
      "x".repeat(301),
    ]
  ) {
    assertEquals(
      refusal(input),
      "Enter your Mastodon instance, e.g. mastodon.social or https://mastodon.social.",
      String(input),
    );
  }
});

Deno.test("readInstance refuses a private address before asking it, with the flag off", async () => {
  let called = false;
  const fetchSpy = (() => {
    called = true;
    throw new Error("must not be called");
  }) as unknown as typeof fetch;
  await assertRejects(
    () => readInstance("https://127.0.0.1", { allowPrivate: false, fetch: fetchSpy }),
    "127.0.0.1 is a private address",
  );
  await assertRejects(
    () =>
      readInstance("https://metadata.example", {
        allowPrivate: false,
        fetch: fetchSpy,
        resolver: () => Promise.resolve(["169.254.169.254"]),
      }),
    "is a private address",
  );
  assertEquals(called, false);
});

Deno.test("readInstance tells a Mastodon instance from another server", async () => {
  const answer = (status: number, body: string, type = "application/json") =>
    ((() =>
      Promise.resolve(new Response(body, { status, headers: { "content-type": type } }))) as unknown) as typeof fetch;
  const guard = (f: typeof fetch) => ({ allowPrivate: true, fetch: f });
  const v2 = { domain: "social.example", title: "Social", configuration: { statuses: { max_characters: 5000 } } };
  assertEquals(await readInstance("https://social.example", guard(answer(200, JSON.stringify(v2)))), {
    maxCharacters: 5000,
    title: "Social",
  });
  const noMax = { ...v2, configuration: { statuses: {} } };
  assertEquals(
    (await readInstance("https://social.example", guard(answer(200, JSON.stringify(noMax))))).maxCharacters,
    500,
  );
  for (
    const [status, body, type] of [[404, "<html>Not found</html>", "text/html"], [
      200,
      "<html>hello</html>",
      "text/html",
    ], [200, '{"version":"1"}', "application/json"]] as const
  ) {
    await assertRejects(
      () => readInstance("https://blog.example", guard(answer(status, body, type))),
      "blog.example is not a Mastodon instance.",
    );
  }
  await assertRejects(
    () => readInstance("https://social.example", guard(answer(503, "down", "text/html"))),
    "social.example answered HTTP 503: try again later.",
  );
});

Deno.test("authorizeUrl asks for code + PKCE S256 with Atelier's scopes; state and verifier carry 256 random bits", async () => {
  const verifier = randomToken();
  const state = randomToken();
  assertEquals([verifier.length, state.length, /^[A-Za-z0-9_-]+$/.test(verifier)], [43, 43, true]);
  const url = new URL(
    authorizeUrl("https://mastodon.social", {
      clientId: "cid",
      redirectUri: "https://app.example/app/accounts",
      state,
      challenge: await codeChallenge(verifier),
    }),
  );
  assertEquals(`${url.origin}${url.pathname}`, "https://mastodon.social/oauth/authorize");
  assertEquals(Object.fromEntries(url.searchParams), {
    response_type: "code",
    client_id: "cid",
    redirect_uri: "https://app.example/app/accounts",
    scope: "write:statuses write:media read:accounts",
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  });
  // RFC 7636 appendix B.
  assertEquals(
    await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  );
});

Deno.test("the media description is the prompt trimmed, within Mastodon's 1500 characters", () => {
  assertEquals(describe("  a heron\n"), "a heron");
  const long = describe("🦩".repeat(2000));
  assertEquals([...long].length, 1500);
  assertEquals(long.endsWith("…"), true);
});
