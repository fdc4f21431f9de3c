#!/usr/bin/env bash
# Installs everything the tests and the preview need, idempotently: each step is skipped when the
# tool is already there at the right version. See ../shared/spec/TOOLCHAIN.md for why each step is
# done this way on these machines (no GitHub downloads).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }

step "Rust components (rustfmt, clippy)"
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
