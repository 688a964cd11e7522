//! Pagination (<https://docs.postgrest.org/en/v12/references/api/pagination_count.html>): `limit`/`offset`, the `Range` header (GET/HEAD only),
//! `Content-Range`, 206 and 416.
use super::parse::QueryParams;
use crate::api::error::ApiError;
use axum::http::{header, HeaderMap, Method, StatusCode};

fn unsatisfiable(details: Option<String>) -> ApiError {
    ApiError::rest(416, "PGRST103", "Requested range not satisfiable", details)
}

/// `Range: a-b` / `a-` (GET and HEAD only), intersected with limit/offset → (limit, offset).
/// Bounds are client numbers up to `i64::MAX`: the arithmetic is done in i128 and the result
/// clamped, so a huge range reads everything there is (as PostgREST's unbounded integers do).
/// `max_rows` (`[api] max_rows`) then caps the page's length, as PostgREST's `db-max-rows`
/// does: the page keeps its offset and holds at most `max_rows` rows.
pub fn page(
    headers: &HeaderMap,
    method: &Method,
    q: &QueryParams,
    max_rows: Option<i64>,
) -> Result<(Option<i64>, i64), ApiError> {
    let offset = i128::from(q.offset.unwrap_or(0));
    let (mut start, mut end) = (offset, q.limit.map(|l| offset + i128::from(l) - 1));
    if *method == Method::GET || *method == Method::HEAD {
        if let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
            let range = range.trim().strip_prefix("items=").unwrap_or(range.trim());
            let (a, b) = range.split_once('-').ok_or_else(|| unsatisfiable(None))?;
            let a = a.trim().parse::<i64>().map_err(|_| unsatisfiable(None))?;
            let b = if b.trim().is_empty() {
                None
            } else {
                Some(b.trim().parse::<i64>().map_err(|_| unsatisfiable(None))?)
            };
            if b.is_some_and(|b| b < a) {
                return Err(unsatisfiable(None));
            }
            start = start.max(i128::from(a));
            if let Some(b) = b {
                end = Some(end.map_or(i128::from(b), |e| e.min(i128::from(b))));
            }
        }
    }
    let clamp = |n: i128| i64::try_from(n.clamp(0, i128::from(i64::MAX))).unwrap_or(i64::MAX);
    Ok((cap(end.map(|e| clamp(e - start + 1)), max_rows), clamp(start)))
}

/// A page length capped at `max_rows` (PostgREST's `restrictRange`).
pub fn cap(limit: Option<i64>, max_rows: Option<i64>) -> Option<i64> {
    match (limit, max_rows) {
        (Some(l), Some(m)) => Some(l.min(m)),
        (l, m) => l.or(m),
    }
}

/// `Content-Range` and the status of a read page of `n` rows at `offset`.
pub fn content_range(offset: i64, n: i64, total: Option<i64>) -> Result<(StatusCode, String), ApiError> {
    let total_s = total.map_or("*".to_string(), |t| t.to_string());
    if let Some(total) = total {
        if offset > total {
            return Err(unsatisfiable(Some(format!(
                "An offset of {offset} was requested, but there are only {total} rows."
            ))));
        }
    }
    let last = i128::from(offset) + i128::from(n) - 1;
    let range = if n == 0 { format!("*/{total_s}") } else { format!("{offset}-{last}/{total_s}") };
    let status = if total.is_some_and(|t| n < t) { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
    Ok((status, range))
}
