#!/usr/bin/env bash
# Bounded fuzzing of policy reading, request reading, evaluation, NDJSON reading, the SF1470
# importer, and the two server examples (not part of scripts/test.sh).
#   scripts/fuzz.sh [seconds per target, default 60]
# Seeds each target's corpus from the scenario files and samples; a crash is written to
# fuzz/artifacts/<target>/ and fails the run: turn it into a scenario under tests/scenarios/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz passes nightly-only -Z flags (sanitizers); the machine has one stable toolchain, so
# let it accept them.
export RUSTC_BOOTSTRAP=1

python3 scripts/fuzz_corpus.py
for target in policy request evaluate ndjson import; do
  echo "==> fuzzing $target for ${seconds}s"
  cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -max_len=65536
done
echo "==> fuzzing ndjson_output (evaluateNdjson: output bound, arbitrary line sizes) for ${seconds}s" && mkdir -p fuzz/corpus/ndjson_output && cargo fuzz run ndjson_output fuzz/corpus/ndjson_output -- -max_total_time="$seconds" -max_len=65536
# The Rust server example's request handling (examples/rust-server/exchange.rs, no socket), seeded
# with raw requests from fuzz/seeds/server/.
mkdir -p fuzz/corpus/server
echo "==> fuzzing server for ${seconds}s"
cargo fuzz run server fuzz/corpus/server fuzz/seeds/server -- -max_total_time="$seconds" -max_len=65536
# Seeded hostile raw requests over TCP against the Node server example (needs pkg/node from
# scripts/build-wasm.sh); fails if the process dies, stops answering, or answers 500.
echo "==> hostile requests against the Node server for ${seconds}s"
node scripts/fuzz-node-server.mjs "$seconds"
echo "==> no crashes"
