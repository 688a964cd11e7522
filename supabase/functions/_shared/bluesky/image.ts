// Keeping an image under a PDS's blob limit. Bluesky's own service takes up to 2 MB per image,
// but older and self-hosted PDSes refuse more than 1,000,000 bytes, so a larger image is
// re-encoded as JPEG: first at lower quality, then smaller (never larger than the original).
// Pure JavaScript (our PNG decoder, jpeg-js) so it runs in any edge runtime.
import jpeg from "npm:jpeg-js@0.4.4";
import { decodePng, isPng, UnsupportedPng } from "./png.ts";

export const MAX_IMAGE_BYTES = 1_000_000;

/** 8-bit RGBA pixels. */
export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export class UnsupportedImage extends Error {}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** PNG or JPEG to RGBA; other formats (and interlaced PNG) are UnsupportedImage. */
export async function decodeImage(bytes: Uint8Array): Promise<Raster> {
  if (isJpeg(bytes)) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
    return { width: img.width, height: img.height, rgba: img.data };
  }
  if (!isPng(bytes)) throw new UnsupportedImage("Only PNG and JPEG images can be made smaller");
  try {
    return await decodePng(bytes);
  } catch (e) {
    if (e instanceof UnsupportedPng) throw new UnsupportedImage(e.message);
    throw e;
  }
}

/** Area-averaged copy at `scale` (< 1) of the size; transparent pixels end up on white (JPEG has no alpha). */
export function downscale(src: Raster, scale: number): Raster {
  const width = Math.max(1, Math.round(src.width * scale));
  const height = Math.max(1, Math.round(src.height * scale));
  const rgba = new Uint8Array(width * height * 4);
  const sx = src.width / width, sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy), y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx), x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let r = 0, g = 0, b = 0, a = 0, count = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const i = (yy * src.width + xx) * 4;
          r += src.rgba[i];
          g += src.rgba[i + 1];
          b += src.rgba[i + 2];
          a += src.rgba[i + 3];
          count++;
        }
      }
      const o = (y * width + x) * 4;
      rgba[o] = r / count;
      rgba[o + 1] = g / count;
      rgba[o + 2] = b / count;
      rgba[o + 3] = a / count;
    }
  }
  return { width, height, rgba };
}

/** Composites onto white, so transparent areas do not turn black in the JPEG. */
function onWhite(src: Raster): Raster {
  const rgba = new Uint8Array(src.rgba);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3] / 255;
    if (a === 1) continue;
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(rgba[i + c] * a + 255 * (1 - a));
    rgba[i + 3] = 255;
  }
  return { ...src, rgba };
}

export function encodeJpeg(src: Raster, quality: number): Uint8Array<ArrayBuffer> {
  const out = jpeg.encode({ data: src.rgba, width: src.width, height: src.height }, quality).data;
  return new Uint8Array(out);
}

export interface Fitted {
  bytes: Uint8Array<ArrayBuffer>;
  width: number;
  height: number;
}

const QUALITIES = [85, 72, 60];
const SMALLER_QUALITY = 72;

/**
 * A JPEG of the image that is at most `maxBytes`: the same size at a lower quality if that is
 * enough, else scaled down step by step.
 */
export async function shrinkToJpeg(bytes: Uint8Array, maxBytes = MAX_IMAGE_BYTES): Promise<Fitted> {
  const original = onWhite(await decodeImage(bytes));
  let smallest = 0;
  for (const q of QUALITIES) {
    const out = encodeJpeg(original, q);
    if (out.length <= maxBytes) return { bytes: out, width: original.width, height: original.height };
    smallest = out.length;
  }
  // JPEG size grows about with the pixel count: aim a little under the limit, then step down.
  let scale = Math.min(0.95, Math.sqrt(maxBytes / smallest) * 0.95);
  for (let tries = 0; tries < 12; tries++, scale *= 0.85) {
    const smaller = downscale(original, scale);
    const out = encodeJpeg(smaller, SMALLER_QUALITY);
    if (out.length <= maxBytes) return { bytes: out, width: smaller.width, height: smaller.height };
  }
  throw new UnsupportedImage("The image could not be made small enough");
}
