// Offline captions: keywords from the prompt (stop words dropped), a caption in the asked
// tone, and hashtags from the keywords — then fitted to every selected platform's limits.
import { composePostText, fitsLimits, type TextLimits } from "../_shared/text.ts";

const STOP = new Set(("a an and are as at be but by for from has have in into is it its of on or that the this to was were will with " +
  "over under very just some more most make made get show shows showing photo image picture video shot style render rendering " +
  "high quality detailed ultra 4k 8k hd realistic beautiful lovely nice my our your their his her about while").split(" "));

export type Tone = "playful" | "professional" | "minimal";
export const TONES: Tone[] = ["playful", "professional", "minimal"];

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

export function keywords(prompt: string, max = 8): string[] {
  const seen = new Set<string>();
  for (const w of prompt.toLowerCase().normalize("NFKC").split(/[^\p{L}\p{N}]+/u)) {
    if (w.length > 2 && !STOP.has(w) && !/^\d+$/.test(w)) seen.add(w);
    if (seen.size >= max) break;
  }
  return [...seen];
}

function sentence(prompt: string): string {
  const s = prompt.trim().replace(/\s+/g, " ").replace(/[.!?,;:\s]+$/, "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function demoCaption(prompt: string, tone: Tone): Caption {
  const keys = keywords(prompt);
  const subject = sentence(prompt);
  const [k1 = "this", k2 = "the details"] = keys;
  const caption = {
    playful: `${subject} ✨ Couldn't stop thinking about ${k1} and ${k2} — which detail caught your eye first? Tell us below 👇`,
    professional: `${subject}. A study in ${k1} and ${k2}, made to start a conversation. What would you build from it? Share your perspective in the comments.`,
    minimal: `${subject}.`,
  }[tone];
  const hashtags = keys.map((k) => `#${k.replace(/[^\p{L}\p{N}_]/gu, "")}`).filter((h) => h.length > 1);
  return { caption, hashtags, keywords: keys };
}

function textLimits(l: Limits): TextLimits {
  return { captionMax: l.caption_max, countsBytes: l.caption_counts_bytes, captionMaxBytes: l.caption_max_bytes, urlLength: l.url_length };
}

/** Cuts hashtags to the cap and the caption (with its hashtags) to the budget, at a word. */
function fitOne(c: Caption, limit: Limits): Caption {
  const hashtags = [...new Set(c.hashtags.map((h) => h.toLowerCase()))].slice(0, limit.hashtag_max);
  const rule = textLimits(limit);
  const fits = (caption: string) => fitsLimits(composePostText(caption, hashtags), rule);
  let caption = c.caption;
  if (!fits(caption)) {
    const chars = [...caption];
    while (chars.length && !fits(chars.join("") + "…")) chars.pop();
    const cut = chars.join("");
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
