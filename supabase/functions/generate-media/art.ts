// The demo renderer: a picture made from the prompt — a palette chosen by its words (colour
// words win), a gradient sky, soft bands and one circle per keyword — seeded by a hash of
// (prompt, seed, style) so the same request always gives the same pixels.
import { hash32 } from "./params.ts";

const COLOUR_WORDS: Record<string, number> = {
  red: 0, crimson: 350, rose: 340, pink: 330, magenta: 300, purple: 275, violet: 265, lavender: 255,
  blue: 220, navy: 225, ocean: 200, sea: 195, sky: 205, teal: 175, cyan: 185, turquoise: 170, mint: 150,
  green: 120, forest: 130, jungle: 115, lime: 90, olive: 70, yellow: 52, gold: 45, golden: 45, sun: 40,
  sunny: 45, sunset: 20, orange: 28, amber: 38, autumn: 25, fire: 12, coffee: 25, brown: 22, desert: 35,
  night: 235, neon: 300, ice: 195, snow: 200, winter: 205, spring: 100, summer: 45, cherry: 345,
};

export interface Art {
  hues: number[];
  bands: { freq: number; phase: number; amp: number; hue: number }[];
  circles: { x: number; y: number; r: number; hue: number; dx: number; dy: number }[];
  angle: number;
  dark: boolean;
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

export function words(prompt: string): string[] {
  return prompt.toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter((w) => w.length > 2);
}

/** The composition for a prompt: deterministic for (prompt, seed, style). */
export function compose(prompt: string, seed: number, style: string | null = null): Art {
  const rand = rng(hash32(`${prompt}\u0000${seed}\u0000${style ?? ""}`));
  const ws = words(prompt);
  const named = ws.map((w) => COLOUR_WORDS[w]).filter((h): h is number => h !== undefined);
  const base = named.length ? named[0] : hash32(ws.join(" ") || prompt) % 360;
  const hues = [base, named[1] ?? (base + 30 + rand() * 60) % 360, named[2] ?? (base + 180 + rand() * 40 - 20) % 360];
  const dark = /\b(night|dark|noir|space|moody|midnight|neon)\b/i.test(prompt);
  const bands = Array.from({ length: 3 }, (_, i) => ({ freq: 1 + rand() * 3, phase: rand() * Math.PI * 2, amp: 0.05 + rand() * 0.1, hue: hues[i % 3] }));
  const keys = ws.length ? ws.slice(0, 9) : [prompt];
  const circles = keys.map((w, i) => {
    const h = hash32(w, seed + i);
    return { x: (h % 1000) / 1000, y: ((h >>> 10) % 1000) / 1000, r: 0.06 + rand() * 0.16, hue: (hues[i % 3] + (h % 40) - 20 + 360) % 360, dx: rand() - 0.5, dy: rand() - 0.5 };
  });
  return { hues, bands, circles, angle: rand() * Math.PI, dark };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** Renders the composition at time `t` (0..1, for video frames) into RGB bytes. */
export function render(art: Art, width: number, height: number, t = 0): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const [top, bottom] = [hsl(art.hues[0], 0.65, art.dark ? 0.16 : 0.72), hsl(art.hues[1], 0.7, art.dark ? 0.32 : 0.45)];
  const bandColours = art.bands.map((b) => hsl(b.hue, 0.6, art.dark ? 0.4 : 0.6));
  const circles = art.circles.map((c) => ({ ...c, rgb: hsl(c.hue, 0.75, art.dark ? 0.6 : 0.55) }));
  const cos = Math.cos(art.angle), sin = Math.sin(art.angle);
  const aspect = width / height;
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const g = Math.min(1, Math.max(0, 0.5 + ((u - 0.5) * cos + (v - 0.5) * sin)));
      let r = top[0] + (bottom[0] - top[0]) * g, gr = top[1] + (bottom[1] - top[1]) * g, b = top[2] + (bottom[2] - top[2]) * g;
      for (let i = 0; i < art.bands.length; i++) {
        const band = art.bands[i];
        const edge = 0.35 + 0.2 * i + band.amp * Math.sin(u * band.freq * Math.PI * 2 + band.phase + t * Math.PI * 2);
        if (v > edge) {
          const a = Math.min(1, (v - edge) * 40) * 0.35;
          r += (bandColours[i][0] - r) * a; gr += (bandColours[i][1] - gr) * a; b += (bandColours[i][2] - b) * a;
        }
      }
      for (const c of circles) {
        const cx = c.x + c.dx * 0.3 * Math.sin(t * Math.PI * 2), cy = c.y + c.dy * 0.3 * Math.sin(t * Math.PI * 2);
        const dx = (u - cx) * aspect, dy = v - cy;
        const d = Math.sqrt(dx * dx + dy * dy) / c.r;
        if (d < 1) {
          const a = d > 0.9 ? (1 - d) * 10 * 0.8 : 0.8;
          r += (c.rgb[0] - r) * a; gr += (c.rgb[1] - gr) * a; b += (c.rgb[2] - b) * a;
        }
      }
      const o = (y * width + x) * 3;
      out[o] = r; out[o + 1] = gr; out[o + 2] = b;
    }
  }
  return out;
}
