// The orphan sweep: media folders `<user_id>/<generation_id>/` whose generation row no longer
// exists are removed, through the Storage API only (deleting storage.objects rows in SQL would
// leave the files on disk), at most REMOVE_BATCH paths per remove() call.
//
// Never the media of a generation that exists: a folder stays while a row with that id and that
// owner exists, and the rows are read after the folder's files are listed, just before removing
// them (a file is only ever written for a row that was already committed, so a row seen missing
// then is gone). Objects younger than the request's minimum age stay too, so nothing written a
// moment ago (a row being inserted now, an upload under way) is touched. Folders whose names are
// not ids are not generation folders and are left alone.

/** Storage's limit on the paths one remove() may name. */
export const REMOVE_BATCH = 1000;
/** How many entries one list() call asks for. */
export const LIST_PAGE = 1000;
/** How many generation ids one existence query names (they ride in the URL). */
const ID_CHUNK = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One entry of a Storage list(): a folder when `id` is null. */
export interface Entry {
  name: string;
  id: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

/** The Storage and database calls the sweep makes (supabase-js as service_role, or a fake). */
export interface SweepStore {
  list(prefix: string, offset: number, limit: number): Promise<Entry[]>;
  remove(paths: string[]): Promise<void>;
  /** Of the given ids, those with a generation row, with its owner. */
  generations(ids: string[]): Promise<{ id: string; user_id: string }[]>;
}

export interface SweepReport {
  /** Generation folders looked at. */
  folders: number;
  /** Folders with no generation row (some of their objects may have been too young). */
  orphanFolders: number;
  removed: number;
  /** Objects of orphan folders spared for being younger than the minimum age. */
  tooYoung: number;
  /** remove() calls made, each with at most REMOVE_BATCH paths. */
  batches: number;
}

/** Every entry directly under `prefix`, page by page until a page comes back empty. */
async function listAll(store: SweepStore, prefix: string): Promise<Entry[]> {
  const all: Entry[] = [];
  for (;;) {
    const page = await store.list(prefix, all.length, LIST_PAGE);
    if (page.length === 0) return all;
    all.push(...page);
  }
}

const folderNames = (entries: Entry[]) => entries.filter((e) => e.id === null).map((e) => e.name);

/** Every object under `folder` (nested folders included), with when it was last written. */
async function objectsUnder(store: SweepStore, folder: string): Promise<{ path: string; writtenAt: number }[]> {
  const out: { path: string; writtenAt: number }[] = [];
  for (const e of await listAll(store, folder)) {
    const path = `${folder}/${e.name}`;
    if (e.id === null) {
      out.push(...await objectsUnder(store, path));
    } else {
      const times = [e.created_at, e.updated_at].map((t) => (t ? Date.parse(t) : NaN)).filter(Number.isFinite);
      // Without a time, an object counts as written now: it is spared.
      out.push({ path, writtenAt: times.length ? Math.max(...times) : Date.now() });
    }
  }
  return out;
}

/** The `<user>/<generation>` folders (both ids) of the bucket. */
async function generationFolders(store: SweepStore): Promise<{ userId: string; generationId: string }[]> {
  const folders: { userId: string; generationId: string }[] = [];
  for (const userId of folderNames(await listAll(store, "")).filter((n) => UUID.test(n))) {
    for (const generationId of folderNames(await listAll(store, userId)).filter((n) => UUID.test(n))) {
      folders.push({ userId, generationId });
    }
  }
  return folders;
}

/** The folders of `folders` that belong to an existing generation, as "user/generation". */
async function liveFolders(
  store: SweepStore,
  folders: { userId: string; generationId: string }[],
): Promise<Set<string>> {
  const live = new Set<string>();
  const ids = [...new Set(folders.map((f) => f.generationId.toLowerCase()))];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    for (const row of await store.generations(ids.slice(i, i + ID_CHUNK))) {
      live.add(`${row.user_id}/${row.id}`.toLowerCase());
    }
  }
  return live;
}

/** Splits `items` into chunks of at most `size`. */
export function batches<T>(items: T[], size = REMOVE_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function sweepOrphanMedia(
  store: SweepStore,
  { minAgeMs, now = () => Date.now() }: { minAgeMs: number; now?: () => number },
): Promise<SweepReport> {
  const folders = await generationFolders(store);
  // A first look at the rows narrows the folders to list; the decisive look comes after listing.
  const liveBefore = await liveFolders(store, folders);
  const candidates = folders.filter((f) => !liveBefore.has(`${f.userId}/${f.generationId}`.toLowerCase()));
  const files = new Map<string, { path: string; writtenAt: number }[]>();
  for (const f of candidates) {
    files.set(`${f.userId}/${f.generationId}`, await objectsUnder(store, `${f.userId}/${f.generationId}`));
  }
  const liveNow = await liveFolders(store, candidates);

  const cutoff = now() - minAgeMs;
  const doomed: string[] = [];
  let orphanFolders = 0, tooYoung = 0;
  for (const [folder, objects] of files) {
    if (liveNow.has(folder.toLowerCase())) continue;
    orphanFolders++;
    for (const o of objects) {
      if (o.writtenAt <= cutoff) doomed.push(o.path);
      else tooYoung++;
    }
  }
  const chunks = batches(doomed);
  for (const chunk of chunks) await store.remove(chunk);
  return { folders: folders.length, orphanFolders, removed: doomed.length, tooYoung, batches: chunks.length };
}
