//! SQL generation. Names are checked against the catalog and always quoted; every value is a bound
//! text parameter cast to the column's catalog type, so no request can inject SQL.
use super::parse::{Filter, Op, OrderTerm, QueryParams, SelectItem};
use crate::api::error::ApiError;

/// A table or view of `public`, as the catalog describes it.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// (column name, `format_type` of its type), in attribute order.
    pub columns: Vec<(String, String)>,
}

/// The catalog lookup: `$1` is the table name. Runs as the request's role.
pub const TABLE_SQL: &str = "select a.attname::text, format_type(a.atttypid, a.atttypmod)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where n.nspname = 'public' and c.relname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
  order by a.attnum";

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(String),
    List(Vec<String>),
}

pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Table {
    pub fn qualified(&self) -> String {
        format!("\"public\".{}", quote_ident(&self.name))
    }

    /// The column's type, or PostgREST's 42703 error worded as Postgres words it.
    pub fn column_type(&self, column: &str) -> Result<&str, ApiError> {
        self.columns.iter().find(|(c, _)| c == column).map(|(_, t)| t.as_str()).ok_or_else(|| {
            ApiError::rest(400, "42703", format!("column {}.{} does not exist", self.name, column), None)
        })
    }

    fn col(&self, column: &str) -> String {
        format!("{}.{}", quote_ident(&self.name), quote_ident(column))
    }
}

/// Accumulates placeholders.
#[derive(Default, Debug)]
pub struct Builder {
    pub params: Vec<Param>,
}

impl Builder {
    fn bind(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }

    pub fn select_list(&self, t: &Table, items: &[SelectItem]) -> Result<String, ApiError> {
        let mut out = vec![];
        for item in items {
            match item {
                SelectItem::Star => out.push(format!("{}.*", quote_ident(&t.name))),
                SelectItem::Column { name, alias, cast } => {
                    t.column_type(name)?;
                    let mut s = t.col(name);
                    if let Some(c) = cast {
                        // The parser allows only [A-Za-z0-9_] here.
                        s.push_str(&format!("::{c}"));
                    }
                    s.push_str(&format!(" as {}", quote_ident(alias.as_deref().unwrap_or(name))));
                    out.push(s);
                }
            }
        }
        Ok(out.join(", "))
    }

    fn filter(&mut self, t: &Table, f: &Filter) -> Result<String, ApiError> {
        let ty = t.column_type(&f.column)?.to_string();
        let col = t.col(&f.column);
        let cmp = |b: &mut Builder, op: &str, v: &str| format!("{col} {op} {}::text::{ty}", b.bind(Param::Text(v.to_string())));
        let sql = match &f.op {
            Op::Eq => cmp(self, "=", &f.value),
            Op::Neq => cmp(self, "<>", &f.value),
            Op::Gt => cmp(self, ">", &f.value),
            Op::Gte => cmp(self, ">=", &f.value),
            Op::Lt => cmp(self, "<", &f.value),
            Op::Lte => cmp(self, "<=", &f.value),
            Op::Like => format!("{col}::text like {}::text", self.bind(Param::Text(f.value.clone()))),
            Op::Ilike => format!("{col}::text ilike {}::text", self.bind(Param::Text(f.value.clone()))),
            Op::In(items) => format!("{col} = any({}::text[]::{ty}[])", self.bind(Param::List(items.clone()))),
            Op::Is(kw) => format!("{col} is {kw}"),
        };
        Ok(if f.negate { format!("not ({sql})") } else { sql })
    }

    pub fn where_clause(&mut self, t: &Table, filters: &[Filter]) -> Result<String, ApiError> {
        if filters.is_empty() {
            return Ok(String::new());
        }
        let parts = filters.iter().map(|f| self.filter(t, f)).collect::<Result<Vec<_>, _>>()?;
        Ok(format!(" where {}", parts.join(" and ")))
    }

    fn order_clause(&self, t: &Table, order: &[OrderTerm]) -> Result<String, ApiError> {
        if order.is_empty() {
            return Ok(String::new());
        }
        let terms = order
            .iter()
            .map(|o| {
                t.column_type(&o.column)?;
                let nulls = match o.nulls_first {
                    Some(true) => " nulls first",
                    Some(false) => " nulls last",
                    None => "",
                };
                Ok(format!("{} {}{nulls}", t.col(&o.column), if o.desc { "desc" } else { "asc" }))
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(format!(" order by {}", terms.join(", ")))
    }

    /// A read returning `(json array text, row count)`.
    pub fn read(&mut self, t: &Table, q: &QueryParams, limit: Option<i64>, offset: i64) -> Result<String, ApiError> {
        let select = self.select_list(t, &q.select)?;
        let filter = self.where_clause(t, &q.filters)?;
        let order = self.order_clause(t, &q.order)?;
        let mut page = String::new();
        if let Some(l) = limit {
            page.push_str(&format!(" limit {}::text::bigint", self.bind(Param::Text(l.to_string()))));
        }
        if offset > 0 {
            page.push_str(&format!(" offset {}::text::bigint", self.bind(Param::Text(offset.to_string()))));
        }
        Ok(format!(
            "select coalesce(json_agg(_pgrst_t), '[]')::text, count(*) from (select {select} from {}{filter}{order}{page}) _pgrst_t",
            t.qualified()
        ))
    }

    /// The exact count of rows the filters match (for `Prefer: count=exact`).
    pub fn count(&mut self, t: &Table, q: &QueryParams) -> Result<String, ApiError> {
        let filter = self.where_clause(t, &q.filters)?;
        Ok(format!("select count(*) from {}{filter}", t.qualified()))
    }

    /// Wraps a write so it returns `(json array text, row count)` shaped by `select`.
    fn represent(&self, t: &Table, write: String, items: &[SelectItem]) -> Result<String, ApiError> {
        let select = self.select_list(t, items)?;
        Ok(format!(
            "with _pgrst_w as ({write} returning {}.*) select coalesce(json_agg(_pgrst_t), '[]')::text, count(*) from (select {select} from _pgrst_w as {}) _pgrst_t",
            quote_ident(&t.name),
            quote_ident(&t.name)
        ))
    }

    /// Inserts rows from a JSON array bound as text; only `keys` are written so defaults apply.
    pub fn insert(&mut self, t: &Table, keys: &[String], body: String, represent: Option<&[SelectItem]>) -> Result<String, ApiError> {
        for k in keys {
            t.column_type(k).map_err(|_| {
                ApiError::rest(400, "PGRST204", format!("Could not find the '{k}' column of '{}' in the schema cache", t.name), None)
            })?;
        }
        let cols = keys.iter().map(|k| quote_ident(k)).collect::<Vec<_>>().join(", ");
        let p = self.bind(Param::Text(body));
        let write = format!("insert into {} ({cols}) select {cols} from json_populate_recordset(null::{}, {p}::text::json)", t.qualified(), t.qualified());
        match represent {
            Some(items) => self.represent(t, write, items),
            None => Ok(write),
        }
    }

    /// Updates matching rows with the keys of a JSON object bound as text.
    pub fn update(&mut self, t: &Table, keys: &[String], body: String, filters: &[Filter], represent: Option<&[SelectItem]>) -> Result<String, ApiError> {
        for k in keys {
            t.column_type(k).map_err(|_| {
                ApiError::rest(400, "PGRST204", format!("Could not find the '{k}' column of '{}' in the schema cache", t.name), None)
            })?;
        }
        let p = self.bind(Param::Text(body));
        let set = keys.iter().map(|k| format!("{} = _pgrst_src.{}", quote_ident(k), quote_ident(k))).collect::<Vec<_>>().join(", ");
        let filter = self.where_clause(t, filters)?;
        let write = format!(
            "update {} set {set} from (select * from json_populate_record(null::{}, {p}::text::json)) _pgrst_src{filter}",
            t.qualified(),
            t.qualified()
        );
        match represent {
            Some(items) => self.represent(t, write, items),
            None => Ok(write),
        }
    }

    pub fn delete(&mut self, t: &Table, filters: &[Filter], represent: Option<&[SelectItem]>) -> Result<String, ApiError> {
        let filter = self.where_clause(t, filters)?;
        let write = format!("delete from {}{filter}", t.qualified());
        match represent {
            Some(items) => self.represent(t, write, items),
            None => Ok(write),
        }
    }
}
