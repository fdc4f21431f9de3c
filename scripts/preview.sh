#!/usr/bin/env bash
# The main job: the caseworker's preview page (www/) in a browser, with the sample municipality and
# the sample citizens preloaded. Installs what is missing (scripts/setup.sh), builds the wasm package
# when it is missing or older than the Rust sources (scripts/prepare-page.sh), and serves www/ on
# 127.0.0.1 until Ctrl-C. Everything runs in the browser: no citizen data leaves the machine.
#
#   scripts/preview.sh                                  # opens with the first sample citizen
#   scripts/preview.sh samples/citizens/minor-14.json   # opens with another sample citizen
#   PORT=9000 scripts/preview.sh                        # default 8080; a busy port falls back to a free one
#
# The table of the command line is still there: target/release/borgerblik explain --municipality …
set -euo pipefail
cd "$(dirname "$0")/.."

query=""
if [ $# -gt 0 ]; then
  name="$(basename "$1")"
  if [ ! -f "samples/citizens/$name" ]; then
    echo "error: $1 is not one of the sample citizens in samples/citizens/ (load other files in the page)" >&2
    exit 2
  fi
  query="borger=$name"
fi

scripts/setup.sh
scripts/prepare-page.sh
echo "==> open the address below in a browser (Ctrl-C stops the server)"
exec python3 scripts/serve.py www --port "${PORT:-8080}" --query "$query"
