//! `[api] max_rows = 1000` (supabase/config.toml) caps what one read returns, as PostgREST's
//! `db-max-rows` does: table reads, embedded lists and set-returning functions; the written
//! rows a `return=representation` echoes are not capped. Paging reaches the rows past the cap.
use crate::common::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const MAX_ROWS: usize = 1000;
const ROWS: usize = 1100;

/// One user with one session holding 1,100 generations (made once for this file's tests).
struct Many {
    auth: String,
    session: String,
}

fn many() -> &'static Many {
    static MANY: OnceLock<Many> = OnceLock::new();
    MANY.get_or_init(|| {
        let (token, _, _, _) = new_user();
        let auth = bearer(&token);
        let rep = [("Authorization", auth.as_str()), ("Prefer", "return=representation")];
        let r = call("POST", "/rest/v1/sessions", &rep, Some(r#"{"title":"max rows"}"#));
        assert_eq!(r.status, 201, "{}", r.body);
        let session = r.json()[0]["id"].as_str().unwrap().to_string();
        let rows: Vec<Value> =
            (0..ROWS).map(|i| json!({"session_id": session, "prompt": format!("p{i}"), "params": {"i": i}})).collect();
        let r = call("POST", "/rest/v1/generations?select=id", &rep, Some(&Value::Array(rows).to_string()));
        assert_eq!(r.status, 201, "{}", r.body);
        // A write's representation is not capped: every inserted row comes back.
        assert_eq!(r.json().as_array().unwrap().len(), ROWS);
        Many { auth, session }
    })
}

/// GET `path` as the fixture's user with extra headers: (status, Content-Range, row ids).
fn read(path: &str, headers: &[(&str, &str)]) -> (u16, String, Vec<String>) {
    let m = many();
    let mut h = vec![("Authorization", m.auth.as_str())];
    h.extend_from_slice(headers);
    let r = call("GET", path, &h, None);
    assert!(r.status < 300, "{path}: {} {}", r.status, r.body);
    let ids = r.json().as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().to_string()).collect();
    (r.status, r.header("content-range").unwrap_or_default().to_string(), ids)
}

fn generations(query: &str) -> String {
    format!("/rest/v1/generations?session_id=eq.{}&select=id&order=created_at,id{query}", many().session)
}

#[test]
fn a_read_returns_at_most_max_rows_and_paging_reaches_the_rest() {
    let (status, range, first) = read(&generations(""), &[]);
    assert_eq!((status, range.as_str(), first.len()), (200, "0-999/*", MAX_ROWS));
    let (status, range, _) = read(&generations(""), &[("Prefer", "count=exact")]);
    assert_eq!((status, range.as_str()), (206, "0-999/1100"), "the count is of every matching row");
    let (status, range, rest) = read(&generations("&offset=1000"), &[]);
    assert_eq!((status, range.as_str(), rest.len()), (200, "1000-1099/*", ROWS - MAX_ROWS));
    let all: BTreeSet<&String> = first.iter().chain(&rest).collect();
    assert_eq!(all.len(), ROWS, "the two pages hold every row once");

    // A larger limit or range is cut to max_rows; smaller pages are untouched.
    assert_eq!(read(&generations("&limit=2000"), &[]).2.len(), MAX_ROWS);
    let (_, range, tail) = read(&generations("&limit=10&offset=1095"), &[]);
    assert_eq!((range.as_str(), tail.len()), ("1095-1099/*", 5));
    let (_, range, ids) = read(&generations(""), &[("Range", "0-1999")]);
    assert_eq!((range.as_str(), ids.len()), ("0-999/*", MAX_ROWS));
    let (_, range, ids) = read(&generations(""), &[("Range", "1000-1999")]);
    assert_eq!((range.as_str(), ids), ("1000-1099/*", rest.clone()));
    let (status, range, ids) = read(&generations(""), &[("Range", "50-"), ("Prefer", "count=exact")]);
    assert_eq!((status, range.as_str(), ids.len()), (206, "50-1049/1100", MAX_ROWS));

    // HEAD answers the same Content-Range.
    let m = many();
    let r = call("HEAD", &generations(""), &[("Authorization", &m.auth), ("Prefer", "count=exact")], None);
    assert_eq!((r.status, r.header("content-range")), (206, Some("0-999/1100")));
}

#[test]
fn embedded_lists_are_capped_like_the_top_level() {
    let m = many();
    let path = format!("/rest/v1/sessions?id=eq.{}&select=id,generations(id)", m.session);
    let r = call("GET", &path, &[("Authorization", &m.auth)], None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()[0]["generations"].as_array().unwrap().len(), MAX_ROWS);
    let r = call("GET", &format!("{path}&generations.offset=1000"), &[("Authorization", &m.auth)], None);
    assert_eq!(r.json()[0]["generations"].as_array().unwrap().len(), ROWS - MAX_ROWS, "{}", r.body);
}

#[test]
fn the_representation_of_a_write_is_not_capped() {
    let m = many();
    let r = call(
        "PATCH",
        &format!("/rest/v1/generations?session_id=eq.{}&select=id", m.session),
        &[("Authorization", &m.auth), ("Prefer", "return=representation,count=exact")],
        Some(r#"{"prompt":"renamed"}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json().as_array().unwrap().len(), ROWS);
    assert_eq!(r.header("content-range"), Some("0-1099/1100"));
}

/// Two set-returning functions of 1..n: one of scalars, one of rows.
fn create_series_functions() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let conninfo =
            format!("host=127.0.0.1 port={} user=postgres password=postgres dbname=postgres", instance().db_port);
        let (c, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        c.batch_execute(
            "create or replace function public.max_rows_ints(n int) returns setof int
               language sql stable as 'select generate_series(1, n)';
             create or replace function public.max_rows_table(n int) returns table (i int)
               language sql stable as 'select generate_series(1, n)';
             grant execute on function public.max_rows_ints(int), public.max_rows_table(int) to anon, authenticated;",
        )
        .await
        .unwrap();
    });
}

#[test]
fn set_returning_functions_are_capped() {
    create_series_functions();
    let r = call("GET", "/rest/v1/rpc/max_rows_ints?n=1100", &[], None);
    assert_eq!(r.status, 200, "{}", r.body);
    let ints = r.json();
    assert_eq!((ints.as_array().unwrap().len(), &ints[999]), (MAX_ROWS, &json!(1000)));
    assert_eq!(r.header("content-range"), Some("0-999/*"));
    let r = call("GET", "/rest/v1/rpc/max_rows_ints?n=1100&offset=1000", &[], None);
    assert_eq!((r.json().as_array().unwrap().len(), r.header("content-range")), (100, Some("1000-1099/*")));

    let r = call("POST", "/rest/v1/rpc/max_rows_table", &[("Prefer", "count=exact")], Some(r#"{"n":1100}"#));
    assert_eq!(r.status, 206, "{}", r.body);
    assert_eq!((r.json().as_array().unwrap().len(), r.header("content-range")), (MAX_ROWS, Some("0-999/1100")));
    let r = call("POST", "/rest/v1/rpc/max_rows_table?offset=1000", &[], Some(r#"{"n":1100}"#));
    assert_eq!(r.json()[0], json!({"i": 1001}));
}
