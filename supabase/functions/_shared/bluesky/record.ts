// The app.bsky.feed.post record of a post with one image
// (https://docs.bsky.app/docs/advanced-guides/posts): text, facets for links and tags, an
// app.bsky.embed.images embed whose alt text is the prompt the image was made from.
import { facets } from "../text.ts";

export const POST_COLLECTION = "app.bsky.feed.post";

/** Long enough to describe the image, short enough for a screen reader to get through. */
export const MAX_ALT_LENGTH = 1000;

/** A blob reference as uploadBlob returns it. */
export interface BlobRef {
  $type: "blob";
  ref: { $link: string };
  mimeType: string;
  size: number;
}

/** The prompt as alt text: whitespace collapsed, cut at a word boundary with "…" when too long. */
export function altText(prompt: string | null, max = MAX_ALT_LENGTH): string {
  const text = (prompt ?? "").replace(/\s+/g, " ").trim();
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join("");
  const atSpace = cut.lastIndexOf(" ");
  return (atSpace > max / 2 ? cut.slice(0, atSpace) : cut).trimEnd() + "…";
}

export interface PostParts {
  text: string;
  createdAt: Date;
  image: BlobRef;
  alt: string;
  width: number | null;
  height: number | null;
}

export function postRecord({ text, createdAt, image, alt, width, height }: PostParts): Record<string, unknown> {
  const found = facets(text);
  const img: Record<string, unknown> = { image, alt };
  if (width && height && width > 0 && height > 0) {
    img.aspectRatio = { width: Math.round(width), height: Math.round(height) };
  }
  return {
    $type: POST_COLLECTION,
    text,
    // ISO 8601 with its zone (Z): the PDS refuses a datetime without one.
    createdAt: createdAt.toISOString(),
    ...(found.length ? { facets: found.map((f) => ({ $type: "app.bsky.richtext.facet", ...f })) } : {}),
    embed: { $type: "app.bsky.embed.images", images: [img] },
  };
}
