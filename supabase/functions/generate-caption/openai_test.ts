// The OpenAI-compatible caption provider against a fake chat server on loopback.
import { assertEquals, assertRejects } from "../tests/assert.ts";
import { openaiCaption } from "./openai.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });

Deno.test({ name: "openai captions: JSON answer, then 4xx, 5xx, malformed and a missing key", ...opts }, async () => {
  let mode = "ok";
  let seen: { auth: string | null; body: { model?: string; messages?: { content: string }[] } } = {
    auth: null,
    body: {},
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    seen = { auth: req.headers.get("authorization"), body: await req.json() };
    const answer = (content: string) => Response.json({ choices: [{ message: { role: "assistant", content } }] });
    switch (mode) {
      case "ok":
        return answer(
          JSON.stringify({
            caption: "Morning light on handmade mugs.",
            hashtags: ["ceramics", "#slowliving"],
            keywords: ["mugs"],
          }),
        );
      case "4xx":
        return Response.json({ error: { message: "Your prompt was flagged" } }, { status: 400 });
      case "5xx":
        return new Response("upstream down", { status: 503 });
      default:
        return answer("not json at all");
    }
  });
  const vars = env({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: `http://127.0.0.1:${server.addr.port}/v1`,
    OPENAI_CHAT_MODEL: "chat-test",
  });
  try {
    const caption = await openaiCaption("handmade mugs", "minimal", ["instagram"], vars);
    assertEquals(caption, {
      caption: "Morning light on handmade mugs.",
      hashtags: ["#ceramics", "#slowliving"],
      keywords: ["mugs"],
    });
    assertEquals(seen.auth, "Bearer sk-test");
    assertEquals(seen.body.model, "chat-test");

    mode = "4xx";
    await assertRejects(
      () => openaiCaption("x", "minimal", [], vars),
      "The caption provider refused the request: Your prompt was flagged",
    );
    mode = "5xx";
    await assertRejects(() => openaiCaption("x", "minimal", [], vars), "try again later");
    mode = "malformed";
    await assertRejects(() => openaiCaption("x", "minimal", [], vars), "malformed answer");
    await assertRejects(() => openaiCaption("x", "minimal", [], env({})), "set OPENAI_API_KEY");
  } finally {
    await server.shutdown();
  }
});
