//! Running a request's SQL as its caller, the way PostgREST, Storage and Realtime do: one
//! transaction with `role` and `request.jwt.claims` set locally, so the migrations' RLS and
//! grants decide. Shared by every service of the stack.
use super::pool::{Pool, PoolError, Pooled};
use serde_json::{Map, Value};

/// Who a request runs as: the database role and the JWT claims (JSON text) it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub role: String,
    pub claims: String,
}

impl Caller {
    /// No JWT: PostgREST's anonymous role.
    pub fn anon() -> Caller {
        Caller { role: "anon".into(), claims: r#"{"role":"anon"}"#.into() }
    }

    /// A caller from verified claims; `role` in the claims is forced to the effective role.
    pub fn from_claims(mut claims: Map<String, Value>) -> Caller {
        let role = claims.get("role").and_then(Value::as_str).unwrap_or("anon").to_string();
        claims.insert("role".into(), Value::String(role.clone()));
        Caller { role, claims: Value::Object(claims).to_string() }
    }

    /// The `sub` claim, for services that key data by user (Storage's `owner`).
    pub fn user_id(&self) -> Option<String> {
        let claims: Value = serde_json::from_str(&self.claims).ok()?;
        claims.get("sub")?.as_str().map(str::to_string)
    }
}

/// Request facts PostgREST exposes to SQL as `request.*` settings.
pub struct RequestInfo<'a> {
    pub read_only: bool,
    pub method: &'a str,
    pub path: &'a str,
    /// Lower-cased header names to values, as JSON text (`request.headers`).
    pub headers_json: String,
}

/// An open transaction on a pooled connection. Commit or roll it back explicitly; if it is
/// dropped open, the connection is discarded rather than returned to the pool.
pub struct CallerTx {
    db: Pooled,
    pub caller: Caller,
}

impl CallerTx {
    pub async fn begin(pool: &Pool, caller: Caller, req: RequestInfo<'_>) -> Result<CallerTx, PoolError> {
        let mut db = pool.get().await?;
        db.clean = false;
        let begin = if req.read_only {
            "begin isolation level read committed read only"
        } else {
            "begin isolation level read committed"
        };
        db.batch_execute(begin).await?;
        // Statement timeouts as Supabase sets them per role (anon 3 s, others 8 s).
        let timeout = if caller.role == "anon" { "3s" } else { "8s" };
        db.query(
            "select set_config('search_path', 'public, extensions', true), set_config('role', $1, true),
                    set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true),
                    set_config('request.path', $4, true), set_config('request.headers', $5, true),
                    set_config('statement_timeout', $6, true)",
            &[&caller.role, &caller.claims, &req.method, &req.path, &req.headers_json, &timeout],
        )
        .await?;
        Ok(CallerTx { db, caller })
    }

    pub async fn commit(mut self) -> Result<(), tokio_postgres::Error> {
        self.db.batch_execute("commit").await?;
        self.db.clean = true;
        Ok(())
    }

    /// Ends the transaction, keeping the connection only if the rollback itself worked.
    pub async fn rollback(mut self) {
        if self.db.batch_execute("rollback").await.is_ok() {
            self.db.clean = true;
        }
    }

    /// Commits when `result` is Ok, rolls back otherwise; a failed commit becomes the error.
    pub async fn finish<T, E>(
        self,
        result: Result<T, E>,
        on_commit_error: impl FnOnce(tokio_postgres::Error) -> E,
    ) -> Result<T, E> {
        match result {
            Ok(v) => self.commit().await.map(|()| v).map_err(on_commit_error),
            Err(e) => {
                self.rollback().await;
                Err(e)
            }
        }
    }
}

impl std::ops::Deref for CallerTx {
    type Target = tokio_postgres::Client;
    fn deref(&self) -> &tokio_postgres::Client {
        &self.db
    }
}

/// Request headers as `request.headers` JSON: lower-cased names, cookies left out.
pub fn headers_json(headers: &axum::http::HeaderMap) -> String {
    let map: Map<String, Value> = headers
        .iter()
        .filter(|(k, _)| k.as_str() != "cookie")
        .map(|(k, v)| (k.as_str().to_string(), Value::String(String::from_utf8_lossy(v.as_bytes()).into_owned())))
        .collect();
    Value::Object(map).to_string()
}
