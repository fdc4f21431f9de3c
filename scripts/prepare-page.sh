#!/usr/bin/env bash
# Makes www/ servable: builds the wasm package when pkg/ is missing or older than the Rust sources,
# then copies the browser build and the samples into www/generated/ (gitignored), so that www/ on
# its own is the whole static site:
#   www/generated/pkg/borgerblik.js, borgerblik_bg.wasm   (from pkg/web, the --target web build)
#   www/generated/pkg-import/borgerblik.js, borgerblik_bg.wasm (from pkg/web-import: engine + importer,
#                                         loaded by the page on the first XML file)
#   www/generated/samples/municipality.json, citizens/*.json, citizens/index.json, xml/*.xml
# Used by scripts/preview.sh and scripts/test-page.sh. Run scripts/setup.sh first.
# BORGERBLIK_SKIP_WASM_BUILD=1 uses pkg/ as it is (working on the page while the Rust changes).
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=pkg/web/borgerblik_bg.wasm
# Anything that changes the built module: the Rust sources, the manifest, the lock file, the build
# script. pkg/node is needed too (the page tests compute the expected numbers with it).
stale=""
if [ ! -f "$wasm" ] || [ ! -f pkg/web/borgerblik.js ] || [ ! -f pkg/node/borgerblik.js ] || [ ! -f pkg/web-import/borgerblik.js ]; then
  stale="pkg/ is missing"
else
  newer="$(find src Cargo.toml Cargo.lock scripts/build-wasm.sh -newer "$wasm" -print -quit 2>/dev/null || true)"
  [ -n "$newer" ] && stale="$newer is newer than $wasm"
fi
if [ -n "$stale" ] && [ "${BORGERBLIK_SKIP_WASM_BUILD:-}" = 1 ] && [ -f "$wasm" ] && [ -f pkg/node/borgerblik.js ]; then
  echo "==> wasm package: using pkg/ as it is (BORGERBLIK_SKIP_WASM_BUILD=1; $stale)"
elif [ -n "$stale" ]; then
  echo "==> building the wasm package ($stale)"
  scripts/build-wasm.sh
else
  echo "==> wasm package: up to date ($wasm)"
fi

out=www/generated
rm -rf "$out"
mkdir -p "$out/pkg" "$out/pkg-import" "$out/samples/citizens" "$out/samples/xml"
cp pkg/web/borgerblik.js pkg/web/borgerblik_bg.wasm "$out/pkg/"
cp pkg/web-import/borgerblik.js pkg/web-import/borgerblik_bg.wasm "$out/pkg-import/"
cp samples/xml/*.xml "$out/samples/xml/"
cp samples/municipality.json "$out/samples/"
cp samples/citizens/*.json "$out/samples/citizens/"
# The list of sample citizens the page offers (file names, sorted).
(
  cd samples/citizens
  printf '['
  sep=""
  for f in *.json; do
    printf '%s"%s"' "$sep" "$f"
    sep=", "
  done
  printf ']\n'
) >"$out/samples/citizens/index.json"
echo "==> page assets: $out/ ($(ls samples/citizens/*.json | wc -l) sample citizens)"
