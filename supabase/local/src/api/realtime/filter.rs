//! `postgres_changes` filters (<https://supabase.com/docs/guides/realtime/postgres-changes#available-filters>): `column=op.value` with eq, neq, lt, lte, gt,
//! gte, in (`in.(a,b)`); several joined by commas are ANDed (Realtime ≥ 2.100).
//!
//! Realtime compares in Postgres after casting the filter text to the column type. Here the
//! comparison runs on the change's typed JSON: numbers numerically, booleans as booleans,
//! UUIDs case-insensitively, other strings (text, enums, timestamps as rendered in UTC) by
//! byte order. A column that is null or absent from the change never matches.
use serde_json::{Map, Value};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub column: String,
    pub op: Op,
    /// The value text, or the items of an `in` list.
    pub values: Vec<String>,
}

/// Realtime's message, with the parts rendered as Elixir's `inspect` shows a list.
fn parse_error(parts: &[&str]) -> String {
    let list: Vec<String> = parts.iter().map(|p| format!("{:?}", p)).collect();
    format!("Error parsing `filter` params: [{}]", list.join(", "))
}

/// Splits on commas that are not inside an `in.(…)` list.
fn split_top_level(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_one(f: &str) -> Result<Filter, String> {
    let Some((column, rest)) = f.split_once('=') else {
        return Err(parse_error(&[f]));
    };
    let Some((op, value)) = rest.split_once('.') else {
        return Err(parse_error(&[rest]));
    };
    let op = match op {
        "eq" => Op::Eq,
        "neq" => Op::Neq,
        "lt" => Op::Lt,
        "lte" => Op::Lte,
        "gt" => Op::Gt,
        "gte" => Op::Gte,
        "in" => Op::In,
        _ => return Err(parse_error(&[op, value])),
    };
    if column.trim().is_empty() {
        return Err(parse_error(&[op_name(op), value]));
    }
    let values = if op == Op::In {
        let inner =
            value.strip_prefix('(').and_then(|v| v.strip_suffix(')')).ok_or_else(|| parse_error(&["in", value]))?;
        inner.split(',').map(|v| v.trim().trim_matches('"').to_string()).collect()
    } else {
        vec![value.to_string()]
    };
    Ok(Filter { column: column.trim().to_string(), op, values })
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Eq => "eq",
        Op::Neq => "neq",
        Op::Lt => "lt",
        Op::Lte => "lte",
        Op::Gt => "gt",
        Op::Gte => "gte",
        Op::In => "in",
    }
}

/// An absent, empty or blank filter means "every row".
pub fn parse(filter: Option<&str>) -> Result<Vec<Filter>, String> {
    match filter.map(str::trim) {
        None | Some("") => Ok(vec![]),
        Some(f) => split_top_level(f).into_iter().map(|p| parse_one(p.trim())).collect(),
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(
            |(i, b)| {
                if [8, 13, 18, 23].contains(&i) {
                    b == b'-'
                } else {
                    b.is_ascii_hexdigit()
                }
            },
        )
}

/// How a column value compares with filter text; None when they cannot be compared.
fn compare(value: &Value, text: &str) -> Option<Ordering> {
    match value {
        Value::Null => None,
        Value::Number(n) => n.as_f64()?.partial_cmp(&text.trim().parse::<f64>().ok()?),
        Value::Bool(b) => {
            let t = match text.trim().to_ascii_lowercase().as_str() {
                "t" | "true" | "y" | "yes" | "on" | "1" => true,
                "f" | "false" | "n" | "no" | "off" | "0" => false,
                _ => return None,
            };
            Some(b.cmp(&t))
        }
        Value::String(s) if is_uuid(s) && is_uuid(text) => Some(s.to_ascii_lowercase().cmp(&text.to_ascii_lowercase())),
        Value::String(s) => Some(s.as_str().cmp(text)),
        other => {
            let parsed: Value = serde_json::from_str(text).ok()?;
            (other == &parsed).then_some(Ordering::Equal)
        }
    }
}

fn matches_one(f: &Filter, row: &Map<String, Value>) -> bool {
    let Some(value) = row.get(&f.column) else {
        return false;
    };
    let cmp = |t: &str| compare(value, t);
    match f.op {
        Op::In => f.values.iter().any(|v| cmp(v) == Some(Ordering::Equal)),
        op => match cmp(&f.values[0]) {
            None => false,
            Some(o) => match op {
                Op::Eq => o == Ordering::Equal,
                Op::Neq => o != Ordering::Equal,
                Op::Lt => o == Ordering::Less,
                Op::Lte => o != Ordering::Greater,
                Op::Gt => o == Ordering::Greater,
                Op::Gte => o != Ordering::Less,
                Op::In => unreachable!(),
            },
        },
    }
}

/// True when every filter holds for `row` (no filters: always).
pub fn matches(filters: &[Filter], row: &Map<String, Value>) -> bool {
    filters.iter().all(|f| matches_one(f, row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn parses_ops_lists_and_conjunctions() {
        assert_eq!(parse(None).unwrap(), vec![]);
        assert_eq!(parse(Some("  ")).unwrap(), vec![]);
        assert_eq!(
            parse(Some("id=eq.1.5")).unwrap(),
            vec![Filter { column: "id".into(), op: Op::Eq, values: vec!["1.5".into()] }]
        );
        let f = parse(Some("name=in.(red, \"blue\"),n=gt.0")).unwrap();
        assert_eq!(f[0], Filter { column: "name".into(), op: Op::In, values: vec!["red".into(), "blue".into()] });
        assert_eq!((f[1].op, f[1].values[0].as_str()), (Op::Gt, "0"));
        for (s, op) in [("a=neq.x", Op::Neq), ("a=lt.x", Op::Lt), ("a=lte.x", Op::Lte), ("a=gte.x", Op::Gte)] {
            assert_eq!(parse(Some(s)).unwrap()[0].op, op);
        }
    }

    #[test]
    fn parse_errors_use_realtimes_message() {
        assert_eq!(parse(Some("subject=fts.hey")).unwrap_err(), r#"Error parsing `filter` params: ["fts", "hey"]"#);
        assert_eq!(parse(Some("undefined")).unwrap_err(), r#"Error parsing `filter` params: ["undefined"]"#);
        assert!(parse(Some("a=in.red")).is_err());
        assert!(parse(Some("a=eq.1,b=like.x")).is_err());
    }

    #[test]
    fn matching_is_typed() {
        let r = row(json!({"n": 5, "s": "queued", "b": true, "u": "8D0F0A3E-0000-4000-8000-000000000001", "z": null}));
        let m = |f: &str| matches(&parse(Some(f)).unwrap(), &r);
        assert!(
            m("n=eq.5") && m("n=eq.5.0") && m("n=gt.4") && m("n=gte.5") && m("n=lt.10") && !m("n=lt.5") && m("n=lte.5")
        );
        assert!(m("n=neq.6") && !m("n=neq.5") && m("n=in.(1,5)") && !m("n=in.(1,2)"));
        assert!(m("s=eq.queued") && m("s=neq.done") && m("s=in.(done,queued)") && !m("s=in.(done)"));
        assert!(m("b=eq.true") && m("b=eq.t") && !m("b=eq.false"));
        assert!(m("u=eq.8d0f0a3e-0000-4000-8000-000000000001"));
        assert!(!m("z=eq.x") && !m("z=neq.x"), "null never matches");
        assert!(!m("missing=eq.1") && !m("missing=neq.1"), "absent column never matches");
        assert!(m("n=gt.1,s=eq.queued") && !m("n=gt.1,s=eq.done"), "comma means AND");
        assert!(!m("n=eq.abc"), "uncastable value does not match");
        assert!(matches(&[], &r));
    }
}
