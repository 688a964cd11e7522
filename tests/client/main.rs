//! The client layer: Atelier's Rust client against a running local stack, in headless
//! Chromium (wasm-bindgen-test). Run through `scripts/test-client.sh`, which starts nothing:
//! it takes the stack's `API_URL`, `ANON_KEY` and `SERVICE_ROLE_KEY` and compiles them in.
//! Natively this target is empty, so `cargo test --workspace` skips it.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod auth;
mod common;
mod functions;
mod jwt;
mod realtime;
mod recovery;
mod renew;
mod rest;
mod rotation;
mod session_delete;
mod state_pages;
mod state_paths;
mod state_recovery;
mod state_rows;
mod time_zone;
mod tokens;
