// generate-media: POST {generation_ids: [uuid, …]} with the caller's JWT → {generations: [rows]}.
// See run.ts for the flow and providers/ for the media sources (MEDIA_PROVIDER, VIDEO_PROVIDER).
import { requireCallerId } from "../_shared/auth.ts";
import { errorResponse, json, readJson, withCors } from "../_shared/cors.ts";
import { callerClient, serviceClient } from "../_shared/supabase.ts";
import { generate, parseIds } from "./run.ts";

Deno.serve(withCors(async (req) => {
  requireCallerId(req);
  const ids = parseIds(await readJson(req));
  const result = await generate(ids, { caller: callerClient(req), service: serviceClient() });
  if (result.configError) return errorResponse(503, result.configError, { generations: result.generations });
  return json({ generations: result.generations });
}));
