//! Parser and SQL-builder unit tests: every operator, logic trees, embedding, and hostile input
//! never reaching SQL text.
use super::embed::{pick, ForeignKey};
use super::parse::*;
use super::sql::*;
use super::write::Upsert;
use crate::api::error::ApiError;

fn table(name: &str, cols: &[(&str, &str)]) -> Table {
    Table {
        name: name.into(),
        columns: cols.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect(),
        pk: vec!["id".into()],
        ..Default::default()
    }
}

fn sessions() -> Table {
    table(
        "sessions",
        &[("id", "uuid"), ("user_id", "uuid"), ("title", "text"), ("created_at", "timestamp with time zone")],
    )
}

fn code(e: ApiError) -> (u16, String) {
    match e {
        ApiError::Rest { status, code, .. } => (status.as_u16(), code),
        other => panic!("not a REST error: {other:?}"),
    }
}

fn where_of(query: &str) -> (String, Vec<Param>) {
    let q = parse_query(query).unwrap();
    let mut b = Builder::default();
    let w = b.where_clause(&sessions(), &q.filters).unwrap();
    (w, b.params)
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
        ("is.TRUE", "\"sessions\".\"title\" is true"),
        ("is.unknown", "\"sessions\".\"title\" is unknown"),
        ("not.eq.a", "not (\"sessions\".\"title\" = $1::text::text)"),
        ("not.in.(a)", "not (\"sessions\".\"title\" = any($1::text[]::text[]))"),
    ];
    for (raw, expected) in cases {
        assert_eq!(where_of(&format!("title={raw}")).0, format!(" where {expected}"), "{raw}");
    }
    let q = parse_query("title=ilike.*a*b*").unwrap();
    assert_eq!(
        q.filters,
        vec![Cond::Filter(Filter {
            column: "title".into(),
            path: vec![],
            negate: false,
            op: Op::Ilike,
            value: "%a%b%".into()
        })]
    );
    // A plain filter's value is the rest of the parameter, dots and parentheses included.
    assert_eq!(where_of("title=eq.a.b(c),d").1, vec![Param::Text("a.b(c),d".into())]);
}

#[test]
fn in_lists_unquote_values() {
    let f = parse_filter("title", r#"in.(plain,"with,comma","with \"quote\"","par)en")"#).unwrap();
    assert_eq!(f.op, Op::In(vec!["plain".into(), "with,comma".into(), "with \"quote\"".into(), "par)en".into()]));
    let mut b = Builder::default();
    b.where_clause(&sessions(), &[Cond::Filter(f)]).unwrap();
    assert_eq!(b.params.len(), 1);
}

#[test]
fn logic_trees_nest_and_negate() {
    let (w, p) = where_of("or=(title.eq.a,and(title.gte.b,title.lte.c),not.or(id.is.null,title.like.x*))");
    assert_eq!(
        w,
        " where (\"sessions\".\"title\" = $1::text::text or (\"sessions\".\"title\" >= $2::text::text and \"sessions\".\"title\" <= $3::text::text) \
         or not (\"sessions\".\"id\" is null or \"sessions\".\"title\"::text like $4::text))"
    );
    assert_eq!(p, ["a", "b", "c", "x%"].map(|s| Param::Text(s.into())));
    let (w, _) = where_of("not.and=(title.eq.a,title.not.eq.b)&title=neq.z");
    assert_eq!(w, " where not (\"sessions\".\"title\" = $1::text::text and not (\"sessions\".\"title\" = $2::text::text)) and \"sessions\".\"title\" <> $3::text::text");
    // Quoted values keep reserved characters; `\` escapes.
    let (_, p) = where_of(r#"or=(title.eq."a,b)c",title.in.("x,y",z),title.eq."q\"uote")"#);
    assert_eq!(
        p,
        vec![Param::Text("a,b)c".into()), Param::List(vec!["x,y".into(), "z".into()]), Param::Text("q\"uote".into())]
    );
}

#[test]
fn select_order_limit_and_offset() {
    let q = parse_query(
        "select=id,name:title,created_at::text&order=created_at.desc.nullslast,title.nullsfirst&limit=5&offset=2",
    )
    .unwrap();
    assert_eq!((q.limit, q.offset), (Some(5), Some(2)));
    let mut b = Builder::default();
    let sql = b.read(&sessions(), &q, &[], q.limit, 2).unwrap();
    assert!(sql.contains("\"sessions\".\"title\" as \"name\""), "{sql}");
    assert!(sql.contains("\"sessions\".\"created_at\"::text as \"created_at\""), "{sql}");
    assert!(
        sql.contains("order by \"sessions\".\"created_at\" desc nulls last, \"sessions\".\"title\" asc nulls first"),
        "{sql}"
    );
    assert!(sql.contains("limit $1::text::bigint offset $2::text::bigint"), "{sql}");
    assert_eq!(b.params, vec![Param::Text("5".into()), Param::Text("2".into())]);
}

#[test]
fn malformed_input_is_pgrst100() {
    let bad = [
        "title=eqx.1",
        "title=eq",
        "title=is.maybe",
        "title=in.a,b",
        "title=in.(a",
        "order=title.sideways",
        "limit=-1",
        "limit=abc",
        "select=title::text;drop",
        "select=a(b(c))",
        "select=...a(b)",
        "or=(title.eq.a",
        "or=title.eq.a",
        "or=()",
        "or=(title.eq.a))",
        "or=(title.eq.\"a\"b)",
        "or=(xor(a.eq.1))",
        "and=(title)",
        "a.b.c=eq.1",
        "on_conflict=a.b",
        "columns=a(b)",
    ];
    for query in bad {
        let e: ApiError = parse_query(query).unwrap_err().into();
        assert_eq!(code(e), (400, "PGRST100".into()), "{query}");
    }
    let deep = format!("or=({}title.eq.1{})", "and(".repeat(40), ")".repeat(40));
    assert!(parse_query(&deep).is_err(), "unbounded nesting");
}

#[test]
fn select_parses_embeds_with_alias_hint_and_inner() {
    let q = parse_query(
        "select=id,account:connected_accounts!posts_account_id_fkey!inner(handle,p:platform),generations(*)",
    )
    .unwrap();
    let SelectItem::Embed(e) = &q.select[1] else { panic!("{:?}", q.select) };
    assert_eq!(
        (e.name.as_str(), e.alias.as_deref(), e.hint.as_deref(), e.inner),
        ("connected_accounts", Some("account"), Some("posts_account_id_fkey"), true)
    );
    assert_eq!(
        e.select[1],
        SelectItem::Column { name: "platform".into(), path: vec![], alias: Some("p".into()), cast: None }
    );
    let q = parse_query(
        "select=*,generations(id)&generations.status=eq.queued&generations.order=created_at.desc&generations.limit=2",
    )
    .unwrap();
    let s = q.scoped("generations", "generations").unwrap();
    assert_eq!((s.filters.len(), s.order.len(), s.limit), (1, 1, Some(2)));
}

fn fks() -> Vec<ForeignKey> {
    let fk = |name: &str, from: &str, col: &str, to: &str| ForeignKey {
        name: name.into(),
        from: from.into(),
        to: to.into(),
        from_cols: vec![col.into()],
        to_cols: vec!["id".into()],
        unique: false,
    };
    vec![
        fk("posts_account_id_fkey", "posts", "account_id", "connected_accounts"),
        fk("posts_generation_id_fkey", "posts", "generation_id", "generations"),
        fk("swaps_from_fkey", "swaps", "from_account", "connected_accounts"),
        fk("swaps_to_fkey", "swaps", "to_account", "connected_accounts"),
    ]
}

#[test]
fn relationships_resolve_both_directions_or_fail_like_postgrest() {
    let (fk, parent_refs) = pick("posts", "connected_accounts", None, &fks()).unwrap();
    assert_eq!((fk.name.as_str(), parent_refs), ("posts_account_id_fkey", true));
    let (_, parent_refs) = pick("generations", "posts", None, &fks()).unwrap();
    assert!(!parent_refs, "generations → posts is one-to-many");
    assert_eq!(code(pick("posts", "sessions", None, &fks()).unwrap_err()), (400, "PGRST200".into()));
    let ambiguous = pick("connected_accounts", "swaps", None, &fks()).unwrap_err();
    let ApiError::Rest { details, hint, .. } = ambiguous.clone() else { unreachable!() };
    assert_eq!(code(ambiguous), (300, "PGRST201".into()));
    assert!(details.unwrap().starts_with("[{\"cardinality\":\"one-to-many\""));
    assert!(hint.unwrap().contains("'swaps!swaps_from_fkey', 'swaps!swaps_to_fkey'"));
    let (fk, _) = pick("connected_accounts", "swaps", Some("swaps_to_fkey"), &fks()).unwrap();
    assert_eq!(fk.name, "swaps_to_fkey");
    let (fk, _) = pick("connected_accounts", "swaps", Some("from_account"), &fks()).unwrap();
    assert_eq!(fk.name, "swaps_from_fkey");
}

#[test]
fn embeds_are_correlated_subqueries() {
    let posts = table("posts", &[("id", "uuid"), ("account_id", "uuid"), ("caption", "text")]);
    let accounts = table("connected_accounts", &[("id", "uuid"), ("handle", "text")]);
    let gens = table("generations", &[("id", "uuid"), ("status", "text")]);
    let q = parse_query("select=id,account:connected_accounts(handle),generations!inner(id)&generations.status=eq.done&generations.order=id").unwrap();
    let joined = vec![
        Joined {
            key: "account".into(),
            table: accounts,
            to_one: true,
            on: vec![("account_id".into(), "id".into())],
            inner: false,
            select: vec![SelectItem::Column { name: "handle".into(), path: vec![], alias: None, cast: None }],
            scoped: Default::default(),
        },
        Joined {
            key: "generations".into(),
            table: gens,
            to_one: false,
            on: vec![("id".into(), "post_id".into())],
            inner: true,
            select: vec![SelectItem::Column { name: "id".into(), path: vec![], alias: None, cast: None }],
            scoped: q.scoped("generations", "generations").unwrap().clone(),
        },
    ];
    let mut b = Builder::default();
    let sql = b.read(&posts, &q, &joined, None, 0).unwrap();
    assert!(sql.contains("(select row_to_json(_pgrst_r) from (select \"_pgrst_e1\".\"handle\" as \"handle\" from \"public\".\"connected_accounts\" as \"_pgrst_e1\" where \"_pgrst_e1\".\"id\" = \"posts\".\"account_id\" limit 1) _pgrst_r) as \"account\""), "{sql}");
    assert!(sql.contains("coalesce((select json_agg(_pgrst_r) from (select \"_pgrst_e2\".\"id\" as \"id\" from \"public\".\"generations\" as \"_pgrst_e2\" where \"_pgrst_e2\".\"post_id\" = \"posts\".\"id\" and \"_pgrst_e2\".\"status\" = $1::text::text order by \"_pgrst_e2\".\"id\" asc) _pgrst_r), '[]') as \"generations\""), "{sql}");
    assert!(sql.contains("where exists (select 1 from \"public\".\"generations\" as \"_pgrst_e3\" where \"_pgrst_e3\".\"post_id\" = \"posts\".\"id\" and \"_pgrst_e3\".\"status\" = $2::text::text)"), "{sql}");
}

#[test]
fn hostile_identifiers_are_unknown_columns() {
    let hostile =
        ["title\"; drop table sessions; --", "id/**/or/**/1=1", "tîtle", "x\u{0}", "title;select 1", "ti tle"];
    for name in hostile {
        let f = vec![Cond::Filter(parse_filter(name, "eq.1").unwrap())];
        let e = Builder::default().where_clause(&sessions(), &f).unwrap_err();
        assert_eq!(code(e), (400, "42703".into()), "{name}");
        let q = QueryParams {
            select: vec![SelectItem::Column { name: name.into(), path: vec![], alias: None, cast: None }],
            ..Default::default()
        };
        assert!(Builder::default().read(&sessions(), &q, &[], None, 0).is_err());
        let q = parse_query(&format!("or=(title.eq.1,{}.eq.2)", name.replace(['"', '(', ')', ',', '.'], "x"))).unwrap();
        assert!(Builder::default().where_clause(&sessions(), &q.filters).is_err(), "{name}");
    }
    let e = Builder::default().insert(&sessions(), &["title; --".into()], "[]".into(), false, None, None).unwrap_err();
    assert_eq!(code(e), (400, "PGRST204".into()));
    let up = Upsert { on: vec!["nope\"".into()], merge: true };
    assert!(Builder::default().insert(&sessions(), &["title".into()], "[]".into(), false, Some(&up), None).is_err());
}

#[test]
fn hostile_values_are_only_parameters() {
    let values =
        ["'; drop table sessions; --", "1 or 1=1", "$$x$$", "\\\"", "日本語 ☃", "/* comment */", "a) or (1=1", "((x))"];
    for v in values {
        let q = parse_query(&format!("title=eq.{}", v.replace(' ', "%20"))).unwrap();
        let mut b = Builder::default();
        let sql = b.read(&sessions(), &q, &[], None, 0).unwrap();
        assert!(!sql.contains(v), "value leaked into SQL: {sql}");
        assert_eq!(b.params, vec![Param::Text(v.to_string())]);
    }
    let (_, p) = where_of("or=(title.eq.\"'; drop table x; --\",title.eq.\"a) or (1=1\")");
    assert_eq!(p, vec![Param::Text("'; drop table x; --".into()), Param::Text("a) or (1=1".into())]);
}

#[test]
fn quoting_doubles_quotes() {
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    assert_eq!(decode("a%20b+c%22"), "a b c\"");
}

#[test]
fn writes_insert_only_given_keys_and_upsert() {
    let mut b = Builder::default();
    let sql = b
        .insert(
            &sessions(),
            &["title".into()],
            "[{\"title\":\"x\"}]".into(),
            false,
            None,
            Some((&[SelectItem::Star], &[])),
        )
        .unwrap();
    assert!(sql.starts_with("with _pgrst_w as (insert into \"public\".\"sessions\" as \"sessions\" (\"title\") select _pgrst_r.\"title\" from jsonb_array_elements($1::text::jsonb)"), "{sql}");
    let mut t = sessions();
    t.defaults.push(("title".into(), "'untitled'::text".into()));
    let up = Upsert { on: vec![], merge: true };
    let mut b = Builder::default();
    let sql = b.insert(&t, &["id".into(), "title".into()], "[]".into(), true, Some(&up), None).unwrap();
    assert!(sql.contains("case when _pgrst_j.v ? $2 then _pgrst_r.\"title\" else 'untitled'::text end"), "{sql}");
    assert!(sql.contains("on conflict (\"id\") do update set \"id\" = excluded.\"id\", \"title\" = excluded.\"title\" returning 1 as _pgrst_one, (\"sessions\".xmax = 0) as _pgrst_inserted"), "{sql}");
    let ignore = Upsert { on: vec!["title".into()], merge: false };
    let sql = Builder::default().insert(&t, &["title".into()], "[]".into(), false, Some(&ignore), None).unwrap();
    assert!(sql.contains("on conflict (\"title\") do nothing"), "{sql}");
    let mut b = Builder::default();
    let f = parse_query("id=eq.1").unwrap().filters;
    let sql = b.update(&sessions(), &["title".into()], "{}".into(), &f, None).unwrap();
    assert!(sql.contains("set \"title\" = _pgrst_src.\"title\""), "{sql}");
    assert!(sql.contains("where \"sessions\".\"id\" = $2::text::uuid returning"), "{sql}");
}
