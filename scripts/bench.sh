#!/usr/bin/env bash
# Benchmarks (BENCHMARKS.md): prints records per second for the engine alone, the CLI end to end on
# NDJSON, the wasm module in Node, Engine::new and wasm instantiation, and peak memory of a
# 1,000,000-record run. Not part of the test command; `scripts/bench.sh --smoke` (tiny N, run by
# scripts/test.sh) only checks that every benchmark still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if $smoke; then
  echo "==> criterion benchmarks, once each (cargo test --benches)"
  cargo test --quiet --benches
  bin=target/debug/borgerblik
  cargo build --quiet
  citizens=200
else
  echo "==> criterion: engine alone, parse, serialise, end to end, Engine::new"
  cargo bench --bench engine 2>&1 | grep -E "^[a-zA-Z].*|time:|thrpt:" | grep -v -E "^(Benchmarking|Found|Warning|Gnuplot)"
  bin=target/release/borgerblik
  cargo build --quiet --release
  citizens=150000
fi

echo "==> synthetic municipality: $citizens citizens"
"$bin" generate --citizens "$citizens" --seed 42 > "$work/requests.ndjson"
records=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['records']) for l in open(sys.argv[1])))" "$work/requests.ndjson")
echo "    $records records, $(du -h "$work/requests.ndjson" | cut -f1)"

# Three runs (one in the smoke run): wall-clock time on a shared VM varies by a few per cent.
echo "==> CLI end to end: evaluate --ndjson"
runs=3
$smoke && runs=1
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" evaluate --municipality samples/municipality.json \
    --ndjson --request "$work/requests.ndjson" > /dev/null
  read -r seconds kb < "$work/time"
  python3 -c "import sys; r,s,kb=int(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); print(f'    {r/max(s,1e-9):,.0f} records/s ({s:.2f} s), peak memory {kb/1024:.1f} MB')" "$records" "$seconds" "$kb" \
    | tee -a "$work/cli.txt"
done

echo "==> CLI what-if: diff over the same stream"
printf '{ "areas": [ { "kle": "32.21", "open": true }, { "kle": "27", "open": true } ] }' > "$work/b.json"
/usr/bin/time -f "%e %M" -o "$work/time" "$bin" diff --municipality samples/municipality.json \
  --against-municipality "$work/b.json" --requests "$work/requests.ndjson" > "$work/diff.ndjson"
read -r seconds kb < "$work/time"
python3 -c "import sys; r,s,kb=int(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); print(f'    {r/max(s,1e-9):,.0f} records/s ({s:.2f} s), peak memory {kb/1024:.1f} MB')" "$records" "$seconds" "$kb"
tail -1 "$work/diff.ndjson" | cut -c1-300

if [ -f pkg/node/borgerblik.js ]; then
  echo "==> wasm in Node (pkg/node)"
  if $smoke; then
    node benches/wasm.mjs "$work/requests.ndjson" --smoke | tee "$work/node.txt"
  else
    node benches/wasm.mjs "$work/requests.ndjson" | tee "$work/node.txt"
  fi
  # The target (BENCHMARKS.md): wasm in Node via JSON text within 2x of the CLI end to end, each
  # at its best run. The per-request API is shown against the CLI too.
  python3 - "$work/cli.txt" "$work/node.txt" <<'PY'
import re, sys
rate = lambda line: float(re.search(r"([\d,]+) records/s", line).group(1).replace(",", ""))
cli = max(rate(l) for l in open(sys.argv[1]))
node = open(sys.argv[2]).read().splitlines()
for label, prefix in [
    ("evaluateNdjson end to end, bytes", "evaluateNdjson end to end, 1 MiB pieces as bytes"),
    ("evaluateNdjson end to end, strings", "evaluateNdjson end to end, 1 MiB pieces as strings"),
    ("evaluateJson per request, strings", "evaluateJson (JSON strings)"),
    ("evaluateJson per request, bytes", "evaluateJson (UTF-8 bytes)"),
]:
    wasm = next(rate(l) for l in node if l.startswith(prefix))
    print(f"    CLI end to end / {label}: {cli / wasm:.2f}x ({cli:,.0f} against {wasm:,.0f} records/s)")
PY
else
  echo "==> wasm in Node: skipped (no pkg/node; run scripts/build-wasm.sh)"
fi

# The importer (BENCHMARKS.md "Import"): native MB/s and one citizen import + evaluate come from the
# criterion bench; here the wasm builds in Node on the same synthetic citizen (50 cases x 10 documents).
if ! $smoke; then
  echo "==> criterion: import"
  cargo bench --bench import 2>&1 | grep -E "^[a-zA-Z].*|time:|thrpt:" | grep -v -E "^(Benchmarking|Found|Warning|Gnuplot)"
fi
if [ -f pkg/node/borgerblik.js ] && [ -f pkg/web-import/borgerblik.js ]; then
  echo "==> import in wasm (pkg/node, pkg/web-import)"
  cargo run --quiet --example import-synthetic -- 50 10 > "$work/citizen.xml"
  if $smoke; then node benches/import.mjs "$work/citizen.xml" --smoke; else node benches/import.mjs "$work/citizen.xml"; fi
else
  echo "==> import in wasm: skipped (no pkg/node or pkg/web-import; run scripts/build-wasm.sh)"
fi
