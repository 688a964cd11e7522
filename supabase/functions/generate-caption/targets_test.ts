import { assert, assertEquals } from "../tests/assert.ts";
import { CONSERVATIVE_LIMITS, madeFor, platformsToFit, requestedPlatforms } from "./targets.ts";
import { demoCaption, fit } from "./demo.ts";

Deno.test("the platforms asked for win; else the generation's Made for; else none", () => {
  assertEquals(platformsToFit(["x", "threads"], { targets: ["instagram"] }), ["x", "threads"]);
  assertEquals(platformsToFit(requestedPlatforms(["x", "x"])!, { targets: ["instagram"] }), ["x"]);
  assertEquals(platformsToFit(requestedPlatforms(undefined)!, { targets: ["instagram", "tiktok", 3] }), [
    "instagram",
    "tiktok",
  ]);
  assertEquals(platformsToFit(requestedPlatforms([])!, {}), []);
  assertEquals(madeFor(null), []);
  assertEquals(madeFor({ targets: "instagram" }), []);
  assertEquals(requestedPlatforms("x"), null);
  assertEquals(requestedPlatforms(["x", 1]), null);
});

Deno.test("with no platform at all, the demo caption keeps at most 5 hashtags and 500 characters", () => {
  const prompt =
    "Handmade ceramic mugs, warm morning light, steam rising from fresh coffee, plants, glaze textures, a sleepy cat, " +
    "wooden stool, quiet creative ritual before the market opens ".repeat(8);
  const raw = demoCaption(prompt, "professional");
  assertEquals(raw.hashtags.length, 8, "the demo offers 8 before fitting");
  const c = fit(raw, [CONSERVATIVE_LIMITS]);
  assertEquals(c.hashtags.length, 5);
  const text = [c.caption, c.hashtags.join(" ")].join("\n\n");
  assert([...text].length <= 500, `${[...text].length} characters`);
});
