#!/usr/bin/env bash
# `make lint`: style and static checks, all of which must pass (make test runs this first, so
# CI fails on a warning). Each check prints its findings; the last line is
# "lint: N passed, M failed" (one count per check).
#   cargo fmt --check                      the Rust of the app, the local stack and their tests
#   cargo clippy -D warnings (native)      the app's domain/state code and the local stack, every target
#   cargo clippy -D warnings (wasm32)      the app as it ships, and its wasm client tests
#   deno fmt --check, deno lint            the Edge Functions (supabase/functions/deno.json)
#   import circles                         among the app's Rust modules and the Edge Functions' modules
set -uo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=lint; source scripts/lib.sh

passed=0; failed=0; failures=()
check() {
  local name=$1; shift
  say "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

check "cargo fmt --check" cargo fmt --all -- --check
check "clippy (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
check "clippy (wasm32)" cargo clippy -p atelier --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
check "deno fmt --check" deno fmt --check --quiet supabase/functions
check "deno lint" deno lint --quiet supabase/functions
check "import circles (app)" node scripts/import-circles-rust.mjs
check "import circles (functions)" node scripts/import-circles-functions.mjs

[ "$failed" -eq 0 ] || say "failed: ${failures[*]}"
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
