// The type, extension and pixel size of a file a remote provider sends back.

/** Sniffs the pixel size of a PNG, JPEG or WebP; null when unknown. */
export function imageSize(b: Uint8Array): [number, number] | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length > 24 && b[0] === 0x89 && b[1] === 0x50) return [v.getUint32(16), v.getUint32(20)];
  const tag = (o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
  if (b.length > 30 && tag(0) === "RIFF" && tag(8) === "WEBP" && tag(12) === "VP8 ") {
    return [v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff];
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    let o = 2;
    while (o + 9 < b.length && b[o] === 0xff) {
      const marker = b[o + 1], len = v.getUint16(o + 2);
      if (marker >= 0xc0 && marker <= 0xc3) return [v.getUint16(o + 7), v.getUint16(o + 5)];
      o += 2 + len;
    }
  }
  return null;
}

export function extFor(contentType: string, url = ""): string {
  const t = contentType.split(";")[0].trim().toLowerCase();
  const byType: Record<string, string> = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/webm": "webm",
  };
  if (byType[t]) return byType[t];
  const m = /\.(png|jpe?g|webp|mp4|webm)(?:[?#]|$)/i.exec(url);
  return m ? m[1].toLowerCase().replace("jpeg", "jpg") : "bin";
}

export function typeFor(ext: string): string {
  return ({ png: "image/png", jpg: "image/jpeg", webp: "image/webp", mp4: "video/mp4", webm: "video/webm" } as Record<
    string,
    string
  >)[ext] ?? "application/octet-stream";
}
