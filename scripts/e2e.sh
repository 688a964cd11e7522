#!/usr/bin/env bash
# `make e2e`: the browser journeys (tests/e2e) against a stack instance of their own
# (temporary data folder, free ports) and an app server on the existing dist/ (built only when
# dist/ is missing), so a running `make dev` is never touched.
#   scripts/e2e.sh [NAME...]        NAME: a journey, e.g. publish_panel (tests/e2e/NAME.test.mjs);
#                                   none: every journey
#   scripts/e2e.sh --dev NAME...    against the running `make dev` (http://127.0.0.1:3000 and
#                                   its stack) instead: no stack of its own, its demo data and
#                                   its configured sign-up limit (README: which journeys suit it)
# Environment: E2E_CPU_THROTTLE=4 slows every page's CPU 4x; STACK_BIN=<supabase-local> uses
# that binary instead of building one. Node's spec report also goes to tests/.artifacts/e2e.log.
# Exits non-zero when a journey fails.
set -uo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=e2e; source scripts/lib.sh

dev=0
if [ "${1:-}" = --dev ]; then dev=1; shift; fi
files=$(journey_files "$@") || exit 2
logs=tests/.artifacts; mkdir -p "$logs"

if [ "$dev" = 1 ]; then
  # dev.sh starts the stack in its default data folder (its status prints the URLs and keys)
  # and records the app server's pid in supabase/.temp/web.pid; it serves on port 3000.
  STACK_BIN="${STACK_BIN:-$PWD/target/debug/supabase-local}"
  web_pid_file=supabase/.temp/web.pid
  if ! { [ -f "$web_pid_file" ] && kill -0 "$(cat "$web_pid_file")" 2>/dev/null; } \
    || ! status=$("$STACK_BIN" status -o env 2>/dev/null); then
    say "no running \`make dev\` (app server pid in $web_pid_file, stack status from $STACK_BIN): start it with make dev"
    exit 2
  fi
  eval "$status"
  APP_URL=http://127.0.0.1:3000
  say "against make dev: $APP_URL, stack $API_URL"
  run_journeys "$logs/e2e.log" $files
  exit $?
fi

# Only what the journeys need, and only when it is missing: ensure-tools' `npm ci` empties
# node_modules first, and a worktree's node_modules is often a link to another checkout's.
if [ ! -d node_modules/playwright-core ] || [ ! -x /usr/bin/chromium ]; then
  scripts/ensure-tools.sh test || exit 1
fi
work=$(mktemp -d /tmp/atelier-e2e.XXXXXX)
# PostgreSQL runs as the postgres user when we are root: let it reach the instance's folder.
chmod 755 "$work"
# Deno's module cache (npm:@supabase/supabase-js for the functions) outlives one run.
export DENO_DIR="${DENO_DIR:-$HOME/.cache/atelier/deno}"

cleanup() {
  [ -n "${web_pid:-}" ] && kill "$web_pid" 2>/dev/null
  [ -n "${STACK_BIN:-}" ] && "$STACK_BIN" stop --data-dir "$work/stack" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if [ -f dist/index.html ]; then
  say "app: reusing dist/ (built $(date -r dist/index.html '+%F %T'); make dev or make test rebuild it when stale)"
else
  build_app >"$logs/trunk.log" 2>&1 || { cat "$logs/trunk.log"; exit 1; }
fi

start_test_stack "$work/stack" "$logs/e2e-stack-start.log" || exit 1

serve_app "$web_port" "$logs/e2e-web.log" || exit 1
APP_URL="http://127.0.0.1:$web_port"
say "journeys: $(echo $files)${E2E_CPU_THROTTLE:+ (CPU throttled ${E2E_CPU_THROTTLE}x)}"
run_journeys "$logs/e2e.log" $files
