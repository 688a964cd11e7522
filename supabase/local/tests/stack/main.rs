//! HTTP integration tests over a real stack (PostgreSQL + API) started for this binary.
mod auth;
mod bounds;
mod burst;
mod common;
mod due_posts;
mod functions;
mod gate;
mod hook_server;
mod pg_net;
mod rate_limit;
mod realtime;
mod rest;
mod restart;
mod rpc;
mod seed;
mod storage;
