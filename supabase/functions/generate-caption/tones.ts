// The tones generate-caption writes in. The app offers the same ones in the same order
// (src/domain/caption_tone.rs), and a Rust unit test there reads this list: keep it a JSON
// array of strings on the line that declares it.
export const TONES = ["playful", "professional", "inspiring", "minimal"] as const;

export type Tone = typeof TONES[number];

/** Whether a request's `tone` is one of them. */
export function isTone(value: unknown): value is Tone {
  return (TONES as readonly unknown[]).includes(value);
}
