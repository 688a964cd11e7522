// Hashtag suggestions from a prompt, by the rule the app's suggester follows too
// (src/domain/hashtags.rs reads the same suggestion_rule.json, and both sides test the cases
// of suggestion_cases.json). Only the prompt is read: a caption's template words ("Couldn't",
// "Tell") are not about the image.
import rule from "./suggestion_rule.json" with { type: "json" };

const STOP = new Set<string>(rule.stop_words);
/** Runs of what a word may hold: a tag's characters (the database's `[[:alnum:]_]`) and apostrophes. */
const WORD_RUNS = /[\p{Alphabetic}\p{Nd}_'’]+/gu;
const APOSTROPHES_AT_ENDS = /^['’]+|['’]+$/g;
const POSSESSIVE = /^(.+)['’]s$/u;
const ASCII = /^\p{ASCII}*$/u;
const NUMBER = /^[\p{N}_]+$/u;

/** The word a run stands for, lower-cased, or null for a contraction. */
function word(run: string): string | null {
  const trimmed = run.replace(APOSTROPHES_AT_ENDS, "").toLowerCase();
  const stem = POSSESSIVE.exec(trimmed)?.[1] ?? trimmed;
  return /['’]/.test(stem) ? null : stem;
}

function significant(w: string): boolean {
  const min = ASCII.test(w) ? rule.min_chars_ascii : rule.min_chars_other;
  return [...w].length >= min && !NUMBER.test(w) && !STOP.has(w);
}

/** Up to `max` significant words of the prompt, lower-cased, once each, in order of first appearance. */
export function keywords(prompt: string, max = 8): string[] {
  const seen = new Set<string>();
  for (const [run] of prompt.matchAll(WORD_RUNS)) {
    if (seen.size >= max) break;
    const w = word(run);
    if (w !== null && significant(w)) seen.add(w);
  }
  return [...seen];
}

/** The keywords as hashtags (`#` then the word). */
export function suggestHashtags(prompt: string, max = 8): string[] {
  return keywords(prompt, max).map((k) => `#${k}`);
}
