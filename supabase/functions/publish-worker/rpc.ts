// The worker RPCs of the database, called as service_role through supabase-js.
import type { Delivery, Sent } from "../_shared/delivery.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";
import type { DeliveryRpc } from "./engine.ts";

/** `DeliveryRpc` over PostgREST; every database error is thrown with the function's name. */
export function databaseRpc(service: SupabaseClient): DeliveryRpc {
  const call = async (fn: string, args: Record<string, unknown>): Promise<unknown> => {
    const { data, error } = await service.rpc(fn, args);
    if (error) throw new Error(`${fn}: ${error.message}${error.hint ? ` (${error.hint})` : ""}`);
    return data;
  };
  return {
    async claim(worker: string, limit: number, leaseSeconds: number, postIds: string[] | null): Promise<Delivery[]> {
      const rows = await call("claim_deliveries", {
        p_worker: worker,
        p_limit: limit,
        p_lease_seconds: leaseSeconds,
        p_post_ids: postIds,
      });
      return (rows ?? []) as Delivery[];
    },
    async setKey(postId: string, worker: string, key: string): Promise<string> {
      const stored = await call("set_delivery_key", { p_post_id: postId, p_worker: worker, p_key: key });
      if (typeof stored !== "string" || !stored) {
        throw new Error(`set_delivery_key answered ${JSON.stringify(stored)} instead of the stored key`);
      }
      return stored;
    },
    async complete(postId: string, worker: string, sent: Sent): Promise<void> {
      await call("complete_delivery", {
        p_post_id: postId,
        p_worker: worker,
        p_remote_id: sent.remoteId,
        p_remote_url: sent.remoteUrl,
      });
    },
    async defer(
      postId: string,
      worker: string,
      nextAttemptAt: Date,
      reason: string,
      countsAttempt: boolean,
    ): Promise<void> {
      await call("defer_delivery", {
        p_post_id: postId,
        p_worker: worker,
        p_next_attempt_at: nextAttemptAt.toISOString(),
        p_reason: reason,
        p_counts_attempt: countsAttempt,
      });
    },
    async fail(postId: string, worker: string, reason: string, account: "expired" | "revoked" | null): Promise<void> {
      await call("fail_delivery", { p_post_id: postId, p_worker: worker, p_reason: reason, p_account_status: account });
    },
  };
}
