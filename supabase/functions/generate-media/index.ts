// generate-media: POST {generation_ids: [uuid, …]} with the caller's JWT → {generations: [rows]}.
// See run.ts for the flow and providers/ for the media sources (MEDIA_PROVIDER, VIDEO_PROVIDER).
// Where the runtime keeps a worker going after its answer (EdgeRuntime.waitUntil, hosted and
// local), the answer waits at most GENERATION_ANSWER_WITHIN_MS for the providers and the rest
// finishes in the background; elsewhere it waits for everything, so results never get lost.
// The answer's Server-Timing header says where the call's time went (timing.ts).
import { requireCallerId } from "../_shared/auth.ts";
import { canOutliveResponse, inBackground } from "../_shared/background.ts";
import { errorResponse, json, readJson, withCors } from "../_shared/cors.ts";
import { callerClient, serviceClient } from "../_shared/supabase.ts";
import { answerWindow, generate, parseIds } from "./run.ts";

Deno.serve(withCors(async (req) => {
  const start = performance.now();
  requireCallerId(req);
  const ids = parseIds(await readJson(req));
  const answerWithinMs = canOutliveResponse() ? answerWindow() : Infinity;
  const result = await generate(ids, { caller: callerClient(req), service: serviceClient(), answerWithinMs });
  if (result.pending) inBackground(result.pending, `generate-media (${ids.join(", ")})`);
  const answer = result.configError
    ? errorResponse(503, result.configError, { generations: result.generations })
    : json({ generations: result.generations });
  answer.headers.set("Server-Timing", result.timings.header(performance.now() - start));
  return answer;
}));
