//! Parser and SQL-builder unit tests: every operator, and hostile input never reaching SQL text.
use super::parse::*;
use super::sql::*;
use crate::api::error::ApiError;

fn sessions() -> Table {
    Table {
        name: "sessions".into(),
        columns: vec![
            ("id".into(), "uuid".into()),
            ("user_id".into(), "uuid".into()),
            ("title".into(), "text".into()),
            ("created_at".into(), "timestamp with time zone".into()),
        ],
    }
}

fn code(e: ApiError) -> (u16, String) {
    match e {
        ApiError::Rest { status, code, .. } => (status.as_u16(), code),
        other => panic!("not a REST error: {other:?}"),
    }
}

#[test]
fn every_operator_builds_bound_sql() {
    let cases = [
        ("eq.a", "\"sessions\".\"title\" = $1::text::text"),
        ("neq.a", "\"sessions\".\"title\" <> $1::text::text"),
        ("gt.a", "\"sessions\".\"title\" > $1::text::text"),
        ("gte.a", "\"sessions\".\"title\" >= $1::text::text"),
        ("lt.a", "\"sessions\".\"title\" < $1::text::text"),
        ("lte.a", "\"sessions\".\"title\" <= $1::text::text"),
        ("like.a*", "\"sessions\".\"title\"::text like $1::text"),
        ("ilike.a*", "\"sessions\".\"title\"::text ilike $1::text"),
        ("in.(a,b)", "\"sessions\".\"title\" = any($1::text[]::text[])"),
        ("is.null", "\"sessions\".\"title\" is null"),
        ("is.not_null", "\"sessions\".\"title\" is not null"),
        ("not.eq.a", "not (\"sessions\".\"title\" = $1::text::text)"),
    ];
    for (raw, expected) in cases {
        let q = parse_query(&format!("title={raw}")).unwrap();
        let mut b = Builder::default();
        let w = b.where_clause(&sessions(), &q.filters).unwrap();
        assert_eq!(w, format!(" where {expected}"), "{raw}");
    }
    let q = parse_query("title=like.a*").unwrap();
    assert_eq!(q.filters[0].value, "a%");
}

#[test]
fn in_lists_unquote_values() {
    let f = parse_filter("title", r#"in.(plain,"with,comma","with \"quote\"","par)en")"#).unwrap();
    assert_eq!(f.op, Op::In(vec!["plain".into(), "with,comma".into(), "with \"quote\"".into(), "par)en".into()]));
    let mut b = Builder::default();
    b.where_clause(&sessions(), &[f]).unwrap();
    assert_eq!(b.params.len(), 1);
}

#[test]
fn select_order_limit_and_offset() {
    let q = parse_query("select=id,name:title,created_at::text&order=created_at.desc.nullslast,title&limit=5&offset=2").unwrap();
    assert_eq!(q.limit, Some(5));
    assert_eq!(q.offset, Some(2));
    let mut b = Builder::default();
    let sql = b.read(&sessions(), &q, q.limit, 2).unwrap();
    assert!(sql.contains("\"sessions\".\"title\" as \"name\""), "{sql}");
    assert!(sql.contains("\"sessions\".\"created_at\"::text as \"created_at\""), "{sql}");
    assert!(sql.contains("order by \"sessions\".\"created_at\" desc nulls last, \"sessions\".\"title\" asc"), "{sql}");
    assert!(sql.contains("limit $1::text::bigint offset $2::text::bigint"), "{sql}");
    assert_eq!(b.params, vec![Param::Text("5".into()), Param::Text("2".into())]);
}

#[test]
fn malformed_input_is_pgrst100() {
    for query in ["title=eqx.1", "title=eq", "title=is.maybe", "title=in.a,b", "order=title.sideways", "limit=-1", "limit=abc", "select=a(b)", "select=title::text;drop"] {
        let e: ApiError = parse_query(query).unwrap_err().into();
        assert_eq!(code(e), (400, "PGRST100".into()), "{query}");
    }
}

#[test]
fn hostile_identifiers_are_unknown_columns() {
    let hostile = ["title\"; drop table sessions; --", "id/**/or/**/1=1", "tîtle", "x\u{0}", "\"title\""];
    for name in hostile {
        let q = QueryParams { filters: vec![parse_filter(name, "eq.1").unwrap()], ..Default::default() };
        let e = Builder::default().where_clause(&sessions(), &q.filters).unwrap_err();
        assert_eq!(code(e), (400, "42703".into()), "{name}");
        let q = QueryParams { select: vec![SelectItem::Column { name: name.into(), alias: None, cast: None }], ..Default::default() };
        assert!(Builder::default().read(&sessions(), &q, None, 0).is_err());
    }
    let e = Builder::default().insert(&sessions(), &["title; --".into()], "[]".into(), None).unwrap_err();
    assert_eq!(code(e), (400, "PGRST204".into()));
}

#[test]
fn hostile_values_are_only_parameters() {
    let values = ["'; drop table sessions; --", "1 or 1=1", "$$x$$", "\\\"", "日本語 ☃", "/* comment */"];
    for v in values {
        let q = parse_query(&format!("title=eq.{}", v.replace(' ', "%20"))).unwrap();
        let mut b = Builder::default();
        let sql = b.read(&sessions(), &q, None, 0).unwrap();
        assert!(!sql.contains(v), "value leaked into SQL: {sql}");
        assert_eq!(b.params, vec![Param::Text(v.to_string())]);
    }
}

#[test]
fn quoting_doubles_quotes() {
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    assert_eq!(decode("a%20b+c%22"), "a b c\"");
}

#[test]
fn writes_insert_only_given_keys() {
    let mut b = Builder::default();
    let sql = b.insert(&sessions(), &["title".into()], "[{\"title\":\"x\"}]".into(), Some(&[SelectItem::Star])).unwrap();
    assert!(sql.starts_with("with _pgrst_w as (insert into \"public\".\"sessions\" (\"title\") select \"title\" from json_populate_recordset(null::\"public\".\"sessions\", $1::text::json) returning"), "{sql}");
    let mut b = Builder::default();
    let f = parse_query("id=eq.1").unwrap().filters;
    let sql = b.update(&sessions(), &["title".into()], "{}".into(), &f, None).unwrap();
    assert!(sql.contains("set \"title\" = _pgrst_src.\"title\""), "{sql}");
    assert!(sql.ends_with("where \"sessions\".\"id\" = $2::text::uuid"), "{sql}");
}
