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

# Builds the local stack binary (debug profile, shared with `cargo test`: built once).
build_stack() {
  cargo build -p supabase-local --quiet
  STACK_BIN="$PWD/target/debug/supabase-local"
}
