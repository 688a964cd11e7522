#!/usr/bin/env bash
# `make dev`: install what is missing, build, start the local stack and serve the app on
# http://127.0.0.1:3000 (its own origin, as on a CDN). `scripts/dev.sh stop` stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
SAY_TAG=dev; source scripts/lib.sh
web_pid=supabase/.temp/web.pid

web_running() { [ -f "$web_pid" ] && kill -0 "$(cat "$web_pid")" 2>/dev/null; }

if [ "${1:-}" = stop ]; then
  if web_running; then kill "$(cat "$web_pid")"; fi
  rm -f "$web_pid"
  [ -x target/debug/supabase-local ] && target/debug/supabase-local stop
  exit 0
fi

scripts/ensure-tools.sh build
build_app
build_stack
"$STACK_BIN" start >/dev/null
mkdir -p supabase/.temp
if web_running; then
  say "app server already running (pid $(cat "$web_pid"))"
else
  nohup node scripts/serve-dist.mjs --dir dist --port 3000 >supabase/.temp/web.log 2>&1 &
  echo $! >"$web_pid"
  wait_for_app http://127.0.0.1:3000/ "$(cat "$web_pid")" || { cat supabase/.temp/web.log; exit 1; }
fi
"$STACK_BIN" status
cat <<MSG

  App:         http://127.0.0.1:3000
  Demo login:  demo@atelier.test / atelier-demo
  Stop with:   make stop
MSG
