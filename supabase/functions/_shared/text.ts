// Post text as the platforms see it: how long it is (the same rule as the database's
// private.post_text_length / post_text_fits, so a text the database accepted is never refused
// here), and Bluesky's rich-text facets, which a client must compute itself because Bluesky does
// not detect links or hashtags in the text.

/** The text a platform receives for a caption and hashtags (as public.compose_post_text builds it). */
export function composePostText(caption: string | null, hashtags: string[] | null): string {
  const c = caption ?? "";
  const tags = hashtags ?? [];
  if (tags.length === 0) return c;
  if (c === "") return tags.join(" ");
  return `${c}\n\n${tags.join(" ")}`;
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Unicode code points, as Postgres' char_length counts them. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * A URL as the length rule sees it: `http://` or `https://` and everything up to the next
 * whitespace. The whitespace set is what Postgres' `[[:space:]]` matches in a C.UTF-8 database
 * (measured): ASCII space, tab and line breaks, NEL, no-break spaces, the Unicode space
 * separators and line/paragraph separators — but not zero-width characters or U+FEFF, which
 * JavaScript's `\s` would include. Both sides then end a URL at the same character.
 */
const LENGTH_URL = /https?:\/\/[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

export interface LengthRule {
  /** Count UTF-8 bytes instead of code points. */
  countsBytes?: boolean;
  /** Every URL counts this many, however long it is written (Mastodon: 23); null = as written. */
  urlLength?: number | null;
}

export interface TextLimits extends LengthRule {
  /** At most this many (code points or bytes, by `countsBytes`). */
  captionMax: number;
  /** And at most this many UTF-8 bytes of the text as written (Bluesky: 3,000); null = no byte cap. */
  captionMaxBytes?: number | null;
}

/** Bluesky's limits: 300 (counted here as code points, never fewer than its graphemes) and 3,000 bytes. */
export const BLUESKY_LIMITS: TextLimits = { captionMax: 300, captionMaxBytes: 3000 };

/** The length of a post text under a platform's rule (private.post_text_length). */
export function postTextLength(text: string, rule: LengthRule = {}): number {
  const measure = rule.countsBytes ? utf8Length : codePoints;
  if (rule.urlLength == null) return measure(text);
  const urls = text.match(LENGTH_URL)?.length ?? 0;
  return measure(text.replace(LENGTH_URL, "")) + urls * rule.urlLength;
}

/** Whether a post text fits (private.post_text_fits). */
export function fitsLimits(text: string, limits: TextLimits): boolean {
  return postTextLength(text, limits) <= limits.captionMax &&
    (limits.captionMaxBytes == null || utf8Length(text) <= limits.captionMaxBytes);
}

// --- Bluesky facets ---------------------------------------------------------------------
// https://docs.bsky.app/docs/advanced-guides/post-richtext: ranges are UTF-8 byte offsets into
// the text (start inclusive, end exclusive); a tag's range covers its `#`, its value does not.

export type FacetFeature =
  | { $type: "app.bsky.richtext.facet#link"; uri: string }
  | { $type: "app.bsky.richtext.facet#tag"; tag: string };

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: FacetFeature[];
}

/** Bluesky's longest tag (without the `#`), in characters. */
export const MAX_TAG_LENGTH = 64;

/** A link: http(s):// at the start of the text, after whitespace or an opening bracket. */
const LINK = /(^|[\s(\[])(https?:\/\/[^\s]+)/gu;
/** A tag: # (or the full-width ＃) at the start or after whitespace, then anything up to whitespace. */
const TAG = /(^|\s)([#＃])([^\s]+)/gu;
/** Punctuation that ends a sentence rather than a link or a tag. */
const TRAILING = /\p{P}+$/u;

function trimLink(raw: string): string {
  let s = raw.replace(/[.,;:!?'"»”’]+$/u, "");
  // A closing bracket belongs to the link only when the link opened one.
  while (s.endsWith(")") && (s.match(/\(/g)?.length ?? 0) < (s.match(/\)/g)?.length ?? 0)) {
    s = s.slice(0, -1).replace(/[.,;:!?'"»”’]+$/u, "");
  }
  return s;
}

function isUsableUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * The link and tag facets of a post text, sorted by position. A tag must have a character that
 * is not a digit (`#1` is not a tag), at most 64 characters, and trailing punctuation is left
 * out (`#coffee,` tags `coffee`). Links end before trailing punctuation too.
 */
export function facets(text: string): Facet[] {
  const found: { start: number; end: number; feature: FacetFeature }[] = [];
  for (const m of text.matchAll(LINK)) {
    const uri = trimLink(m[2]);
    if (!isUsableUrl(uri)) continue;
    const start = m.index! + m[1].length;
    found.push({ start, end: start + uri.length, feature: { $type: "app.bsky.richtext.facet#link", uri } });
  }
  for (const m of text.matchAll(TAG)) {
    const start = m.index! + m[1].length;
    if (found.some((f) => start >= f.start && start < f.end)) continue;
    // `#️⃣` (the keycap emoji) is not a tag.
    if (/^[\uFE0F\u20E3]/.test(m[3])) continue;
    const tag = m[3].replace(TRAILING, "");
    if (tag === "" || /^\p{N}+$/u.test(tag) || codePoints(tag) > MAX_TAG_LENGTH) continue;
    found.push({
      start,
      end: start + m[2].length + tag.length,
      feature: { $type: "app.bsky.richtext.facet#tag", tag },
    });
  }
  found.sort((a, b) => a.start - b.start);
  return found.map((f) => ({
    index: { byteStart: utf8Length(text.slice(0, f.start)), byteEnd: utf8Length(text.slice(0, f.end)) },
    features: [f.feature],
  }));
}
