// Benchmarks of the wasm module in Node (pkg/node), printing records per second:
//   node benches/wasm.mjs REQUESTS.ndjson [--smoke]
// - instantiation: a fresh Node process importing the module (compile + instantiate), median of 5
// - Engine construction from the sample municipality
// - Node end to end over the whole file, as the CLI's `evaluate --ndjson`: read 1 MiB pieces of
//   whole lines, `evaluateNdjson`, write the overviews (to /dev/null), as bytes and as strings
// - per request, over the file's first 20,000 lines: evaluateJson (JSON strings in and out, and
//   UTF-8 bytes in and out) and evaluate (plain objects in and out), and the latency of single
//   evaluateJson calls
import { execFileSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pieces } from "./pieces.mjs";

const [file, flag] = process.argv.slice(2);
const smoke = flag === "--smoke";
if (!file) {
  console.error("usage: node benches/wasm.mjs REQUESTS.ndjson [--smoke]");
  process.exit(2);
}
const { Engine } = await import("../pkg/node/borgerblik.js");
const municipality = readFileSync(new URL("../samples/municipality.json", import.meta.url), "utf8");

// The per-request rows hold their requests in memory: the first 20,000 lines.
const lines = [];
pieces(file, 1 << 20, (piece) => {
  for (const l of piece.toString("utf8").split("\n")) if (l.trim() !== "") lines.push(l);
  return lines.length < 20000;
});
lines.length = Math.min(lines.length, 20000);
const objects = lines.map((l) => JSON.parse(l));
const bytes = lines.map((l) => Buffer.from(l)); // as a server holds a request body
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

// Node end to end: the whole file from disk to /dev/null in pieces, as a server or a script would.
const sink = openSync("/dev/null", "w");
let fileRecords = 0;
pieces(file, 1 << 20, (piece) => {
  // Counting the records, not timed.
  for (const l of piece.toString("utf8").split("\n")) if (l.trim() !== "") fileRecords += JSON.parse(l).records.length;
});
for (const [name, convert] of [
  ["bytes", (piece) => piece],
  ["strings", (piece) => piece.toString("utf8")],
]) {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    pieces(file, 1 << 20, (piece) => {
      writeSync(sink, engine.evaluateNdjson(convert(piece)));
    });
    times.push(performance.now() - t);
  }
  console.log(
    `evaluateNdjson end to end, 1 MiB pieces as ${name}: ${rate(fileRecords, Math.min(...times))} ` +
      `(${fileRecords} records, best of ${rounds})`,
  );
}
closeSync(sink);
for (const [name, run] of [
  ["evaluateJson (JSON strings)", () => { for (const l of lines) engine.evaluateJson(l); }],
  ["evaluateJson (UTF-8 bytes)", () => { for (const b of bytes) engine.evaluateJson(b); }],
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
