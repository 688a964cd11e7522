//! Storage seeding after `seed.sql`, as the Supabase CLI's `seed buckets` does it: every
//! `[storage.buckets.<name>]` of `supabase/config.toml` is created or updated, and every file
//! under its `objects_path` (relative to `supabase/`) is stored at its relative path in that
//! bucket, overwriting what is there. Objects are written as Storage writes an upload: a
//! `storage.objects` row with Storage's metadata and the bytes on disk.
//!
//! Two things differ from the CLI, which uploads with the service_role key: an object whose
//! first folder names an existing user is owned by that user (so seeded media under
//! `<user_id>/…` looks like that user uploaded it), and a bucket key missing from config.toml
//! leaves that property as the migrations set it.
//!
//! Seed data also needs the API URL the instance serves (media URLs on seeded rows):
//! [`expose_api_url`] sets `supabase_local.api_url` for the session that runs `seed.sql`.
use crate::api::storage::{body::check_mime, disk};
use crate::config::Settings;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio_postgres::Client;

/// The setting `seed.sql` reads for the instance's API URL (absent under the Supabase CLI, whose
/// local API is `http://127.0.0.1:54321`).
pub const API_URL_SETTING: &str = "supabase_local.api_url";
/// The Cache-Control the CLI uploads seed objects with (storage-js's default).
const CACHE_CONTROL: &str = "max-age=3600";

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("[storage.buckets.{bucket}] in supabase/config.toml: {message}")]
    Config { bucket: String, message: String },
    #[error("cannot seed {path} into bucket {bucket}: {message}")]
    File { bucket: String, path: PathBuf, message: String },
    #[error("seeding storage failed: {0}")]
    Db(String),
}

/// One `[storage.buckets.<name>]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketSeed {
    pub name: String,
    pub public: Option<bool>,
    pub file_size_limit: Option<i64>,
    pub allowed_mime_types: Option<Vec<String>>,
    /// Resolved against `supabase/`.
    pub objects_path: Option<PathBuf>,
}

/// A file ready to store: validated key, bytes, sniffed type.
#[derive(Debug)]
struct SeedObject {
    key: String,
    bytes: Vec<u8>,
    mimetype: String,
}

/// Sets [`API_URL_SETTING`] for this session (seed.sql runs on it next).
pub async fn expose_api_url(admin: &Client, api_url: &str) -> Result<(), SeedError> {
    admin
        .execute("select pg_catalog.set_config($1, $2, false)", &[&API_URL_SETTING, &api_url])
        .await
        .map(|_| ())
        .map_err(|e| SeedError::Db(e.to_string()))
}

/// Reads the `[storage.buckets.*]` tables of a config.toml document.
pub fn buckets_from_config(doc: &toml::Table, supabase_dir: &Path) -> Result<Vec<BucketSeed>, SeedError> {
    let Some(tables) = doc.get("storage").and_then(|s| s.get("buckets")).and_then(|b| b.as_table()) else {
        return Ok(vec![]);
    };
    let mut out = vec![];
    for (name, value) in tables {
        let bad = |message: String| SeedError::Config { bucket: name.clone(), message };
        disk::valid_bucket(name).map_err(|_| bad(format!("{name:?} is not a valid bucket name")))?;
        let t = value.as_table().ok_or_else(|| bad("must be a table".into()))?;
        let public = match t.get("public") {
            None => None,
            Some(v) => Some(v.as_bool().ok_or_else(|| bad("public must be true or false".into()))?),
        };
        let file_size_limit = match t.get("file_size_limit") {
            None => None,
            Some(toml::Value::String(s)) => Some(
                disk::parse_size(s)
                    .and_then(|n| i64::try_from(n).ok())
                    .ok_or_else(|| bad(format!("file_size_limit {s:?} is not a size like \"50MiB\"")))?,
            ),
            Some(toml::Value::Integer(n)) if *n >= 0 => Some(*n),
            Some(_) => return Err(bad("file_size_limit must be a size like \"50MiB\"".into())),
        };
        let allowed_mime_types = match t.get("allowed_mime_types") {
            None => None,
            Some(toml::Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|v| v.as_str().filter(|s| s.contains('/')).map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad("allowed_mime_types must be strings like \"image/png\"".into()))?,
            ),
            Some(_) => return Err(bad("allowed_mime_types must be an array of strings".into())),
        };
        let objects_path = match t.get("objects_path") {
            None => None,
            Some(toml::Value::String(p)) if !p.trim().is_empty() => Some(supabase_dir.join(p)),
            Some(_) => return Err(bad("objects_path must be a path relative to supabase/".into())),
        };
        out.push(BucketSeed { name: name.clone(), public, file_size_limit, allowed_mime_types, objects_path });
    }
    Ok(out)
}

/// The type a file is stored with: sniffed from its first bytes as the CLI does (Go's
/// `http.DetectContentType`, for the types media buckets hold), else from its extension.
pub fn sniff_mime(bytes: &[u8], path: &Path) -> String {
    let at = |o: usize, sig: &[u8]| bytes.len() >= o + sig.len() && &bytes[o..o + sig.len()] == sig;
    let sniffed = if at(0, b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if at(0, b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if at(0, b"RIFF") && at(8, b"WEBPVP") {
        Some("image/webp")
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Some("image/gif")
    } else if at(0, b"\x1a\x45\xdf\xa3") {
        Some("video/webm")
    } else if at(4, b"ftyp") && is_mp4(bytes) {
        Some("video/mp4")
    } else {
        None
    };
    if let Some(t) = sniffed {
        return t.to_string();
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
    .to_string()
}

/// Go's rule: an `ftyp` box whose major or a compatible brand starts with `mp4`.
fn is_mp4(b: &[u8]) -> bool {
    let size = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    if size < 12 || !size.is_multiple_of(4) || size > b.len() {
        return false;
    }
    (8..size).step_by(4).filter(|&o| o != 12).any(|o| b[o..].starts_with(b"mp4"))
}

/// Every regular file under `dir`, sorted, with its key (relative path, `/`-separated).
fn walk(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap_or(&entry.path()).to_path_buf();
                let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                out.push((key, entry.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads and checks every file of a bucket's objects_path, as an upload would be checked: a
/// valid key, within the bucket's size limit and the global one, an allowed type.
fn collect(bucket: &str, dir: &Path, limit: u64, allowed: &[String]) -> Result<Vec<SeedObject>, SeedError> {
    let fail = |path: &Path, message: String| SeedError::File { bucket: bucket.into(), path: path.into(), message };
    if !dir.is_dir() {
        return Err(fail(dir, "objects_path is not a folder".into()));
    }
    let files = walk(dir).map_err(|e| fail(dir, e.to_string()))?;
    let mut out = vec![];
    for (key, path) in files {
        disk::valid_key(&key).map_err(|_| fail(&path, format!("{key:?} is not a valid object name")))?;
        let bytes = std::fs::read(&path).map_err(|e| fail(&path, e.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(fail(&path, format!("{} bytes is over the limit of {limit} bytes", bytes.len())));
        }
        let mimetype = sniff_mime(&bytes, &path);
        check_mime(&mimetype, allowed).map_err(|e| fail(&path, e.message))?;
        out.push(SeedObject { key, bytes, mimetype });
    }
    Ok(out)
}

const UPSERT_BUCKET: &str = "insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
     values ($1, $1, coalesce($2, false), $3, $4)
     on conflict (id) do update set
       public = coalesce($2, storage.buckets.public),
       file_size_limit = case when $5 then $3 else storage.buckets.file_size_limit end,
       allowed_mime_types = case when $6 then $4 else storage.buckets.allowed_mime_types end,
       updated_at = now()
     returning coalesce(file_size_limit, 0), coalesce(allowed_mime_types, '{}')";

/// The row Storage writes for an upload (same metadata keys), owned by the user the first
/// folder names when there is one.
const UPSERT_OBJECT: &str = "insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
     select $1, $2, u.id, u.id::text,
            $3::jsonb || jsonb_build_object('lastModified', to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')),
            '{}'::jsonb, gen_random_uuid()::text
     from (select null) one
     left join auth.users u on u.id::text = split_part($2, '/', 1) and strpos($2, '/') > 0
     on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id,
       metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version,
       updated_at = now(), last_accessed_at = now()";

/// Applies the buckets of `supabase/config.toml` and their objects; returns one line per object
/// stored. Every file is checked before anything is written, and the rows go in one
/// transaction, so a bad file leaves the database as seed.sql left it.
pub async fn seed_buckets(admin: &Client, s: &Settings) -> Result<Vec<String>, SeedError> {
    let path = s.project_dir.join("supabase/config.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| SeedError::Db(format!("{}: {e}", path.display())))?;
    let doc: toml::Table = text.parse().map_err(|e| SeedError::Db(format!("{}: {e}", path.display())))?;
    let buckets = buckets_from_config(&doc, &s.project_dir.join("supabase"))?;
    if buckets.is_empty() {
        return Ok(vec![]);
    }
    let db = |e: tokio_postgres::Error| SeedError::Db(crate::postgres::bootstrap::describe(&e, ""));
    admin.batch_execute("begin").await.map_err(db)?;
    let result = async {
        let mut done = vec![];
        for b in &buckets {
            let row = admin
                .query_one(
                    UPSERT_BUCKET,
                    &[
                        &b.name,
                        &b.public,
                        &b.file_size_limit,
                        &b.allowed_mime_types,
                        &b.file_size_limit.is_some(),
                        &b.allowed_mime_types.is_some(),
                    ],
                )
                .await
                .map_err(db)?;
            let Some(dir) = &b.objects_path else { continue };
            let (bucket_limit, allowed): (i64, Vec<String>) = (row.get(0), row.get(1));
            let global = disk::global_limit(&s.project_dir);
            let limit = u64::try_from(bucket_limit).ok().filter(|l| *l > 0).map_or(global, |l| l.min(global));
            for o in collect(&b.name, dir, limit, &allowed)? {
                let size = o.bytes.len() as i64;
                let etag = format!(
                    "\"{}\"",
                    Sha256::digest(&o.bytes).iter().take(16).map(|b| format!("{b:02x}")).collect::<String>()
                );
                let metadata = serde_json::json!({"eTag": etag, "size": size, "mimetype": o.mimetype,
                    "cacheControl": CACHE_CONTROL, "contentLength": size, "httpStatusCode": 200});
                admin.execute(UPSERT_OBJECT, &[&b.name, &o.key, &metadata]).await.map_err(db)?;
                disk::write(&disk::object_path(&s.data_dir, &b.name, &o.key), &o.bytes)
                    .await
                    .map_err(|e| SeedError::Db(format!("writing {}/{}: {}", b.name, o.key, e.message)))?;
                done.push(format!("{}/{} ({} bytes, {})", b.name, o.key, size, o.mimetype));
            }
        }
        Ok::<_, SeedError>(done)
    }
    .await;
    match result {
        Ok(done) => {
            admin.batch_execute("commit").await.map_err(db)?;
            Ok(done)
        }
        Err(e) => {
            let _ = admin.batch_execute("rollback").await;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    #[test]
    fn bucket_tables_read_like_the_cli_lays_them_out() {
        let d = doc(
            "[storage.buckets.media]\npublic = true\nfile_size_limit = \"5MiB\"\nallowed_mime_types = [\"image/png\"]\nobjects_path = \"./seed/media\"\n[storage.buckets.bare]\n",
        );
        let got = buckets_from_config(&d, Path::new("/p/supabase")).unwrap();
        assert_eq!(got.len(), 2);
        let media = got.iter().find(|b| b.name == "media").unwrap();
        assert_eq!(media.public, Some(true));
        assert_eq!(media.file_size_limit, Some(5 << 20));
        assert_eq!(media.allowed_mime_types, Some(vec!["image/png".to_string()]));
        assert_eq!(media.objects_path, Some(PathBuf::from("/p/supabase/./seed/media")));
        let bare = got.iter().find(|b| b.name == "bare").unwrap();
        assert_eq!((bare.public, bare.file_size_limit, &bare.objects_path), (None, None, &None));
        assert!(buckets_from_config(&doc("[storage]\nfile_size_limit = \"50MiB\""), Path::new("/"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn bad_bucket_tables_are_refused_with_the_key_named() {
        for (text, needle) in [
            ("[storage.buckets.m]\npublic = \"yes\"", "public must be true or false"),
            ("[storage.buckets.m]\nfile_size_limit = \"lots\"", "file_size_limit \"lots\""),
            ("[storage.buckets.m]\nallowed_mime_types = [\"png\"]", "allowed_mime_types"),
            ("[storage.buckets.m]\nobjects_path = 3", "objects_path"),
        ] {
            let e = buckets_from_config(&doc(text), Path::new("/")).unwrap_err().to_string();
            assert!(e.contains("[storage.buckets.m]") && e.contains(needle), "{e}");
        }
    }

    #[test]
    fn types_are_sniffed_from_the_bytes_then_the_extension() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(sniff_mime(png, Path::new("x.bin")), "image/png");
        let mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isommp41\0\0\0\x08mdat";
        assert_eq!(sniff_mime(mp4, Path::new("clip")), "video/mp4");
        let quicktime = b"\0\0\0\x14ftypqt  \0\0\x02\0qt  ";
        assert_eq!(sniff_mime(quicktime, Path::new("clip.mov")), "application/octet-stream");
        assert_eq!(sniff_mime(b"hello", Path::new("a.PNG")), "image/png");
        assert_eq!(sniff_mime(b"hello", Path::new("a")), "application/octet-stream");
    }

    #[test]
    fn files_are_checked_before_anything_is_written() {
        let dir = std::env::temp_dir().join(format!("seed-storage-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("u1/g1")).unwrap();
        std::fs::write(dir.join("u1/g1/image.png"), b"\x89PNG\r\n\x1a\nrest").unwrap();
        let ok = collect("b", &dir, 1024, &["image/png".into()]).unwrap();
        assert_eq!(
            ok.iter().map(|o| (o.key.as_str(), o.mimetype.as_str())).collect::<Vec<_>>(),
            [("u1/g1/image.png", "image/png")]
        );
        let too_big = collect("b", &dir, 4, &[]).unwrap_err().to_string();
        assert!(too_big.contains("image.png") && too_big.contains("over the limit"), "{too_big}");
        std::fs::write(dir.join("u1/notes.txt"), b"hi").unwrap();
        let wrong_type = collect("b", &dir, 1024, &["image/png".into()]).unwrap_err().to_string();
        assert!(wrong_type.contains("notes.txt"), "{wrong_type}");
        std::fs::remove_file(dir.join("u1/notes.txt")).unwrap();
        std::fs::write(dir.join("u1/é.png"), b"x").unwrap();
        let bad_key = collect("b", &dir, 1024, &[]).unwrap_err().to_string();
        assert!(bad_key.contains("not a valid object name"), "{bad_key}");
        let missing = collect("b", &dir.join("nope"), 1024, &[]).unwrap_err().to_string();
        assert!(missing.contains("not a folder"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
