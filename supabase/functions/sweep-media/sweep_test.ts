// The sweep against an in-memory bucket: orphan folders go in batches of at most 1,000 paths,
// live generations' folders stay, as do young objects and folders that are not generations'.
import { assert, assertEquals } from "../tests/assert.ts";
import { type Entry, REMOVE_BATCH, sweepOrphanMedia, type SweepStore } from "./sweep.ts";

const U = "11111111-0000-4000-8000-000000000001";
const LIVE = "22222222-0000-4000-8000-000000000001";
const GONE = "22222222-0000-4000-8000-000000000002";
const GONE_TOO = "22222222-0000-4000-8000-000000000003";
const OLD = "2026-01-01T00:00:00Z";

/** A bucket of `paths` → written-at, with Storage's one-level listing and a page cap of its own. */
function fakeStore(objects: Map<string, string>, rows: { id: string; user_id: string }[], pageCap = 1000) {
  const removeCalls: string[][] = [];
  const store: SweepStore = {
    list(prefix, offset, limit) {
      const p = prefix ? `${prefix}/` : "";
      const entries = new Map<string, Entry>();
      for (const [path, at] of objects) {
        if (!path.startsWith(p)) continue;
        const rest = path.slice(p.length).split("/");
        entries.set(
          rest[0],
          rest.length > 1
            ? { name: rest[0], id: null }
            : { name: rest[0], id: crypto.randomUUID(), created_at: at, updated_at: at },
        );
      }
      const sorted = [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      return Promise.resolve(sorted.slice(offset, offset + Math.min(limit, pageCap)));
    },
    remove(paths) {
      removeCalls.push(paths);
      for (const p of paths) objects.delete(p);
      return Promise.resolve();
    },
    generations(ids) {
      return Promise.resolve(rows.filter((r) => ids.includes(r.id)));
    },
  };
  return { store, removeCalls };
}

Deno.test("orphan folders are removed in remove() calls of at most 1,000 paths; a live generation's stay", async () => {
  const objects = new Map<string, string>();
  for (let i = 0; i < 1500; i++) objects.set(`${U}/${GONE}/frame-${String(i).padStart(4, "0")}.png`, OLD);
  for (let i = 0; i < 700; i++) objects.set(`${U}/${GONE_TOO}/nested/part-${i}.png`, OLD);
  objects.set(`${U}/${LIVE}/image-1.png`, OLD);
  // A server that pages by 100 whatever is asked: listing must not stop at a short page.
  const { store, removeCalls } = fakeStore(objects, [{ id: LIVE, user_id: U }], 100);
  const report = await sweepOrphanMedia(store, { minAgeMs: 0 });
  assertEquals(report, { folders: 3, orphanFolders: 2, removed: 2200, tooYoung: 0, batches: 3 });
  assert(removeCalls.every((c) => c.length <= REMOVE_BATCH), `batch sizes ${removeCalls.map((c) => c.length)}`);
  assertEquals([...objects.keys()], [`${U}/${LIVE}/image-1.png`]);
});

Deno.test("a folder whose row appears while its files are listed stays (the rows are read last)", async () => {
  const objects = new Map([[`${U}/${GONE}/image-1.png`, OLD]]);
  const rows: { id: string; user_id: string }[] = [];
  const { store, removeCalls } = fakeStore(objects, rows);
  const list = store.list;
  store.list = async (prefix, offset, limit) => {
    const page = await list(prefix, offset, limit);
    if (prefix === `${U}/${GONE}`) rows.push({ id: GONE, user_id: U });
    return page;
  };
  const report = await sweepOrphanMedia(store, { minAgeMs: 0 });
  assertEquals([report.removed, removeCalls.length, objects.size], [0, 0, 1]);
});

Deno.test("young objects and folders that are not generation folders stay; a live id under another owner is not its media", async () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  const objects = new Map([
    [`${U}/${GONE}/old.png`, OLD],
    [`${U}/${GONE}/fresh.png`, "2026-06-01T11:58:00Z"],
    [`${U}/notes/readme.png`, OLD],
    [`${U}/loose.png`, OLD],
    [`seed/${GONE}/image.png`, OLD],
    [`33333333-0000-4000-8000-000000000003/${LIVE}/image-1.png`, OLD],
  ]);
  // LIVE belongs to U: the same id under another user is not that generation's folder.
  const { store } = fakeStore(objects, [{ id: LIVE, user_id: U }]);
  const report = await sweepOrphanMedia(store, { minAgeMs: 10 * 60_000, now: () => now });
  assertEquals(report, { folders: 2, orphanFolders: 2, removed: 2, tooYoung: 1, batches: 1 });
  assertEquals(
    [...objects.keys()].sort(),
    [`${U}/${GONE}/fresh.png`, `${U}/loose.png`, `${U}/notes/readme.png`, `seed/${GONE}/image.png`].sort(),
  );
});
