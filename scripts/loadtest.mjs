#!/usr/bin/env node
// A bounded load test of examples/node-server.mjs on 127.0.0.1 (not part of scripts/test.sh): the
// throughput and latency of small requests, alone and while large requests are being served, with large
// bodies in worker threads (the default) and, for comparison, on the event loop.
//   node scripts/loadtest.mjs [seconds per phase, default 10] [small clients, default 8]
// Needs pkg/node (scripts/build-wasm.sh). Prints one line per phase; BENCHMARKS.md records a run.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { root, startServer } from "../tests/node/http-probe.mjs";

const seconds = Number(process.argv[2] ?? 10);
const clients = Number(process.argv[3] ?? 8);

const citizens = path.join(root, "samples/citizens");
const small = fs.readFileSync(path.join(citizens, fs.readdirSync(citizens).filter((f) => f.endsWith(".json")).sort()[0]));
/** A request of 40,000 cases: 6.5 MB in, 12 MB out. */
function largeRequest() {
  const records = [];
  for (let i = 0; i < 40000; i++) {
    records.push({ kind: "case", id: `S-${i}`, kle: "32.30.04", title: `Sag nummer ${i} om sygedagpenge`, sourceSystem: "KMD Nova ESDH", createdDate: "2021-02-01", status: "Oplyst", primaryParty: "0101801234" });
  }
  return Buffer.from(JSON.stringify({ asOf: "2021-06-15", viewer: { cpr: "0101801234" }, records }));
}
const large = largeRequest();

/** POSTs `body` to /evaluate; resolves with the status once the whole answer is read. */
function post(port, agent, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/evaluate", method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Small requests from `clients` keep-alive clients, and `largeLoops` clients sending large ones back to back. */
async function phase(name, env, largeLoops) {
  const server = await startServer(process.execPath, ["examples/node-server.mjs"], env);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients + largeLoops });
  const latencies = [];
  let largeDone = 0;
  let failures = 0;
  const end = Date.now() + seconds * 1000;
  const smallLoop = async () => {
    while (Date.now() < end) {
      const t = performance.now();
      const status = await post(server.port, agent, small).catch(() => 0);
      if (status === 200) latencies.push(performance.now() - t);
      else failures += 1;
    }
  };
  const largeLoop = async () => {
    while (Date.now() < end) {
      if ((await post(server.port, agent, large).catch(() => 0)) === 200) largeDone += 1;
      else failures += 1;
    }
  };
  // Warm up (wasm compilation, worker start) before measuring.
  await post(server.port, agent, small);
  await post(server.port, agent, large);
  const started = performance.now();
  await Promise.all([...Array.from({ length: clients }, smallLoop), ...Array.from({ length: largeLoops }, largeLoop)]);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  await server.stop();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  console.log(
    `${name.padEnd(44)} ${(latencies.length / elapsed).toFixed(0).padStart(6)} small/s  p50 ${at(0.5).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(7)} ms  max ${at(1).toFixed(0).padStart(5)} ms  large served ${largeDone}${failures ? `  failures ${failures}` : ""}`,
  );
}

console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load ${os.loadavg()[0].toFixed(1)}; ${clients} small clients (${small.length} B in), large ${(large.length / 1e6).toFixed(1)} MB in; ${seconds}s per phase`);
await phase("small only", {}, 0);
await phase("small + 1 large client (workers)", {}, 1);
await phase("small + 1 large client (event loop)", { BORGERBLIK_WORKER_THRESHOLD_BYTES: String(64 * 1024 * 1024) }, 1);
