#!/usr/bin/env bash
# Installs everything the tests and the preview need, idempotently: each step is skipped when the
# tool is already there at the right version, so a warm machine gets through in about a second.
# See ../shared/spec/TOOLCHAIN.md for why each step is done this way on these machines (no GitHub
# downloads: wasm-pack and wasm-bindgen come from crates.io, wasm-opt from npm binaryen).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }

rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
step "Rust components: rustfmt, clippy"

if rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
  step "wasm32-unknown-unknown target: present"
else
  rustup target add wasm32-unknown-unknown
  step "wasm32-unknown-unknown target: installed"
fi

# wasm-pack 0.15.x from crates.io (the npm package downloads from GitHub and does not install).
have_pack="$(wasm-pack --version 2>/dev/null || true)"
if [[ "$have_pack" == "wasm-pack 0.15."* ]]; then
  step "wasm-pack: ${have_pack#wasm-pack } present"
else
  cargo install wasm-pack --locked --version '~0.15'
  step "wasm-pack: installed $(wasm-pack --version)"
fi

# wasm-bindgen CLI at exactly the version in Cargo.lock; without --locked (TOOLCHAIN.md pitfall 1).
want_bindgen="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
have_bindgen="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ -z "$want_bindgen" ]; then
  echo "error: no wasm-bindgen in Cargo.lock" >&2
  exit 1
elif [ "$have_bindgen" = "$want_bindgen" ]; then
  step "wasm-bindgen CLI: $have_bindgen present"
else
  cargo install wasm-bindgen-cli --version "$want_bindgen"
  step "wasm-bindgen CLI: installed $want_bindgen"
fi

# Node dev tools (binaryen's wasm-opt, typescript, playwright-core) from package-lock.json;
# reinstalled only when the lock file changed since the last install.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
marker=node_modules/.borgerblik-lock-sha256
if [ -d node_modules ] && [ "$(cat "$marker" 2>/dev/null || true)" = "$lock_hash" ]; then
  step "npm dev tools: up to date"
else
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$lock_hash" >"$marker"
  step "npm dev tools: installed (npm ci)"
fi

# Debian's binaryen 108 silently breaks the module (TOOLCHAIN.md pitfall 3); the build scripts put
# npm binaryen first on PATH, but say so when the Debian one is around.
if command -v dpkg-query >/dev/null && dpkg-query -W -f='${Status}' binaryen 2>/dev/null | grep -q 'ok installed'; then
  step "warning: Debian's binaryen is installed; scripts/build-wasm.sh uses npm binaryen 132 instead"
fi

if [ -x /usr/bin/chromium ]; then
  step "chromium: present"
else
  apt-get update -qq
  apt-get install -y -qq chromium
  step "chromium: installed"
fi
