#!/usr/bin/env bash
# Builds the npm package `borgerblik` into pkg/ (one package, one tarball; see docs/npm-readme.md):
#   pkg/node/      --target nodejs   the Node speed build (CommonJS; `import`/`require`; no init)
#   pkg/bundler/   --target bundler  the default build for webpack, Vite, … (ESM)
#   pkg/web/       --target web      plain pages, `<script type="module">`: call the default init first
#   pkg/element/   <borgerblik-overview> and the Danish labels and formatters (www/element/)
#   pkg/package.json                 conditional exports: "." → node | default (bundler), "./web",
#                                    "./element", "./package.json"; README (docs/npm-readme.md),
#                                    licence texts and NOTICE
# Each module gets the TypeScript types of the JSON contract (generated from the Rust types by
# tests/typescript.rs) and the BorgerblikError class (scripts/package/) appended. The optimised
# browser .wasm's raw and gzip sizes are printed, and the build fails over 400 KB raw or 150 KB gzip.
# Another module (say a web build with another cargo feature) is one more `module` line below plus
# its entry in scripts/package/manifest.mjs.
#
#   scripts/build-wasm.sh           release build (wasm-opt -Oz with npm binaryen 132)
#   scripts/build-wasm.sh --debug   debug build with the console panic hook, no wasm-opt
#
# Run scripts/setup.sh first (scripts/test.sh does). pkg/ is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_RAW=400000
# 150 KB gzip. Failing closed on ambiguous input (issue 11) cost ~4.9 KB gzip and put the module over
# it; see BENCHMARKS.md, item 6.
MAX_GZIP=150000

mode=--release
features=()
case "${1:-}" in
  "") ;;
  --debug) mode=--dev; features=(--features console-panic-hook) ;;
  *) echo "usage: $0 [--debug]" >&2; exit 2 ;;
esac

# npm binaryen's wasm-opt first on PATH: without one wasm-pack downloads from GitHub (fails here),
# and Debian's binaryen 108 silently breaks the module (TOOLCHAIN.md pitfalls 2 and 3).
if [ ! -x node_modules/.bin/wasm-opt ]; then
  echo "error: node_modules/.bin/wasm-opt missing; run scripts/setup.sh" >&2
  exit 1
fi
export PATH="$PWD/node_modules/.bin:$PATH"
# wasm-pack must not try to fetch wasm-bindgen either: setup.sh installs the exact version.
command -v wasm-bindgen >/dev/null || { echo "error: wasm-bindgen missing; run scripts/setup.sh" >&2; exit 1; }

echo "==> TypeScript types (cargo test --features ts --test typescript)"
types=target/ts/borgerblik-types.d.ts
BORGERBLIK_TS_OUT="$PWD/$types" cargo test --quiet --features ts --test typescript >/dev/null

rm -rf pkg
mkdir -p pkg

# module DIR TARGET OPT_LEVEL TARGET_DIR [cargo args...]: one wasm-pack build into pkg/DIR, with the
# contract's types and the error class appended (ESM, or CommonJS for the nodejs target).
#
# Browsers download the module, servers run it: the browser builds (web, bundler) are optimised for
# size (opt-level "z"; the size budget below applies to them), the Node build for speed (opt-level 3:
# ~2x the throughput, ~25 % larger; see BENCHMARKS.md). Each level keeps its own target dir, so
# neither build invalidates the other's cache. The native CLI keeps the crate's release profile.
# The Node build also turns on the `wasm-speed` feature (the hand-written overview writer, the standard
# sort) and gets wasm-opt -O4 instead of the crate's -Oz (~10 % faster there).
module() {
  local dir=pkg/$1 target=$2 level=$3 target_dir=$4
  shift 4
  local opt=()
  [ "$level" = 3 ] && [ "$mode" = --release ] && opt=(--no-opt)
  echo "==> wasm-pack build --target $target (opt-level $level) → $dir"
  CARGO_TARGET_DIR="$target_dir" CARGO_PROFILE_RELEASE_OPT_LEVEL=$level wasm-pack --quiet build "$mode" "${opt[@]}" \
    --target "$target" --out-dir "$PWD/$dir" --out-name borgerblik --no-pack --no-gitignore \
    "${features[@]}" "$@" >/dev/null
  if [ "$level" = 3 ] && [ "$mode" = --release ]; then
    # The same feature flags as the crate's wasm-opt settings (Cargo.toml), optimising for speed;
    # SIMD too for a module built with it (RUSTFLAGS below).
    local simd=()
    [[ "${RUSTFLAGS:-}" == *simd128* ]] && simd=(--enable-simd)
    wasm-opt -O4 --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "${simd[@]}" \
      "$dir/borgerblik_bg.wasm" -o "$dir/borgerblik_bg.wasm"
  fi
  rm -f "$dir/.gitignore" "$dir/package.json" "$dir/README.md"
  node scripts/package/finish-module.mjs "$dir" "$target" "$types"
}

# The importer (cargo feature `import`, on by default) is left out of the evaluating browser builds
# (web, bundler) for their size budget; pkg/node has it, and pkg/web-import is a second browser module
# with it, which the preview page loads on the first XML file (docs/import.md). It is loaded only for
# XML and is outside the budget, so it is built for speed like pkg/node (a citizen's import + evaluate
# is ~3x faster than at opt-level z; BENCHMARKS.md "Import").
module node nodejs 3 target/wasm-speed --features wasm-speed,wasm-batch
module bundler bundler z target --no-default-features
module web web z target --no-default-features
# It uses wasm SIMD (simd128: Chrome/Edge 91, Firefox 89, Safari 16.4 and later): LLVM vectorises the
# byte scans of the XML parse with it, ~5-9 % of an import (BENCHMARKS.md "Import"). Its own target
# dir, so the flag never reaches the other modules.
RUSTFLAGS="-C target-feature=+simd128" module web-import web 3 target/wasm-import --features wasm-speed,wasm-batch

echo "==> pkg/element (www/element) and pkg/package.json"
mkdir -p pkg/element
cp www/element/*.js www/element/*.d.ts pkg/element/
cp docs/npm-readme.md pkg/README.md
cp LICENSE-MIT LICENSE-APACHE LICENSE-MPL-2.0 NOTICE pkg/
node scripts/package/manifest.mjs pkg

wasm=pkg/web/borgerblik_bg.wasm
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf '==> %s: %d bytes raw (limit %d), %d bytes gzip -9 (limit %d)\n' "$wasm" "$raw" "$MAX_RAW" "$gz" "$MAX_GZIP"
printf '==> pkg/node/borgerblik_bg.wasm (speed build, no budget): %d bytes raw, %d bytes gzip -9\n' \
  "$(stat -c %s pkg/node/borgerblik_bg.wasm)" "$(gzip -9 -c pkg/node/borgerblik_bg.wasm | wc -c)"
printf '==> pkg/web-import/borgerblik_bg.wasm (engine + importer, loaded on the first XML file): %d bytes raw, %d bytes gzip -9\n' \
  "$(stat -c %s pkg/web-import/borgerblik_bg.wasm)" "$(gzip -9 -c pkg/web-import/borgerblik_bg.wasm | wc -c)"
if [ "$mode" = --release ] && { [ "$raw" -gt "$MAX_RAW" ] || [ "$gz" -gt "$MAX_GZIP" ]; }; then
  if [ "${BORGERBLIK_SIZE_BUDGET:-fail}" = warn ]; then
    echo "warning: the optimised .wasm is over the size budget (400 KB raw, 150 KB gzip)" >&2
  else
    echo "error: the optimised .wasm is over the size budget (400 KB raw, 150 KB gzip)" >&2
    echo "       (BORGERBLIK_SIZE_BUDGET=warn makes this a warning while working on it)" >&2
    exit 1
  fi
fi
