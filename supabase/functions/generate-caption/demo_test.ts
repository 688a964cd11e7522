import { assert, assertEquals } from "../tests/assert.ts";
import { demoCaption, fit, keywords, type Limits, TONES } from "./demo.ts";

// The rows of platform_limits (supabase/migrations/20261126000200_platform_limits.sql).
const LIMITS: Record<string, Limits> = {
  instagram: { caption_max: 2200, caption_counts_bytes: false, hashtag_max: 5 },
  tiktok: { caption_max: 2200, caption_counts_bytes: false, hashtag_max: 30 },
  x: { caption_max: 280, caption_counts_bytes: false, hashtag_max: 30 },
  linkedin: { caption_max: 3000, caption_counts_bytes: false, hashtag_max: 30 },
  facebook: { caption_max: 63206, caption_counts_bytes: false, hashtag_max: 30 },
  youtube: { caption_max: 5000, caption_counts_bytes: false, hashtag_max: 15 },
  threads: { caption_max: 500, caption_counts_bytes: true, hashtag_max: 1 },
  pinterest: { caption_max: 500, caption_counts_bytes: false, hashtag_max: 30 },
  // supabase/migrations/20261203000200_platform_limits_connectors.sql
  bluesky: { caption_max: 300, caption_counts_bytes: false, hashtag_max: 30, caption_max_bytes: 3000 },
  mastodon: { caption_max: 500, caption_counts_bytes: false, hashtag_max: 30, url_length: 23 },
};

// The oracle: publish_generation's rule (supabase/migrations/20261203000700_post_text_length.sql
// and 20261203000800_publish_to_connectors.sql) written out here, not the code's own measure.
const codePoints = (s: string) => [...s].length;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const graphemeCount = (s: string) => [...segmenter.segment(s)].length;
const URL_RUN = /https?:\/\/\S+/g;

/** public.compose_post_text: caption, a blank line, the hashtags joined by spaces. */
const postText = (c: { caption: string; hashtags: string[] }) =>
  [c.caption, c.hashtags.join(" ")].filter((p) => p !== "").join("\n\n");

/** private.post_text_length: code points or bytes, each URL at url_length when the platform weighs them. */
function lengthOn(text: string, l: Limits): number {
  const count = l.caption_counts_bytes ? utf8Bytes : codePoints;
  if (l.url_length == null) return count(text);
  return count(text.replace(URL_RUN, "")) + (text.match(URL_RUN)?.length ?? 0) * l.url_length;
}

/** The distinct tags publish_generation counts: caption and list together, case-insensitive. */
const tagCount = (text: string) =>
  new Set((text.match(/#[\p{Alphabetic}\p{Nd}_]+/gu) ?? []).map((t) => t.toLowerCase())).size;

/** Why the post text would be refused on a platform, or null when publish_generation takes it. */
function refusal(c: { caption: string; hashtags: string[] }, l: Limits): string | null {
  const text = postText(c);
  if (lengthOn(text, l) > l.caption_max) {
    return `${lengthOn(text, l)} > ${l.caption_max} ${l.caption_counts_bytes ? "bytes" : "characters"}`;
  }
  if (l.caption_max_bytes != null && utf8Bytes(text) > l.caption_max_bytes) {
    return `${utf8Bytes(text)} bytes > ${l.caption_max_bytes}`;
  }
  // What the platforms themselves count (graphemes) is never more than the code points above.
  if (!l.caption_counts_bytes && graphemeCount(text) > l.caption_max) {
    return `${graphemeCount(text)} graphemes > ${l.caption_max}`;
  }
  if (tagCount(text) > l.hashtag_max) return `${tagCount(text)} hashtags > ${l.hashtag_max}`;
  return null;
}

function assertFits(c: { caption: string; hashtags: string[] }, l: Limits, label: string) {
  assertEquals(refusal(c, l), null, `${label}: ${JSON.stringify(postText(c))}`);
}

const PROMPT =
  "A cozy ceramic studio with handmade mugs, warm morning light, steam rising from fresh coffee, plants on the windowsill, " +
  "artisan glaze textures and a sleepy cat on a wooden stool — slow living, craft, and a quiet creative ritual before the market opens "
    .repeat(3);

Deno.test("keywords drop stop words and keep order", () => {
  assertEquals(keywords("A photo of the red fox in the snow, very detailed"), ["red", "fox", "snow"]);
});

Deno.test("each tone gives a distinct, prompt-derived caption", () => {
  const caps = TONES.map((t) => demoCaption("Handmade ceramic mugs in a sunny kitchen", t).caption);
  assertEquals(new Set(caps).size, TONES.length);
  assert(caps.every((c) => c.includes("Handmade ceramic mugs")) && !caps.some((c) => /lorem/i.test(c)));
  assert(TONES.includes("inspiring"), "the app offers Inspiring");
});

Deno.test("demo caption fits every platform, and every platform of a set at once", () => {
  for (const tone of TONES) {
    for (const [name, l] of Object.entries(LIMITS)) {
      const c = fit(demoCaption(PROMPT, tone), [l]);
      assertFits(c, l, `${name}/${tone}`);
      assert(c.hashtags.length > 0, `${name}/${tone}: some hashtags are kept`);
    }
  }
  const raw = demoCaption(PROMPT + " 🌿🌿🌿", "professional");
  assert(refusal(raw, LIMITS.x) !== null && refusal(raw, LIMITS.threads) !== null, "the raw caption needs fitting");
  const set = [LIMITS.instagram, LIMITS.threads, LIMITS.x, LIMITS.bluesky, LIMITS.mastodon];
  const c = fit(raw, set);
  for (const [i, l] of set.entries()) assertFits(c, l, `set member ${i}`);
  assertEquals(c.hashtags, ["#cozy"], "Threads takes one tag");
});

// Kanji and emoji: three or four bytes a character, so X (280 characters) and Threads (500
// bytes) disagree on which is the stricter, and each must hold.
const WIDE_PROMPT =
  "東京の朝、手作りの陶器のマグと湯気の立つコーヒー ☕🌿 窓辺の植物と木の椅子で眠る猫、市場が開く前の静かな創作の儀式 "
    .repeat(4);

Deno.test("a caption in kanji and emoji fits X's characters and Threads' bytes together", () => {
  for (const tone of TONES) {
    const c = fit(demoCaption(WIDE_PROMPT, tone), [LIMITS.x, LIMITS.threads]);
    assertFits(c, LIMITS.x, `x/${tone}`);
    assertFits(c, LIMITS.threads, `threads/${tone}`);
    const text = postText(c);
    assert(utf8Bytes(text) > 2 * codePoints(text), `bytes and characters differ: ${text}`);
  }
  const threadsOnly = fit(demoCaption(WIDE_PROMPT, "professional"), [LIMITS.threads]);
  assert(
    utf8Bytes(postText(threadsOnly)) <= 500 && codePoints(postText(threadsOnly)) < 280,
    "Threads alone already cuts this text below X's 280 characters",
  );
});

Deno.test("tags written in the prompt count against the cap with the hashtags", () => {
  const prompt = "Morning #coffee ritual with #handmade mugs and #SlowLiving on the windowsill";
  const raw = demoCaption(prompt, "minimal");
  assertEquals(tagCount(raw.caption), 3, "the caption carries the prompt's tags");
  for (const [name, l] of Object.entries(LIMITS)) assertFits(fit(raw, [l]), l, name);
  const threads = fit(raw, [LIMITS.threads]);
  assertEquals(tagCount(postText(threads)), 1);
  assertEquals(threads.hashtags, [], "the caption's own tag uses Threads' one");
  assert(threads.caption.includes("#coffee") && threads.caption.includes(" handmade"), threads.caption);
  const instagram = fit(raw, [LIMITS.instagram]);
  assertEquals(tagCount(postText(instagram)), 5);
  assert(!instagram.hashtags.includes("#coffee"), "a tag the caption has is not listed again");
});

Deno.test("a cut never splits a flag or an emoji family", () => {
  const raw = { caption: "Flags " + "🇩🇪👨‍👩‍👧‍👦".repeat(60), hashtags: ["#flags"], keywords: [] };
  for (const l of [LIMITS.x, LIMITS.threads, LIMITS.bluesky]) {
    const c = fit(raw, [l]);
    assertFits(c, l, JSON.stringify(l));
    const pieces = [...segmenter.segment(c.caption.replace(/…$/, ""))].map((p) => p.segment);
    assert(pieces.slice(6).every((p) => p === "🇩🇪" || p === "👨‍👩‍👧‍👦"), c.caption);
  }
});

Deno.test("a URL counts 23 on Mastodon, so a caption with a long link is not cut there, but is for Bluesky", () => {
  const link = `https://example.com/${"a".repeat(600)}`; // 620 characters as written
  const raw = { caption: `Studio notes ${link}`, hashtags: ["#studio"], keywords: [] };
  const mastodon = fit(raw, [LIMITS.mastodon]);
  assertEquals(mastodon.caption, raw.caption, "Mastodon counts the link as 23");
  assertEquals(lengthOn(postText(mastodon), LIMITS.mastodon), 13 + 23 + 2 + 7);
  const bluesky = fit(raw, [LIMITS.bluesky]);
  assert(bluesky.caption.endsWith("…"), bluesky.caption);
  assertFits(bluesky, LIMITS.bluesky, "bluesky");
});
