// What a demo picture shows, read from the prompt's words: a palette and two motifs, one in the
// sky (sun, stars, snow, leaves) and one on the ground (waves, trees, mountains, a city). The
// first word that names each wins, so "sea waves at sunset" is blue water under a low sun. A
// prompt naming none gets a palette from a hash of its words and soft hills, still the same
// for the same words.
import { hash32 } from "./params.ts";

export type Rgb = [number, number, number];
export type SkyMotif = "sun" | "stars" | "snow" | "leaves" | "bubbles";
export type GroundMotif = "waves" | "trees" | "mountains" | "city" | "hills";

/** Sky top, sky at the horizon, far / middle / near ground, and an accent (sun, foam, lights). */
export interface Palette {
  name: string;
  sky: [Rgb, Rgb];
  ground: [Rgb, Rgb, Rgb];
  accent: Rgb;
}

export interface Scene {
  palette: Palette;
  sky: SkyMotif | null;
  ground: GroundMotif;
}

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

function palette(name: string, colours: string[]): Palette {
  const [top, horizon, far, mid, near, accent] = colours.map(hex);
  return { name, sky: [top, horizon], ground: [far, mid, near], accent };
}

export const PALETTES = {
  sea: palette("sea", ["#a9d8ef", "#e4f4fb", "#5fa8d3", "#2f7fb5", "#16507f", "#ffffff"]),
  forest: palette("forest", ["#cfe6c4", "#eef6df", "#7fae77", "#3f7a4c", "#1d4a2e", "#f3e3a2"]),
  sunset: palette("sunset", ["#f59a5b", "#ffd98a", "#c8553d", "#8f3b4a", "#4f2341", "#fff3c4"]),
  desert: palette("desert", ["#ffe9a8", "#fff7dc", "#eab866", "#d48d42", "#a5612b", "#fffbe8"]),
  autumn: palette("autumn", ["#f3c98b", "#fbeacb", "#d2793a", "#a34a23", "#632b17", "#f2b134"]),
  night: palette("night", ["#0a0f2e", "#2c3570", "#28305f", "#1a1f47", "#0d1030", "#fff4c2"]),
  winter: palette("winter", ["#c9dcee", "#f2f7fc", "#a9c1d8", "#7f9dbb", "#55718f", "#ffffff"]),
  city: palette("city", ["#cfc6d8", "#f1ebe6", "#9a90a4", "#6c6277", "#3d3646", "#ffd27a"]),
  coffee: palette("coffee", ["#e6cba8", "#f8ecdc", "#b88458", "#875a38", "#523421", "#fff2e0"]),
  bloom: palette("bloom", ["#f7bfd3", "#fdebf2", "#e58fb0", "#bf5f8a", "#7f3a63", "#ffffff"]),
  alpine: palette("alpine", ["#b7c9e6", "#eef2f8", "#8d9cbc", "#5d6d92", "#39456a", "#ffffff"]),
} satisfies Record<string, Palette>;

type Entry = { palette?: keyof typeof PALETTES; sky?: SkyMotif; ground?: GroundMotif };

const e = (palette: Entry["palette"], sky?: SkyMotif, ground?: GroundMotif): Entry => ({ palette, sky, ground });

/** Words a creator writes, and what each one shows. */
export const WORDS: Record<string, Entry> = {
  sea: e("sea", undefined, "waves"),
  ocean: e("sea", undefined, "waves"),
  waves: e("sea", undefined, "waves"),
  wave: e("sea", undefined, "waves"),
  beach: e("sea", "sun", "waves"),
  surf: e("sea", undefined, "waves"),
  coast: e("sea", undefined, "waves"),
  lake: e("sea", undefined, "waves"),
  river: e("sea", undefined, "waves"),
  harbour: e("sea", undefined, "waves"),
  water: e("sea", undefined, "waves"),
  blue: e("sea"),
  forest: e("forest", undefined, "trees"),
  pine: e("forest", undefined, "trees"),
  pines: e("forest", undefined, "trees"),
  trees: e("forest", undefined, "trees"),
  woods: e("forest", undefined, "trees"),
  jungle: e("forest", undefined, "trees"),
  trail: e("forest", undefined, "trees"),
  mossy: e("forest"),
  moss: e("forest"),
  green: e("forest"),
  sunset: e("sunset", "sun"),
  dusk: e("sunset", "sun"),
  golden: e("sunset", "sun"),
  orange: e("sunset"),
  sun: e("desert", "sun"),
  sunny: e("desert", "sun"),
  summer: e("desert", "sun"),
  desert: e("desert", "sun", "hills"),
  yellow: e("desert"),
  gold: e("desert"),
  autumn: e("autumn", "leaves"),
  fall: e("autumn", "leaves"),
  maple: e("autumn", "leaves"),
  leaves: e("autumn", "leaves"),
  vineyards: e("autumn", undefined, "hills"),
  burgundy: e("autumn"),
  night: e("night", "stars"),
  midnight: e("night", "stars"),
  stars: e("night", "stars"),
  space: e("night", "stars"),
  neon: e("night", "stars", "city"),
  moon: e("night", "stars"),
  winter: e("winter", "snow"),
  snow: e("winter", "snow"),
  ice: e("winter", "snow"),
  frost: e("winter", "snow"),
  christmas: e("winter", "snow"),
  city: e("city", undefined, "city"),
  street: e("city", undefined, "city"),
  paris: e("city", undefined, "city"),
  london: e("city", undefined, "city"),
  tokyo: e("city", undefined, "city"),
  urban: e("city", undefined, "city"),
  rooftop: e("city", undefined, "city"),
  grey: e("city"),
  coffee: e("coffee", "bubbles"),
  latte: e("coffee", "bubbles"),
  espresso: e("coffee", "bubbles"),
  cafe: e("coffee", "bubbles"),
  brown: e("coffee"),
  rose: e("bloom", "bubbles"),
  pink: e("bloom"),
  cherry: e("bloom", "bubbles"),
  blossom: e("bloom", "bubbles"),
  spring: e("bloom", "bubbles", "hills"),
  flowers: e("bloom", "bubbles", "hills"),
  garden: e("bloom", undefined, "hills"),
  mountain: e("alpine", undefined, "mountains"),
  mountains: e("alpine", undefined, "mountains"),
  cliff: e("alpine", undefined, "mountains"),
  alpine: e("alpine", "snow", "mountains"),
  peak: e("alpine", undefined, "mountains"),
};

/** The prompt's words, lower case, accents and punctuation gone. */
export function words(prompt: string): string[] {
  return prompt.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/).filter((w) => w.length > 2);
}

/** HSL (h in degrees, s and l in 0..1) to RGB bytes. */
export function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => Math.round((l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)))) * 255);
  return [f(0), f(8), f(4)];
}

/** A palette around one hue, for prompts that name no scene: light sky, darker ground. */
export function hashedPalette(text: string): Palette {
  const h = hash32(text) % 360;
  return {
    name: `hue ${h}`,
    sky: [hsl(h, 0.55, 0.78), hsl((h + 30) % 360, 0.6, 0.92)],
    ground: [hsl((h + 20) % 360, 0.45, 0.62), hsl(h, 0.5, 0.45), hsl((h + 340) % 360, 0.55, 0.28)],
    accent: hsl((h + 180) % 360, 0.7, 0.85),
  };
}

/** The scene a prompt names: deterministic in its words alone. */
export function scene(prompt: string): Scene {
  const ws = words(prompt);
  const found = ws.map((w) => WORDS[w]).filter((x): x is Entry => x !== undefined);
  const named = found.find((x) => x.palette)?.palette;
  return {
    palette: named ? PALETTES[named] : hashedPalette(ws.join(" ") || prompt),
    sky: found.find((x) => x.sky)?.sky ?? null,
    ground: found.find((x) => x.ground)?.ground ?? "hills",
  };
}
