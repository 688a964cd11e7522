//! `supabase-local`: a Supabase-compatible local stack (GoTrue and PostgREST subsets)
//! over a real PostgreSQL cluster, for machines without Docker.
pub mod api;
pub mod cli;
pub mod config;
pub mod jwt;
pub mod pg_net;
pub mod postgres;
pub mod seed_storage;
pub mod stack;
pub mod worker_endpoint;
