#!/usr/bin/env bash
# The client layer: Atelier's Rust client (src/supabase) against a running local stack, in
# headless Debian Chromium, with wasm-bindgen-test.
#
# Usage: API_URL=… ANON_KEY=… SERVICE_ROLE_KEY=… scripts/test-client.sh [test name filter]
# (`supabase-local status --data-dir … -o env` prints exactly these, and JWT_SECRET, which
# is used when set). It starts no stack.
#
# How it works:
# - The tests are the cargo integration test `client` (tests/client/main.rs and its modules),
#   built for wasm32-unknown-unknown. The stack's URL and keys are compiled in as
#   ATELIER_TEST_API_URL / ATELIER_TEST_ANON_KEY / ATELIER_TEST_SERVICE_KEY (`option_env!`);
#   a test compiled without them fails rather than skips.
# - cargo runs the .wasm through wasm-bindgen-test-runner (the wasm-bindgen-cli matching
#   Cargo.lock), which serves a test page on loopback and drives Chromium through
#   chromedriver (CHROMEDRIVER). Capabilities (binary, flags) come from
#   tests/client/webdriver.json via WASM_BINDGEN_TEST_WEBDRIVER_JSON. Nothing is downloaded.
# - The output goes to tests/.artifacts/client.log; the last line is
#   "client: N passed, M failed". The exit code is non-zero on any failure (or a build error).
set -uo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=client; source scripts/lib.sh

log=tests/.artifacts/client.log
mkdir -p "$(dirname "$log")"

for var in API_URL ANON_KEY SERVICE_ROLE_KEY; do
  if [ -z "${!var:-}" ]; then
    echo "test-client: $var is not set (start a stack and eval \"\$(supabase-local status --data-dir … -o env)\")" | tee "$log"
    echo "client: 0 passed, 1 failed"
    exit 1
  fi
done

export ATELIER_TEST_API_URL="$API_URL" ATELIER_TEST_ANON_KEY="$ANON_KEY" ATELIER_TEST_SERVICE_KEY="$SERVICE_ROLE_KEY"
# Optional: the expiry tests sign short-lived tokens with it (default: the CLI's well-known one).
export ATELIER_TEST_JWT_SECRET="${JWT_SECRET:-}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/client/webdriver.json"
# The whole browser run (every test) must finish within this many seconds.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
# The app is not served cross-origin isolated; neither is the test page.
export WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1

say "cargo test --target wasm32-unknown-unknown --test client (Chromium via $CHROMEDRIVER)"
cargo test --target wasm32-unknown-unknown --test client -- --nocapture "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "client: $passed passed, $failed failed" | tee -a "$log"
exit "$rc"
