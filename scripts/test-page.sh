#!/usr/bin/env bash
# Browser tests of the preview page (www/), run by scripts/test.sh after scripts/test-wasm.sh:
#   1. makes sure the wasm package is built and fresh (scripts/prepare-page.sh builds it only when
#      pkg/ is missing or older than the Rust sources, so a test run that just built it for the
#      wasm tests does not build it again) and copies it with the samples into www/generated/,
#   2. serves www/ on 127.0.0.1 on a free port (scripts/serve.py),
#   3. runs the Playwright tests in headless Chromium: node --test tests/page/
#      (screenshots go to test-output/page/), and stops the server however they end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/playwright-core ] || [ ! -x /usr/bin/chromium ] || ! command -v wasm-pack >/dev/null; then
  scripts/setup.sh
fi
scripts/prepare-page.sh

mkdir -p test-output/page
rm -f test-output/page/*.png
port_file="$(mktemp)"
server_log=test-output/page/server.log
python3 scripts/serve.py www --port 0 --port-file "$port_file" --quiet >"$server_log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$port_file"
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 100); do
  [ -s "$port_file" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "error: the static server did not start:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -s "$port_file" ] || { echo "error: the static server did not report its port" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$port_file")/"
echo "==> serving www/ at $url"

echo "==> node --test tests/page/ (headless Chromium; screenshots in test-output/page/)"
# One file at a time: the timing test measures the page, not a neighbour's browser.
BORGERBLIK_PAGE_URL="$url" node --test --test-concurrency=1 tests/page/
