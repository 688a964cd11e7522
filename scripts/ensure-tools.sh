#!/usr/bin/env bash
# Installs what `make dev` / `make test` need and is missing; a no-op on a warm machine.
# Everything here comes from crates.io, npm or Debian, so it works offline from GitHub.
#   scripts/ensure-tools.sh build   wasm target, trunk, wasm-bindgen-cli, node packages, pgTAP
#   scripts/ensure-tools.sh test    the above plus Chromium and ChromeDriver
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-build}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
say() { printf '\033[1;34m[tools]\033[0m %s\n' "$*"; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt: installing ${missing[*]}"
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# PostgreSQL 15 is on the image; pgTAP (and pg_prove) and pg_cron (as on Supabase) come from Debian.
apt_install postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron
if [ "$want" = test ]; then apt_install chromium chromium-driver; fi
# better-sqlite3 (under the reference Bluesky PDS the tests run) compiles from source.
apt_install build-essential python3

rustup target list --installed | grep -qx wasm32-unknown-unknown || { say "rustup: wasm32 target"; rustup target add wasm32-unknown-unknown; }
# make lint (run first by make test): rustfmt and clippy.
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || { say "rustup: $component"; rustup component add "$component"; }
done

if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  say "cargo: installing trunk 0.21.x (rustc 1.95 cannot build 0.22)"
  cargo install trunk --version '~0.21' --locked --quiet
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen in Cargo.lock, or trunk would download one.
wbg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
  say "cargo: installing wasm-bindgen-cli $wbg"
  # Not --locked: its lock file pins a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "=$wbg" --quiet --force
fi

# binaryen (wasm-opt 132), deno, playwright-core and supabase-js from npm, pinned by package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm: installing node packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "ready"
