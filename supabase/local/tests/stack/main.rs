//! HTTP integration tests over a real stack (PostgreSQL + API) started for this binary.
mod auth;
mod common;
mod due_posts;
mod functions;
mod realtime;
mod rest;
mod rpc;
mod seed;
mod storage;
