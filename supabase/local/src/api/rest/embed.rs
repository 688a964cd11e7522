//! Resource embedding (<https://docs.postgrest.org/en/v12/references/api/resource_embedding.html>): relationships come from the foreign keys of `public`
//! in pg_catalog; an embed is a correlated subquery in the caller's transaction, so the
//! embedded table's RLS applies. To-one → object or null, to-many → array.
use super::parse::{QueryParams, SelectItem};
use super::range::cap;
use super::sql::{Builder, Joined, Rel, Table, TABLE_SQL};
use crate::api::error::ApiError;
use serde_json::json;

/// Foreign keys touching `$1` (either side), both sides in `public`.
pub const FK_SQL: &str = "select c.conname::text, s.relname::text, t.relname::text,
    array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i),
    array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
          join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i),
    exists(select 1 from pg_index i where i.indrelid = c.conrelid and i.indisunique and i.indpred is null
           and (select array_agg(x order by x) from unnest(i.indkey::int2[]) x)
             = (select array_agg(x order by x) from unnest(c.conkey) x))
  from pg_constraint c
  join pg_class s on s.oid = c.conrelid join pg_namespace sn on sn.oid = s.relnamespace
  join pg_class t on t.oid = c.confrelid join pg_namespace tn on tn.oid = t.relnamespace
  where c.contype = 'f' and sn.nspname = 'public' and tn.nspname = 'public'
    and (s.relname = $1 or t.relname = $1)
  order by c.conname";

/// One foreign key: `from(from_cols)` references `to(to_cols)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub name: String,
    pub from: String,
    pub to: String,
    pub from_cols: Vec<String>,
    pub to_cols: Vec<String>,
    /// The referencing columns are unique: the reverse direction is one-to-one.
    pub unique: bool,
}

impl ForeignKey {
    pub fn from_row(r: &tokio_postgres::Row) -> ForeignKey {
        ForeignKey {
            name: r.get(0),
            from: r.get(1),
            to: r.get(2),
            from_cols: r.get(3),
            to_cols: r.get(4),
            unique: r.get(5),
        }
    }
}

/// A relationship candidate: the key, whether it points from the parent, and its cardinality.
struct Candidate<'a> {
    fk: &'a ForeignKey,
    parent_refs: bool,
}

impl Candidate<'_> {
    fn cardinality(&self) -> &'static str {
        match (self.parent_refs, self.fk.unique) {
            (_, true) => "one-to-one",
            (true, false) => "many-to-one",
            (false, false) => "one-to-many",
        }
    }
}

/// Picks the one relationship between `parent` and the embed `target` (hint: FK or column name).
pub fn pick(
    parent: &str,
    target: &str,
    hint: Option<&str>,
    fks: &[ForeignKey],
) -> Result<(ForeignKey, bool), ApiError> {
    let mut found: Vec<Candidate> = vec![];
    for fk in fks {
        if fk.from == parent && fk.to == target {
            found.push(Candidate { fk, parent_refs: true });
        }
        if fk.to == parent && fk.from == target {
            found.push(Candidate { fk, parent_refs: false });
        }
    }
    if let Some(h) = hint {
        found.retain(|c| c.fk.name == h || c.fk.from_cols.iter().chain(&c.fk.to_cols).any(|col| col == h));
    }
    match found.len() {
        1 => Ok((found[0].fk.clone(), found[0].parent_refs)),
        0 => {
            let using = hint.map(|h| format!(" using the hint '{h}'")).unwrap_or_default();
            Err(ApiError::rest(
                400,
                "PGRST200",
                format!("Could not find a relationship between '{parent}' and '{target}' in the schema cache"),
                Some(format!("Searched for a foreign key relationship between '{parent}' and '{target}'{using} in the schema 'public', but no matches were found.")),
            ))
        }
        _ => {
            let details: Vec<_> = found
                .iter()
                .map(|c| {
                    json!({
                        "cardinality": c.cardinality(),
                        "embedding": format!("{parent} with {target}"),
                        "relationship": format!("{} using {}({}) and {}({})", c.fk.name, c.fk.from, c.fk.from_cols.join(", "), c.fk.to, c.fk.to_cols.join(", ")),
                    })
                })
                .collect();
            let options = found.iter().map(|c| format!("'{target}!{}'", c.fk.name)).collect::<Vec<_>>().join(", ");
            let mut e = ApiError::rest(
                300,
                "PGRST201",
                format!("Could not embed because more than one relationship was found for '{parent}' and '{target}'"),
                Some(serde_json::Value::Array(details).to_string()),
            );
            if let ApiError::Rest { hint, .. } = &mut e {
                *hint = Some(format!("Try changing '{target}' to one of the following: {options}. Find the desired relationship in the 'details' key."));
            }
            Err(e)
        }
    }
}

/// Resolves every embed of `q.select` on `parent` (one catalog round trip for the keys, one per
/// embedded table); also checks that each `embed.param` names an embed of this request.
pub async fn resolve(
    db: &tokio_postgres::Client,
    parent: &Table,
    q: &QueryParams,
    items: &[SelectItem],
    role: &str,
) -> Result<Vec<Joined>, ApiError> {
    let embeds: Vec<_> =
        items.iter().filter_map(|i| if let SelectItem::Embed(e) = i { Some(e) } else { None }).collect();
    for (key, _) in &q.embedded {
        if !embeds.iter().any(|e| e.key() == key || e.name == *key) {
            let mut err =
                ApiError::rest(400, "PGRST108", format!("'{key}' is not an embedded resource in this request"), None);
            if let ApiError::Rest { hint, .. } = &mut err {
                *hint = Some(format!("Verify that '{key}' is included in the 'select' query parameter."));
            }
            return Err(err);
        }
    }
    if embeds.is_empty() {
        return Ok(vec![]);
    }
    let pg = |e: tokio_postgres::Error| ApiError::from_pg(&e, role);
    let fks: Vec<ForeignKey> =
        db.query(FK_SQL, &[&parent.name]).await.map_err(pg)?.iter().map(ForeignKey::from_row).collect();
    let mut out = vec![];
    for e in embeds {
        let (fk, parent_refs) = pick(&parent.name, &e.name, e.hint.as_deref(), &fks)?;
        let rows = db.query(TABLE_SQL, &[&e.name]).await.map_err(pg)?;
        let table = Table::from_rows(&e.name, &rows);
        let on = if parent_refs {
            fk.from_cols.iter().cloned().zip(fk.to_cols.iter().cloned()).collect()
        } else {
            fk.to_cols.iter().cloned().zip(fk.from_cols.iter().cloned()).collect()
        };
        let scoped = q.scoped(e.key(), &e.name).cloned().unwrap_or_default();
        out.push(Joined {
            key: e.key().to_string(),
            table,
            to_one: parent_refs || fk.unique,
            on,
            inner: e.inner,
            select: e.select.clone(),
            scoped,
        });
    }
    Ok(out)
}

impl Builder {
    fn embed_scope(&mut self, parent: Rel, j: &Joined, alias: &str) -> Result<String, ApiError> {
        let er = Rel { t: &j.table, alias };
        let mut conds: Vec<String> = j.on.iter().map(|(p, c)| format!("{} = {}", er.col(c), parent.col(p))).collect();
        conds.extend(self.conds(er, &j.scoped.filters)?);
        Ok(conds.join(" and "))
    }

    fn next_alias(&mut self) -> String {
        self.embeds += 1;
        format!("_pgrst_e{}", self.embeds)
    }

    /// The embed's JSON value for one parent row.
    pub fn embed_value(&mut self, parent: Rel, j: &Joined) -> Result<String, ApiError> {
        let alias = self.next_alias();
        let er = Rel { t: &j.table, alias: &alias };
        let list = self.select_list(er, &j.select, &[])?;
        let cond = self.embed_scope(parent, j, &alias)?;
        if j.to_one {
            return Ok(format!(
                "(select row_to_json(_pgrst_r) from (select {list} from {} where {cond} limit 1) _pgrst_r)",
                er.from()
            ));
        }
        let order = self.order_clause(er, &j.scoped.order)?;
        let page = self.page(cap(j.scoped.limit, self.max_rows), j.scoped.offset.unwrap_or(0));
        Ok(format!("coalesce((select json_agg(_pgrst_r) from (select {list} from {} where {cond}{order}{page}) _pgrst_r), '[]')", er.from()))
    }

    /// `!inner`: the parent row stays only if a matching embedded row exists.
    pub fn embed_exists(&mut self, parent: Rel, j: &Joined) -> Result<String, ApiError> {
        let alias = self.next_alias();
        let er = Rel { t: &j.table, alias: &alias };
        let cond = self.embed_scope(parent, j, &alias)?;
        Ok(format!("exists (select 1 from {} where {cond})", er.from()))
    }
}
