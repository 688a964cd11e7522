// publish-worker: POST {} or {post_ids: [uuid, …]} with the service-role key as Bearer →
// 202 {claimed: n}. Started by the database (a trigger when posts become `publishing`, and
// pg_cron every minute for scheduled posts and retries), it claims what awaits delivery and
// answers at once; the sending goes on in EdgeRuntime.waitUntil (see engine.ts). Where the
// runtime cannot outlive the answer (plain `deno run`), it answers after the run instead.
import { canOutliveResponse, inBackground } from "../_shared/background.ts";
import { HttpError, json, readJson, withCors } from "../_shared/cors.ts";
import { serviceClient } from "../_shared/supabase.ts";
import { deliveryCredentials } from "./credentials.ts";
import { startDeliveries } from "./engine.ts";
import { storageMedia } from "./media.ts";
import { connectors } from "./registry.ts";
import { parsePostIds, requireServiceRole } from "./request.ts";
import { databaseRpc } from "./rpc.ts";

Deno.serve(withCors(async (req) => {
  requireServiceRole(req);
  const postIds = parsePostIds(await readJson(req));
  const service = serviceClient();
  let run;
  try {
    run = await startDeliveries({
      rpc: databaseRpc(service),
      connectors,
      credentials: deliveryCredentials(service),
      media: (delivery) => storageMedia(service, delivery),
      postIds,
    });
  } catch (e) {
    throw new HttpError(500, `Could not claim posts to deliver: ${(e as Error).message}`);
  }
  const what = `publish-worker ${run.workerId}`;
  const logged = run.done.then((s) => {
    if (s.claimed) {
      console.log(
        `${what}: ${s.claimed} claimed, ${s.published} published, ${s.deferred} deferred, ${s.failed} failed, ${s.unsettled} unsettled`,
      );
    }
  });
  if (canOutliveResponse()) inBackground(logged, what);
  else await logged;
  return json({ claimed: run.claimed }, 202);
}));
