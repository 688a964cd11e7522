import { assert, assertEquals } from "../tests/assert.ts";
import { demoCaption, fit, keywords, type Limits, measure, strictest, TONES } from "./demo.ts";

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
};

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

Deno.test("demo caption fits every platform and the strictest of a set", () => {
  for (const tone of TONES) {
    for (const [name, l] of Object.entries(LIMITS)) {
      const c = fit(demoCaption(PROMPT, tone), l);
      const full = c.caption + (c.hashtags.length ? `\n\n${c.hashtags.join(" ")}` : "");
      assert(measure(full, l.caption_counts_bytes) <= l.caption_max, `${name}/${tone}`);
      assert(c.hashtags.length <= l.hashtag_max && c.hashtags.length > 0, `${name} hashtags`);
    }
  }
  const s = strictest([LIMITS.instagram, LIMITS.threads, LIMITS.x])!;
  assertEquals(s, { caption_max: 280, caption_counts_bytes: true, hashtag_max: 1 });
  const c = fit(demoCaption(PROMPT + " 🌿🌿🌿", "professional"), s);
  assert(new TextEncoder().encode(c.caption + "\n\n" + c.hashtags.join(" ")).length <= 280);
  assertEquals(c.hashtags, ["#cozy"]);
});
