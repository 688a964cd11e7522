// What a request may ask for, and what a failure says: a video larger than storage accepts is
// refused with what to ask instead; failures say "try again" only when that can succeed.
import { assert, assertEquals } from "../tests/assert.ts";
import { invitesRetry, PermanentFailure, storageFailure } from "./failures.ts";
import { mediaRequest, oversizeReason, VIDEO_MAX_LONG_SIDE } from "./params.ts";

const video = (resolution: unknown) => ({ id: "v", kind: "video", prompt: "a heron", params: { resolution } });

Deno.test("a video resolution above the bound is refused with the largest one allowed", () => {
  const reason = oversizeReason(video(2048));
  assertEquals(
    reason,
    `A video of resolution 2048 is larger than storage accepts: ask for ${VIDEO_MAX_LONG_SIDE} or less.`,
  );
  assert(!invitesRetry(reason!), "retrying the same request cannot succeed");
  assertEquals(oversizeReason(video(VIDEO_MAX_LONG_SIDE + 1)) !== null, true);
  let thrown: unknown = null;
  try {
    mediaRequest(video(2048));
  } catch (e) {
    thrown = e;
  }
  assert(thrown instanceof RangeError && thrown.message === reason, `mediaRequest refuses it too: ${thrown}`);
});

Deno.test("videos up to the bound, images up to 2048 and unset resolutions are accepted", () => {
  for (const r of [VIDEO_MAX_LONG_SIDE, 320, "480", undefined, null, "big"]) {
    assertEquals(oversizeReason(video(r)), null, String(r));
  }
  assertEquals(mediaRequest(video(VIDEO_MAX_LONG_SIDE)).width, VIDEO_MAX_LONG_SIDE);
  assertEquals(oversizeReason({ kind: "image", params: { resolution: 2048 } }), null);
  assertEquals(mediaRequest({ id: "i", kind: "image", prompt: "a heron", params: { resolution: 2048 } }).width, 2048);
});

Deno.test("storage refusing an output for its size is permanent and says what to change", () => {
  for (
    const error of [{ message: "The object exceeded the maximum allowed size", status: 413, statusCode: "413" }, {
      message: "Payload too large",
      status: 400,
      statusCode: "413",
    }]
  ) {
    const f = storageFailure(error, 60 * 1024 * 1024, "video/mp4");
    assert(f instanceof PermanentFailure, "permanent");
    assertEquals(
      f.message,
      "The output (60 MiB) is larger than storage accepts: ask for a lower resolution or a shorter video.",
    );
    assert(!invitesRetry(f.message), f.message);
  }
});

Deno.test("storage refusing an output's type is permanent; any other storage failure invites a retry", () => {
  const refused = storageFailure(
    { message: "mime type image/gif is not supported", status: 415, statusCode: "415" },
    10,
    "image/gif",
  );
  assert(refused instanceof PermanentFailure && !invitesRetry(refused.message), refused.message);
  assert(refused.message.includes("image/gif"), refused.message);
  const flaky = storageFailure({ message: "connection reset", status: 500, statusCode: "500" }, 10, "image/png");
  assert(!(flaky instanceof PermanentFailure), "transient");
  assertEquals(flaky.message, "Storing the result failed: connection reset — try again");
});
