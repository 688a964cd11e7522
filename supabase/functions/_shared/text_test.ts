// Post text length (the database's rule) and Bluesky facets, byte-exact.
import { assert, assertEquals } from "../tests/assert.ts";
import { BLUESKY_LIMITS, composePostText, facets, fitsLimits, postTextLength } from "./text.ts";

const MASTODON = { captionMax: 500, urlLength: 23 };

Deno.test("length counts code points (emoji, ZWJ sequences and flags as the database does), or bytes", () => {
  assertEquals(postTextLength("hello"), 5);
  assertEquals(postTextLength("café"), 4);
  assertEquals(postTextLength("👩‍👩‍👧"), 5); // three people joined by two ZWJs
  assertEquals(postTextLength("🇫🇷"), 2); // two regional indicators
  assertEquals(postTextLength("e\u0301"), 2); // e + combining acute
  assertEquals(postTextLength("café 🇫🇷", { countsBytes: true }), 14);
  assertEquals(postTextLength("👩‍👩‍👧", { countsBytes: true }), 18);
});

Deno.test("with a URL length, each http(s) URL counts that much however it is written", () => {
  const long = "https://example.com/" + "a".repeat(200);
  assertEquals(postTextLength(`see ${long} ok`, MASTODON), 4 + 23 + 3);
  assertEquals(postTextLength("http://x.y", MASTODON), 23);
  assertEquals(postTextLength("a https://b.c\nhttps://d.e/f", MASTODON), 2 + 23 + 1 + 23);
  // Without a URL length (Bluesky), URLs count as written.
  assertEquals(postTextLength(`see ${long}`), 4 + long.length);
  // Only http and https, lower case, as the database's regex.
  assertEquals(postTextLength("ftp://example.com", MASTODON), 17);
  assertEquals(postTextLength("HTTPS://EXAMPLE.COM", MASTODON), 19);
  // Where the database's [[:space:]] ends a URL, and where it does not (zero-width space, BOM).
  for (const space of ["\u00a0", "\u0085", "\u2003", "\u202f", "\u3000", "\u2028", "\v"]) {
    assertEquals(postTextLength(`https://a.b${space}xy`, MASTODON), 26, JSON.stringify(space));
  }
  for (const joiner of ["\u200b", "\ufeff", "\u180e", "\u001f"]) {
    assertEquals(postTextLength(`https://a.b${joiner}xy`, MASTODON), 23, JSON.stringify(joiner));
  }
  // The URL ends at whitespace only: a trailing dot belongs to it.
  assertEquals(postTextLength("go https://example.com/x. next", MASTODON), 3 + 23 + 5);
});

Deno.test("Bluesky: 300 code points and 3,000 bytes; Mastodon: 500 with URLs at 23", () => {
  assert(fitsLimits("é".repeat(300), BLUESKY_LIMITS));
  assert(!fitsLimits("a".repeat(301), BLUESKY_LIMITS));
  assert(fitsLimits("🍮".repeat(300), BLUESKY_LIMITS));
  assert(!fitsLimits("🍮".repeat(301), BLUESKY_LIMITS));
  assert(!fitsLimits("é".repeat(20), { captionMax: 100, captionMaxBytes: 39 }));
  assert(fitsLimits("é".repeat(20), { captionMax: 100, captionMaxBytes: 40 }));
  const url = "https://example.com/" + "p".repeat(600);
  assert(fitsLimits(`${"x".repeat(477)}${url}`, MASTODON));
  assert(!fitsLimits(`${"x".repeat(478)}${url}`, MASTODON));
  assert(fitsLimits("x".repeat(100), { captionMax: 100, urlLength: null, captionMaxBytes: null }));
});

Deno.test("the post text is caption, blank line, hashtags", () => {
  assertEquals(composePostText("Hello", ["#a", "#b"]), "Hello\n\n#a #b");
  assertEquals(composePostText("", ["#a"]), "#a");
  assertEquals(composePostText("Hello", []), "Hello");
  assertEquals(composePostText(null, null), "");
});

Deno.test("facets: UTF-8 byte ranges after accented text and emoji; tags cover # but their value does not", () => {
  const text =
    "Crème brûlée 🍮 à la maison #dessert, recette: https://exemple.fr/crème?x=1. (voir https://a.example/b_(c)) Merci!\n\n#café #2024 #👩‍🍳";
  // Offsets worked out independently (Python: text.encode().index(...)).
  assertEquals(facets(text), [
    { index: { byteStart: 34, byteEnd: 42 }, features: [{ $type: "app.bsky.richtext.facet#tag", tag: "dessert" }] },
    {
      index: { byteStart: 53, byteEnd: 82 },
      features: [{ $type: "app.bsky.richtext.facet#link", uri: "https://exemple.fr/crème?x=1" }],
    },
    {
      index: { byteStart: 90, byteEnd: 113 },
      features: [{ $type: "app.bsky.richtext.facet#link", uri: "https://a.example/b_(c)" }],
    },
    { index: { byteStart: 123, byteEnd: 129 }, features: [{ $type: "app.bsky.richtext.facet#tag", tag: "café" }] },
    { index: { byteStart: 136, byteEnd: 148 }, features: [{ $type: "app.bsky.richtext.facet#tag", tag: "👩‍🍳" }] },
  ]);
  // The same ranges, read back out of the bytes.
  const bytes = new TextEncoder().encode(text);
  const cut = (f: { index: { byteStart: number; byteEnd: number } }) =>
    new TextDecoder().decode(bytes.slice(f.index.byteStart, f.index.byteEnd));
  assertEquals(facets(text).map(cut), [
    "#dessert",
    "https://exemple.fr/crème?x=1",
    "https://a.example/b_(c)",
    "#café",
    "#👩‍🍳",
  ]);
});

Deno.test("not tags: numbers only, inside a word or URL, the keycap emoji, longer than 64", () => {
  assertEquals(facets("#1 #2024 a#b c #️⃣ https://x.example/#frag #" + "t".repeat(65)).map((f) => f.features[0]), [
    { $type: "app.bsky.richtext.facet#link", uri: "https://x.example/#frag" },
  ]);
  assertEquals(facets("#" + "t".repeat(64))[0].features[0], {
    $type: "app.bsky.richtext.facet#tag",
    tag: "t".repeat(64),
  });
  assertEquals(facets("#a1 ＃全角")[1], {
    index: { byteStart: 4, byteEnd: 13 },
    features: [{ $type: "app.bsky.richtext.facet#tag", tag: "全角" }],
  });
  assertEquals(facets("nothing here, not even http:/broken"), []);
});
