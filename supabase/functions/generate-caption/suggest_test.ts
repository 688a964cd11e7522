// The suggestion cases the app's suggester passes too (src/domain/hashtags_tests.rs).
import { assertEquals } from "../tests/assert.ts";
import { suggestHashtags } from "./suggest.ts";
import { demoCaption, TONES } from "./demo.ts";

interface SuggestionCase {
  why: string;
  prompt: string;
  max: number;
  hashtags: string[];
}

const cases: SuggestionCase[] = JSON.parse(
  await Deno.readTextFile(new URL("./suggestion_cases.json", import.meta.url)),
);

Deno.test("hashtag suggestions follow the shared cases", () => {
  for (const c of cases) assertEquals(suggestHashtags(c.prompt, c.max), c.hashtags, c.why);
});

Deno.test("the demo caption's hashtags are the prompt's suggestions, whatever the tone", () => {
  for (const c of cases.filter((c) => c.max >= 8)) {
    for (const tone of TONES) assertEquals(demoCaption(c.prompt, tone).hashtags, c.hashtags, `${tone}: ${c.why}`);
  }
});
