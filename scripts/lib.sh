# Shared helpers for scripts/dev.sh and scripts/test.sh (sourced, not run).
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
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

# Builds the local stack binary (debug profile, shared with `cargo test`: built once).
build_stack() {
  cargo build -p supabase-local --quiet
  STACK_BIN="$PWD/target/debug/supabase-local"
}
