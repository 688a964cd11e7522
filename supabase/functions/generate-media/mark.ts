// The "DEMO" mark in the bottom-right corner of every demo output, so a picture from the
// offline provider is never mistaken for a real model's: white 5×7 pixel letters on a dark
// plate, scaled with the image, drawn straight into the RGB buffer.

/** 5×7 glyphs, one string per row, '#' for a lit cell. */
export const GLYPHS: Record<string, string[]> = {
  D: ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
  E: ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
  M: ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
  O: [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
};
export const MARK_TEXT = "DEMO";
const GLYPH_W = 5, GLYPH_H = 7;

/** Where the mark goes: the text's top-left corner, the size of one font cell in pixels, and the plate. */
export interface MarkBox {
  textX: number;
  textY: number;
  cell: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The mark's place in a width × height image: one cell per 180 px of the short side (at least 1). */
export function markBox(width: number, height: number): MarkBox {
  const cell = Math.max(1, Math.round(Math.min(width, height) / 180));
  const textW = (MARK_TEXT.length * (GLYPH_W + 1) - 1) * cell, textH = GLYPH_H * cell;
  const pad = 2 * cell;
  const w = Math.min(width, textW + 2 * pad), h = Math.min(height, textH + 2 * pad);
  const x = width - w - Math.min(pad, width - w), y = height - h - Math.min(pad, height - h);
  return { textX: x + pad, textY: y + pad, cell, x, y, w, h };
}

/** Whether font cell (col, row) of the text is lit (col counts the one-cell gaps between letters). */
export function lit(col: number, row: number): boolean {
  const glyph = GLYPHS[MARK_TEXT[Math.floor(col / (GLYPH_W + 1))]];
  const c = col % (GLYPH_W + 1);
  return glyph !== undefined && c < GLYPH_W && glyph[row]?.[c] === "#";
}

/** Draws the mark into `rgb` (width × height × 3): the plate darkens, lit cells turn white. */
export function drawMark(rgb: Uint8Array, width: number, height: number): void {
  const m = markBox(width, height);
  for (let y = m.y; y < m.y + m.h; y++) {
    const row = Math.floor((y - m.textY) / m.cell);
    for (let x = m.x; x < m.x + m.w; x++) {
      const o = (y * width + x) * 3;
      const col = Math.floor((x - m.textX) / m.cell);
      if (x >= m.textX && y >= m.textY && row < GLYPH_H && lit(col, row)) {
        rgb[o] = rgb[o + 1] = rgb[o + 2] = 255;
      } else {
        rgb[o] = rgb[o] * 0.35;
        rgb[o + 1] = rgb[o + 1] * 0.35;
        rgb[o + 2] = rgb[o + 2] * 0.35;
      }
    }
  }
}
