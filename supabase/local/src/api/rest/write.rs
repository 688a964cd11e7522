//! SQL for writes. Every write is wrapped so it returns one row:
//! `(json array text or null, affected rows, inserted rows)`; the body is read from one bound
//! JSON text parameter, and only the listed columns are written, so defaults apply.
use super::parse::{Cond, SelectItem};
use super::sql::{quote_ident, Builder, Joined, Param, Rel, Table};
use crate::api::error::ApiError;

/// `Prefer: resolution=…` with its conflict target.
#[derive(Debug, Clone, PartialEq)]
pub struct Upsert {
    pub on: Vec<String>,
    /// merge-duplicates (update) rather than ignore-duplicates (do nothing).
    pub merge: bool,
}

/// `return=representation`: the select list (and its embeds) applied to the written rows.
pub type Represent<'a> = Option<(&'a [SelectItem], &'a [Joined])>;

fn unknown_column(t: &Table, k: &str) -> ApiError {
    ApiError::rest(
        400,
        "PGRST204",
        format!("Could not find the '{k}' column of '{}' in the schema cache", t.name),
        None,
    )
}

impl Builder {
    fn wrap(&mut self, r: Rel, write: String, rep: Represent, upsert: bool) -> Result<String, ApiError> {
        let a = quote_ident(r.alias);
        let mut ret = if rep.is_some() { format!("{a}.*") } else { "1 as _pgrst_one".into() };
        if upsert {
            ret.push_str(&format!(", ({a}.xmax = 0) as _pgrst_inserted"));
        }
        let json = match rep {
            Some((items, joined)) => {
                let list = self.select_list(r, items, joined)?;
                format!("(select coalesce(json_agg(_pgrst_t), '[]')::text from (select {list} from _pgrst_w as {a}) _pgrst_t)")
            }
            None => "null::text".into(),
        };
        let inserted = if upsert {
            "(select count(*) from _pgrst_w where _pgrst_inserted)"
        } else {
            "(select count(*) from _pgrst_w)"
        };
        Ok(format!(
            "with _pgrst_w as ({write} returning {ret}) select {json}, (select count(*) from _pgrst_w), {inserted}"
        ))
    }

    /// Inserts the rows of a JSON array. `keys` are the columns written; with `missing_default`
    /// a key absent from a row takes the column default instead of null.
    pub fn insert(
        &mut self,
        t: &Table,
        keys: &[String],
        body: String,
        missing_default: bool,
        upsert: Option<&Upsert>,
        rep: Represent,
    ) -> Result<String, ApiError> {
        for k in keys {
            t.column_type(k).map_err(|_| unknown_column(t, k))?;
        }
        let r = Rel::of(t);
        let p = self.bind(Param::Text(body));
        let mut exprs = vec![];
        for k in keys {
            let default = t.defaults.iter().find(|(c, _)| c == k).map(|(_, d)| d.clone());
            exprs.push(match default {
                // The default expression is catalog text written by the schema's owner.
                Some(d) if missing_default => format!(
                    "case when _pgrst_j.v ? {} then _pgrst_r.{} else {d} end",
                    self.bind(Param::Text(k.clone())),
                    quote_ident(k)
                ),
                _ => format!("_pgrst_r.{}", quote_ident(k)),
            });
        }
        let cols = if keys.is_empty() {
            String::new()
        } else {
            format!(" ({})", keys.iter().map(|k| quote_ident(k)).collect::<Vec<_>>().join(", "))
        };
        // Only the written keys are read (typed from the catalog), so other keys are ignored.
        let record = if keys.is_empty() {
            String::new()
        } else {
            let defs = keys
                .iter()
                .map(|k| Ok(format!("{} {}", quote_ident(k), t.column_type(k)?)))
                .collect::<Result<Vec<_>, ApiError>>()?;
            format!(" cross join lateral jsonb_to_record(_pgrst_j.v) as _pgrst_r({})", defs.join(", "))
        };
        let mut write = format!(
            "insert into {}{cols} select {} from jsonb_array_elements({p}::text::jsonb) with ordinality as _pgrst_j(v, n){record} order by _pgrst_j.n",
            r.from(),
            exprs.join(", "),
        );
        if let Some(u) = upsert {
            let on = if u.on.is_empty() { &t.pk } else { &u.on };
            if on.is_empty() {
                return Err(ApiError::rest(
                    400,
                    "PGRST100",
                    "An upsert needs on_conflict columns or a primary key",
                    None,
                ));
            }
            for c in on {
                t.column_type(c)?;
            }
            let target = on.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
            let sets: Vec<String> =
                keys.iter().map(|k| format!("{} = excluded.{}", quote_ident(k), quote_ident(k))).collect();
            if u.merge && !sets.is_empty() {
                write.push_str(&format!(" on conflict ({target}) do update set {}", sets.join(", ")));
            } else {
                write.push_str(&format!(" on conflict ({target}) do nothing"));
            }
        }
        self.wrap(r, write, rep, upsert.is_some())
    }

    /// Updates matching rows with the keys of a JSON object bound as text.
    pub fn update(
        &mut self,
        t: &Table,
        keys: &[String],
        body: String,
        filters: &[Cond],
        rep: Represent,
    ) -> Result<String, ApiError> {
        for k in keys {
            t.column_type(k).map_err(|_| unknown_column(t, k))?;
        }
        let r = Rel::of(t);
        let p = self.bind(Param::Text(body));
        let set = keys
            .iter()
            .map(|k| format!("{} = _pgrst_src.{}", quote_ident(k), quote_ident(k)))
            .collect::<Vec<_>>()
            .join(", ");
        let filter = self.where_clause(t, filters)?;
        let write = format!("update {} set {set} from (select * from json_populate_record(null::{}, {p}::text::json)) _pgrst_src{filter}", r.from(), t.qualified());
        self.wrap(r, write, rep, false)
    }

    pub fn delete(&mut self, t: &Table, filters: &[Cond], rep: Represent) -> Result<String, ApiError> {
        let r = Rel::of(t);
        let filter = self.where_clause(t, filters)?;
        self.wrap(r, format!("delete from {}{filter}", r.from()), rep, false)
    }
}
