// Benchmarks of the wasm module in Node (pkg/node), printing records per second:
//   node benches/wasm.mjs REQUESTS.ndjson [--smoke]
// - instantiation: a fresh Node process importing the module (compile + instantiate), median of 5
// - Engine construction from the sample municipality
// - evaluateJson (JSON strings in and out) and evaluate (plain objects in and out) over the file
// - the latency of single evaluateJson calls (median and 99th percentile over the file's requests)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [file, flag] = process.argv.slice(2);
const smoke = flag === "--smoke";
if (!file) {
  console.error("usage: node benches/wasm.mjs REQUESTS.ndjson [--smoke]");
  process.exit(2);
}
const { Engine } = await import("../pkg/node/borgerblik.js");
const municipality = readFileSync(new URL("../samples/municipality.json", import.meta.url), "utf8");
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
const objects = lines.map((l) => JSON.parse(l));
const records = objects.reduce((n, r) => n + r.records.length, 0);

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n, ms) => `${Math.round(n / (ms / 1000)).toLocaleString("en")} records/s`;

// Instantiation in a fresh process, so nothing is cached.
const starts = [];
for (let i = 0; i < (smoke ? 1 : 5); i++) {
  const out = execFileSync(process.execPath, ["-e",
    "const t=performance.now(); require('./pkg/node/borgerblik.js'); console.log(performance.now()-t)"],
    { cwd: new URL("..", import.meta.url) });
  starts.push(Number(String(out).trim()));
}
console.log(`wasm instantiation (require pkg/node): ${median(starts).toFixed(1)} ms`);

const builds = [];
for (let i = 0; i < (smoke ? 1 : 50); i++) {
  const t = performance.now();
  const e = Engine.withMunicipality(municipality);
  builds.push(performance.now() - t);
  e.free();
}
console.log(`Engine.withMunicipality (sample municipality): ${median(builds).toFixed(3)} ms`);

const engine = Engine.withMunicipality(municipality);
const rounds = smoke ? 1 : 3;
for (const [name, run] of [
  ["evaluateJson (JSON strings)", () => { for (const l of lines) engine.evaluateJson(l); }],
  ["evaluate (plain objects)", () => { for (const o of objects) engine.evaluate(o); }],
]) {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  console.log(`${name}: ${rate(records, median(times))} (${records} records, ${lines.length} requests)`);
}

// Latency per call, as a server answering one login sees it (after the rounds above warmed it up).
const each = lines.map((l) => {
  const t = performance.now();
  engine.evaluateJson(l);
  return performance.now() - t;
});
each.sort((a, b) => a - b);
const at = (q) => each[Math.min(each.length - 1, Math.floor(q * each.length))] * 1000;
const sizes = objects.map((o) => o.records.length).sort((a, b) => a - b);
console.log(
  `evaluateJson latency per request: median ${at(0.5).toFixed(1)} µs, 99th percentile ${at(0.99).toFixed(1)} µs ` +
    `(median request ${sizes[Math.floor(sizes.length / 2)]} records)`,
);
