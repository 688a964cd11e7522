#!/usr/bin/env bash
# `make bench`: the performance report (not part of `make test`). Builds the release bundle
# (or reuses an up-to-date dist/), starts a stack instance of its own (temporary folder, free
# ports) and the app server, then runs tests/bench/app/run.mjs, which writes bench/report.md
# and bench/report.json, and tests/bench/publishing.mjs, which writes bench/publishing.json.
# Extra arguments go to both (e.g. --only bundle,cold_load --runs 3; --only publishing).
# DIST=<folder> benches that build as it is instead (no build).
set -euo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=bench; source scripts/lib.sh

scripts/ensure-tools.sh test
work=$(mktemp -d /tmp/atelier-bench.XXXXXX)
chmod 755 "$work" # PostgreSQL runs as the postgres user when we are root
export DENO_DIR="${DENO_DIR:-$HOME/.cache/atelier/deno}"
mkdir -p "$work/pages"

cleanup() {
  [ -n "${web_pid:-}" ] && kill "$web_pid" 2>/dev/null
  [ -n "${STACK_BIN:-}" ] && "$STACK_BIN" stop --data-dir "$work/stack" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

dist="${DIST:-dist}"
if [ -z "${DIST:-}" ]; then build_app; else say "app: benching $dist as it is"; fi
build_stack
api_port=$(free_port); db_port=$(free_port)
say "local stack on :$api_port (db :$db_port)"
# The bench signs up a user per sample: lift the per-IP sign-up limit for this instance. The
# publishing bench's Bluesky and Mastodon servers listen on 127.0.0.1, which functions refuse
# unless ATELIER_ALLOW_PRIVATE_HOSTS is on.
SUPABASE_LOCAL_AUTH_RATE_LIMIT=100000 SUPABASE_LOCAL_FUNCTION_ENV_ATELIER_ALLOW_PRIVATE_HOSTS=true "$STACK_BIN" start --quiet --data-dir "$work/stack" --api-port "$api_port" --db-port "$db_port" >"$work/stack.log" 2>&1 \
  || { cat "$work/stack.log"; exit 1; }
eval "$("$STACK_BIN" status --data-dir "$work/stack" -o env)"

web_port=$(free_port)
SUPABASE_URL="$API_URL" SUPABASE_ANON_KEY="$ANON_KEY" \
  node scripts/serve-dist.mjs --dir "$dist" --port "$web_port" --mount "/__bench=$work/pages" >"$work/web.log" 2>&1 &
web_pid=$!
wait_for_app "http://127.0.0.1:$web_port/" "$web_pid" || { cat "$work/web.log"; exit 1; }

say "measuring (app on :$web_port)"
APP_URL="http://127.0.0.1:$web_port" API_URL="$API_URL" ANON_KEY="$ANON_KEY" SERVICE_ROLE_KEY="$SERVICE_ROLE_KEY" \
  BENCH_PAGES="$work/pages" DIST="$dist" node tests/bench/app/run.mjs "$@"

say "publishing latency (reference PDS and fake Mastodon): bench/publishing.json"
API_URL="$API_URL" ANON_KEY="$ANON_KEY" SERVICE_ROLE_KEY="$SERVICE_ROLE_KEY" node tests/bench/publishing.mjs "$@"
