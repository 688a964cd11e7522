//! A thin wrapper over postgrest-rs for `/rest/v1`: the client carries `apikey`, each call
//! carries the user's JWT, rows are decoded with serde into `domain` types, and non-2xx
//! answers become [`ApiError::Rest`] (a 429, [`ApiError::RateLimited`]). Ranged reads (`Range` + `Prefer: count=exact`) give
//! pages with the total, so a session of thousands of generations loads in pages; keyset
//! reads ([`keyset_page`]) page a `(created_at, id)` order that rows may join or leave
//! meanwhile. PostgREST answers at most `max_rows` rows per read (1,000 on hosted
//! Supabase), so every list that can grow past that is read page by page.

use gloo_net::http::Method;
use postgrest::{Builder, Postgrest};
use serde::de::DeserializeOwned;

use super::http::{self, Body, Service};
use super::{config, ApiError};

/// The `Authorization` header's name as postgrest-rs's `auth` sets it.
const AUTHORIZATION: &str = "authorization";

/// A PostgREST query builder for the configured project (`apikey` is set by [`http::send`]).
pub fn client() -> Postgrest {
    Postgrest::new(config::get().rest_url())
}

/// Starts a request on `table`, authenticated as the holder of `access_token`.
pub fn table(table: &str, access_token: &str) -> Builder {
    client().from(table).auth(access_token)
}

/// Starts a call of the function `name` with JSON `args`, as the holder of `access_token`.
pub fn rpc(name: &str, args: &serde_json::Value, access_token: &str) -> Builder {
    client().rpc(name, args.to_string()).auth(access_token)
}

/// One page of rows and, when the server counted, how many rows match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: Option<usize>,
}

/// Sends a built request and reads the JSON rows it returns.
pub async fn rows<T: DeserializeOwned>(builder: Builder) -> Result<Vec<T>, ApiError> {
    let (_, body) = send(builder).await?;
    decode(&body)
}

/// Sends a request whose answer is one JSON object (an RPC returning one composite row).
pub async fn object<T: DeserializeOwned>(builder: Builder) -> Result<T, ApiError> {
    let (_, body) = send(builder).await?;
    serde_json::from_str(&body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Sends a request and ignores its body (a write with `Prefer: return=minimal`, a delete).
pub async fn execute(builder: Builder) -> Result<(), ApiError> {
    send(builder).await.map(|_| ())
}

/// Reads rows `from..=to` with the exact count of all matching rows.
pub async fn page<T: DeserializeOwned>(builder: Builder, from: usize, to: usize) -> Result<Page<T>, ApiError> {
    let (content_range, body) = send(builder.exact_count().range(from, to)).await?;
    Ok(Page { rows: decode(&body)?, total: content_range.as_deref().and_then(total_from_content_range) })
}

/// A row's place in a `(created_at, id)` order: the row a keyset page continues after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyset {
    /// `created_at` exactly as PostgREST returned it (microseconds included).
    pub created_at: String,
    pub id: String,
}

/// Which way a keyset read walks the `(created_at, id)` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    NewestFirst,
    OldestFirst,
}

impl Direction {
    fn order(self) -> &'static str {
        match self {
            Direction::NewestFirst => "created_at.desc,id.desc",
            Direction::OldestFirst => "created_at.asc,id.asc",
        }
    }

    /// The operator that keeps rows strictly past a key in this direction.
    fn past(self) -> &'static str {
        match self {
            Direction::NewestFirst => "lt",
            Direction::OldestFirst => "gt",
        }
    }

    /// The operators that keep rows before a key in this direction: strictly on `created_at`,
    /// and the key's own row on the tie.
    fn through(self) -> (&'static str, &'static str) {
        match self {
            Direction::NewestFirst => ("gt", "gte"),
            Direction::OldestFirst => ("lt", "lte"),
        }
    }
}

/// One keyset page: its rows, and whether rows follow them.
#[derive(Debug, Clone, PartialEq)]
pub struct KeysetPage<T> {
    pub rows: Vec<T>,
    pub more: bool,
}

/// The filter that keeps rows strictly past `key` in `direction`:
/// `or=(created_at.lt."t",and(created_at.eq."t",id.lt."i"))` when newest first.
pub fn past_filter(direction: Direction, key: &Keyset) -> String {
    let op = direction.past();
    key_filter(op, op, key)
}

/// The filter that keeps rows from the start of `direction` down to `key`, `key`'s row
/// included: `or=(created_at.gt."t",and(created_at.eq."t",id.gte."i"))` when newest first.
/// Beside a [`past_filter`] (PostgREST ANDs repeated `or` parameters) it bounds a keyset walk.
pub fn through_filter(direction: Direction, key: &Keyset) -> String {
    let (before, tie) = direction.through();
    key_filter(before, tie, key)
}

/// Rows whose `created_at` compares to `key`'s by `before`, or equals it with an id that
/// compares by `tie`: the one shape of every keyset bound.
fn key_filter(before: &str, tie: &str, key: &Keyset) -> String {
    let (at, id) = (quote(&key.created_at), quote(&key.id));
    format!("created_at.{before}.{at},and(created_at.eq.{at},id.{tie}.{id})")
}

/// Reads up to `size` rows past `after` (from the start when `None`) in `direction`, asking for
/// one more row than it returns to know whether another page follows. `size` must stay below
/// the server's `max_rows`, or `more` would be cut short with the page.
pub async fn keyset_page<T: DeserializeOwned>(
    builder: Builder,
    direction: Direction,
    after: Option<&Keyset>,
    size: usize,
) -> Result<KeysetPage<T>, ApiError> {
    let page = keyset_read(builder, direction, after, size, false).await?;
    Ok(KeysetPage { rows: page.rows, more: page.more })
}

/// A keyset page and, when the server counted, how many rows match the filters in all (past
/// `after` included: counted from the start, it is the listing's total).
#[derive(Debug, Clone, PartialEq)]
pub struct CountedPage<T> {
    pub rows: Vec<T>,
    pub more: bool,
    pub total: Option<usize>,
}

/// [`keyset_page`] with `Prefer: count=exact`: the first page of a listing, which also says
/// how long the whole listing is without reading it.
pub async fn keyset_page_counted<T: DeserializeOwned>(
    builder: Builder,
    direction: Direction,
    after: Option<&Keyset>,
    size: usize,
) -> Result<CountedPage<T>, ApiError> {
    keyset_read(builder, direction, after, size, true).await
}

async fn keyset_read<T: DeserializeOwned>(
    builder: Builder,
    direction: Direction,
    after: Option<&Keyset>,
    size: usize,
    count: bool,
) -> Result<CountedPage<T>, ApiError> {
    let builder = builder.order(direction.order());
    let builder = match after {
        Some(key) => builder.or(past_filter(direction, key)),
        None => builder,
    };
    let builder = if count { builder.exact_count() } else { builder };
    let (content_range, body) = send(builder.limit(size + 1)).await?;
    let mut rows: Vec<T> = decode(&body)?;
    let more = rows.len() > size;
    rows.truncate(size);
    let total = if count { content_range.as_deref().and_then(total_from_content_range) } else { None };
    Ok(CountedPage { rows, more, total })
}

/// A value double-quoted for a PostgREST logic tree (`,.:()` are reserved there).
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Sends a built request through [`http::send`]: postgrest-rs only builds it (method, URL with
/// its query, headers, body); the token `auth` put in `Authorization` goes back to `send`,
/// which sets that header and `apikey` for every service.
async fn send(builder: Builder) -> Result<(Option<String>, String), ApiError> {
    let request = builder.build().build().map_err(|e| ApiError::Decode(e.to_string()))?;
    let method =
        Method::from_bytes(request.method().as_str().as_bytes()).map_err(|e| ApiError::Decode(e.to_string()))?;
    let mut bearer = None;
    let mut headers = Vec::new();
    for (name, value) in request.headers() {
        let value = value.to_str().map_err(|e| ApiError::Decode(e.to_string()))?;
        match value.strip_prefix("Bearer ") {
            Some(token) if *name == AUTHORIZATION => bearer = Some(token),
            _ => headers.push((name.as_str().to_owned(), value.to_owned())),
        }
    }
    let body = match request.body().and_then(|body| body.as_bytes()) {
        Some(bytes) if !bytes.is_empty() => Body::Text(String::from_utf8_lossy(bytes).into_owned()),
        _ => Body::None,
    };
    let mut call = http::Call::new(Service::Rest, method, request.url().to_string(), bearer).body(body);
    for (name, value) in headers {
        call = call.header(name, value);
    }
    let answer = http::send(call).await?;
    let content_range = answer.header("content-range");
    Ok((content_range, answer.text().await?))
}

fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    let body = if body.trim().is_empty() { "[]" } else { body };
    serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The total of a `Content-Range: 0-99/1234` header (`*` when the server did not count).
pub fn total_from_content_range(header: &str) -> Option<usize> {
    header.rsplit_once('/')?.1.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{past_filter, through_filter, total_from_content_range, Direction, Keyset};

    #[test]
    fn content_range_totals() {
        assert_eq!(total_from_content_range("0-99/1234"), Some(1234));
        assert_eq!(total_from_content_range("*/0"), Some(0));
        assert_eq!(total_from_content_range("0-9/*"), None);
        assert_eq!(total_from_content_range("garbage"), None);
    }

    #[test]
    fn keyset_filters_quote_the_key_and_break_ties_on_id() {
        let key = Keyset { created_at: "2026-12-03T10:00:00.123456+00:00".into(), id: "0b7e".into() };
        assert_eq!(
            past_filter(Direction::NewestFirst, &key),
            r#"created_at.lt."2026-12-03T10:00:00.123456+00:00",and(created_at.eq."2026-12-03T10:00:00.123456+00:00",id.lt."0b7e")"#
        );
        let odd = Keyset { created_at: r#"a"b\c"#.into(), id: "1".into() };
        assert!(past_filter(Direction::OldestFirst, &odd).starts_with(r#"created_at.gt."a\"b\\c",and("#));
    }

    #[test]
    fn through_filters_keep_the_key_row_and_everything_before_it() {
        let key = Keyset { created_at: "2026-12-03T10:00:00.123456+00:00".into(), id: "0b7e".into() };
        assert_eq!(
            through_filter(Direction::NewestFirst, &key),
            r#"created_at.gt."2026-12-03T10:00:00.123456+00:00",and(created_at.eq."2026-12-03T10:00:00.123456+00:00",id.gte."0b7e")"#
        );
        assert_eq!(
            through_filter(Direction::OldestFirst, &key),
            r#"created_at.lt."2026-12-03T10:00:00.123456+00:00",and(created_at.eq."2026-12-03T10:00:00.123456+00:00",id.lte."0b7e")"#
        );
    }
}
