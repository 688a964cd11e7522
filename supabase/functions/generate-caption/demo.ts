// Offline captions: keywords from the prompt (suggest.ts), a caption in the asked tone, and
// hashtags from the keywords — then fitted to every selected platform's limits.
import { composePostText, fitsLimits, type TextLimits } from "../_shared/text.ts";
import { keywords } from "./suggest.ts";
import type { Tone } from "./tones.ts";

export { type Tone, TONES } from "./tones.ts";

/** A row of platform_limits, as far as text goes (the same rule the database enforces). */
export interface Limits {
  caption_max: number;
  caption_counts_bytes: boolean;
  hashtag_max: number;
  /** A cap on UTF-8 bytes besides caption_max (Bluesky: 3,000); null when none. */
  caption_max_bytes?: number | null;
  /** What every URL counts, however long (Mastodon: 23); null when URLs count as written. */
  url_length?: number | null;
}

export interface Caption {
  caption: string;
  hashtags: string[];
  keywords: string[];
}

export { keywords };

function sentence(prompt: string): string {
  const s = prompt.trim().replace(/\s+/g, " ").replace(/[.!?,;:\s]+$/, "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function demoCaption(prompt: string, tone: Tone): Caption {
  const keys = keywords(prompt);
  const subject = sentence(prompt);
  const [k1 = "this", k2 = "the details"] = keys;
  const caption = {
    playful:
      `${subject} ✨ Couldn't stop thinking about ${k1} and ${k2} — which detail caught your eye first? Tell us below 👇`,
    professional:
      `${subject}. A study in ${k1} and ${k2}, made to start a conversation. What would you build from it? Share your perspective in the comments.`,
    inspiring:
      `${subject}. Every bit of ${k1} and ${k2} began as a small idea someone decided to follow through. What will you start today? 🌱`,
    minimal: `${subject}.`,
  }[tone];
  const hashtags = keys.map((k) => `#${k}`);
  return { caption, hashtags, keywords: keys };
}

function textLimits(l: Limits): TextLimits {
  return {
    captionMax: l.caption_max,
    countsBytes: l.caption_counts_bytes,
    captionMaxBytes: l.caption_max_bytes,
    urlLength: l.url_length,
  };
}

/**
 * A tag as publish_generation finds one in the post text (`#[[:alnum:]_]+` in a C.UTF-8
 * database: Unicode letters, decimal digits and `_`).
 */
const TAG_IN_TEXT = /#[\p{Alphabetic}\p{Nd}_]+/gu;

/**
 * Keeps the first `max` distinct tags written in the caption (case-insensitive, as the database
 * counts them) and turns any later one into a plain word, so the caption alone never exceeds
 * the cap. Returns the caption and the tags it keeps, lower-cased.
 */
function captionWithinTagCap(caption: string, max: number): { caption: string; tags: Set<string> } {
  const tags = new Set<string>();
  const out = caption.replace(TAG_IN_TEXT, (tag) => {
    const key = tag.toLowerCase();
    if (tags.has(key) || tags.size < max) {
      tags.add(key);
      return tag;
    }
    return tag.slice(1);
  });
  return { caption: out, tags };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Fits a caption and its hashtags to one platform. Hashtags: the database counts the distinct
 * tags of the caption and the list together against `hashtag_max`, so the list gets what the
 * caption's own tags leave (a tag the caption already has is not repeated). Length: the caption
 * (with its hashtags) is cut to the budget at a word, never inside a character a reader sees
 * as one (a flag, an emoji family).
 */
function fitOne(c: Caption, limit: Limits): Caption {
  const within = captionWithinTagCap(c.caption, limit.hashtag_max);
  const hashtags = [...new Set(c.hashtags.map((h) => h.toLowerCase()))]
    .filter((h) => !within.tags.has(h))
    .slice(0, limit.hashtag_max - within.tags.size);
  const rule = textLimits(limit);
  const fits = (caption: string) => fitsLimits(composePostText(caption, hashtags), rule);
  let caption = within.caption;
  if (!fits(caption)) {
    const pieces = [...graphemes.segment(caption)].map((s) => s.segment);
    while (pieces.length && !fits(pieces.join("") + "…")) pieces.pop();
    const cut = pieces.join("");
    const atWord = cut.replace(/\s+\S*$/, "");
    caption = (atWord.length > cut.length / 2 ? atWord : cut).trimEnd() + "…";
  }
  return { caption, hashtags, keywords: c.keywords };
}

/**
 * Fits the caption to every selected platform: each platform counts differently (bytes, URLs
 * at a fixed length, a byte cap besides the characters), so it is fitted to each in turn;
 * fitting only ever shortens, so what fits one platform keeps fitting the ones before.
 */
export function fit(c: Caption, limits: Limits[]): Caption {
  return limits.reduce(fitOne, c);
}
