//! PostgREST subset (`/rest/v1`): query-string grammar, SQL builder, request handlers.
pub mod embed;
pub mod filter;
pub mod handler;
pub mod json_path;
pub mod lex;
pub mod parse;
pub mod prefer;
pub mod procs;
pub mod range;
pub mod respond;
pub mod rpc;
pub mod select;
pub mod sql;
#[cfg(test)]
mod tests;
pub mod write;
