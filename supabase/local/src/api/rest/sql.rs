//! SQL generation for reads. Names are checked against the catalog and always quoted; every
//! value is a bound text parameter cast to the column's catalog type, so no request can
//! inject SQL. Writes are in `write.rs`, embeds in `embed.rs`.
use super::json_path::{default_key, JsonOperand, JsonStep};
use super::parse::{Cond, Filter, Op, OrderTerm, QueryParams, Scoped, SelectItem};
use crate::api::error::ApiError;

/// A table or view of `public`, as the catalog describes it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    /// (column name, `format_type` of its type), in attribute order.
    pub columns: Vec<(String, String)>,
    /// (column, default expression as the catalog prints it), for `Prefer: missing=default`.
    pub defaults: Vec<(String, String)>,
    /// Primary key columns (the default `on_conflict` target).
    pub pk: Vec<String>,
    /// What the rows are read from when it is not the table itself (an RPC's result set).
    pub source: Option<String>,
}

/// The catalog lookup: `$1` is the table name. Runs as the request's role.
pub const TABLE_SQL: &str = "select a.attname::text, format_type(a.atttypid, a.atttypmod),
    pg_get_expr(d.adbin, d.adrelid),
    coalesce(a.attnum = any(i.indkey::int2[]), false)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
  left join pg_index i on i.indrelid = c.oid and i.indisprimary
  where n.nspname = 'public' and c.relname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
  order by a.attnum";

impl Table {
    /// A table from the rows of `TABLE_SQL`.
    pub fn from_rows(name: &str, rows: &[tokio_postgres::Row]) -> Table {
        let mut t = Table { name: name.to_string(), ..Default::default() };
        for r in rows {
            let col: String = r.get(0);
            if let Some(d) = r.get::<_, Option<String>>(2) {
                t.defaults.push((col.clone(), d));
            }
            if r.get::<_, bool>(3) {
                t.pk.push(col.clone());
            }
            t.columns.push((col, r.get(1)));
        }
        t
    }

    pub fn qualified(&self) -> String {
        format!("\"public\".{}", quote_ident(&self.name))
    }

    /// The column's type, or PostgREST's 42703 error worded as Postgres words it.
    pub fn column_type(&self, column: &str) -> Result<&str, ApiError> {
        self.columns.iter().find(|(c, _)| c == column).map(|(_, t)| t.as_str()).ok_or_else(|| {
            ApiError::rest(400, "42703", format!("column {}.{} does not exist", self.name, column), None)
        })
    }
}

/// A table as it appears in one query: under its own name, or an alias inside an embed.
#[derive(Debug, Clone, Copy)]
pub struct Rel<'a> {
    pub t: &'a Table,
    pub alias: &'a str,
}

impl<'a> Rel<'a> {
    pub fn of(t: &'a Table) -> Rel<'a> {
        Rel { t, alias: &t.name }
    }
    pub fn col(&self, column: &str) -> String {
        format!("{}.{}", quote_ident(self.alias), quote_ident(column))
    }
    /// `public.t as "alias"`.
    pub fn from(&self) -> String {
        let source = self.t.source.clone().unwrap_or_else(|| self.t.qualified());
        format!("{source} as {}", quote_ident(self.alias))
    }
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(String),
    List(Vec<String>),
    /// A possibly-null value (RPC arguments).
    Opt(Option<String>),
    /// An array whose elements may be null (RPC array arguments).
    OptList(Vec<Option<String>>),
}

pub use crate::postgres::quote_ident;

/// An embed resolved against the catalog, ready to render.
#[derive(Debug, Clone)]
pub struct Joined {
    /// The key in the output object (alias or table name).
    pub key: String,
    pub table: Table,
    pub to_one: bool,
    /// (parent column, embedded column) pairs of the join.
    pub on: Vec<(String, String)>,
    pub inner: bool,
    pub select: Vec<SelectItem>,
    pub scoped: Scoped,
}

/// Accumulates placeholders.
#[derive(Default, Debug)]
pub struct Builder {
    pub params: Vec<Param>,
    /// Embeds rendered so far (names their aliases `_pgrst_e<n>`).
    pub embeds: usize,
    /// `[api] max_rows` for reads: caps every to-many embed as it caps the top level. Writes
    /// leave it unset: PostgREST does not cap the representation of written rows.
    pub max_rows: Option<i64>,
}

impl Builder {
    pub fn bind(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }

    /// The select list; embeds are correlated subqueries (so RLS applies to them too).
    pub fn select_list(&mut self, r: Rel, items: &[SelectItem], joined: &[Joined]) -> Result<String, ApiError> {
        let mut out = vec![];
        for item in items {
            match item {
                SelectItem::Star => {
                    out.extend(r.t.columns.iter().map(|(c, _)| format!("{} as {}", r.col(c), quote_ident(c))))
                }
                SelectItem::Column { name, path, alias, cast } => {
                    let (mut s, _) = self.field(r, name, path)?;
                    if let Some(c) = cast {
                        // The parser allows only [A-Za-z0-9_] here.
                        s.push_str(&format!("::{c}"));
                    }
                    let key = alias.as_deref().unwrap_or_else(|| default_key(name, path));
                    s.push_str(&format!(" as {}", quote_ident(key)));
                    out.push(s);
                }
                SelectItem::Embed(e) => {
                    let j = joined.iter().find(|j| j.key == e.key()).expect("every embed is resolved before building");
                    if !j.select.is_empty() {
                        let sub = self.embed_value(r, j)?;
                        out.push(format!("{sub} as {}", quote_ident(&j.key)));
                    }
                }
            }
        }
        Ok(out.join(", "))
    }

    fn filter(&mut self, r: Rel, f: &Filter) -> Result<String, ApiError> {
        let (col, ty) = self.field(r, &f.column, &f.path)?;
        let sql = match &f.op {
            Op::Like => format!("{col}::text like {}::text", self.bind(Param::Text(f.value.clone()))),
            Op::Ilike => format!("{col}::text ilike {}::text", self.bind(Param::Text(f.value.clone()))),
            Op::Match | Op::Imatch => {
                format!("{col}::text {} {}::text", f.op.sql().unwrap_or("~"), self.bind(Param::Text(f.value.clone())))
            }
            Op::In(items) => format!("{col} = any({}::text[]::{ty}[])", self.bind(Param::List(items.clone()))),
            Op::Is(kw) => format!("{col} is {kw}"),
            op => format!("{col} {} {}::text::{ty}", op.sql().unwrap_or("="), self.bind(Param::Text(f.value.clone()))),
        };
        Ok(if f.negate { format!("not ({sql})") } else { sql })
    }

    pub fn cond(&mut self, r: Rel, c: &Cond) -> Result<String, ApiError> {
        match c {
            Cond::Filter(f) => self.filter(r, f),
            Cond::Tree { negate, or, items } => {
                let parts = items.iter().map(|i| self.cond(r, i)).collect::<Result<Vec<_>, _>>()?;
                let joined = format!("({})", parts.join(if *or { " or " } else { " and " }));
                Ok(if *negate { format!("not {joined}") } else { joined })
            }
        }
    }

    /// Conditions joined with `and` (empty when there are none).
    pub fn conds(&mut self, r: Rel, conds: &[Cond]) -> Result<Vec<String>, ApiError> {
        conds.iter().map(|c| self.cond(r, c)).collect()
    }

    pub fn where_clause(&mut self, t: &Table, filters: &[Cond]) -> Result<String, ApiError> {
        let parts = self.conds(Rel::of(t), filters)?;
        Ok(if parts.is_empty() { String::new() } else { format!(" where {}", parts.join(" and ")) })
    }

    /// The top level's filters plus one `exists` per `!inner` embed.
    fn where_all(&mut self, r: Rel, filters: &[Cond], joined: &[Joined]) -> Result<String, ApiError> {
        let mut parts = self.conds(r, filters)?;
        for j in joined.iter().filter(|j| j.inner) {
            parts.push(self.embed_exists(r, j)?);
        }
        Ok(if parts.is_empty() { String::new() } else { format!(" where {}", parts.join(" and ")) })
    }

    pub fn order_clause(&self, r: Rel, order: &[OrderTerm]) -> Result<String, ApiError> {
        if order.is_empty() {
            return Ok(String::new());
        }
        let terms = order
            .iter()
            .map(|o| {
                r.t.column_type(&o.column)?;
                let nulls = match o.nulls_first {
                    Some(true) => " nulls first",
                    Some(false) => " nulls last",
                    None => "",
                };
                Ok(format!("{} {}{nulls}", r.col(&o.column), if o.desc { "desc" } else { "asc" }))
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(format!(" order by {}", terms.join(", ")))
    }

    pub fn page(&mut self, limit: Option<i64>, offset: i64) -> String {
        let mut page = String::new();
        if let Some(l) = limit {
            page.push_str(&format!(" limit {}::text::bigint", self.bind(Param::Text(l.to_string()))));
        }
        if offset > 0 {
            page.push_str(&format!(" offset {}::text::bigint", self.bind(Param::Text(offset.to_string()))));
        }
        page
    }

    /// A read returning `(json array text, row count)`.
    pub fn read(
        &mut self,
        t: &Table,
        q: &QueryParams,
        joined: &[Joined],
        limit: Option<i64>,
        offset: i64,
    ) -> Result<String, ApiError> {
        let r = Rel::of(t);
        let select = self.select_list(r, &q.select, joined)?;
        let filter = self.where_all(r, &q.filters, joined)?;
        let order = self.order_clause(r, &q.order)?;
        let page = self.page(limit, offset);
        Ok(format!(
            "select coalesce(json_agg(_pgrst_t), '[]')::text, count(*) from (select {select} from {}{filter}{order}{page}) _pgrst_t",
            r.from()
        ))
    }

    /// The exact count of rows the filters match (for `Prefer: count=exact`).
    pub fn count(&mut self, t: &Table, q: &QueryParams, joined: &[Joined]) -> Result<String, ApiError> {
        let r = Rel::of(t);
        let filter = self.where_all(r, &q.filters, joined)?;
        Ok(format!("select count(*) from {}{filter}", r.from()))
    }
}

impl Builder {
    /// The SQL of `column` followed by `path`, and the type of the result: the column's own
    /// type without a path, `text` after `->>`, `jsonb` after `->`. A column that is not JSON
    /// is read through `to_jsonb`, as PostgREST does. Keys and indexes are bound parameters.
    pub fn field(&mut self, r: Rel, column: &str, path: &[JsonStep]) -> Result<(String, String), ApiError> {
        let ty = r.t.column_type(column)?.to_string();
        let mut sql = r.col(column);
        if path.is_empty() {
            return Ok((sql, ty));
        }
        if ty != "json" && ty != "jsonb" {
            sql = format!("to_jsonb({sql})");
        }
        for step in path {
            let operand = match &step.operand {
                JsonOperand::Key(k) => format!("{}::text", self.bind(Param::Text(k.clone()))),
                JsonOperand::Index(i) => format!("{}::text::int", self.bind(Param::Text(i.to_string()))),
            };
            sql = format!("{sql}{}{operand}", if step.as_text { "->>" } else { "->" });
        }
        let result = if path.last().is_some_and(|s| s.as_text) {
            "text"
        } else if ty == "json" {
            "json"
        } else {
            "jsonb"
        };
        Ok((format!("({sql})"), result.to_string()))
    }
}
