#!/usr/bin/env bash
# Tests the WebAssembly package (scripts/test.sh runs this when it is executable):
#   1. builds the npm package in pkg/ (scripts/build-wasm.sh; fails over the size budget),
#   2. type-checks a TypeScript consumer of the generated types (tsc --noEmit --strict, on lib
#      es2022 + dom and without skipLibCheck, so the declarations themselves are checked too),
#   3. runs the Node tests (node --test tests/node/): parity with the native CLI on every scenario,
#      bad input through the boundary, the server examples and the README examples, and the
#      package as packed (npm pack, publint, arethetypeswrong, npm publish --dry-run, installed).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh >/dev/null
scripts/build-wasm.sh

echo "==> cargo build (the native CLI and the Rust server example, for the parity tests)"
cargo build --quiet --bin borgerblik --example rust-server

echo "==> tsc --noEmit --strict --lib es2022,dom tests/node/consumer.ts tests/node/consumer-import.ts"
node_modules/.bin/tsc --noEmit --strict --skipLibCheck false --target es2022 --lib es2022,dom --module esnext \
  --moduleResolution bundler tests/node/consumer.ts tests/node/consumer-import.ts

echo "==> node --test tests/node/"
node --test tests/node/
