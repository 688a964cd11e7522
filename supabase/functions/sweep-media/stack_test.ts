// The sweep through a running local stack (SUPABASE_URL, SUPABASE_ANON_KEY and
// SUPABASE_SERVICE_ROLE_KEY; skipped otherwise): more than 1,000 orphan objects (folders of
// generations that do not exist) are removed through the Storage API in several remove() calls,
// while a live generation's media stays where it was, and only the server may run it.
import { assert, assertEquals } from "../tests/assert.ts";
import { mapLimit } from "../_shared/pool.ts";
import { BUCKET } from "./store.ts";
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.0";

const url = Deno.env.get("SUPABASE_URL");
const anon = Deno.env.get("SUPABASE_ANON_KEY");
const serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: !url || !anon || !serviceKey };
const options = { auth: { persistSession: false, autoRefreshToken: false } };
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

async function sweep(token: string, body: Record<string, unknown>) {
  const res = await fetch(`${url}/functions/v1/sweep-media`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function upload(admin: SupabaseClient, paths: string[]) {
  await mapLimit(paths, 16, async (path) => {
    const { error } = await admin.storage.from(BUCKET).upload(path, PNG, { contentType: "image/png", upsert: true });
    if (error) throw new Error(`upload ${path}: ${error.message}`);
  });
}

async function count(admin: SupabaseClient, folder: string): Promise<number> {
  const { data, error } = await admin.storage.from(BUCKET).list(folder, { limit: 1000 });
  if (error) throw error;
  return data.length;
}

/** A signed-up user with one generation whose media is stored, as generate-media leaves it. */
async function creatorWithMedia() {
  const sb = createClient(url!, anon!, options);
  const { data: signed, error } = await sb.auth.signUp({
    email: `sweep-${crypto.randomUUID()}@example.test`,
    password: "secret123",
  });
  if (error) throw error;
  const userId = signed.user!.id;
  const { data: session } = await sb.from("sessions").insert({ title: "sweep" }).select("id").single();
  const { data: gen, error: e2 } = await sb.from("generations").insert({
    session_id: session!.id,
    prompt: "a kept lighthouse",
  }).select("id").single();
  if (e2) throw e2;
  return { sb, userId, jwt: signed.session!.access_token, liveId: gen.id as string };
}

Deno.test({
  name: "sweep-media removes over 1,000 orphan objects in batches and keeps a live generation's media",
  ...opts,
}, async () => {
  const admin = createClient(url!, serviceKey!, options);
  const { userId, liveId } = await creatorWithMedia();
  const live = `${userId}/${liveId}/image-1.png`;
  await upload(admin, [live]);
  const orphans = [crypto.randomUUID(), crypto.randomUUID()];
  await upload(admin, orphans.flatMap((g) => Array.from({ length: 501 }, (_, i) => `${userId}/${g}/frame-${i}.png`)));
  assertEquals(await Promise.all(orphans.map((g) => count(admin, `${userId}/${g}`))), [501, 501]);

  const { status, body } = await sweep(serviceKey!, { min_age_s: 0, wait: true });
  assertEquals(status, 200, JSON.stringify(body));
  assert(body.removed >= 1002 && body.batches >= 2, `report ${JSON.stringify(body)}`);
  assertEquals(
    await Promise.all(orphans.map((g) => count(admin, `${userId}/${g}`))),
    [0, 0],
    "the orphan folders are empty",
  );
  const gone = await fetch(
    admin.storage.from(BUCKET).getPublicUrl(`${userId}/${orphans[0]}/frame-7.png`).data.publicUrl,
  );
  await gone.body?.cancel();
  assert([400, 404].includes(gone.status), `an orphan still answers ${gone.status}`);

  assertEquals(await count(admin, `${userId}/${liveId}`), 1, "the live generation's media stays");
  const kept = await fetch(admin.storage.from(BUCKET).getPublicUrl(live).data.publicUrl);
  assertEquals([kept.status, kept.headers.get("content-type")], [200, "image/png"]);
  await kept.body?.cancel();
});

Deno.test(
  { name: "sweep-media spares an orphan written moments ago, and only the service role may run it", ...opts },
  async () => {
    const admin = createClient(url!, serviceKey!, options);
    const { userId, jwt } = await creatorWithMedia();
    const fresh = `${userId}/${crypto.randomUUID()}/image-1.png`;
    await upload(admin, [fresh]);
    const { status, body } = await sweep(serviceKey!, { wait: true });
    assertEquals(status, 200, JSON.stringify(body));
    assert(body.tooYoung >= 1, `report ${JSON.stringify(body)}`);
    const res = await fetch(admin.storage.from(BUCKET).getPublicUrl(fresh).data.publicUrl);
    await res.body?.cancel();
    assertEquals(res.status, 200, "an object younger than the minimum age stays");

    const refused = await sweep(jwt, { wait: true });
    assertEquals([refused.status, refused.body], [401, {
      error: "Only the server runs the media sweep: call it with the service-role key.",
    }]);
    const bad = await sweep(serviceKey!, { min_age_s: -1 });
    assertEquals(bad.status, 400);
    assert(String(bad.body.error).includes("min_age_s"), bad.body.error);
  },
);

const dbUrl = Deno.env.get("DB_URL");

/** Runs one SQL statement on the stack's database (as its superuser) and returns psql's output. */
async function sql(statement: string): Promise<string> {
  const out = await new Deno.Command("psql", {
    args: [dbUrl!, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`psql: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test({
  name: "the database's hourly kick reaches sweep-media through pg_net",
  ...opts,
  ignore: opts.ignore || !dbUrl,
}, async () => {
  const command = await sql("select command from cron.job where jobname = 'sweep-media'");
  assertEquals(command, "select private.kick_media_sweep()");
  const before = Number(await sql("select coalesce(max(id), 0) from net._http_response"));
  await sql(command);
  const deadline = Date.now() + 20_000;
  let answer = "";
  while (!answer) {
    assert(Date.now() < deadline, "no answer from sweep-media within 20 s");
    await new Promise((r) => setTimeout(r, 200));
    answer = await sql(
      `select status_code || ' ' || content from net._http_response where id > ${before} and content like '%started%' order by id limit 1`,
    );
  }
  assertEquals(answer, '202 {"started":true}');
});
