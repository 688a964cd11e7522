import { assert, assertEquals } from "../tests/assert.ts";
import { composePostText, fitsLimits, postTextLength } from "../_shared/text.ts";
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

/** Whether a fitted caption fits a platform, measured as the database measures it. */
function fitsPlatform(c: { caption: string; hashtags: string[] }, l: Limits): boolean {
  return fitsLimits(composePostText(c.caption, c.hashtags), {
    captionMax: l.caption_max, countsBytes: l.caption_counts_bytes, captionMaxBytes: l.caption_max_bytes, urlLength: l.url_length,
  });
}

const PROMPT = "A cozy ceramic studio with handmade mugs, warm morning light, steam rising from fresh coffee, plants on the windowsill, " +
  "artisan glaze textures and a sleepy cat on a wooden stool — slow living, craft, and a quiet creative ritual before the market opens ".repeat(3);

Deno.test("keywords drop stop words and keep order", () => {
  assertEquals(keywords("A photo of the red fox in the snow, very detailed"), ["red", "fox", "snow"]);
});

Deno.test("each tone gives a distinct, prompt-derived caption", () => {
  const caps = TONES.map((t) => demoCaption("Handmade ceramic mugs in a sunny kitchen", t).caption);
  assertEquals(new Set(caps).size, 3);
  assert(caps.every((c) => c.includes("Handmade ceramic mugs")) && !caps.some((c) => /lorem/i.test(c)));
});

Deno.test("demo caption fits every platform, and every platform of a set at once", () => {
  for (const tone of TONES) {
    for (const [name, l] of Object.entries(LIMITS)) {
      const c = fit(demoCaption(PROMPT, tone), [l]);
      assert(fitsPlatform(c, l), `${name}/${tone}`);
      assert(c.hashtags.length <= l.hashtag_max && c.hashtags.length > 0, `${name} hashtags`);
    }
  }
  const set = [LIMITS.instagram, LIMITS.threads, LIMITS.x, LIMITS.bluesky, LIMITS.mastodon];
  const c = fit(demoCaption(PROMPT + " 🌿🌿🌿", "professional"), set);
  for (const l of set) assert(fitsPlatform(c, l), JSON.stringify(l));
  assert(new TextEncoder().encode(c.caption + "\n\n" + c.hashtags.join(" ")).length <= 280, "Threads counts bytes");
  assertEquals(c.hashtags, ["#cozy"]);
});

Deno.test("a URL counts 23 on Mastodon, so a caption with a long link is not cut there, but is for Bluesky", () => {
  const link = `https://example.com/${"a".repeat(600)}`; // 620 characters as written
  const raw = { caption: `Studio notes ${link}`, hashtags: ["#studio"], keywords: [] };
  const mastodon = fit(raw, [LIMITS.mastodon]);
  assertEquals(mastodon.caption, raw.caption, "Mastodon counts the link as 23");
  assertEquals(postTextLength(composePostText(mastodon.caption, mastodon.hashtags), { urlLength: 23 }), 13 + 23 + 2 + 7);
  const bluesky = fit(raw, [LIMITS.bluesky]);
  assert(bluesky.caption.endsWith("…") && fitsPlatform(bluesky, LIMITS.bluesky), bluesky.caption);
});
