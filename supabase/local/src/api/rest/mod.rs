//! PostgREST subset (`/rest/v1`): query-string grammar, SQL builder, request handler.
pub mod handler;
pub mod parse;
pub mod sql;
#[cfg(test)]
mod tests;
