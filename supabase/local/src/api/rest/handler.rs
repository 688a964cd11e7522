//! One REST request = one transaction: begin (read only for reads), the tx-vars `set_config`s
//! PostgREST sets, the catalog check, the query, commit; rollback on any error.
use super::embed::resolve;
use super::parse::{parse_query, Cond, Op, QueryParams, SelectItem};
use super::prefer::{Prefer, Return};
use super::range::{content_range, page};
use super::respond::{self, not_singular, response, rows, shape, wants_singular};
use super::sql::{Builder, Joined, Param, Table, TABLE_SQL};
use super::write::Upsert;
use crate::api::error::ApiError;
use crate::api::{bearer, SharedState};
use crate::postgres::caller_tx::{headers_json, Caller, CallerTx, RequestInfo};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value};
use tokio_postgres::types::ToSql;

fn jwt_error(code: &str, message: &str) -> ApiError {
    let mut e = ApiError::rest(401, code, message, None);
    if let ApiError::Rest { www_authenticate, .. } = &mut e {
        *www_authenticate = Some(format!("Bearer error=\"invalid_token\", error_description=\"{message}\""));
    }
    e
}

/// The caller, as PostgREST derives it (30 s clock skew, anon without a JWT).
pub fn caller(state: &SharedState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(token) = bearer(headers) else {
        return Ok(Caller::anon());
    };
    let claims: Map<String, Value> =
        crate::jwt::verify(token, &state.secret, crate::jwt::now(), 30).map_err(|e| match e {
            crate::jwt::JwtError::Expired => jwt_error("PGRST303", "JWT expired"),
            e => jwt_error("PGRST301", &e.to_string()),
        })?;
    Ok(Caller::from_claims(claims))
}

pub async fn table(
    State(state): State<SharedState>,
    Path(table): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = respond::body(body)?;
    handle(&state, &table, &method, &uri, &headers, &body).await
}

/// Runs `sql` with bound text parameters.
pub async fn query_rows(db: &CallerTx, sql: &str, params: &[Param]) -> Result<Vec<tokio_postgres::Row>, ApiError> {
    let bound: Vec<&(dyn ToSql + Sync)> = params
        .iter()
        .map(|p| match p {
            Param::Text(s) => s as &(dyn ToSql + Sync),
            Param::List(l) => l as &(dyn ToSql + Sync),
            Param::Opt(o) => o as &(dyn ToSql + Sync),
            Param::OptList(l) => l as &(dyn ToSql + Sync),
        })
        .collect();
    db.query(sql, &bound).await.map_err(|e| ApiError::from_pg(&e, &db.caller.role))
}

/// Opens the caller's transaction, runs `f` in it, commits or rolls back.
pub async fn in_caller_tx<F, Fut>(
    state: &SharedState,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
    read_only: bool,
    f: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(CallerTx) -> Fut,
    Fut: std::future::Future<Output = (CallerTx, Result<Response, ApiError>)>,
{
    let caller = caller(state, headers)?;
    let role = caller.role.clone();
    let info = RequestInfo { read_only, method: method.as_str(), path, headers_json: headers_json(headers) };
    let tx = CallerTx::begin(&state.rest, caller, info).await.map_err(|e| ApiError::from_pool(&e, &role))?;
    let (tx, result) = f(tx).await;
    tx.finish(result, |e| ApiError::from_pg(&e, &role)).await
}

async fn handle(
    state: &SharedState,
    table: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    caller(state, headers)?;
    let q = parse_query(uri.query().unwrap_or(""))?;
    match *method {
        Method::GET | Method::HEAD | Method::POST | Method::PATCH | Method::DELETE | Method::PUT => {}
        _ => return Err(ApiError::rest(405, "PGRST117", format!("Unsupported HTTP method: {method}"), None)),
    }
    if matches!(*method, Method::PATCH | Method::DELETE) && q.filters.is_empty() {
        let verb = if *method == Method::PATCH { "UPDATE" } else { "DELETE" };
        return Err(ApiError::rest(400, "21000", format!("{verb} requires a WHERE clause"), None));
    }
    let payload = match *method {
        Method::POST => Some(rows(body, false, q.columns.as_deref())?),
        Method::PATCH | Method::PUT => Some(rows(body, true, None)?),
        _ => None,
    };
    let read = matches!(*method, Method::GET | Method::HEAD);
    let path = format!("/{table}");
    let max_rows = state.settings.max_rows;
    in_caller_tx(state, headers, method, &path, read, |tx| async move {
        let r = run(&tx, table, method, headers, &q, payload, max_rows).await;
        (tx, r)
    })
    .await
}

async fn load_table(db: &CallerTx, table: &str) -> Result<Table, ApiError> {
    let cols = db.query(TABLE_SQL, &[&table]).await.map_err(|e| ApiError::from_pg(&e, &db.caller.role))?;
    if cols.is_empty() {
        return Err(ApiError::rest(
            404,
            "PGRST205",
            format!("Could not find the table 'public.{table}' in the schema cache"),
            None,
        ));
    }
    Ok(Table::from_rows(table, &cols))
}

async fn run(
    db: &CallerTx,
    table: &str,
    method: &Method,
    headers: &HeaderMap,
    q: &QueryParams,
    payload: Option<(String, Vec<String>)>,
    max_rows: Option<i64>,
) -> Result<Response, ApiError> {
    let t = load_table(db, table).await?;
    let prefer = Prefer::parse(headers);
    let singular = wants_singular(headers);
    let joined = resolve(db, &t, q, &q.select, &db.caller.role).await?;

    if matches!(*method, Method::GET | Method::HEAD) {
        let (limit, offset) = page(headers, method, q, max_rows)?;
        let mut b = Builder { max_rows, ..Default::default() };
        let sql = b.read(&t, q, &joined, limit, offset)?;
        let row = query_rows(db, &sql, &b.params).await?;
        let (json, n) =
            row.first().map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1))).unwrap_or_else(|| ("[]".into(), 0));
        let total = match prefer.count {
            Some(_) => {
                let mut cb = Builder::default();
                let sql = cb.count(&t, q, &joined)?;
                Some(query_rows(db, &sql, &cb.params).await?[0].get::<_, i64>(0))
            }
            None => None,
        };
        let (status, range) = content_range(offset, n, total)?;
        let body = shape(json, n, singular)?;
        return Ok(response(
            status,
            (*method == Method::GET).then_some(body),
            singular,
            Some(range),
            &prefer.applied(false),
        ));
    }
    write(db, &t, method, q, &prefer, singular, &joined, payload.unwrap_or_default()).await
}

/// PUT: every primary key column must be filtered with `eq`, and the body must agree.
fn put_upsert(t: &Table, q: &QueryParams, body: &str) -> Result<Upsert, ApiError> {
    let eqs: Vec<(&str, &str)> = q
        .filters
        .iter()
        .filter_map(|c| match c {
            Cond::Filter(f) if f.op == Op::Eq && !f.negate && f.path.is_empty() => {
                Some((f.column.as_str(), f.value.as_str()))
            }
            _ => None,
        })
        .collect();
    let all_pk = !t.pk.is_empty()
        && eqs.len() == q.filters.len()
        && t.pk.len() == eqs.len()
        && t.pk.iter().all(|c| eqs.iter().any(|(k, _)| k == c));
    if !all_pk {
        return Err(ApiError::rest(
            405,
            "PGRST105",
            "Filters must include all and only primary key columns with 'eq' operators",
            None,
        ));
    }
    let row: Value = serde_json::from_str::<Value>(body).ok().and_then(|v| v.get(0).cloned()).unwrap_or_default();
    for (k, v) in &eqs {
        let given = match row.get(*k) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        if given != *v {
            return Err(ApiError::rest(
                400,
                "PGRST115",
                "Payload values do not match URL in primary key column(s)",
                None,
            ));
        }
    }
    Ok(Upsert { on: t.pk.clone(), merge: true })
}

#[allow(clippy::too_many_arguments)]
async fn write(
    db: &CallerTx,
    t: &Table,
    method: &Method,
    q: &QueryParams,
    prefer: &Prefer,
    singular: bool,
    joined: &[Joined],
    payload: (String, Vec<String>),
) -> Result<Response, ApiError> {
    let (body, keys) = payload;
    let mut b = Builder::default();
    // headers-only needs the primary key of the written row for `Location`.
    let pk_items: Vec<SelectItem> =
        t.pk.iter().map(|c| SelectItem::Column { name: c.clone(), path: vec![], alias: None, cast: None }).collect();
    let rep = match prefer.ret {
        Some(Return::Representation) => Some((q.select.as_slice(), joined)),
        Some(Return::HeadersOnly) if *method == Method::POST && !pk_items.is_empty() => {
            Some((pk_items.as_slice(), &[][..]))
        }
        _ => None,
    };
    let mut upsert = None;
    let sql = match *method {
        Method::POST => {
            upsert = prefer.resolution.map(|merge| Upsert { on: q.on_conflict.clone().unwrap_or_default(), merge });
            b.insert(t, &keys, body, prefer.missing_default, upsert.as_ref(), rep)?
        }
        Method::PUT => {
            upsert = Some(put_upsert(t, q, &body)?);
            b.insert(t, &keys, body, false, upsert.as_ref(), rep)?
        }
        Method::PATCH if keys.is_empty() => {
            let body = prefer.representation().then(|| "[]".to_string());
            let status = if body.is_some() { StatusCode::OK } else { StatusCode::NO_CONTENT };
            return Ok(response(status, body, false, Some("*/*".into()), &prefer.applied(true)));
        }
        Method::PATCH => {
            let object = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| v.get(0).cloned())
                .unwrap_or_default()
                .to_string();
            b.update(t, &keys, object, &q.filters, rep)?
        }
        _ => b.delete(t, &q.filters, rep)?,
    };
    let row = query_rows(db, &sql, &b.params).await?;
    let row = row.first().ok_or_else(|| ApiError::rest(500, "PGRST000", "The write returned no result", None))?;
    let (json, n, inserted): (Option<String>, i64, i64) = (row.get(0), row.get(1), row.get(2));
    if singular && n != 1 {
        return Err(not_singular(n));
    }
    let total = prefer.count.as_ref().map_or("*".to_string(), |_| n.to_string());
    let range = match *method {
        Method::PATCH if n > 0 => format!("0-{}/{total}", n - 1),
        _ => format!("*/{total}"),
    };
    let status = match *method {
        Method::POST if upsert.as_ref().is_some_and(|u| u.merge) && inserted == 0 && n > 0 => StatusCode::OK,
        Method::POST => StatusCode::CREATED,
        _ if prefer.representation() => StatusCode::OK,
        _ => StatusCode::NO_CONTENT,
    };
    let applied = prefer.applied(true);
    if prefer.ret == Some(Return::HeadersOnly) {
        let mut r = response(status, None, false, Some(range), &applied);
        let first = json.as_deref().and_then(|j| serde_json::from_str::<Value>(j).ok()).and_then(|v| v.get(0).cloned());
        if let Some(first) = first {
            let filters: Vec<String> =
                t.pk.iter()
                    .map(|c| {
                        let v = match &first[c] {
                            Value::String(s) => s.clone(),
                            v => v.to_string(),
                        };
                        format!("{c}=eq.{}", v.replace('&', "%26"))
                    })
                    .collect();
            if let Ok(v) = HeaderValue::from_str(&format!("/{}?{}", t.name, filters.join("&"))) {
                r.headers_mut().insert("location", v);
            }
        }
        return Ok(r);
    }
    let body = match (prefer.representation(), json) {
        (true, Some(json)) => Some(shape(json, n, singular)?),
        _ => None,
    };
    let singular = singular && body.is_some();
    Ok(response(status, body, singular, Some(range), &applied))
}
