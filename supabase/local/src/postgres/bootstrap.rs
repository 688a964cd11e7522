//! Bootstrap SQL, migrations (recorded like the Supabase CLI) and seed; database reset.
use std::path::{Path, PathBuf};
use tokio_postgres::{Client, NoTls};

const BOOTSTRAP_SQL: &str = include_str!("../../sql/bootstrap.sql");
/// Storage's schema, as the Storage service creates it before any migration runs.
const STORAGE_SQL: &str = include_str!("../../sql/storage.sql");
/// pg_net's `net` schema, sent by the stack itself (`crate::pg_net`), for PostgreSQL builds
/// without the extension.
const NET_SQL: &str = include_str!("../../sql/net.sql");

#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error("cannot connect to postgres: {0}")]
    Connect(String),
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{file} failed:\n{error}")]
    Sql { file: String, error: String },
}

/// Renders a Postgres error like psql does (message, SQLSTATE, detail, hint, line).
pub fn describe(e: &tokio_postgres::Error, sql: &str) -> String {
    let Some(db) = e.as_db_error() else {
        return e.to_string();
    };
    let mut s = format!("ERROR: {} (SQLSTATE {})", db.message(), db.code().code());
    if let Some(tokio_postgres::error::ErrorPosition::Original(pos)) = db.position() {
        let line = sql.char_indices().take_while(|(i, _)| *i < *pos as usize).filter(|(_, c)| *c == '\n').count() + 1;
        s.push_str(&format!("\nLINE {line}"));
    }
    if let Some(d) = db.detail() {
        s.push_str(&format!("\nDETAIL: {d}"));
    }
    if let Some(h) = db.hint() {
        s.push_str(&format!("\nHINT: {h}"));
    }
    s
}

pub async fn connect_admin(port: u16, dbname: &str) -> Result<Client, BootstrapError> {
    let conninfo = format!("host=127.0.0.1 port={port} user=postgres password=postgres dbname={dbname} application_name=supabase-local-admin");
    let (client, conn) =
        tokio_postgres::connect(&conninfo, NoTls).await.map_err(|e| BootstrapError::Connect(e.to_string()))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

/// `YYYYMMDDHHMMSS_name.sql` → ("YYYYMMDDHHMMSS", "name"), as the CLI's `^([0-9]+)_(.*)\.sql$`.
pub fn parse_migration_name(file: &str) -> Option<(String, String)> {
    let stem = file.strip_suffix(".sql")?;
    let (version, name) = stem.split_once('_')?;
    (!version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()))
        .then(|| (version.to_string(), name.to_string()))
}

fn migration_files(dir: &Path) -> Result<Vec<(String, String, PathBuf)>, BootstrapError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(BootstrapError::Read(dir.to_path_buf(), e)),
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            parse_migration_name(&name).map(|(v, n)| (v, n, e.path()))
        })
        .collect();
    files.sort_by(|a, b| a.2.file_name().cmp(&b.2.file_name()));
    Ok(files)
}

async fn run_in_tx(
    client: &Client,
    label: &str,
    sql: &str,
    record: Option<(&str, &str)>,
) -> Result<(), BootstrapError> {
    let fail = |e: tokio_postgres::Error| BootstrapError::Sql { file: label.to_string(), error: describe(&e, sql) };
    client.batch_execute("begin").await.map_err(fail)?;
    let result = async {
        client.batch_execute(sql).await?;
        if let Some((version, name)) = record {
            client
                .execute(
                    "insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)",
                    &[&version, &vec![sql.to_string()], &name],
                )
                .await?;
        }
        client.batch_execute("commit").await
    }
    .await;
    if let Err(e) = result {
        let _ = client.batch_execute("rollback").await;
        return Err(fail(e));
    }
    Ok(())
}

/// Bootstrap + every migration not yet recorded. Returns the applied file names.
pub async fn migrate(client: &Client, migrations: &Path) -> Result<Vec<String>, BootstrapError> {
    run_in_tx(client, "bootstrap.sql", BOOTSTRAP_SQL, None).await?;
    run_in_tx(client, "storage.sql", STORAGE_SQL, None).await?;
    if !has_real_pg_net(client).await? {
        run_in_tx(client, "net.sql", NET_SQL, None).await?;
    }
    let applied: Vec<String> = client
        .query("select version from supabase_migrations.schema_migrations", &[])
        .await
        .map_err(|e| BootstrapError::Sql { file: "schema_migrations".into(), error: describe(&e, "") })?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut done = vec![];
    for (version, name, path) in migration_files(migrations)? {
        if applied.contains(&version) {
            continue;
        }
        let sql = std::fs::read_to_string(&path).map_err(|e| BootstrapError::Read(path.clone(), e))?;
        let label = path.display().to_string();
        run_in_tx(client, &label, &sql, Some((&version, &name))).await?;
        done.push(label);
    }
    Ok(done)
}

/// True when the database has the real pg_net extension, whose `net` schema must not be replaced.
async fn has_real_pg_net(client: &Client) -> Result<bool, BootstrapError> {
    let row = client
        .query_one("select exists (select 1 from pg_catalog.pg_extension where extname = 'pg_net')", &[])
        .await
        .map_err(|e| BootstrapError::Sql { file: "net.sql".into(), error: describe(&e, "") })?;
    Ok(row.get(0))
}

pub async fn seed(client: &Client, seed_file: &Path) -> Result<bool, BootstrapError> {
    let sql = match std::fs::read_to_string(seed_file) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(BootstrapError::Read(seed_file.to_path_buf(), e)),
    };
    run_in_tx(client, &seed_file.display().to_string(), &sql, None).await?;
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    client
        .execute(
            "insert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', $1) on conflict (path) do update set hash = excluded.hash",
            &[&hash],
        )
        .await
        .map_err(|e| BootstrapError::Sql { file: "seed_files".into(), error: describe(&e, "") })?;
    Ok(true)
}

/// True when the `postgres` database has never been bootstrapped.
pub async fn is_fresh(client: &Client) -> Result<bool, BootstrapError> {
    let row = client
        .query_one("select to_regclass('supabase_migrations.schema_migrations') is null", &[])
        .await
        .map_err(|e| BootstrapError::Connect(e.to_string()))?;
    Ok(row.get(0))
}

/// Drops and recreates the `postgres` database (terminating its connections).
pub async fn recreate_database(port: u16) -> Result<(), BootstrapError> {
    let admin = connect_admin(port, "template1").await?;
    for sql in ["drop database if exists postgres with (force)", "create database postgres"] {
        admin
            .batch_execute(sql)
            .await
            .map_err(|e| BootstrapError::Sql { file: "reset".into(), error: describe(&e, sql) })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migration_names_follow_the_cli() {
        assert_eq!(
            super::parse_migration_name("20261126000100_sessions.sql"),
            Some(("20261126000100".into(), "sessions".into()))
        );
        assert_eq!(super::parse_migration_name("x_sessions.sql"), None);
        assert_eq!(super::parse_migration_name("20261126000100_sessions.txt"), None);
    }
}
