#!/usr/bin/env bash
# The main job: show what a sample citizen sees under the sample municipality's settings, and why.
# Usage: scripts/preview.sh [citizen.json]   (default: samples/citizens/adult-sygedagpenge.json)
set -euo pipefail
cd "$(dirname "$0")/.."
request="${1:-samples/citizens/adult-sygedagpenge.json}"
cargo build --quiet --release
exec target/release/borgerblik explain --municipality samples/municipality.json --request "$request"
