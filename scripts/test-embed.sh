#!/usr/bin/env bash
# The packed npm package in the fixture apps of tests/embed/ (plain page under a strict CSP, Vite build
# and dev server, webpack 5, Vitest), each rendering <borgerblik-overview> in headless Chromium from
# the tarball, configured only as the package README says. Run by scripts/test.sh after
# scripts/test-wasm.sh (which builds pkg/); the fixtures' locked dependencies are installed with
# `npm ci` only when a lock file changed (tests/embed/*/.installed-lock-sha256).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/playwright-core ] || [ ! -x /usr/bin/chromium ]; then
  scripts/setup.sh
fi
if [ ! -f pkg/package.json ]; then
  scripts/build-wasm.sh
fi
echo "==> node --test tests/embed/embed.test.mjs (fixture apps from the packed tarball, headless Chromium)"
node --test --test-concurrency=1 tests/embed/embed.test.mjs
