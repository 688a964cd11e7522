//! PostgREST's query-string grammar (<https://docs.postgrest.org/en/v12/references/api/tables_views.html>), the subset this stack serves:
//! which parameter is what. Filters and logic trees are in `filter.rs`, `select=` in
//! `select.rs`. Parsing never validates names: the SQL builder checks every name against
//! the catalog.
pub use super::filter::{parse_filter, parse_logic, Cond, Filter, Op};
use super::lex::{err, is_name, split_top, ParseError};
pub use super::select::{parse_select, Embed, SelectItem};

#[derive(Debug, Clone, PartialEq)]
pub struct OrderTerm {
    pub column: String,
    pub desc: bool,
    pub nulls_first: Option<bool>,
}

/// Filters, order and paging of one level: the top level, or one embed (`embed.col=…`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scoped {
    pub filters: Vec<Cond>,
    pub order: Vec<OrderTerm>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryParams {
    pub select: Vec<SelectItem>,
    pub filters: Vec<Cond>,
    pub order: Vec<OrderTerm>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// `columns=` of a bulk insert, unquoted.
    pub columns: Option<Vec<String>>,
    /// `on_conflict=` of an upsert.
    pub on_conflict: Option<Vec<String>>,
    /// Parameters scoped to an embed, keyed by the embed's alias or name.
    pub embedded: Vec<(String, Scoped)>,
}

impl QueryParams {
    /// The scoped parameters of the embed known as `alias` (or by its table `name`).
    pub fn scoped(&self, alias: &str, name: &str) -> Option<&Scoped> {
        self.embedded
            .iter()
            .find(|(k, _)| k == alias)
            .or_else(|| self.embedded.iter().find(|(k, _)| k == name))
            .map(|(_, s)| s)
    }
    fn scope_mut(&mut self, key: &str) -> &mut Scoped {
        if let Some(i) = self.embedded.iter().position(|(k, _)| k == key) {
            return &mut self.embedded[i].1;
        }
        self.embedded.push((key.to_string(), Scoped::default()));
        &mut self.embedded.last_mut().expect("just pushed").1
    }
}

/// Percent-decoding of one query component (`+` is a space, as in forms).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_order(raw: &str) -> Result<Vec<OrderTerm>, ParseError> {
    let fail = |d: &str| err(format!("failed to parse order ({raw})"), d.to_string());
    raw.split(',')
        .map(|term| {
            let mut parts = term.split('.');
            let column = parts.next().filter(|c| is_name(c)).ok_or_else(|| fail("expecting a column name"))?;
            let mut t = OrderTerm { column: column.to_string(), desc: false, nulls_first: None };
            for modifier in parts {
                match modifier {
                    "asc" => t.desc = false,
                    "desc" => t.desc = true,
                    "nullsfirst" => t.nulls_first = Some(true),
                    "nullslast" => t.nulls_first = Some(false),
                    m => {
                        return Err(fail(&format!(
                            "unexpected \"{m}\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""
                        )))
                    }
                }
            }
            Ok(t)
        })
        .collect()
}

fn parse_count(name: &str, raw: &str) -> Result<i64, ParseError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| err(format!("failed to parse {name} parameter ({raw})"), "expecting a non-negative integer"))
}

/// `columns="a","b"` / `on_conflict=a,b`: a list of plain or double-quoted names.
fn parse_names(param: &str, raw: &str) -> Result<Vec<String>, ParseError> {
    split_top(raw)
        .into_iter()
        .map(|n| {
            let n = n.trim();
            let n = n.strip_prefix('"').and_then(|n| n.strip_suffix('"')).unwrap_or(n);
            if is_name(n) {
                Ok(n.to_string())
            } else {
                Err(err(format!("failed to parse {param} parameter ({raw})"), format!("unexpected name \"{n}\"")))
            }
        })
        .collect()
}

/// Parses a raw (still percent-encoded) query string. `apikey` is the gateway's, not a filter.
pub fn parse_query(query: &str) -> Result<QueryParams, ParseError> {
    parse_query_except(query, &[]).map(|(q, _)| q)
}

/// As `parse_query`, but keys in `args` (a GET RPC's argument names) are returned as
/// `(name, value)` pairs instead of being read as filters.
pub fn parse_query_except(query: &str, args: &[String]) -> Result<(QueryParams, Vec<(String, String)>), ParseError> {
    let mut q = QueryParams { select: vec![SelectItem::Star], ..Default::default() };
    let mut taken = vec![];
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v));
        match k.as_str() {
            "select" => q.select = parse_select(if v.is_empty() { "*" } else { &v })?,
            "columns" => q.columns = Some(parse_names("columns", &v)?),
            "on_conflict" => q.on_conflict = Some(parse_names("on_conflict", &v)?),
            "apikey" => {}
            _ if args.contains(&k) => taken.push((k, v)),
            _ => {
                // `embed.key` scopes the parameter to an embed; `not.or`/`not.and` are top level.
                let (scope, key) = match k.split_once('.') {
                    Some(("not", _)) | None => (None, k.as_str()),
                    Some((s, rest)) => (Some(s), rest),
                };
                if key.contains('.') && !matches!(key, "not.or" | "not.and") {
                    return Err(err(
                        format!("failed to parse filter ({k})"),
                        "only one level of embedding is supported",
                    ));
                }
                let s: &mut Scoped = match scope {
                    Some(s) => q.scope_mut(s),
                    None => {
                        // Reuse the same routing for the top level through a temporary scope.
                        let mut top = Scoped {
                            filters: std::mem::take(&mut q.filters),
                            order: std::mem::take(&mut q.order),
                            limit: q.limit,
                            offset: q.offset,
                        };
                        route(&mut top, key, &v)?;
                        (q.filters, q.order, q.limit, q.offset) = (top.filters, top.order, top.limit, top.offset);
                        continue;
                    }
                };
                route(s, key, &v)?;
            }
        }
    }
    Ok((q, taken))
}

fn route(s: &mut Scoped, key: &str, v: &str) -> Result<(), ParseError> {
    match key {
        "order" => s.order = parse_order(v)?,
        "limit" => s.limit = Some(parse_count("limit", v)?),
        "offset" => s.offset = Some(parse_count("offset", v)?),
        "or" | "and" | "not.or" | "not.and" => s.filters.push(parse_logic(key, v)?),
        _ => s.filters.push(Cond::Filter(parse_filter(key, v)?)),
    }
    Ok(())
}
