// render() takes shortcuts for plain sky and for pixels wholly inside one silhouette; this
// checks them against the plain per-pixel mix (every layer, the sun, the foam, as the demo
// renderer drew before the shortcuts) over scenes, sizes and video times: the same bytes.
import { assert } from "../tests/assert.ts";
import { type Art, compose, drawDots, edges, render } from "./art.ts";
import { drawMark } from "./mark.ts";
import type { Rgb } from "./scene.ts";

const mix = (a: Rgb, b: Rgb, k: number): Rgb => [
  a[0] + (b[0] - a[0]) * k,
  a[1] + (b[1] - a[1]) * k,
  a[2] + (b[2] - a[2]) * k,
];

/** Every pixel mixed through the sky, the sun and all three layers: no shortcut. */
function plainRender(art: Art, width: number, height: number, t: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const { palette } = art;
  const layerEdges = art.layers.map((l) => edges(l, art.ground, width, t));
  const foam = art.ground === "waves";
  const sunX = art.sun.x * width, sunY = (art.sun.y + 0.03 * Math.sin(t * Math.PI * 2)) * height;
  const sunR = art.sun.r * Math.min(width, height), glowR = sunR * 2.2;
  const sunRows = art.sky === "sun" || art.sky === "stars" ? [sunY - glowR, sunY + glowR] : [1, 0];
  const sunColour = art.sky === "stars" ? palette.accent : mix(palette.accent, palette.sky[1], 0.2);
  for (let y = 0; y < height; y++) {
    const skyRow = mix(palette.sky[0], palette.sky[1], Math.min(1, y / height / 0.6));
    for (let x = 0; x < width; x++) {
      let [r, g, b] = skyRow;
      const d2 = (x - sunX) ** 2 + (y - sunY) ** 2;
      if (y >= sunRows[0] && y <= sunRows[1]) {
        if (d2 < sunR * sunR) [r, g, b] = sunColour;
        else if (d2 < glowR * glowR) [r, g, b] = mix([r, g, b], sunColour, 0.35 * (1 - d2 / (glowR * glowR)));
      }
      for (let i = 0; i < 3; i++) {
        const e = layerEdges[i][x] * height;
        if (y + 1 <= e) continue;
        [r, g, b] = mix([r, g, b], palette.ground[i], y >= e ? 1 : y + 1 - e);
        if (foam && i > 0 && y - e < height * 0.008) [r, g, b] = mix([r, g, b], palette.accent, 0.6);
      }
      out.set([r, g, b], (y * width + x) * 3);
    }
  }
  drawDots(art, out, width, height, t, layerEdges[0]);
  drawMark(out, width, height);
  return out;
}

Deno.test("render's shortcuts give the bytes of the plain per-pixel mix", () => {
  const prompts = [
    "a lighthouse at dawn, watercolour",
    "red fox in snow",
    "neon city at night",
    "Linen dress by the sea",
    "Sunset picnic",
    "Campfire at night in the forest",
    "A ceramic mug on a plain table",
  ];
  for (const prompt of prompts) {
    for (const [w, h, t] of [[320, 320, 0], [180, 320, 0.4], [320, 180, 0.8], [37, 64, 0.5]]) {
      const art = compose(prompt, 3);
      const fast = render(art, w, h, t), plain = plainRender(art, w, h, t);
      const at = fast.findIndex((v, i) => v !== plain[i]);
      assert(at === -1, `${prompt} ${w}x${h} t=${t}: byte ${at} is ${fast[at]}, the plain mix gives ${plain[at]}`);
    }
  }
});
