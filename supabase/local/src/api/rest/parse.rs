//! PostgREST's query-string grammar (reference §3.2–3.4), the subset this stack serves.
//! Parsing never validates names: the SQL builder checks every name against the catalog.

#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    Star,
    Column { name: String, alias: Option<String>, cast: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq, Neq, Gt, Gte, Lt, Lte, Like, Ilike,
    In(Vec<String>),
    /// `is.null|not_null|true|false|unknown`, kept as the SQL keyword to emit.
    Is(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub column: String,
    pub negate: bool,
    pub op: Op,
    /// The operand of scalar operators (always bound as a parameter).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderTerm {
    pub column: String,
    pub desc: bool,
    pub nulls_first: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryParams {
    pub select: Vec<SelectItem>,
    pub filters: Vec<Filter>,
    pub order: Vec<OrderTerm>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A PGRST100 error: message and details as PostgREST words them.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub details: String,
}

fn err(message: String, details: impl Into<String>) -> ParseError {
    ParseError { message, details: details.into() }
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
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits on commas outside double quotes and parentheses.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth, mut quoted, mut escaped) = (vec![], String::new(), 0i32, false, false);
    for c in s.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}

/// `in.(a,"b,c",d)` list items, unquoted and unescaped.
fn parse_list(raw: &str) -> Result<Vec<String>, String> {
    let inner = raw.strip_prefix('(').and_then(|r| r.strip_suffix(')')).ok_or("expecting \"(\" and \")\" around the list")?;
    if inner.is_empty() {
        return Ok(vec![]);
    }
    split_top(inner)
        .into_iter()
        .map(|item| {
            let t = item.trim();
            if let Some(q) = t.strip_prefix('"') {
                let q = q.strip_suffix('"').ok_or("unterminated quoted value")?;
                let (mut out, mut esc) = (String::new(), false);
                for c in q.chars() {
                    match c {
                        '\\' if !esc => esc = true,
                        c => {
                            out.push(c);
                            esc = false;
                        }
                    }
                }
                Ok(out)
            } else {
                Ok(t.to_string())
            }
        })
        .collect()
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(|c: char| matches!(c, ',' | '.' | ':' | '(' | ')'))
}

pub fn parse_filter(column: &str, raw: &str) -> Result<Filter, ParseError> {
    let fail = |d: &str| err(format!("failed to parse filter ({raw})"), d.to_string());
    let (negate, rest) = match raw.strip_prefix("not.") {
        Some(r) => (true, r),
        None => (false, raw),
    };
    let (op, value) = rest.split_once('.').ok_or_else(|| fail("expecting an operator followed by \".\""))?;
    let op = match op {
        "eq" => Op::Eq,
        "neq" => Op::Neq,
        "gt" => Op::Gt,
        "gte" => Op::Gte,
        "lt" => Op::Lt,
        "lte" => Op::Lte,
        "like" => Op::Like,
        "ilike" => Op::Ilike,
        "in" => Op::In(parse_list(value).map_err(|d| fail(&d))?),
        "is" => Op::Is(match value.to_ascii_lowercase().as_str() {
            "null" => "null",
            "not_null" => "not null",
            "true" => "true",
            "false" => "false",
            "unknown" => "unknown",
            _ => return Err(fail("expecting null, not_null, true, false or unknown")),
        }),
        other => return Err(fail(&format!("unknown operator \"{other}\""))),
    };
    let value = match op {
        Op::Like | Op::Ilike => value.replace('*', "%"),
        _ => value.to_string(),
    };
    Ok(Filter { column: column.to_string(), negate, op, value })
}

pub fn parse_select(raw: &str) -> Result<Vec<SelectItem>, ParseError> {
    let fail = |d: &str| err(format!("failed to parse select parameter ({raw})"), d.to_string());
    let mut items = vec![];
    for part in split_top(raw) {
        let part = part.trim();
        if part == "*" {
            items.push(SelectItem::Star);
            continue;
        }
        if part.contains('(') {
            return Err(fail("resource embedding is not supported by supabase-local"));
        }
        let (alias, rest) = match part.split_once(':') {
            Some((a, r)) if !r.starts_with(':') => (Some(a.to_string()), r),
            _ => (None, part),
        };
        let (name, cast) = match rest.split_once("::") {
            Some((n, c)) => (n, Some(c.to_string())),
            None => (rest, None),
        };
        if !is_name(name) || alias.as_deref().is_some_and(|a| !is_name(a)) {
            return Err(fail(&format!("unexpected select item \"{part}\"")));
        }
        if cast.as_deref().is_some_and(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
            return Err(fail("a cast must be a plain type name"));
        }
        items.push(SelectItem::Column { name: name.to_string(), alias, cast });
    }
    Ok(items)
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
                    m => return Err(fail(&format!("unexpected \"{m}\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""))),
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

/// Parses a raw (still percent-encoded) query string. `apikey` is the gateway's, not a filter.
pub fn parse_query(query: &str) -> Result<QueryParams, ParseError> {
    let mut q = QueryParams { select: vec![SelectItem::Star], ..Default::default() };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v));
        match k.as_str() {
            "select" => q.select = parse_select(if v.is_empty() { "*" } else { &v })?,
            "order" => q.order = parse_order(&v)?,
            "limit" => q.limit = Some(parse_count("limit", &v)?),
            "offset" => q.offset = Some(parse_count("offset", &v)?),
            "apikey" | "columns" | "on_conflict" => {}
            "or" | "and" | "not.or" | "not.and" => return Err(err(format!("failed to parse logic tree ({v})"), "logic trees are not supported by supabase-local")),
            _ if k.contains('.') => return Err(err(format!("failed to parse filter ({k})"), "embedded filters are not supported by supabase-local")),
            _ => q.filters.push(parse_filter(&k, &v)?),
        }
    }
    Ok(q)
}

impl From<ParseError> for crate::api::error::ApiError {
    fn from(e: ParseError) -> Self {
        crate::api::error::ApiError::rest(400, "PGRST100", e.message, Some(e.details))
    }
}
