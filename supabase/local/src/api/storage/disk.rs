//! Object bytes on disk under `<data_dir>/storage/<bucket>/<name>`, and the key rules that keep
//! every name inside that folder.
use super::error::StorageError;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The longest key S3 (Storage's backend) stores, in bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// The longest file name a file system stores (`NAME_MAX`), in bytes: the longest segment.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// Storage's key rule (`isValidKey`: S3-safe ASCII characters), plus what a file system needs:
/// no empty, `.` or `..` segment, so a name can never leave its bucket's folder, and no key or
/// segment longer than S3 or the file system can hold.
pub fn valid_key(key: &str) -> Result<(), StorageError> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_/!-.*'() &$@=;:+,?".contains(c);
    let bad_segment = |seg: &str| seg.is_empty() || seg == "." || seg == ".." || seg.len() > MAX_SEGMENT_BYTES;
    if key.is_empty() || key.len() > MAX_KEY_BYTES || !key.chars().all(safe) || key.split('/').any(bad_segment) {
        return Err(StorageError::invalid_key(key));
    }
    Ok(())
}

/// A name PostgreSQL cannot store (it holds a NUL byte) names no object: refused as an
/// invalid key rather than sent to the database.
pub fn storable(name: &str) -> Result<(), StorageError> {
    if name.contains('\0') {
        return Err(StorageError::invalid_key(name));
    }
    Ok(())
}

/// Bucket ids share the key rule and must be a single segment.
pub fn valid_bucket(bucket: &str) -> Result<(), StorageError> {
    if bucket.contains('/') || valid_key(bucket).is_err() {
        return Err(StorageError::invalid_bucket_name(bucket));
    }
    Ok(())
}

pub fn root(data_dir: &Path) -> PathBuf {
    data_dir.join("storage")
}

/// The file of an object; callers validate `bucket` and `name` first.
pub fn object_path(data_dir: &Path, bucket: &str, name: &str) -> PathBuf {
    root(data_dir).join(bucket).join(name)
}

/// Writes to a temporary file beside the target, then renames it over the target.
pub async fn write(path: &Path, bytes: &[u8]) -> Result<(), StorageError> {
    let dir = path.parent().ok_or_else(|| StorageError::internal("object path has no parent"))?;
    tokio::fs::create_dir_all(dir).await.map_err(StorageError::internal)?;
    let tmp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4()));
    if let Err(e) = tokio::fs::write(&tmp, bytes).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(StorageError::internal(e));
    }
    if let Err(e) = tokio::fs::rename(&tmp, path).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(StorageError::internal(e));
    }
    Ok(())
}

/// Opens an object's file for reading; returns it with its length.
pub async fn open(path: &Path) -> Result<(tokio::fs::File, u64), StorageError> {
    let missing = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => StorageError::no_such_key(),
        _ => StorageError::internal(e),
    };
    let file = tokio::fs::File::open(path).await.map_err(missing)?;
    let len = file.metadata().await.map_err(StorageError::internal)?.len();
    Ok((file, len))
}

/// Removes an object's file; a missing file is not an error.
pub async fn remove(path: &Path) {
    if let Err(e) = tokio::fs::remove_file(path).await {
        if e.kind() != std::io::ErrorKind::NotFound {
            eprintln!("storage: cannot remove {}: {e}", path.display());
        }
    }
}

/// Parses a size as the CLI writes it: `"50MiB"`, `"100MB"`, `"30KB"`, `"3B"`, or a number.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    Some((n * mult as f64) as u64)
}

/// The global upload limit: `[storage] file_size_limit` in `supabase/config.toml`, 50 MiB by default.
pub fn global_limit(project_dir: &Path) -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        let text = std::fs::read_to_string(project_dir.join("supabase/config.toml")).unwrap_or_default();
        let doc: toml::Table = text.parse().unwrap_or_default();
        let value = doc.get("storage").and_then(|s| s.get("file_size_limit"));
        match value {
            Some(toml::Value::String(s)) => parse_size(s),
            Some(toml::Value::Integer(i)) => u64::try_from(*i).ok(),
            _ => None,
        }
        .unwrap_or(50 << 20)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_could_leave_the_bucket_folder_are_refused() {
        for bad in ["../x", "a/../b", "a/./b", "/abs", "a//b", "a/", "", "a\0b", "a\\b", "é.png"] {
            assert!(valid_key(bad).is_err(), "{bad:?} accepted");
        }
        let segment = "s".repeat(MAX_SEGMENT_BYTES);
        assert!(valid_key(&segment).is_ok());
        assert!(valid_key(&format!("{segment}s")).is_err(), "a segment longer than NAME_MAX");
        let key = format!("{}/kkkk", vec!["s".repeat(254); 4].join("/"));
        assert_eq!(key.len(), MAX_KEY_BYTES);
        assert!(valid_key(&key).is_ok());
        assert!(valid_key(&format!("{key}k")).is_err(), "a key longer than S3 holds");
        for good in ["a.png", "u1/g1/a b (1).png", "x/.hidden", "a..b"] {
            assert!(valid_key(good).is_ok(), "{good:?} refused");
        }
        assert!(valid_bucket("a/b").is_err());
    }

    #[test]
    fn sizes_parse_like_the_cli_writes_them() {
        assert_eq!(parse_size("50MiB"), Some(50 << 20));
        assert_eq!(parse_size("100MB"), Some(100 << 20));
        assert_eq!(parse_size("3B"), Some(3));
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("lots"), None);
    }
}
