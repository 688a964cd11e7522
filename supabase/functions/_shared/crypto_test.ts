// Tokens sealed at rest: they round-trip, reveal nothing of the plaintext, and fail loudly
// with another key, an altered value, or no key at all.
import { assert, assertEquals, assertRejects } from "../tests/assert.ts";
import { HttpError } from "./cors.ts";
import { openToken, sealToken, UnreadableToken } from "./crypto.ts";

const key = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

Deno.test("a sealed token opens to the same text and does not contain it", async () => {
  const k = key();
  const token = "eyJhbGciOiJIUzI1NiJ9.access-ü-🔑";
  const sealed = await sealToken(token, k);
  assert(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/.test(sealed), sealed);
  assert(!sealed.includes("eyJ") && !sealed.includes("access"), sealed);
  assertEquals(await openToken(sealed, k), token);
  // A fresh IV each time: the same token seals differently.
  assert((await sealToken(token, k)) !== sealed);
});

Deno.test("another key or an altered value does not open", async () => {
  const k = key();
  const sealed = await sealToken("refresh-token", k);
  await assertRejects(() => openToken(sealed, key()), "cannot be decrypted");
  const [v, iv, data] = sealed.split(".");
  const flipped = data.slice(0, 4) + (data[4] === "A" ? "B" : "A") + data.slice(5);
  const e = await assertRejects(() => openToken(`${v}.${iv}.${flipped}`, k), "cannot be decrypted");
  assert(e instanceof UnreadableToken);
  await assertRejects(() => openToken("plain-token", k), "not in the expected format");
});

Deno.test("no key or a key of the wrong size answers 503 naming the secret", async () => {
  const before = Deno.env.get("ATELIER_TOKEN_KEY");
  try {
    Deno.env.delete("ATELIER_TOKEN_KEY");
    const e = await assertRejects(() => sealToken("x"), "Set the ATELIER_TOKEN_KEY function secret");
    assert(e instanceof HttpError && e.status === 503);
    await assertRejects(() => openToken("v1.a.b"), "Set the ATELIER_TOKEN_KEY function secret");
    const short = await assertRejects(
      () => sealToken("x", btoa("sixteen bytes!!!")),
      "must be base64 of exactly 32 bytes",
    );
    assertEquals((short as HttpError).status, 503);
    await assertRejects(() => sealToken("x", "%%% not base64"), "must be base64 of exactly 32 bytes");
    const k = key();
    Deno.env.set("ATELIER_TOKEN_KEY", k);
    assertEquals(await openToken(await sealToken("from env")), "from env");
    assertEquals(await openToken(await sealToken("from env"), k), "from env");
  } finally {
    if (before === undefined) Deno.env.delete("ATELIER_TOKEN_KEY");
    else Deno.env.set("ATELIER_TOKEN_KEY", before);
  }
});
