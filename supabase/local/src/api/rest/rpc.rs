//! `/rest/v1/rpc/{fn}` (<https://docs.postgrest.org/en/v12/references/api/functions.html>): the function is found in pg_proc by its argument
//! names; arguments are bound parameters cast to the catalog types; a set result is read like
//! a table (select, filters, order, paging, count), computed once in a materialized CTE.
use super::embed::resolve;
use super::handler::{in_caller_tx, query_rows};
use super::parse::{parse_query_except, QueryParams};
use super::prefer::Prefer;
use super::procs::{not_found, Proc, PROC_SQL};
use super::range::{content_range, page};
use super::respond::{self, not_singular, response, shape, wants_singular};
use super::sql::{quote_ident, Builder, Param, Table};
use crate::api::error::ApiError;
use crate::api::SharedState;
use crate::postgres::caller_tx::CallerTx;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value};

/// A JSON argument as text for `$n::text::<type>`; arrays of scalars as a text array.
fn arg_param(v: &Value, ty: &str) -> Param {
    let text = |v: &Value| match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    };
    match v {
        Value::Array(items) if ty.ends_with("[]") && items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            Param::OptList(items.iter().map(text).collect())
        }
        _ if matches!(ty, "json" | "jsonb") => Param::Opt((!v.is_null()).then(|| v.to_string())),
        _ => Param::Opt(text(v)),
    }
}

pub async fn call(
    State(state): State<SharedState>,
    Path(function): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = respond::body(body)?;
    handle(&state, &function, &method, &uri, &headers, &body).await
}

async fn handle(
    state: &SharedState,
    function: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    if !matches!(*method, Method::GET | Method::HEAD | Method::POST) {
        return Err(ApiError::rest(405, "PGRST101", format!("Cannot use the {method} method on RPC"), None));
    }
    let read = *method != Method::POST;
    let body = if read {
        None
    } else if body.iter().all(u8::is_ascii_whitespace) {
        Some(Value::Object(Map::new()))
    } else {
        Some(serde_json::from_slice::<Value>(body).map_err(|_| respond::invalid_json())?)
    };
    let path = format!("/rpc/{function}");
    let max_rows = state.settings.max_rows;
    in_caller_tx(state, headers, method, &path, read, |tx| async move {
        let r = run(&tx, function, method, uri, headers, body, max_rows).await;
        (tx, r)
    })
    .await
}

async fn run(
    db: &CallerTx,
    function: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Option<Value>,
    max_rows: Option<i64>,
) -> Result<Response, ApiError> {
    let role = db.caller.role.clone();
    let procs: Vec<Proc> = db
        .query(PROC_SQL, &[&function])
        .await
        .map_err(|e| ApiError::from_pg(&e, &role))?
        .iter()
        .map(Proc::from_row)
        .collect();
    // GET: query keys that name an argument of some overload are arguments, the rest filters.
    let arg_names: Vec<String> =
        procs.iter().flat_map(|p| p.args.iter().map(|(n, _)| n.clone())).filter(|n| !n.is_empty()).collect();
    let (q, get_args) = parse_query_except(uri.query().unwrap_or(""), if body.is_none() { &arg_names } else { &[] })?;
    let given: Vec<(String, Value)> = match &body {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(_) => vec![],
        None => get_args.into_iter().map(|(k, v)| (k, Value::String(v))).collect(),
    };
    let keys: Vec<String> = given.iter().map(|(k, _)| k.clone()).collect();
    let body_proc = body.as_ref().and_then(|_| procs.iter().find(|p| p.takes_body()));
    let matching: Vec<&Proc> = procs
        .iter()
        .filter(|p| !p.takes_body() && matches!(body, Some(Value::Object(_)) | None) && p.matches(&keys))
        .collect();
    let proc = match (matching.as_slice(), body_proc) {
        ([one], _) => *one,
        ([], Some(p)) => p,
        ([], None) => return Err(not_found(function, &keys, &procs)),
        _ => {
            let mut e = ApiError::rest(
                300,
                "PGRST203",
                format!("Could not choose the best candidate function between: public.{function}"),
                None,
            );
            if let ApiError::Rest { hint, .. } = &mut e {
                *hint = Some("Try renaming the parameters or the function itself in the database so function overloading can be resolved".into());
            }
            return Err(e);
        }
    };
    if !proc.volatile && !read_only(method) {
        db.batch_execute("set transaction read only").await.map_err(|e| ApiError::from_pg(&e, &role))?;
    }

    // A function's result is read like a table: `[api] max_rows` caps it too.
    let mut b = Builder { max_rows, ..Default::default() };
    let call_args: Vec<String> = if proc.takes_body() {
        vec![format!("{}::text::{}", b.bind(Param::Opt(body.as_ref().map(Value::to_string))), proc.args[0].1)]
    } else {
        let mut out = vec![];
        for (name, ty) in &proc.args {
            if let Some((_, v)) = given.iter().find(|(k, _)| k == name) {
                let p = b.bind(arg_param(v, ty));
                let cast = if ty.ends_with("[]") && matches!(arg_param(v, ty), Param::OptList(_)) {
                    format!("{p}::text[]::{ty}")
                } else {
                    format!("{p}::text::{ty}")
                };
                out.push(format!("{} => {cast}", quote_ident(name)));
            }
        }
        out
    };
    let call = format!("\"public\".{}({})", quote_ident(&proc.name), call_args.join(", "));
    let prefer = Prefer::parse(headers);
    let singular = wants_singular(headers);

    if proc.void {
        query_rows(db, &format!("select {call}"), &b.params).await?;
        return Ok(response(StatusCode::NO_CONTENT, None, false, None, &prefer.applied(false)));
    }
    if proc.columns.is_empty() {
        // Scalars: a bare JSON value, or an array of them for `setof` (paged and capped).
        let (sql, offset) = if proc.set {
            let (limit, offset) = page(headers, method, &q, max_rows)?;
            let page = b.page(limit, offset);
            let sql = format!("select coalesce(json_agg(_pgrst_s._pgrst_v), '[]')::text, count(*) from (select _pgrst_v from {call} as _pgrst_v{page}) _pgrst_s");
            (sql, Some(offset))
        } else {
            (format!("select to_json({call})::text, 1::bigint"), None)
        };
        let rows = query_rows(db, &sql, &b.params).await?;
        let json: Option<String> = rows.first().and_then(|r| r.get(0));
        let n: i64 = rows.first().map_or(0, |r| r.get(1));
        let range = match offset {
            Some(offset) => Some(content_range(offset, n, None)?.1),
            None => None,
        };
        return Ok(response(
            StatusCode::OK,
            (*method != Method::HEAD).then(|| json.unwrap_or_else(|| "null".into())),
            false,
            range,
            &prefer.applied(false),
        ));
    }
    rows_result(db, proc, &call, b, &q, method, headers, &prefer, singular).await
}

fn read_only(method: &Method) -> bool {
    *method != Method::POST
}

/// A row-typed result: read like a table from a materialized CTE, so the function runs once.
#[allow(clippy::too_many_arguments)]
async fn rows_result(
    db: &CallerTx,
    proc: &Proc,
    call: &str,
    mut b: Builder,
    q: &QueryParams,
    method: &Method,
    headers: &HeaderMap,
    prefer: &Prefer,
    singular: bool,
) -> Result<Response, ApiError> {
    let t = Table {
        name: proc.relation.clone().unwrap_or_else(|| proc.name.clone()),
        columns: proc.columns.clone(),
        source: Some("_pgrst_src".into()),
        ..Default::default()
    };
    let joined = resolve(db, &t, q, &q.select, &db.caller.role).await?;
    let (limit, offset) = if proc.set { page(headers, method, q, b.max_rows)? } else { (None, 0) };
    let read = b.read(&t, q, &joined, limit, offset)?;
    let count = b.count(&t, q, &joined)?;
    let sql = format!(
        "with _pgrst_src as materialized (select * from {call}) select _pgrst_q.*, ({count}) from ({read}) _pgrst_q"
    );
    let rows = query_rows(db, &sql, &b.params).await?;
    let row = rows.first().ok_or_else(|| ApiError::rest(500, "PGRST000", "The function returned no result", None))?;
    let (json, n, total): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let body = if proc.set {
        shape(json, n, singular)?
    } else {
        // A single composite: the object itself.
        if singular && n != 1 {
            return Err(not_singular(n));
        }
        serde_json::from_str::<Value>(&json).ok().and_then(|v| v.get(0).cloned()).unwrap_or(Value::Null).to_string()
    };
    let (status, range) = if proc.set {
        content_range(offset, n, prefer.count.as_ref().map(|_| total))?
    } else {
        (StatusCode::OK, format!("0-0/{}", if prefer.count.is_some() { "1" } else { "*" }))
    };
    Ok(response(status, (*method != Method::HEAD).then_some(body), singular, Some(range), &prefer.applied(false)))
}
