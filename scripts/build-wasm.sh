#!/usr/bin/env bash
# Builds the WebAssembly package with wasm-pack:
#   pkg/web      --target web      (browsers, <script type="module">; call the default init first)
#   pkg/node     --target nodejs   (Node servers, require/import; synchronous, no init)
#   pkg/bundler  --target bundler  (webpack, Vite, …)
# Each gets the TypeScript types of the JSON contract (generated from the Rust types by
# tests/typescript.rs) appended to its borgerblik.d.ts and a real package.json. The optimised
# .wasm's raw and gzip sizes are printed, and the build fails over 400 KB raw or 150 KB gzip.
#
#   scripts/build-wasm.sh           release build (wasm-opt -Oz with npm binaryen 132)
#   scripts/build-wasm.sh --debug   debug build with the console panic hook, no wasm-opt
#
# Run scripts/setup.sh first (scripts/test.sh does). pkg/ is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_RAW=400000
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

version="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
description="$(awk -F'"' '/^description = / { print $2; exit }' Cargo.toml)"
license="$(awk -F'"' '/^license = / { print $2; exit }' Cargo.toml)"

# Browsers download the module, servers run it: the browser builds (web, bundler) are optimised for
# size (opt-level "z"; the size budget below applies to them), the Node build for speed (opt-level 3:
# ~2x the throughput, ~25 % larger; see BENCHMARKS.md). Each level keeps its own target dir, so
# neither build invalidates the other's cache. The native CLI keeps the crate's release profile.
# The Node build also turns on the `wasm-speed` feature (the hand-written overview writer, the standard
# sort) and gets wasm-opt -O4 instead of the crate's -Oz (~10 % faster there).
# The importer (cargo feature `import`, on by default) is left out of the evaluating browser builds
# (web, bundler) for their size budget; pkg/node has it, and pkg/web-import is a second browser module
# with it, which the preview page loads on the first XML file (docs/import.md).
for build in web bundler nodejs web-import; do
  extra=() opt=() target=$build
  case "$build" in
    nodejs)
      dir=pkg/node level=3 target_dir=target/wasm-speed
      extra=(--features wasm-speed)
      [ "$mode" = --release ] && opt=(--no-opt)
      ;;
    web-import)
      # Loaded only for XML and outside the budget: built for speed like pkg/node (a citizen's
      # import + evaluate is ~3x faster than at opt-level z; BENCHMARKS.md "Import").
      target=web dir=pkg/web-import level=3 target_dir=target/wasm-import
      extra=(--features wasm-speed)
      [ "$mode" = --release ] && opt=(--no-opt)
      ;;
    *) dir=pkg/$target level=z target_dir=target extra=(--no-default-features) ;;
  esac
  echo "==> wasm-pack build --target $target (opt-level $level) → $dir"
  rm -rf "$dir"
  CARGO_TARGET_DIR="$target_dir" CARGO_PROFILE_RELEASE_OPT_LEVEL=$level wasm-pack --quiet build "$mode" "${opt[@]}" --target "$target" \
    --out-dir "$PWD/$dir" --out-name borgerblik --no-pack --no-gitignore "${features[@]}" "${extra[@]}" >/dev/null
  if [ "$level" = 3 ] && [ "$mode" = --release ]; then
    # The same feature flags as the crate's wasm-opt settings (Cargo.toml), optimising for speed.
    wasm-opt -O4 --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$dir/borgerblik_bg.wasm" -o "$dir/borgerblik_bg.wasm"
  fi
  cat "$types" >>"$dir/borgerblik.d.ts"
  cp docs/javascript.md "$dir/README.md"
  cp NOTICE "$dir/NOTICE"  # the embedded KLE catalogue is MPL-2.0 data (see NOTICE)
  TARGET="$target" DIR="$dir" VERSION="$version" DESCRIPTION="$description" LICENSE="$license" node -e '
    const fs = require("fs");
    const { TARGET, DIR, VERSION, DESCRIPTION, LICENSE } = process.env;
    const files = fs.readdirSync(DIR).filter((f) => f !== "package.json").sort();
    const pkg = {
      name: "borgerblik",
      version: VERSION,
      description: DESCRIPTION,
      license: LICENSE,
      keywords: ["borger.dk", "Mit Overblik", "Borgerblikket", "KLE", "webassembly", "rules engine"],
      files,
      main: "borgerblik.js",
      types: "borgerblik.d.ts",
    };
    if (TARGET === "web") Object.assign(pkg, { type: "module", module: "borgerblik.js", sideEffects: ["./snippets/*"] });
    if (TARGET === "bundler") Object.assign(pkg, { type: "module", module: "borgerblik.js", sideEffects: ["./borgerblik.js", "./snippets/*"] });
    if (TARGET === "nodejs") pkg.engines = { node: ">=18" };
    fs.writeFileSync(`${DIR}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
  '
done

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
