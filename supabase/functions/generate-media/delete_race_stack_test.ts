// Deleting a generation while generate-media is still making it, as the app deletes one (list
// its folder, remove what is there, delete the row), through a running local stack
// (SUPABASE_URL, SUPABASE_ANON_KEY; skipped otherwise). The files the run uploads afterwards
// must not outlive the row: the run sees its row gone and removes them, so the folder ends
// empty and the public URLs stop answering.
import { assert, assertEquals } from "../tests/assert.ts";
import { BUCKET } from "./record.ts";
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url || !anon };

/** Polls `probe` every 100 ms until it returns a value other than null, or fails at the deadline. */
export async function eventually<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    assert(Date.now() < deadline, `${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the app does to delete a generation (src/services/generation.rs: remove_media, then the row). */
async function deleteAsTheApp(sb: SupabaseClient, userId: string, id: string): Promise<void> {
  const folder = `${userId}/${id}`;
  const { data: listed, error } = await sb.storage.from(BUCKET).list(folder);
  if (error) throw error;
  if (listed.length) {
    const removed = await sb.storage.from(BUCKET).remove(listed.map((f) => `${folder}/${f.name}`));
    if (removed.error) throw removed.error;
  }
  const del = await sb.from("generations").delete().eq("id", id);
  if (del.error) throw del.error;
}

Deno.test(
  { name: "generate-media: a generation deleted while processing leaves no media behind", ...opts },
  async () => {
    const sb = createClient(url!, anon!, { auth: { persistSession: false, autoRefreshToken: false } });
    const { data: signed, error: e1 } = await sb.auth.signUp({
      email: `race-${crypto.randomUUID()}@example.test`,
      password: "secret123",
    });
    if (e1) throw e1;
    const userId = signed.user!.id;
    const { data: session, error: e2 } = await sb.from("sessions").insert({ title: "race" }).select("id").single();
    if (e2) throw e2;
    // A video takes the demo provider a few seconds: long enough to delete the row mid-run.
    const { data: gen, error: e3 } = await sb.from("generations")
      .insert({
        session_id: session.id,
        kind: "video",
        prompt: "a heron lifting off a misty lake",
        params: { resolution: 320, duration_ms: 4000 },
      })
      .select("id").single();
    if (e3) throw e3;

    const call = sb.functions.invoke("generate-media", { body: { generation_ids: [gen.id] } });
    await eventually("the row is processing", 20_000, async () => {
      const { data } = await sb.from("generations").select("status").eq("id", gen.id).single();
      return data?.status === "processing" ? true : null;
    });
    await deleteAsTheApp(sb, userId, gen.id);
    const answered = await call;
    assertEquals(answered.error, null);

    // Whatever the run uploads (during the call or, past the answer window, after it) must go.
    const folder = `${userId}/${gen.id}`;
    const admin = createClient(url!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? anon!, {
      auth: { persistSession: false },
    });
    await eventually("the deleted generation's folder is empty", 20_000, async () => {
      const { data, error } = await admin.storage.from(BUCKET).list(folder);
      if (error) throw error;
      return data.length === 0 ? true : null;
    });
    for (const name of ["thumbnail-1.png", "video-1.mp4"]) {
      const res = await fetch(admin.storage.from(BUCKET).getPublicUrl(`${folder}/${name}`).data.publicUrl);
      await res.body?.cancel();
      assert([400, 404].includes(res.status), `${name} still answers ${res.status} at its public URL`);
    }
  },
);
