// disconnect-account: POST {account_id} with the caller's JWT → {result: "revoked" | "deleted"}.
// See disconnect.ts for what happens to the account, its tokens and its posts.
import { requireCallerId } from "../_shared/auth.ts";
import { HttpError, json, readJson, withCors } from "../_shared/cors.ts";
import type { AccountRef } from "../_shared/delivery.ts";
import { callerClient, serviceClient } from "../_shared/supabase.ts";
import { loadCredentials } from "../publish-worker/credentials.ts";
import { connectors } from "../publish-worker/registry.ts";
import { disconnectAccount, type DisconnectResult, NOT_YOURS, parseAccountId } from "./disconnect.ts";

Deno.serve(withCors(async (req) => {
  requireCallerId(req);
  const accountId = parseAccountId(await readJson(req));
  const caller = callerClient(req);
  const service = serviceClient();
  return json(
    await disconnectAccount(accountId, {
      async findOwnAccount(id) {
        const { data, error } = await caller.from("connected_accounts")
          .select("id, platform, handle, remote_id, service_url").eq("id", id).maybeSingle();
        if (error) {
          throw new HttpError(/jwt/i.test(error.message) ? 401 : 500, `Could not read the account: ${error.message}`);
        }
        return data as AccountRef | null;
      },
      credentials: (id) => loadCredentials(service, id),
      connectors,
      async disconnect(id) {
        const { data, error } = await service.rpc("disconnect_account", { p_account_id: id });
        // Removed by another request since it was read.
        if (error?.code === "22023") throw new HttpError(404, NOT_YOURS);
        if (error) throw new HttpError(500, `Could not disconnect the account: ${error.message}`);
        return data as DisconnectResult;
      },
    }),
  );
}));
