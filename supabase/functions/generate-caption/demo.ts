// Offline captions: keywords from the prompt (stop words dropped), a caption in the asked
// tone, and hashtags from the keywords — then fitted to the strictest platform's limits.

const STOP = new Set(("a an and are as at be but by for from has have in into is it its of on or that the this to was were will with " +
  "over under very just some more most make made get show shows showing photo image picture video shot style render rendering " +
  "high quality detailed ultra 4k 8k hd realistic beautiful lovely nice my our your their his her about while").split(" "));

export type Tone = "playful" | "professional" | "minimal";
export const TONES: Tone[] = ["playful", "professional", "minimal"];

export interface Limits {
  caption_max: number;
  caption_counts_bytes: boolean;
  hashtag_max: number;
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

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** The strictest of the selected platforms: smallest caption budget and hashtag count. */
export function strictest(limits: Limits[]): Limits | null {
  if (!limits.length) return null;
  return {
    caption_max: Math.min(...limits.map((l) => l.caption_max)),
    caption_counts_bytes: limits.some((l) => l.caption_counts_bytes),
    hashtag_max: Math.min(...limits.map((l) => l.hashtag_max)),
  };
}

/** The caption length as the platform counts it (characters, or UTF-8 bytes for Threads). */
export function measure(text: string, countsBytes: boolean): number {
  return countsBytes ? bytes(text) : [...text].length;
}

/** Cuts hashtags to the cap and the caption (with its hashtags) to the budget, at a word. */
export function fit(c: Caption, limit: Limits | null): Caption {
  if (!limit) return c;
  const hashtags = [...new Set(c.hashtags.map((h) => h.toLowerCase()))].slice(0, limit.hashtag_max);
  const tagText = hashtags.length ? `\n\n${hashtags.join(" ")}` : "";
  const budget = limit.caption_max - measure(tagText, limit.caption_counts_bytes);
  let caption = c.caption;
  if (measure(caption, limit.caption_counts_bytes) > budget) {
    const chars = [...caption];
    while (chars.length && measure(chars.join("") + "…", limit.caption_counts_bytes) > budget) chars.pop();
    const cut = chars.join("");
    const atWord = cut.replace(/\s+\S*$/, "");
    caption = (atWord.length > cut.length / 2 ? atWord : cut).trimEnd() + "…";
  }
  return { caption, hashtags, keywords: c.keywords };
}
