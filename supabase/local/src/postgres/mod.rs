//! The PostgreSQL side: the cluster process, bootstrap/migrations, and connection pools.
pub mod bootstrap;
pub mod caller_tx;
pub mod cluster;
pub mod pool;
