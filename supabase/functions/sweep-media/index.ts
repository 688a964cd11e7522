// sweep-media: POST {} (or {min_age_s, wait}) with the service-role key as Bearer. Removes the
// media folders whose generation no longer exists (see sweep.ts). Started by the database every
// hour (pg_cron → private.kick_media_sweep → net.http_post); it answers 202 at once and sweeps in
// EdgeRuntime.waitUntil, or, with `wait: true` or where the runtime cannot outlive the answer,
// answers 200 with the report once done.
import { canOutliveResponse, inBackground } from "../_shared/background.ts";
import { HttpError, json, readJson, withCors } from "../_shared/cors.ts";
import { requireServiceKey } from "../_shared/service_role.ts";
import { serviceClient } from "../_shared/supabase.ts";
import { parseSweepRequest } from "./request.ts";
import { serviceStore } from "./store.ts";
import { sweepOrphanMedia, type SweepReport } from "./sweep.ts";

const describe = (r: SweepReport) =>
  `sweep-media: ${r.folders} folders, ${r.orphanFolders} orphaned, ${r.removed} objects removed in ${r.batches} batches, ${r.tooYoung} spared as too young`;

Deno.serve(withCors(async (req) => {
  requireServiceKey(req, "the media sweep");
  const { minAgeMs, wait } = parseSweepRequest(await readJson(req));
  const sweep = sweepOrphanMedia(serviceStore(serviceClient()), { minAgeMs });
  if (!wait && canOutliveResponse()) {
    inBackground(sweep.then((r) => console.log(describe(r))), "sweep-media");
    return json({ started: true }, 202);
  }
  let report: SweepReport;
  try {
    report = await sweep;
  } catch (e) {
    throw new HttpError(500, `The sweep stopped: ${(e as Error).message}`);
  }
  console.log(describe(report));
  return json(report);
}));
