// How long the steps of the generations of one call took, for the Server-Timing header of
// generate-media's answer (https://www.w3.org/TR/server-timing/): the bench reads it to tell
// drawing, encoding and storing apart.

/**
 * The steps, in the header's order. `render`: drawing the pixels; `encode`: PNG, H.264 and
 * MP4 encoding (both measured by the demo provider, the only one that draws); `provider`: the
 * whole provider call (render and encode included, or a remote provider's wait); `upload`:
 * storing the files; `record`: writing the completed row.
 */
export const STEPS = ["render", "encode", "provider", "upload", "record"] as const;
export type Step = typeof STEPS[number];
export type StepTimes = Partial<Record<Step, number>>;

/** Adds the duration of `work` (ms) to `times[step]`, whether it returns or throws. */
export function timed<T>(times: StepTimes, step: Step, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    times[step] = (times[step] ?? 0) + performance.now() - start;
  }
}

/** As `timed`, for asynchronous work: until its promise settles. */
export async function timedAsync<T>(times: StepTimes, step: Step, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    times[step] = (times[step] ?? 0) + performance.now() - start;
  }
}

/** The steps of a call: each summed over the generations that ran (they overlap, several at a time). */
export class CallTimings {
  readonly steps: StepTimes = {};
  /** Generations whose provider call has ended (stored or failed). */
  generations = 0;

  add(times: StepTimes): void {
    for (const step of STEPS) {
      if (times[step] !== undefined) this.steps[step] = (this.steps[step] ?? 0) + times[step]!;
    }
  }

  /**
   * The Server-Timing value: `render;dur=812.4, encode;dur=…, …, total;dur=…;desc="…"`, where
   * total is the call's own time (`totalMs`) and its description says what the sums cover.
   */
  header(totalMs: number): string {
    const ms = (x: number) => Math.round(x * 10) / 10;
    const steps = STEPS.filter((s) => this.steps[s] !== undefined).map((s) => `${s};dur=${ms(this.steps[s]!)}`);
    const n = this.generations;
    const desc = `steps summed over ${n} generation${n === 1 ? "" : "s"}`;
    return [...steps, `total;dur=${ms(totalMs)};desc="${desc}"`].join(", ");
  }
}
