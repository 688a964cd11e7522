//! One REST request = one transaction: begin (read only for reads), the tx-vars `set_config`s
//! PostgREST sets, the catalog check, the query, commit; rollback on any error.
use super::parse::{parse_query, QueryParams};
use super::sql::{Builder, Param, Table, TABLE_SQL};
use crate::api::error::ApiError;
use crate::api::{bearer, SharedState};
use crate::postgres::caller_tx::{headers_json, Caller, CallerTx, RequestInfo};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use tokio_postgres::types::ToSql;

const SINGULAR: &str = "application/vnd.pgrst.object+json";

/// What the request asked for, beyond the query string.
struct Intent {
    representation: bool,
    count: bool,
    singular: bool,
}

fn jwt_error(code: &str, message: &str) -> ApiError {
    let mut e = ApiError::rest(401, code, message, None);
    if let ApiError::Rest { www_authenticate, .. } = &mut e {
        *www_authenticate = Some(format!("Bearer error=\"invalid_token\", error_description=\"{message}\""));
    }
    e
}

/// The caller, as PostgREST derives it (30 s clock skew, anon without a JWT).
pub fn caller(state: &SharedState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(token) = bearer(headers) else { return Ok(Caller::anon()) };
    let claims: Map<String, Value> = crate::jwt::verify(token, &state.secret, crate::jwt::now(), 30).map_err(|e| match e {
        crate::jwt::JwtError::Expired => jwt_error("PGRST303", "JWT expired"),
        e => jwt_error("PGRST301", &e.to_string()),
    })?;
    Ok(Caller::from_claims(claims))
}

fn prefer(headers: &HeaderMap) -> Vec<String> {
    headers.get_all("prefer").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(|p| p.trim().to_string()).collect()
}

/// `Range: a-b` / `a-` (GET only), intersected with limit/offset → (limit, offset).
fn page(headers: &HeaderMap, method: &Method, q: &QueryParams) -> (Option<i64>, i64) {
    let (mut start, mut end) = (q.offset.unwrap_or(0), q.limit.map(|l| q.offset.unwrap_or(0) + l - 1));
    if *method == Method::GET || *method == Method::HEAD {
        let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).and_then(|r| r.split_once('-'));
        if let Some((a, b)) = range {
            if let Ok(a) = a.trim().parse::<i64>() {
                start = start.max(a);
                if let Ok(b) = b.trim().parse::<i64>() {
                    end = Some(end.map_or(b, |e| e.min(b)));
                }
            }
        }
    }
    (end.map(|e| (e - start + 1).max(0)), start)
}

/// A JSON body as rows plus the key set every row shares (PGRST102 otherwise).
fn rows(body: &Bytes, single_object: bool) -> Result<(String, Vec<String>), ApiError> {
    let invalid = || ApiError::rest(400, "PGRST102", "Empty or invalid json", None);
    let v: Value = serde_json::from_slice(body).map_err(|_| invalid())?;
    let list = match v {
        Value::Object(_) => vec![v],
        Value::Array(items) if !single_object => items,
        _ => return Err(invalid()),
    };
    let mut keys: Option<Vec<String>> = None;
    for item in &list {
        let obj = item.as_object().ok_or_else(invalid)?;
        let mut k: Vec<String> = obj.keys().cloned().collect();
        k.sort();
        match &keys {
            None => keys = Some(k),
            Some(prev) if *prev != k => return Err(ApiError::rest(400, "PGRST102", "All object keys must match", None)),
            _ => {}
        }
    }
    Ok((Value::Array(list).to_string(), keys.unwrap_or_default()))
}

pub async fn table(State(state): State<SharedState>, Path(table): Path<String>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    handle(&state, &table, &method, &uri, &headers, &body).await.unwrap_or_else(IntoResponse::into_response)
}

async fn handle(state: &SharedState, table: &str, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Result<Response, ApiError> {
    let caller = caller(state, headers)?;
    let q = parse_query(uri.query().unwrap_or(""))?;
    let prefs = prefer(headers);
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let intent = Intent {
        representation: prefs.iter().any(|p| p == "return=representation"),
        count: prefs.iter().any(|p| matches!(p.as_str(), "count=exact" | "count=planned" | "count=estimated")),
        singular: accept.contains(SINGULAR),
    };
    let read = matches!(*method, Method::GET | Method::HEAD);
    match *method {
        Method::GET | Method::HEAD | Method::POST | Method::PATCH | Method::DELETE => {}
        _ => return Err(ApiError::rest(405, "PGRST117", format!("Unsupported HTTP method: {method}"), None)),
    }
    if matches!(*method, Method::PATCH | Method::DELETE) && q.filters.is_empty() {
        let verb = if *method == Method::PATCH { "UPDATE" } else { "DELETE" };
        return Err(ApiError::rest(400, "21000", format!("{verb} requires a WHERE clause"), None));
    }
    let payload = match *method {
        Method::POST => Some(rows(body, false)?),
        Method::PATCH => Some(rows(body, true)?),
        _ => None,
    };

    let role = caller.role.clone();
    let path = format!("/{table}");
    let info = RequestInfo { read_only: read, method: method.as_str(), path: &path, headers_json: headers_json(headers) };
    let tx = CallerTx::begin(&state.rest, caller, info).await.map_err(|e| ApiError::from_pg(&e, &role))?;
    let result = in_transaction(&tx, table, method, headers, &q, &intent, payload).await;
    tx.finish(result, |e| ApiError::from_pg(&e, &role)).await
}

async fn query_rows(db: &CallerTx, sql: &str, params: &[Param], role: &str) -> Result<Vec<tokio_postgres::Row>, ApiError> {
    let bound: Vec<&(dyn ToSql + Sync)> = params
        .iter()
        .map(|p| match p {
            Param::Text(s) => s as &(dyn ToSql + Sync),
            Param::List(l) => l as &(dyn ToSql + Sync),
        })
        .collect();
    db.query(sql, &bound).await.map_err(|e| ApiError::from_pg(&e, role))
}

fn json_rows(rows: &[tokio_postgres::Row]) -> (String, i64) {
    rows.first().map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1))).unwrap_or_else(|| ("[]".into(), 0))
}

/// The body: the array, or its only element under the singular media type (406 otherwise).
fn shape(json: String, n: i64, singular: bool) -> Result<String, ApiError> {
    if !singular {
        return Ok(json);
    }
    if n != 1 {
        return Err(ApiError::rest(406, "PGRST116", "Cannot coerce the result to a single JSON object", Some(format!("The result contains {n} rows"))));
    }
    let v: Value = serde_json::from_str(&json).unwrap_or(Value::Null);
    Ok(v.get(0).cloned().unwrap_or(Value::Null).to_string())
}

fn response(status: StatusCode, body: Option<String>, singular: bool, content_range: String, applied: Vec<&str>) -> Response {
    let mut r = Response::new(body.map(Body::from).unwrap_or_default());
    *r.status_mut() = status;
    let h = r.headers_mut();
    let ct = if singular { "application/vnd.pgrst.object+json; charset=utf-8" } else { "application/json; charset=utf-8" };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&content_range) {
        h.insert(header::CONTENT_RANGE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&applied.join(", ")).map_err(|_| ()).and_then(|v| if applied.is_empty() { Err(()) } else { Ok(v) }) {
        h.insert("preference-applied", v);
    }
    r
}

async fn in_transaction(
    db: &CallerTx,
    table: &str,
    method: &Method,
    headers: &HeaderMap,
    q: &QueryParams,
    intent: &Intent,
    payload: Option<(String, Vec<String>)>,
) -> Result<Response, ApiError> {
    let role = db.caller.role.as_str();
    let cols = db.query(TABLE_SQL, &[&table]).await.map_err(|e| ApiError::from_pg(&e, role))?;
    if cols.is_empty() {
        return Err(ApiError::rest(404, "PGRST205", format!("Could not find the table 'public.{table}' in the schema cache"), None));
    }
    let t = Table { name: table.to_string(), columns: cols.iter().map(|r| (r.get(0), r.get(1))).collect() };
    let mut b = Builder::default();
    let represent = intent.representation.then_some(q.select.as_slice());
    let mut applied = vec![];
    if intent.representation {
        applied.push("return=representation");
    }

    if matches!(*method, Method::GET | Method::HEAD) {
        let (limit, offset) = page(headers, method, q);
        let sql = b.read(&t, q, limit, offset)?;
        let (json, n) = json_rows(&query_rows(db, &sql, &b.params, role).await?);
        let total = if intent.count {
            applied.push("count=exact");
            let mut cb = Builder::default();
            let sql = cb.count(&t, q)?;
            Some(query_rows(db, &sql, &cb.params, role).await?[0].get::<_, i64>(0))
        } else {
            None
        };
        let total_s = total.map_or("*".to_string(), |t| t.to_string());
        if let Some(total) = total {
            if offset > 0 && offset >= total {
                let mut e = ApiError::rest(416, "PGRST103", "Requested range not satisfiable", Some(format!("An offset of {offset} was requested, but there are only {total} rows.")));
                if let ApiError::Rest { hint, .. } = &mut e {
                    *hint = None;
                }
                return Err(e);
            }
        }
        let range = if n == 0 { format!("*/{total_s}") } else { format!("{offset}-{}/{total_s}", offset + n - 1) };
        let status = if total.is_some_and(|t| n < t) { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
        let body = shape(json, n, intent.singular)?;
        return Ok(response(status, (*method == Method::GET).then_some(body), intent.singular, range, applied));
    }

    let (sql, range_of): (String, fn(i64) -> String) = match *method {
        Method::POST => {
            let (rows, keys) = payload.unwrap_or_default();
            if rows == "[]" {
                let body = intent.representation.then(|| "[]".to_string());
                return Ok(response(StatusCode::CREATED, body, false, "*/*".into(), applied));
            }
            (b.insert(&t, &keys, rows, represent)?, |_| "*/*".to_string())
        }
        Method::PATCH => {
            let (rows, keys) = payload.unwrap_or_default();
            let object = serde_json::from_str::<Value>(&rows).ok().and_then(|v| v.get(0).cloned()).unwrap_or_default().to_string();
            if keys.is_empty() {
                let body = intent.representation.then(|| "[]".to_string());
                let status = if intent.representation { StatusCode::OK } else { StatusCode::NO_CONTENT };
                return Ok(response(status, body, false, "*/*".into(), applied));
            }
            (b.update(&t, &keys, object, &q.filters, represent)?, |n| if n > 0 { format!("0-{}/*", n - 1) } else { "*/*".into() })
        }
        _ => (b.delete(&t, &q.filters, represent)?, |_| "*/*".to_string()),
    };
    let ok = if *method == Method::POST { StatusCode::CREATED } else if intent.representation { StatusCode::OK } else { StatusCode::NO_CONTENT };
    if intent.representation {
        let (json, n) = json_rows(&query_rows(db, &sql, &b.params, role).await?);
        let body = shape(json, n, intent.singular)?;
        Ok(response(ok, Some(body), intent.singular, range_of(n), applied))
    } else {
        let bound: Vec<&(dyn ToSql + Sync)> = b.params.iter().map(|p| match p {
            Param::Text(s) => s as &(dyn ToSql + Sync),
            Param::List(l) => l as &(dyn ToSql + Sync),
        }).collect();
        let n = db.execute(sql.as_str(), &bound).await.map_err(|e| ApiError::from_pg(&e, role))? as i64;
        if intent.singular && n != 1 {
            return Err(ApiError::rest(406, "PGRST116", "Cannot coerce the result to a single JSON object", Some(format!("The result contains {n} rows"))));
        }
        Ok(response(ok, None, false, range_of(n), applied))
    }
}
