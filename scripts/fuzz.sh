#!/usr/bin/env bash
# Bounded fuzzing of policy reading, request reading, evaluation, NDJSON reading and the SF1470
# importer (not part of scripts/test.sh).
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
echo "==> no crashes"
