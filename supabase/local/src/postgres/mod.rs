//! The PostgreSQL side: the cluster process, bootstrap/migrations, and connection pools.
pub mod bootstrap;
pub mod caller_tx;
pub mod cluster;
pub mod pool;

/// An SQL identifier, double-quoted with embedded quotes doubled. Every service that builds SQL
/// from a catalog name goes through this.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
