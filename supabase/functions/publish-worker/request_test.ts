import { assertEquals } from "../tests/assert.ts";
import { HttpError } from "../_shared/cors.ts";
import { parsePostIds, requireServiceRole } from "./request.ts";

const KEY = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.sig";

function status(fn: () => unknown): number | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof HttpError) return e.status;
    throw e;
  }
}

const req = (authorization?: string) =>
  new Request("http://x/publish-worker", {
    method: "POST",
    headers: authorization ? { Authorization: authorization } : {},
  });

Deno.test("only the exact service-role key starts the worker", () => {
  assertEquals(status(() => requireServiceRole(req(`Bearer ${KEY}`), KEY)), "ok");
  assertEquals(status(() => requireServiceRole(req(`bearer ${KEY}`), KEY)), "ok");
  for (
    const wrong of [undefined, "Bearer ", `Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, KEY, "Bearer eyJ.anon.key"]
  ) {
    assertEquals(status(() => requireServiceRole(req(wrong), KEY)), 401, String(wrong));
  }
  assertEquals(status(() => requireServiceRole(req(`Bearer ${KEY}`), "")), 500);
});

Deno.test("post_ids: none means every due post; a list is checked and deduplicated", () => {
  assertEquals(parsePostIds({}), null);
  const id = "6f1c1b2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f";
  assertEquals(parsePostIds({ post_ids: [id, id] }), [id]);
  for (
    const body of [{ post_ids: [] }, { post_ids: "x" }, { post_ids: ["nope"] }, { post_ids: [1] }, { ids: [id] }, {
      post_ids: Array(101).fill(id),
    }]
  ) {
    assertEquals(status(() => parsePostIds(body)), 400, JSON.stringify(body).slice(0, 60));
  }
});
