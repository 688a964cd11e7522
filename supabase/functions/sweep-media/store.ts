// The sweep's Storage and database calls through supabase-js as service_role.
import type { SupabaseClient } from "../_shared/supabase.ts";
import type { Entry, SweepStore } from "./sweep.ts";

export const BUCKET = "generated_assets";

export function serviceStore(service: SupabaseClient): SweepStore {
  const bucket = service.storage.from(BUCKET);
  return {
    async list(prefix, offset, limit) {
      const { data, error } = await bucket.list(prefix, { limit, offset, sortBy: { column: "name", order: "asc" } });
      if (error) throw new Error(`Listing ${JSON.stringify(prefix)} failed: ${error.message}`);
      return (data ?? []) as Entry[];
    },
    async remove(paths) {
      const { error } = await bucket.remove(paths);
      if (error) throw new Error(`Removing ${paths.length} objects failed: ${error.message}`);
    },
    async generations(ids) {
      const { data, error } = await service.from("generations").select("id, user_id").in("id", ids);
      if (error) throw new Error(`Reading generations failed: ${error.message}`);
      return (data ?? []) as { id: string; user_id: string }[];
    },
  };
}
