// generate-caption through a running local stack (needs SUPABASE_URL and SUPABASE_ANON_KEY, as
// supabase/functions/tests/stack_test.ts; skipped otherwise): every tone the app offers is
// written, and a caption asked for with no platform fits what the generation was made for.
import { assert, assertEquals } from "../tests/assert.ts";
import { createClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const ignore = !url || !anon;
const opts = { sanitizeOps: false, sanitizeResources: false, ignore };

/**
 * The tone values the app's picker offers: `CaptionTone::ALL` in src/domain/caption_tone.rs, in
 * its order, each as its `as_str` value (services::publish::TONES is built from them).
 */
async function appTones(): Promise<string[]> {
  const source = await Deno.readTextFile(new URL("../../../src/domain/caption_tone.rs", import.meta.url));
  const all = /pub const ALL: &'static \[CaptionTone\] = &\[([^\]]*)\]/.exec(source);
  assert(all, "CaptionTone::ALL is declared as a slice literal");
  const asStr = /pub const fn as_str\(self\)[^{]*\{([\s\S]*?)\n {4}\}/.exec(source);
  assert(asStr, "CaptionTone::as_str is a match");
  const values = new Map([...asStr[1].matchAll(/Self::(\w+) => "([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return all[1].split(",").map((v) => v.trim().replace(/^Self::/, "")).filter((v) => v).map((variant) => {
    const value = values.get(variant);
    assert(value !== undefined, `as_str has no value for ${variant}`);
    return value;
  });
}

const PROMPT =
  "Handmade ceramic mugs, warm morning light, steam rising from fresh coffee, potted plants, glossy glaze " +
  "textures, a sleepy tabby cat on a wooden stool, linen curtains and the quiet creative ritual before the market opens";

async function generationMadeFor(targets: string[]) {
  const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await sb.auth.signUp({
    email: `caption-${crypto.randomUUID()}@example.test`,
    password: "secret123",
  });
  if (error) throw error;
  const { data: session, error: e1 } = await sb.from("sessions").insert({ title: "caption" }).select().single();
  if (e1) throw e1;
  const { data: gen, error: e2 } = await sb.from("generations")
    .insert({ session_id: session.id, kind: "image", prompt: PROMPT, params: { aspect_ratio: "1:1", targets } })
    .select().single();
  if (e2) throw e2;
  return { sb, id: gen.id as string };
}

const postText = (c: { caption: string; hashtags: string[] }) =>
  [c.caption, c.hashtags.join(" ")].filter((p) => p !== "").join("\n\n");
const tagCount = (text: string) =>
  new Set((text.match(/#[\p{Alphabetic}\p{Nd}_]+/gu) ?? []).map((t) => t.toLowerCase())).size;

Deno.test({ name: "generate-caption writes every tone the app's picker offers", ...opts }, async () => {
  const tones = await appTones();
  assert(tones.length >= 4 && tones.includes("inspiring"), JSON.stringify(tones));
  const { sb, id } = await generationMadeFor([]);
  for (const tone of tones) {
    const { data, error } = await sb.functions.invoke("generate-caption", { body: { generation_id: id, tone } });
    const refusal = error ? await (error as { context: Response }).context.json() : null;
    assertEquals(refusal, null, `tone ${tone}`);
    assert(data.caption.length > 0, `${tone}: ${JSON.stringify(data)}`);
  }
});

Deno.test({
  name: "with no platform sent, generate-caption fits the generation's Made for, else a conservative fit",
  ...opts,
}, async () => {
  // Made for X: 280 characters.
  const x = await generationMadeFor(["x"]);
  const forX = await x.sb.functions.invoke("generate-caption", { body: { generation_id: x.id, tone: "professional" } });
  assertEquals(forX.error, null);
  assert([...postText(forX.data)].length <= 280, `X: ${postText(forX.data)}`);

  // Made for Instagram: at most 5 hashtags, and publishing to an Instagram account takes it as it came.
  const ig = await generationMadeFor(["instagram"]);
  const forIg = await ig.sb.functions.invoke("generate-caption", {
    body: { generation_id: ig.id, tone: "inspiring", platforms: [] },
  });
  assertEquals(forIg.error, null);
  assertEquals(forIg.data.hashtags.length, 5, JSON.stringify(forIg.data));
  assert(tagCount(postText(forIg.data)) <= 5);
  const { data: account, error: e1 } = await ig.sb.from("connected_accounts")
    .insert({ platform: "instagram", handle: "first.post", status: "mock" }).select("id").single();
  assertEquals(e1, null);
  const media = await ig.sb.functions.invoke("generate-media", { body: { generation_ids: [ig.id] } });
  assertEquals(media.error, null);
  let status = media.data.generations[0].status;
  while (status === "processing" || status === "queued") {
    await new Promise((r) => setTimeout(r, 200));
    status = (await ig.sb.from("generations").select("status").eq("id", ig.id).single()).data?.status;
  }
  assertEquals(status, "completed");
  const { data: posts, error: e2 } = await ig.sb.rpc("publish_generation", {
    p_generation_id: ig.id,
    p_account_ids: [account!.id],
    p_caption: forIg.data.caption,
    p_hashtags: forIg.data.hashtags,
  });
  assertEquals(e2, null, "publish_generation takes the suggested caption and hashtags");
  assertEquals(posts.map((p: { status: string }) => p.status), ["published"]);

  // Made for nothing: still at most 5 hashtags and 500 characters.
  const none = await generationMadeFor([]);
  const forNone = await none.sb.functions.invoke("generate-caption", {
    body: { generation_id: none.id, tone: "playful" },
  });
  assertEquals(forNone.error, null);
  assertEquals(forNone.data.hashtags.length, 5, JSON.stringify(forNone.data));
  assert([...postText(forNone.data)].length <= 500);

  // A platform asked for wins over Made for: TikTok takes 30, so all 8 suggestions stay.
  const forTiktok = await ig.sb.functions.invoke("generate-caption", {
    body: { generation_id: ig.id, platforms: ["tiktok"] },
  });
  assertEquals(forTiktok.error, null);
  assertEquals(forTiktok.data.hashtags.length, 8, JSON.stringify(forTiktok.data));
});
