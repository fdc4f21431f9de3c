#!/usr/bin/env bash
# Runs every test of the project (the README's test command; .ci/run calls it).
# Installs what it needs first, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# Snapshots are reviewed by hand (cargo insta review; the scenario snapshots: `borgerblik test --update`
# and git diff), never accepted by the test run.
export INSTA_UPDATE="${INSTA_UPDATE:-no}"

# Each step says when it starts (seconds since the start), so a slow CI run shows where its time went.
step() { echo "==> $* (at ${SECONDS} s)"; }

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
step "cargo test"
cargo test

for extra in scripts/test-wasm.sh scripts/test-page.sh scripts/test-embed.sh; do
  if [ -x "$extra" ]; then
    step "$extra"
    "$extra"
  fi
done
# Benchmarks are not tests, but each must still run (tiny N): see BENCHMARKS.md.
step "scripts/bench.sh --smoke"
scripts/bench.sh --smoke
echo "==> all tests passed (in ${SECONDS} s)"
