#!/usr/bin/env bash
# Tests the WebAssembly package (scripts/test.sh runs this when it is executable):
#   1. builds pkg/web, pkg/node, pkg/bundler (scripts/build-wasm.sh; fails over the size budget),
#   2. type-checks a TypeScript consumer of the generated types (tsc --noEmit --strict),
#   3. runs the Node tests (node --test tests/node/): parity with the native CLI on every scenario,
#      bad input through the boundary, the server examples and the README examples.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh >/dev/null
scripts/build-wasm.sh

echo "==> cargo build (the native CLI and the Rust server example, for the parity tests)"
cargo build --quiet --bin borgerblik --example rust-server

echo "==> tsc --noEmit --strict tests/node/consumer.ts tests/node/consumer-import.ts"
node_modules/.bin/tsc --noEmit --strict --target esnext --module esnext --moduleResolution bundler \
  tests/node/consumer.ts tests/node/consumer-import.ts

echo "==> node --test tests/node/"
node --test tests/node/
