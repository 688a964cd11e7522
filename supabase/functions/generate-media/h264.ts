// A tiny H.264 encoder that needs no compression: Baseline profile, every frame an IDR whose
// macroblocks are all I_PCM (raw 4:2:0 samples). Decoders, Chromium's included, play it like
// any other H.264 stream; the price is size (384 bytes per 16×16 block), fine for short clips.

class Bits {
  bytes: number[] = [];
  private cur = 0;
  private n = 0;
  u(bits: number, value: number) {
    for (let i = bits - 1; i >= 0; i--) {
      this.cur = (this.cur << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.cur);
        this.cur = 0;
        this.n = 0;
      }
    }
  }
  ue(v: number) {
    const x = v + 1;
    const len = 32 - Math.clz32(x);
    this.u(len - 1, 0);
    this.u(len, x);
  }
  se(v: number) {
    this.ue(v <= 0 ? -2 * v : 2 * v - 1);
  }
  alignZero() {
    while (this.n !== 0) this.u(1, 0);
  }
  /** Appends whole bytes; only valid when aligned. */
  raw(data: Uint8Array) {
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
  }
  trailing() {
    this.u(1, 1);
    this.alignZero();
  }
}

/** RBSP → NAL unit (header byte + payload with emulation-prevention bytes). */
function nal(type: number, refIdc: number, rbsp: number[]): Uint8Array {
  const out: number[] = [(refIdc << 5) | type];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return new Uint8Array(out);
}

export interface H264Stream {
  sps: Uint8Array;
  pps: Uint8Array;
  /** One IDR access unit (a single NAL) per frame. */
  frames: Uint8Array[];
}

export function spsPps(width: number, height: number): { sps: Uint8Array; pps: Uint8Array } {
  const mbw = Math.ceil(width / 16), mbh = Math.ceil(height / 16);
  const s = new Bits();
  s.u(8, 66); // Baseline
  s.u(8, 0b11000000); // constraint_set0 and set1
  s.u(8, 31); // level 3.1
  s.ue(0); // sps id
  s.ue(0); // log2_max_frame_num_minus4
  s.ue(2); // pic_order_cnt_type: output order = decoding order
  s.ue(1); // max_num_ref_frames
  s.u(1, 0); // gaps_in_frame_num_value_allowed_flag
  s.ue(mbw - 1);
  s.ue(mbh - 1);
  s.u(1, 1); // frame_mbs_only_flag
  s.u(1, 1); // direct_8x8_inference_flag
  const cropR = (mbw * 16 - width) / 2, cropB = (mbh * 16 - height) / 2;
  if (cropR || cropB) {
    s.u(1, 1);
    s.ue(0);
    s.ue(cropR);
    s.ue(0);
    s.ue(cropB);
  } else {
    s.u(1, 0);
  }
  s.u(1, 0); // no VUI: timing lives in the container
  s.trailing();
  const p = new Bits();
  p.ue(0); // pps id
  p.ue(0); // sps id
  p.u(1, 0); // CAVLC
  p.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
  p.ue(0); // one slice group
  p.ue(0);
  p.ue(0); // num_ref_idx_l0/l1_default_active_minus1
  p.u(1, 0);
  p.u(2, 0); // no weighted prediction
  p.se(0);
  p.se(0);
  p.se(0); // pic_init_qp/qs, chroma_qp_index_offset
  p.u(1, 1); // deblocking_filter_control_present_flag
  p.u(1, 0); // constrained_intra_pred_flag
  p.u(1, 0); // redundant_pic_cnt_present_flag
  p.trailing();
  return { sps: nal(7, 3, s.bytes), pps: nal(8, 3, p.bytes) };
}

const clampSample = (v: number) => (v < 1 ? 1 : v > 255 ? 255 : Math.round(v));

/** Encodes one RGB frame (width×height×3) as an IDR slice of I_PCM macroblocks. */
export function encodeFrame(rgb: Uint8Array, width: number, height: number, idrPicId: number): Uint8Array {
  const mbw = Math.ceil(width / 16), mbh = Math.ceil(height / 16);
  const b = new Bits();
  b.ue(0); // first_mb_in_slice
  b.ue(7); // slice_type: I (all slices)
  b.ue(0); // pps id
  b.u(4, 0); // frame_num
  b.ue(idrPicId % 65536);
  b.u(1, 0); // no_output_of_prior_pics_flag
  b.u(1, 0); // long_term_reference_flag
  b.se(0); // slice_qp_delta
  b.ue(1); // disable_deblocking_filter_idc
  const px = (x: number, y: number) => (Math.min(y, height - 1) * width + Math.min(x, width - 1)) * 3;
  const block = new Uint8Array(384);
  for (let my = 0; my < mbh; my++) {
    for (let mx = 0; mx < mbw; mx++) {
      b.ue(25); // mb_type I_PCM
      b.alignZero();
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const o = px(mx * 16 + x, my * 16 + y);
          block[y * 16 + x] = clampSample(16 + 0.257 * rgb[o] + 0.504 * rgb[o + 1] + 0.098 * rgb[o + 2]);
        }
      }
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          let r = 0, g = 0, bl = 0;
          for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
            const o = px(mx * 16 + x * 2 + dx, my * 16 + y * 2 + dy);
            r += rgb[o];
            g += rgb[o + 1];
            bl += rgb[o + 2];
          }
          r /= 4;
          g /= 4;
          bl /= 4;
          block[256 + y * 8 + x] = clampSample(128 - 0.148 * r - 0.291 * g + 0.439 * bl);
          block[320 + y * 8 + x] = clampSample(128 + 0.439 * r - 0.368 * g - 0.071 * bl);
        }
      }
      b.raw(block);
    }
  }
  b.trailing();
  return nal(5, 3, b.bytes);
}
