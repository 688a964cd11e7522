// An MP4 (ISO BMFF) muxer for one H.264 track: ftyp, moov (with avcC), then mdat.

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let o = 8;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Big-endian fields: [bits, value] pairs (8, 16 or 32 bits). */
function be(...fields: [number, number][]): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, [bits]) => n + bits / 8, 0));
  const v = new DataView(out.buffer);
  let o = 0;
  for (const [bits, value] of fields) {
    if (bits === 8) v.setUint8(o, value);
    else if (bits === 16) v.setUint16(o, value);
    else v.setUint32(o, value >>> 0);
    o += bits / 8;
  }
  return out;
}

const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
const zeros = (n: number) => new Uint8Array(n);
const MATRIX = be([32, 0x10000], [32, 0], [32, 0], [32, 0], [32, 0x10000], [32, 0], [32, 0], [32, 0], [32, 0x40000000]);

export interface Mp4Input {
  width: number;
  height: number;
  fps: number;
  sps: Uint8Array;
  pps: Uint8Array;
  /** One NAL unit per sample (without start codes). */
  frames: Uint8Array[];
}

export function muxMp4({ width, height, fps, sps, pps, frames }: Mp4Input): Uint8Array {
  const timescale = fps * 1000, delta = 1000;
  const durationMs = Math.round((frames.length * 1000) / fps);
  const samples = frames.map((f) => {
    const s = new Uint8Array(4 + f.length);
    new DataView(s.buffer).setUint32(0, f.length);
    s.set(f, 4);
    return s;
  });
  const avcC = box(
    "avcC",
    be([8, 1], [8, sps[1]], [8, sps[2]], [8, sps[3]], [8, 0xff], [8, 0xe1], [16, sps.length]),
    sps,
    be([8, 1], [16, pps.length]),
    pps,
  );
  const avc1 = box(
    "avc1",
    zeros(6),
    be(
      [16, 1],
      [16, 0],
      [16, 0],
      [32, 0],
      [32, 0],
      [32, 0],
      [16, width],
      [16, height],
      [32, 0x480000],
      [32, 0x480000],
      [32, 0],
      [16, 1],
    ),
    zeros(32),
    be([16, 0x18], [16, 0xffff]),
    avcC,
  );
  const stbl = (chunkOffset: number) =>
    box(
      "stbl",
      box("stsd", be([32, 0], [32, 1]), avc1),
      box("stts", be([32, 0], [32, 1], [32, frames.length], [32, delta])),
      box("stsc", be([32, 0], [32, 1], [32, 1], [32, frames.length], [32, 1])),
      box("stsz", be([32, 0], [32, 0], [32, frames.length]), ...samples.map((s) => be([32, s.length]))),
      box("stco", be([32, 0], [32, 1], [32, chunkOffset])),
    );
  const moov = (chunkOffset: number) =>
    box(
      "moov",
      box(
        "mvhd",
        be([32, 0], [32, 0], [32, 0], [32, 1000], [32, durationMs], [32, 0x10000], [16, 0x100]),
        zeros(10),
        MATRIX,
        zeros(24),
        be([32, 2]),
      ),
      box(
        "trak",
        box(
          "tkhd",
          be([32, 3], [32, 0], [32, 0], [32, 1], [32, 0], [32, durationMs]),
          zeros(8),
          be([16, 0], [16, 0], [16, 0], [16, 0]),
          MATRIX,
          be([32, width * 65536], [32, height * 65536]),
        ),
        box(
          "mdia",
          box(
            "mdhd",
            be([32, 0], [32, 0], [32, 0], [32, timescale], [32, frames.length * delta], [16, 0x55c4], [16, 0]),
          ),
          box("hdlr", be([32, 0], [32, 0]), ascii("vide"), zeros(12), ascii("VideoHandler\0")),
          box(
            "minf",
            box("vmhd", be([32, 1], [16, 0], [16, 0], [16, 0], [16, 0])),
            box("dinf", box("dref", be([32, 0], [32, 1]), box("url ", be([32, 1])))),
            stbl(chunkOffset),
          ),
        ),
      ),
    );
  const ftyp = box("ftyp", ascii("isom"), be([32, 0x200]), ascii("isomiso2avc1mp41"));
  const offset = ftyp.length + moov(0).length + 8;
  const mdat = box("mdat", ...samples);
  const out = new Uint8Array(offset - 8 + mdat.length);
  out.set(ftyp, 0);
  out.set(moov(offset), ftyp.length);
  out.set(mdat, offset - 8);
  return out;
}
