// The demo picture follows its prompt: the words choose the palette and motifs, the pixels
// carry them, the same request gives the same bytes, and every output carries the DEMO mark.
import { assert, assertEquals } from "../tests/assert.ts";
import { compose, render } from "./art.ts";
import { lit, markBox } from "./mark.ts";
import { PALETTES, scene } from "./scene.ts";
import { mediaRequest } from "./params.ts";
import { demoImage } from "./providers/demo.ts";

/** Mean RGB of the rectangle [x0, x1) × [y0, y1), given in 0..1 of the image. */
function mean(rgb: Uint8Array, w: number, h: number, [x0, y0, x1, y1]: number[]): number[] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.floor(y0 * h); y < Math.floor(y1 * h); y++) {
    for (let x = Math.floor(x0 * w); x < Math.floor(x1 * w); x++) {
      for (let c = 0; c < 3; c++) sum[c] += rgb[(y * w + x) * 3 + c];
      n++;
    }
  }
  return sum.map((s) => s / n);
}

Deno.test("the prompt's words choose the palette and motifs; other prompts get a palette from their hash", () => {
  assertEquals([scene("Linen dress by the sea").palette.name, scene("Linen dress by the sea").ground], [
    "sea",
    "waves",
  ]);
  assertEquals([scene("A misty pine forest").palette.name, scene("A misty pine forest").ground], ["forest", "trees"]);
  assertEquals([scene("Rooftop party at sunset").palette.name, scene("Rooftop party at sunset").sky], ["city", "sun"]);
  assertEquals(scene("Sunset over the dunes").palette.name, "sunset", "the first word naming a palette wins");
  assertEquals(scene("Campfire at night in the forest"), { palette: PALETTES.night, sky: "stars", ground: "trees" });
  const [mug, chair] = [scene("A ceramic mug on a plain table"), scene("An oak chair in an empty room")];
  assert(mug.palette.name !== chair.palette.name, `two unnamed scenes differ: ${mug.palette.name}`);
  assertEquals(scene("A ceramic mug on a plain table"), mug, "and each is the same every time");
  assertEquals(mug.ground, "hills");
});

Deno.test("the pixels carry the palette: the sea is blue, the forest green, the sunset sky warm", () => {
  const [w, h] = [200, 250];
  const sea = mean(render(compose("Straw hat by the sea", 1), w, h), w, h, [0, 0.8, 0.6, 0.95]);
  assert(sea[2] > sea[0] + 60, `sea water ${sea}`);
  const forest = mean(render(compose("Jacket on a forest trail", 1), w, h), w, h, [0, 0.85, 0.6, 0.95]);
  assert(forest[1] > forest[0] + 20 && forest[1] > forest[2] + 20, `forest floor ${forest}`);
  const sunset = mean(render(compose("Sunset picnic", 1), w, h), w, h, [0, 0, 1, 0.15]);
  assert(sunset[0] > sunset[2] + 60, `sunset sky ${sunset}`);
});

Deno.test("the same prompt and seed give the same PNG; another seed moves things, not the palette", async () => {
  const req = (seed: number) =>
    mediaRequest({ id: "a", kind: "image", prompt: "Boots on a forest trail", params: { seed, resolution: 256 } });
  const [a, b, c] = await Promise.all([demoImage(req(5)), demoImage(req(5)), demoImage(req(6))]);
  assertEquals(a.media.bytes, b.media.bytes);
  assert(JSON.stringify(a.media.bytes) !== JSON.stringify(c.media.bytes), "another seed, another picture");
  assertEquals(compose("Boots on a forest trail", 5).palette, compose("Boots on a forest trail", 6).palette);
});

Deno.test("every output says DEMO in its corner: lit cells white, the rest of the plate dark", () => {
  for (const [w, h, t] of [[1024, 1280, 0], [320, 400, 0], [36, 64, 0.5], [256, 144, 0]]) {
    const rgb = render(compose("Snow on alpine peaks", 3), w, h, t);
    const m = markBox(w, h);
    assert(m.x + m.w <= w && m.y + m.h <= h && m.w < w && m.cell >= 1, `${w}x${h}: the mark fits ${JSON.stringify(m)}`);
    let litCells = 0;
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 23; col++) {
        const x = m.textX + col * m.cell + (m.cell >> 1), y = m.textY + row * m.cell + (m.cell >> 1);
        const px = [...rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)];
        if (lit(col, row)) {
          assertEquals(px, [255, 255, 255], `${w}x${h}: cell ${col},${row} is lit`);
          litCells++;
        } else {
          assert(Math.max(...px) <= 90, `${w}x${h}: cell ${col},${row} is plate, got ${px}`);
        }
      }
    }
    assertEquals(litCells, 70, `${w}x${h}: the four letters`);
  }
});
