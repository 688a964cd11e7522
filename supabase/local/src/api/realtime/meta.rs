//! Table facts Realtime's `apply_rls.sql` reads from the catalog: columns with their types and
//! key flag, which subscriber roles may select each, RLS and replica identity.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_postgres::Client;

pub struct Column {
    pub name: String,
    pub typname: String,
    pub sql_type: String,
    pub pk: bool,
    /// Subscriber roles holding SELECT on this column.
    pub readers: Vec<String>,
}

/// Columns (with the subscriber roles that may select each), RLS flag and replica identity.
pub struct Meta {
    pub columns: Vec<Column>,
    pub rls: bool,
    pub replident: String,
}

/// Table facts per (table, subscriber roles), reused for a second under load.
#[derive(Default)]
pub struct MetaCache(Mutex<HashMap<String, (Instant, Arc<Meta>)>>);

impl MetaCache {
    pub async fn get(
        &self,
        client: &Client,
        schema: &str,
        table: &str,
        roles: &[String],
    ) -> Result<Arc<Meta>, tokio_postgres::Error> {
        let key = format!("{schema}.{table}|{}", roles.join(","));
        if let Some((at, m)) = self.0.lock().expect("meta lock").get(&key) {
            if at.elapsed() < Duration::from_secs(1) {
                return Ok(m.clone());
            }
        }
        let m = Arc::new(query_meta(client, schema, table, roles).await?);
        let mut cache = self.0.lock().expect("meta lock");
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, (Instant::now(), m.clone()));
        Ok(m)
    }
}

async fn query_meta(
    client: &Client,
    schema: &str,
    table: &str,
    roles: &[String],
) -> Result<Meta, tokio_postgres::Error> {
    let rows = client
        .query(
            "select a.attname::text, t.typname::text, format_type(a.atttypid, a.atttypmod),
                    coalesce(a.attnum = any(pk.conkey), false),
                    array(select r from unnest($3::text[]) r
                          where case when exists (select 1 from pg_roles where rolname = r)
                                     then has_column_privilege(r::name, c.oid, a.attname::text, 'SELECT') else false end),
                    c.relrowsecurity, c.relreplident::text
             from pg_class c
             join pg_namespace n on n.oid = c.relnamespace
             join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
             join pg_type t on t.oid = a.atttypid
             left join pg_constraint pk on pk.conrelid = c.oid and pk.contype = 'p'
             where n.nspname = $1 and c.relname = $2
             order by a.attnum",
            &[&schema, &table, &roles],
        )
        .await?;
    let rls = rows.first().map(|r| r.get::<_, bool>(5)).unwrap_or(false);
    let replident = rows.first().map(|r| r.get::<_, String>(6)).unwrap_or_default();
    let columns = rows
        .into_iter()
        .map(|r| Column { name: r.get(0), typname: r.get(1), sql_type: r.get(2), pk: r.get(3), readers: r.get(4) })
        .collect();
    Ok(Meta { columns, rls, replident })
}
