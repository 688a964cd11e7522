// The demo renderer: a small landscape made from the prompt (scene.ts picks its palette and its
// sky and ground motifs from the words), laid out by a hash of (prompt, seed, style) so the
// same request always gives the same pixels, and marked "DEMO" (mark.ts).
//
// Cost: the ground is three silhouettes whose edge is computed once per column, so a pixel is
// a row colour and a few comparisons; motifs drawn as dots touch only their own pixels.
import { hash32 } from "./params.ts";
import { drawMark } from "./mark.ts";
import { type GroundMotif, type Palette, type Rgb, scene, type SkyMotif, words } from "./scene.ts";

export { words };

/** One silhouette's features, in 0..1 image units: peaks, trees or buildings, or wave trains. */
interface Feature {
  x: number;
  size: number;
  height: number;
}

interface Layer {
  base: number;
  amp: number;
  freq: number;
  phase: number;
  features: Feature[];
}

export interface Art {
  palette: Palette;
  sky: SkyMotif | null;
  ground: GroundMotif;
  layers: Layer[];
  sun: { x: number; y: number; r: number };
  dots: { x: number; y: number; r: number; drift: number }[];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOTS: Record<SkyMotif, number> = { sun: 0, stars: 70, snow: 60, leaves: 22, bubbles: 14 };

/** The composition for a prompt: deterministic for (prompt, seed, style). */
export function compose(prompt: string, seed: number, style: string | null = null): Art {
  const rand = rng(hash32(`${prompt}\u0000${seed}\u0000${style ?? ""}`));
  const { palette, sky, ground } = scene(prompt);
  const count = ground === "trees" ? 9 : ground === "city" ? 11 : ground === "mountains" ? 3 : 0;
  const layers = [0.58, 0.7, 0.82].map((base, i) => ({
    base: base + (rand() - 0.5) * 0.06,
    amp: ground === "waves" ? 0.012 + 0.008 * i : 0.02 + rand() * 0.03,
    freq: ground === "waves" ? 3 + i * 2 + rand() * 2 : 0.6 + rand() * 1.2,
    phase: rand() * Math.PI * 2,
    features: Array.from({ length: Math.max(0, count - i * (ground === "mountains" ? 1 : 2)) }, () => ({
      x: rand() * 1.1 - 0.05,
      size: ground === "trees"
        ? 0.05 + rand() * 0.04 + i * 0.02
        : ground === "city"
        ? 0.06 + rand() * 0.07
        : 0.25 + rand() * 0.25,
      height: ground === "trees"
        ? 0.12 + rand() * 0.1 + i * 0.04
        : ground === "city"
        ? 0.1 + rand() * 0.22 - i * 0.05
        : 0.15 + rand() * 0.15 - i * 0.05,
    })),
  }));
  const low = palette.name === "sunset" || sky === null;
  const sun = { x: 0.2 + rand() * 0.6, y: low ? 0.42 + rand() * 0.08 : 0.14 + rand() * 0.14, r: 0.07 + rand() * 0.04 };
  const dots = Array.from({ length: sky ? DOTS[sky] : 0 }, () => ({
    x: rand(),
    y: sky === "stars" ? rand() * 0.5 : rand(),
    r: sky === "stars"
      ? 0.002 + rand() * 0.003
      : sky === "snow"
      ? 0.004 + rand() * 0.006
      : sky === "leaves"
      ? 0.012 + rand() * 0.012
      : 0.015 + rand() * 0.03,
    drift: rand() - 0.5,
  }));
  return { palette, sky, ground, layers, sun, dots };
}

/** The top edge of a layer in each column (0..1 of the height, smaller is higher), at time t (exported for render_bytes_test). */
export function edges(layer: Layer, ground: GroundMotif, width: number, t: number): Float32Array {
  const out = new Float32Array(width);
  const shift = t * Math.PI * 2;
  for (let x = 0; x < width; x++) {
    const u = x / width;
    let e = layer.base +
      layer.amp * Math.sin(u * layer.freq * Math.PI * 2 + layer.phase + (ground === "waves" ? shift : 0));
    for (const f of layer.features) {
      const d = Math.abs(u - f.x);
      if (d > f.size) continue;
      const top = ground === "city"
        ? (d < f.size / 2 ? layer.base - f.height : e)
        : ground === "trees"
        ? layer.base - f.height * (1 - d / (f.size / 2))
        : layer.base - f.height * (1 - d / f.size);
      if (top < e) e = top;
    }
    out[x] = e;
  }
  return out;
}

const mix = (
  a: Rgb,
  b: Rgb,
  k: number,
): Rgb => [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];

/**
 * Renders the composition at time `t` (0..1, for video frames) into RGB bytes.
 *
 * Cost: a pixel above every silhouette (`skyEnd`, per column) is its row's sky colour, one
 * wholly inside a silhouette that no nearer one crosses is that silhouette's colour, and only
 * the rest (edges, the sun's glow box, foam) is mixed, so most pixels are three bytes written.
 */
export function render(art: Art, width: number, height: number, t = 0): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const { palette } = art;
  const layerEdges = art.layers.map((l) => edges(l, art.ground, width, t));
  // The edges in pixel rows, and per column the highest of them: above it only sky is drawn.
  const edgeRows = layerEdges.map((e) => Float64Array.from(e, (v) => v * height));
  const skyEnd = new Float64Array(width);
  for (let x = 0; x < width; x++) skyEnd[x] = Math.min(edgeRows[0][x], edgeRows[1][x], edgeRows[2][x]);
  const groundBytes = palette.ground.map((c) => c.map((v) => v & 255));
  const foam = art.ground === "waves";
  const foamRows = height * 0.008;
  const sunX = art.sun.x * width, sunY = (art.sun.y + 0.03 * Math.sin(t * Math.PI * 2)) * height;
  const sunR = art.sun.r * Math.min(width, height), glowR = sunR * 2.2;
  const sunRows: [number, number] = art.sky === "sun" || art.sky === "stars" ? [sunY - glowR, sunY + glowR] : [1, 0];
  const sunColumns = [Math.max(0, Math.floor(sunX - glowR)), Math.min(width - 1, Math.ceil(sunX + glowR))];
  const sunColour = art.sky === "stars" ? palette.accent : mix(palette.accent, palette.sky[1], 0.2);
  for (let y = 0; y < height; y++) {
    const v = y / height;
    const skyRow = mix(palette.sky[0], palette.sky[1], Math.min(1, v / 0.6));
    const inSunRows = y >= sunRows[0] && y <= sunRows[1];
    // The bytes a plain sky pixel of this row gets (what storing skyRow would truncate to).
    const skyR = skyRow[0] & 255, skyG = skyRow[1] & 255, skyB = skyRow[2] & 255;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const inSun = inSunRows && x >= sunColumns[0] && x <= sunColumns[1];
      if (!inSun && y + 1 <= skyEnd[x]) {
        out[o] = skyR;
        out[o + 1] = skyG;
        out[o + 2] = skyB;
        continue;
      }
      if (!inSun && !foam) {
        // The nearest silhouette that covers the whole pixel, if no nearer one crosses it.
        const e0 = edgeRows[0][x], e1 = edgeRows[1][x], e2 = edgeRows[2][x];
        const top = y >= e2 ? 2 : y >= e1 ? (y + 1 <= e2 ? 1 : -1) : y >= e0 && y + 1 <= e1 && y + 1 <= e2 ? 0 : -1;
        if (top >= 0) {
          const c = groundBytes[top];
          out[o] = c[0];
          out[o + 1] = c[1];
          out[o + 2] = c[2];
          continue;
        }
      }
      let r = skyRow[0], g = skyRow[1], b = skyRow[2];
      if (inSun) {
        const dx = x - sunX, dy = y - sunY, d2 = dx * dx + dy * dy;
        if (d2 < sunR * sunR) {
          r = sunColour[0];
          g = sunColour[1];
          b = sunColour[2];
        } else if (d2 < glowR * glowR) {
          const k = 0.35 * (1 - d2 / (glowR * glowR));
          r += (sunColour[0] - r) * k;
          g += (sunColour[1] - g) * k;
          b += (sunColour[2] - b) * k;
        }
      }
      if (y + 1 > skyEnd[x]) {
        for (let i = 0; i < 3; i++) {
          const e = edgeRows[i][x];
          if (y + 1 <= e) continue;
          const c = palette.ground[i];
          const k = y >= e ? 1 : y + 1 - e;
          r += (c[0] - r) * k;
          g += (c[1] - g) * k;
          b += (c[2] - b) * k;
          if (foam && i > 0 && y - e < foamRows) {
            r += (palette.accent[0] - r) * 0.6;
            g += (palette.accent[1] - g) * 0.6;
            b += (palette.accent[2] - b) * 0.6;
          }
        }
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  drawDots(art, out, width, height, t, layerEdges[0]);
  drawMark(out, width, height);
  return out;
}

/** Stars (in the sky only), snowflakes, leaves or bubbles: small discs over what is drawn. */
export function drawDots(art: Art, out: Uint8Array, width: number, height: number, t: number, horizon: Float32Array) {
  if (!art.sky || art.dots.length === 0) return;
  const { palette } = art;
  const colour = art.sky === "leaves" ? palette.ground[0] : palette.accent;
  const scale = Math.min(width, height);
  const fall = art.sky === "snow" || art.sky === "leaves" ? t : 0;
  for (const d of art.dots) {
    const cx = ((d.x + d.drift * 0.1 * Math.sin(t * Math.PI * 2)) % 1 + 1) % 1 * width;
    const cy = ((d.y + fall * 0.3) % 1) * height;
    const r = Math.max(0.6, d.r * scale);
    const alpha = art.sky === "bubbles" ? 0.35 : 0.9;
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
        const dx = x - cx, dy = y - cy;
        if (dx * dx + dy * dy > r * r) continue;
        if (art.sky === "stars" && y >= horizon[x] * height) continue;
        const o = (y * width + x) * 3;
        out[o] += (colour[0] - out[o]) * alpha;
        out[o + 1] += (colour[1] - out[o + 1]) * alpha;
        out[o + 2] += (colour[2] - out[o + 2]) * alpha;
      }
    }
  }
}
