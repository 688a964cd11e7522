// A post's media in Storage (bucket generated_assets, where generate-media put it, at the
// generation's media_path `<user>/<generation>/<file>`). A connector that must re-encode the
// media (Bluesky's size limit) keeps its copy beside the original as
// `<user>/<generation>/post-<post id>-<name>`, so a retry of the same post reuses the copy
// instead of re-encoding (and losing quality) again.
import { type Delivery, type MediaStore, Permanent, Transient } from "../_shared/delivery.ts";
import type { SupabaseClient } from "../_shared/supabase.ts";

export const BUCKET = "generated_assets";
const COPY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

type Media = { bytes: Uint8Array; contentType: string };

const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  mp4: "video/mp4",
  webm: "video/webm",
};

function typeFromPath(path: string): string {
  return TYPES[path.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
}

function isNotFound(error: unknown): boolean {
  const e = error as { statusCode?: unknown; status?: unknown; code?: unknown; message?: unknown };
  return String(e?.statusCode) === "404" || e?.status === 404 || e?.code === "NoSuchKey" ||
    /not found/i.test(String(e?.message));
}

/** Where the copy `name` of the post's media is kept. */
export function copyPath(delivery: Pick<Delivery, "user_id" | "generation_id" | "post_id">, name: string): string {
  if (!COPY_NAME.test(name)) {
    throw new Error(`Not a media copy name: ${JSON.stringify(name)} (letters, digits, '.', '_', '-')`);
  }
  return `${delivery.user_id}/${delivery.generation_id}/post-${delivery.post_id}-${name}`;
}

export function storageMedia(service: SupabaseClient, delivery: Delivery): MediaStore {
  const bucket = () => service.storage.from(BUCKET);
  const download = async (path: string): Promise<Media | null> => {
    const { data, error } = await bucket().download(path);
    if (error) {
      if (isNotFound(error)) return null;
      throw new Transient(`Could not read the media from storage (${error.message})`);
    }
    return { bytes: new Uint8Array(await data.arrayBuffer()), contentType: data.type || typeFromPath(path) };
  };
  let original: Promise<Media> | null = null;
  return {
    original() {
      original ??= (async () => {
        if (!delivery.media_path) throw new Permanent("This post's generation has no media to publish.");
        const media = await download(delivery.media_path);
        if (!media) throw new Permanent("The media of this post is no longer in storage: it cannot be published.");
        return media;
      })();
      // A failed read is not remembered: the connector may try again.
      original.catch(() => (original = null));
      return original;
    },
    async readCopy(name) {
      return await download(copyPath(delivery, name));
    },
    async writeCopy(name, bytes, contentType) {
      const { error } = await bucket().upload(copyPath(delivery, name), bytes, { contentType, upsert: true });
      if (error) throw new Transient(`Could not keep the re-encoded media in storage (${error.message})`);
    },
  };
}
