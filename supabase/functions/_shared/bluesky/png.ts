// A PNG decoder (https://www.w3.org/TR/png/) to RGBA for re-encoding: every colour type,
// bit depths 1–16, all five row filters, zlib through DecompressionStream. Interlaced (Adam7)
// images are not decoded (generators do not write them).

export class UnsupportedPng extends Error {}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export function isPng(b: Uint8Array): boolean {
  return b.length > 8 && SIGNATURE.every((v, i) => b[i] === v);
}

async function inflate(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export async function decodePng(bytes: Uint8Array): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  if (!isPng(bytes)) throw new UnsupportedPng("Not a PNG");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  let palette: Uint8Array | null = null;
  let alphaTable: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      depth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === "PLTE") palette = data;
    else if (type === "tRNS") alphaTable = data;
    else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!width || !height || !channels || ![1, 2, 4, 8, 16].includes(depth)) {
    throw new UnsupportedPng("The PNG header is not valid");
  }
  if (interlace) throw new UnsupportedPng("Interlaced PNG images cannot be made smaller");
  if (colorType === 3 && !palette) throw new UnsupportedPng("The PNG has no palette");

  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of idat) {
    joined.set(c, off);
    off += c.length;
  }
  const raw = await inflate(joined);
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3); // bytes to the same channel of the previous pixel
  if (raw.length < height * (stride + 1)) throw new UnsupportedPng("The PNG data is truncated");

  // Undo the row filters in place, row by row.
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = rows.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : null;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= bpp ? prev[i - bpp] : 0;
      let v = src[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) v += paeth(a, b, c);
      else if (filter !== 0) throw new UnsupportedPng(`Unknown PNG filter ${filter}`);
      row[i] = v & 255;
    }
  }

  // A sample (channel value) as 8 bits.
  const sample = (y: number, index: number): number => {
    if (depth === 8) return rows[y * stride + index];
    if (depth === 16) return rows[y * stride + index * 2];
    const bit = index * depth;
    const byte = rows[y * stride + (bit >> 3)];
    const value = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    return colorType === 3 ? value : Math.round((value * 255) / ((1 << depth) - 1));
  };
  const transparentGrey = alphaTable && colorType === 0 ? (alphaTable[0] << 8) | alphaTable[1] : -1;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = x * channels;
      let r: number, g: number, b: number, alpha = 255;
      if (colorType === 3) {
        const i = sample(y, s);
        r = palette![i * 3] ?? 0;
        g = palette![i * 3 + 1] ?? 0;
        b = palette![i * 3 + 2] ?? 0;
        if (alphaTable && i < alphaTable.length) alpha = alphaTable[i];
      } else if (colorType === 0 || colorType === 4) {
        r = g = b = sample(y, s);
        if (colorType === 4) alpha = sample(y, s + 1);
        else if (transparentGrey >= 0 && depth === 8 && r === (transparentGrey & 255)) alpha = 0;
      } else {
        r = sample(y, s);
        g = sample(y, s + 1);
        b = sample(y, s + 2);
        if (colorType === 6) alpha = sample(y, s + 3);
      }
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = alpha;
    }
  }
  return { width, height, rgba };
}
