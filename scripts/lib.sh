# Shared helpers for scripts/dev.sh and scripts/test.sh (sourced, not run).
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# rustc's compile thread once overflowed its stack (SIGSEGV) building the app's debug wasm for
# the client tests on a loaded machine; a larger stack costs nothing when it is not needed.
export RUST_MIN_STACK="${RUST_MIN_STACK:-16777216}"
say() { printf '\033[1;34m[%s]\033[0m %s\n' "${SAY_TAG:-atelier}" "$*"; }

# A TCP port nobody listens on right now (the kernel picks it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Builds the release bundle into dist/ unless it is newer than every input.
build_app() {
  if [ -f dist/index.html ] && [ -z "$(find src style assets index.html config.js Trunk.toml .cargo Cargo.toml Cargo.lock -newer dist/index.html -print -quit 2>/dev/null)" ]; then
    say "app: dist/ is up to date"
  else
    say "app: trunk build --release"
    trunk build --release
  fi
}

# Waits until the app server (pid $2) answers at $1. It listens only once every file of dist/ is
# compressed, which takes a while on a busy machine: wait for that answer, not a fixed time.
# Fails if the server exits, or after $3 seconds (default 300).
wait_for_app() {
  local url=$1 pid=$2 limit=${3:-300} start=$SECONDS
  until curl -fs -o /dev/null "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { say "the app server exited before answering at $url"; return 1; }
    (( SECONDS - start < limit )) || { say "the app server did not answer at $url within ${limit}s"; return 1; }
    sleep 0.2
  done
}

# Builds the local stack binary (debug profile, shared with `cargo test`: built once). A
# STACK_BIN already set to an executable (e.g. a prebuilt supabase-local) is used as it is.
build_stack() {
  if [ -n "${STACK_BIN:-}" ] && [ -x "$STACK_BIN" ]; then
    say "stack: $STACK_BIN (STACK_BIN, not rebuilt)"
    return
  fi
  cargo build -p supabase-local --quiet
  STACK_BIN="$PWD/target/debug/supabase-local"
}

# --- the journeys (tests/e2e), shared by scripts/e2e.sh and scripts/test.sh ---------------

# The journeys that also run with the CPU throttled 4x in `make test` (layer e2e-4x): those
# whose data arrives late on a busy machine (they load accounts and posts, publish, or refresh
# tokens). All of them throttled would not fit the time make test has.
E2E_THROTTLED="tests/e2e/publish_accounts_race.test.mjs tests/e2e/publish_panel.test.mjs tests/e2e/two_tabs.test.mjs
  tests/e2e/publish_failures.test.mjs tests/e2e/publish_outcomes.test.mjs tests/e2e/accounts_posts.test.mjs
  tests/e2e/session_refresh.test.mjs tests/e2e/generate_sessions.test.mjs tests/e2e/posts_recovery.test.mjs"

# Prints the journey files that the names (publish_panel, publish_panel.test.mjs or a path)
# stand for; no name: the whole folder. Fails, naming it, on a name that is no journey.
journey_files() {
  [ $# -eq 0 ] && { echo tests/e2e/; return; }
  local name file
  for name in "$@"; do
    file=tests/e2e/$(basename "${name%.test.mjs}").test.mjs
    [ -f "$file" ] || { say "no journey $name ($file does not exist); they are: $(cd tests/e2e && ls *.test.mjs | sed 's/\.test\.mjs$//' | tr '\n' ' ')" >&2; return 1; }
    echo "$file"
  done
}

# Serves dist/ on 127.0.0.1:$1 for the stack in API_URL/ANON_KEY, logging to $2, and waits
# until it answers; sets web_pid (the caller stops it).
serve_app() {
  local port=$1 log=$2
  SUPABASE_URL="$API_URL" SUPABASE_ANON_KEY="$ANON_KEY" \
    node scripts/serve-dist.mjs --dir dist --port "$port" >"$log" 2>&1 &
  web_pid=$!
  wait_for_app "http://127.0.0.1:$port/" "$web_pid" || { cat "$log"; return 1; }
}

# run_journeys LOG FILE...: the journeys in Debian Chromium, one file at a time, against
# APP_URL and the stack in API_URL, ANON_KEY, SERVICE_ROLE_KEY, DB_URL (STACK_BIN and APP_DIST
# for the journeys that start a stack of their own; E2E_CPU_THROTTLE passes through). Node's
# spec report goes to the terminal and LOG (its "ℹ pass N" / "ℹ fail N" lines are the counts);
# returns node's exit code.
run_journeys() {
  local log=$1; shift
  APP_URL="$APP_URL" API_URL="$API_URL" ANON_KEY="$ANON_KEY" SERVICE_ROLE_KEY="$SERVICE_ROLE_KEY" DB_URL="$DB_URL" \
    STACK_BIN="$STACK_BIN" APP_DIST="${APP_DIST:-$PWD/dist}" \
    node --test --test-reporter=spec --test-concurrency=1 "$@" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

# Starts a stack instance for the test layers in data folder $1 (start log in $2) on free ports:
# sets api_port, db_port and web_port (the journeys' app origin, known before the stack starts
# because the Mastodon connector sends the browser back only to an origin the functions allow),
# then sets the instance's URLs and keys (API_URL, ANON_KEY, SERVICE_ROLE_KEY, DB_URL, …) as
# shell variables (each layer passes on the ones it needs).
# Prints the start log and returns non-zero when it does not start.
start_test_stack() {
  local data_dir=$1 log=$2
  build_stack
  api_port=$(free_port); db_port=$(free_port); web_port=$(free_port)
  say "local stack on :$api_port (db :$db_port), app on :$web_port"
  # Functions of this instance may reach the test servers on 127.0.0.1 (off by default) and
  # send the browser back to the journeys' origin.
  export SUPABASE_LOCAL_FUNCTION_ENV_ATELIER_ALLOW_PRIVATE_HOSTS=true
  export SUPABASE_LOCAL_FUNCTION_ENV_ATELIER_APP_ORIGINS="http://127.0.0.1:$web_port"
  # The suites sign up far more users than config.toml's 30 sign-ins per 5 minutes allow.
  if ! "$STACK_BIN" start --data-dir "$data_dir" --api-port "$api_port" --db-port "$db_port" \
    --auth-rate-limit 1000000 >"$log" 2>&1; then
    cat "$log"
    return 1
  fi
  eval "$("$STACK_BIN" status --data-dir "$data_dir" -o env)"
}
