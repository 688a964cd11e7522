//! Pagination (reference §3.4): `limit`/`offset`, the `Range` header (GET/HEAD only),
//! `Content-Range`, 206 and 416.
use super::parse::QueryParams;
use crate::api::error::ApiError;
use axum::http::{header, HeaderMap, Method, StatusCode};

fn unsatisfiable(details: Option<String>) -> ApiError {
    ApiError::rest(416, "PGRST103", "Requested range not satisfiable", details)
}

/// `Range: a-b` / `a-` (GET and HEAD only), intersected with limit/offset → (limit, offset).
pub fn page(headers: &HeaderMap, method: &Method, q: &QueryParams) -> Result<(Option<i64>, i64), ApiError> {
    let (mut start, mut end) = (q.offset.unwrap_or(0), q.limit.map(|l| q.offset.unwrap_or(0) + l - 1));
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
            start = start.max(a);
            if let Some(b) = b {
                end = Some(end.map_or(b, |e| e.min(b)));
            }
        }
    }
    Ok((end.map(|e| (e - start + 1).max(0)), start))
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
    let range = if n == 0 { format!("*/{total_s}") } else { format!("{offset}-{}/{total_s}", offset + n - 1) };
    let status = if total.is_some_and(|t| n < t) { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
    Ok((status, range))
}
