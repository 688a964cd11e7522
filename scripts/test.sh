#!/usr/bin/env bash
# `make test`: install what is missing, then run every test layer against instances of its
# own (temporary data folder, free ports), so a running `make dev` is never touched.
# Ends with one line: "summary: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=test; source scripts/lib.sh
started=$(date +%s)

scripts/ensure-tools.sh test || { echo "summary: 0 passed, 1 failed"; exit 1; }

work=$(mktemp -d /tmp/atelier-test.XXXXXX)
# PostgreSQL runs as the postgres user when we are root: let it reach the instance's folder,
# so its data lives (and is removed) here rather than in supabase-local's /var/tmp fallback.
chmod 755 "$work"
# Deno's module cache (npm:@supabase/supabase-js for the functions) outlives one run.
export DENO_DIR="${DENO_DIR:-$HOME/.cache/atelier/deno}"
logs=tests/.artifacts; mkdir -p "$logs"
passed=0; failed=0; report=()

cleanup() {
  [ -n "${web_pid:-}" ] && kill "$web_pid" 2>/dev/null
  [ -n "${STACK_BIN:-}" ] && "$STACK_BIN" stop --data-dir "$work/stack" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# record LAYER PASSED FAILED EXIT_CODE: a layer that exits non-zero counts at least one failure.
record() {
  local layer=$1 p=$2 f=$3 rc=$4
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  report+=("$(printf '%-10s %4d passed, %d failed' "$layer" "$p" "$f")")
}

# Sets p and f from the closing lines of node's spec reporter.
node_counts() {
  p=$(grep -Eo '^ℹ pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
  f=$(grep -Eo '^ℹ fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')
}

# --- style and static checks first: a warning fails the run ----------------------------
scripts/lint.sh 2>&1 | tee "$logs/lint.log"; rc=${PIPESTATUS[0]}
p=$(sed -n 's/^lint: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$logs/lint.log"); f=$(sed -n 's/^lint: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$logs/lint.log")
record lint "${p:-0}" "${f:-0}" "$rc"

# --- domain, local stack (unit + HTTP against its own instance) -------------------------
say "cargo test --workspace"
cargo test --workspace 2>&1 | tee "$logs/cargo.log"; rc=${PIPESTATUS[0]}
p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$logs/cargo.log" | awk '{s+=$4} END {print s+0}')
f=$(grep -Eo '[0-9]+ failed;' "$logs/cargo.log" | awk '{s+=$1} END {print s+0}')
record cargo "$p" "$f" "$rc"

# --- one stack instance for the database and browser layers -----------------------------
start_test_stack "$work/stack" "$logs/stack-start.log" || record stack 0 1 1

# --- database: pgTAP ---------------------------------------------------------------------
if [ -n "${DB_URL:-}" ] && ls supabase/tests/*.sql >/dev/null 2>&1; then
  say "pgTAP"
  pg_prove --verbose --dbname "$DB_URL" supabase/tests/*.sql 2>&1 | tee "$logs/pgtap.log"; rc=${PIPESTATUS[0]}
  p=$(grep -Ec '^\s*ok [0-9]+' "$logs/pgtap.log"); f=$(grep -Ec '^\s*not ok [0-9]+' "$logs/pgtap.log")
  record pgtap "$p" "$f" "$rc"
fi

# --- one source of truth: domain enums and limits against the migrated database ---------
if [ -n "${DB_URL:-}" ]; then
  say "schema mirror (domain == database)"
  DB_URL="$DB_URL" cargo test --test schema_mirror -- --ignored 2>&1 | tee "$logs/schema.log"; rc=${PIPESTATUS[0]}
  p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$logs/schema.log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "$logs/schema.log" | awk '{s+=$1} END {print s+0}')
  record schema "$p" "$f" "$rc"
fi

# --- client: the Rust client in headless Chromium against the stack ----------------------
if [ -n "${API_URL:-}" ]; then
  say "client (wasm-bindgen-test in Chromium)"
  API_URL="$API_URL" ANON_KEY="$ANON_KEY" SERVICE_ROLE_KEY="$SERVICE_ROLE_KEY" JWT_SECRET="${JWT_SECRET:-}" \
    scripts/test-client.sh >"$logs/client-run.log" 2>&1; rc=$?
  tail -3 "$logs/client-run.log"
  line=$(grep -E '^client: [0-9]+ passed, [0-9]+ failed' "$logs/client-run.log" | tail -1)
  p=$(echo "$line" | awk '{print $2}'); f=$(echo "$line" | awk '{print $4}')
  record client "${p:-0}" "${f:-0}" "$rc"
fi

# --- compatibility: the official supabase-js against the stack ---------------------------
if [ -n "${API_URL:-}" ]; then
  say "compat (supabase-js)"
  API_URL="$API_URL" ANON_KEY="$ANON_KEY" SERVICE_ROLE_KEY="$SERVICE_ROLE_KEY" DB_URL="$DB_URL" \
    node --test --test-reporter=spec tests/compat/ 2>&1 | tee "$logs/compat.log"; rc=${PIPESTATUS[0]}
  node_counts "$logs/compat.log"; record compat "$p" "$f" "$rc"
fi

# --- test servers: the fake Mastodon checked with the official masto client -------------
say "test servers and the CSP builder (masto against the fake Mastodon; scripts/csp.mjs)"
node --test --test-reporter=spec tests/servers/ 2>&1 | tee "$logs/servers.log"; rc=${PIPESTATUS[0]}
node_counts "$logs/servers.log"; record servers "$p" "$f" "$rc"

# --- the bench's statistics: medians and p95s that count runs that never arrived ------------
say "bench statistics (node --test)"
node --test --test-reporter=spec tests/bench/app/stats.test.mjs 2>&1 | tee "$logs/bench-stats.log"; rc=${PIPESTATUS[0]}
node_counts "$logs/bench-stats.log"; record bench "$p" "$f" "$rc"

# --- functions: deno test (unit, fake provider servers, and through the stack) -----------
if [ -n "${API_URL:-}" ]; then
  say "functions (deno test)"
  # --allow-run: tests start the reference PDS and the Mastodon fake (tests/servers) as Node processes.
  SUPABASE_URL="$API_URL" SUPABASE_ANON_KEY="$ANON_KEY" SUPABASE_SERVICE_ROLE_KEY="$SERVICE_ROLE_KEY" DB_URL="$DB_URL" \
    deno test --allow-net --allow-env --allow-read --allow-run supabase/functions/ 2>&1 | tee "$logs/deno.log"; rc=${PIPESTATUS[0]}
  # Deno's closing line: "ok | 133 passed (21 steps) | 0 failed | 2 ignored (2m42s)" (steps only when some ran).
  closing=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/deno.log" | grep -Eo '[0-9]+ passed( \([0-9]+ steps?\))? \| [0-9]+ failed' | tail -1)
  p=$(echo "$closing" | awk '{print $1}')
  f=$(echo "$closing" | grep -Eo '[0-9]+ failed' | awk '{print $1}')
  record deno "${p:-0}" "${f:-0}" "$rc"
fi

# --- journeys: the release build in Debian Chromium (the same runner as scripts/e2e.sh) ----
# A journey that needs a stack of its own (tests/e2e/support/stacks.mjs) starts it from STACK_BIN and APP_DIST.
if [ -n "${API_URL:-}" ]; then
  if build_app >"$logs/trunk.log" 2>&1; then
    serve_app "$web_port" "$logs/web.log"
    APP_URL="http://127.0.0.1:$web_port"
    say "journeys (Playwright + /usr/bin/chromium)"
    run_journeys "$logs/e2e.log" tests/e2e/; rc=$?
    node_counts "$logs/e2e.log"; record e2e "$p" "$f" "$rc"
    # Again with every page's CPU slowed 4x, as on a busy machine: the journeys of
    # E2E_THROTTLED (scripts/lib.sh).
    say "journeys, CPU throttled 4x"
    E2E_CPU_THROTTLE=4 run_journeys "$logs/e2e-4x.log" $E2E_THROTTLED; rc=$?
    node_counts "$logs/e2e-4x.log"; record e2e-4x "$p" "$f" "$rc"
  else
    cat "$logs/trunk.log"; record e2e 0 1 1
  fi
fi

printf '\n'; printf '  %s\n' "${report[@]}"
printf '  took %ss\n\n' "$(( $(date +%s) - started ))"
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
