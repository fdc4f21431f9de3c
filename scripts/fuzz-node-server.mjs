#!/usr/bin/env node
// Hostile requests against examples/node-server.mjs: a seeded random generator of malformed and abusive
// HTTP requests, sent as raw bytes over TCP on 127.0.0.1, bounded in count and in time. Fails (exit 1,
// printing the seed) if the server process exits, stops answering GET /health, or answers 500.
//   node scripts/fuzz-node-server.mjs [seconds, default 60] [seed, default random]
// scripts/fuzz.sh runs it. Needs pkg/node (scripts/build-wasm.sh). At most FUZZ_MAX_REQUESTS (default
// 50,000) requests, 32 at a time; each connection is given up after 3 s.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import { health, root, startServer, statusOf } from "../tests/node/http-probe.mjs";

const seconds = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 32));
const maxRequests = Number(process.env.FUZZ_MAX_REQUESTS ?? 50_000);
const CONCURRENCY = 32;

/** mulberry32: a small seeded PRNG, so a failing run can be repeated with its seed. */
function prng(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];
const chance = (p) => random() < p;
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(256)));

const sample = JSON.parse(fs.readFileSync(path.join(root, "samples/citizens", fs.readdirSync(path.join(root, "samples/citizens")).filter((f) => f.endsWith(".json")).sort()[0]), "utf8"));
const good = Buffer.from(JSON.stringify(sample));

/** A request body: valid, damaged, or hostile. */
function body() {
  switch (int(10)) {
    case 0: return Buffer.alloc(0);
    case 1: return bytes(int(300));
    case 2: return Buffer.from("[".repeat(int(200000)));
    case 3: { // bit flips in a valid request
      const b = Buffer.from(good);
      for (let i = int(8); i >= 0; i--) b[int(b.length)] ^= 1 << int(8);
      return b;
    }
    case 4: return good.subarray(0, int(good.length)); // truncated
    case 5: { // many records, past the worker threshold
      const records = Array.from({ length: 50 + int(2000) }, (_, i) => ({ kind: pick(["case", "benefit", "x", 1]), id: `R${i}`, kle: "32.30.04", status: "Oplyst", createdDate: "2021-02-01", primaryParty: pick(["0101801234", 101801234, null, [], "x"]) }));
      return Buffer.from(JSON.stringify({ asOf: "2021-06-15", viewer: { cpr: "0101801234" }, records }));
    }
    case 6: return Buffer.from(good.toString().replace(/"[^"]*"/, pick(['"\\ud800"', "1e400", '"\\u0000"', "null", '"a","a":1'])));
    case 7: return Buffer.concat([good, bytes(int(10))]);
    default: return good;
  }
}

const targets = ["/evaluate", "/explain", "/health", "/", "*", "//[/", "http://a:b/evaluate", "http://[::1/evaluate", "http://x/evaluate", "https://x:1/health", "/evaluate?%zz", "h://x/evaluate", "", "/%00", "/evaluate#x", "http://u@h/evaluate"];
const methods = ["GET", "POST", "POST", "POST", "PUT", "HEAD", "OPTIONS", "DELETE", "CONNECT", "PRI", "get", "", "P\x00ST"];
const versions = ["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "", "HTTP/1.1 x", "http/1.1"];
const types = ["application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/json; charset=latin1", "", "application/json\x00", "Application/JSON"];

/** One request (or two pipelined), as the pieces it is written in. */
function request() {
  // Mostly a well-formed request with one or two parts made hostile, sometimes everything at random.
  const wild = chance(0.3) ? () => true : () => chance(0.15);
  const eol = !wild() ? "\r\n" : pick(["\n", "\r", "\r\r\n"]);
  const b = wild() ? body() : good;
  let target = wild() ? pick(targets) : pick(["/evaluate", "/explain"]);
  if (chance(0.05)) target = "/" + "a".repeat(int(40000));
  if (chance(0.05)) target += bytes(int(8)).toString("latin1");
  const lines = [`${wild() ? pick(methods) : "POST"} ${target} ${wild() ? pick(versions) : "HTTP/1.1"}`];
  if (chance(0.8)) lines.push("host: x");
  if (chance(0.95)) lines.push(`content-type: ${wild() ? pick(types) : "application/json"}`);
  const chunked = wild();
  if (chunked) lines.push(`transfer-encoding: ${pick(["chunked", "chunked", "gzip", "chunked, chunked", "identity"])}`);
  if (!chunked || chance(0.2)) {
    const length = !wild() ? b.length : pick([b.length, b.length, b.length, b.length + int(50), Math.max(0, b.length - int(50)), -1, "abc", "1e3", "9".repeat(25), 11 * 1024 * 1024]);
    lines.push(`content-length: ${length}`);
    if (chance(0.05)) lines.push(`content-length: ${pick([length, b.length + 1])}`);
  }
  if (chance(0.1)) lines.push("expect: 100-continue");
  lines.push(`connection: ${wild() ? pick(["keep-alive", "upgrade", "close, keep-alive"]) : "close"}`);
  for (let i = wild() ? int(3) : 0; i > 0; i--) lines.push(pick(["x: y", "no colon", " folded", "x : y", `x-big: ${"b".repeat(int(20000))}`, `x-bin: ${bytes(8).toString("latin1")}`, "x-h: 1\r\n".repeat(int(300)).trimEnd()]));
  let payload = b;
  if (chunked && chance(0.8)) {
    const size = chance(0.9) ? b.length.toString(16) : pick(["zz", "-1", "ffffffffffffffff", ""]);
    payload = Buffer.concat([Buffer.from(`${size}\r\n`), b, Buffer.from(chance(0.9) ? "\r\n0\r\n\r\n" : "\r\n")]);
  }
  const head = Buffer.from(lines.join(eol) + eol + eol, "latin1");
  let all = Buffer.concat([head, payload]);
  if (chance(0.1)) all = Buffer.concat([all, head]); // pipelined, second one without its body
  if (chance(0.05)) all = bytes(int(2000)); // not HTTP at all
  // Written in pieces, with pauses between some.
  const pieces = [];
  for (let at = 0; at < all.length; ) {
    const n = chance(0.7) ? all.length : 1 + int(Math.min(all.length, 4096));
    pieces.push(all.subarray(at, at + n));
    at += n;
  }
  return { pieces, halfClose: chance(0.2), abortAfter: chance(0.1) ? int(pieces.length + 1) : -1, pause: chance(0.2) ? int(300) : 0 };
}

/** Sends one request; resolves with the status the server answered, or null. */
function send(port, r) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    let data = "";
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on("data", (d) => (data += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(statusOf(data));
    });
    let i = 0;
    const next = () => {
      if (socket.destroyed) return;
      if (i === r.abortAfter) return socket.destroy();
      if (i === r.pieces.length) return r.halfClose && socket.end();
      socket.write(r.pieces[i++], () => (r.pause && i < 4 ? setTimeout(next, r.pause) : next()));
    };
    socket.on("connect", next);
  });
}

const server = await startServer(process.execPath, ["examples/node-server.mjs"], {
  BORGERBLIK_HEADERS_TIMEOUT_MS: "1000",
  BORGERBLIK_REQUEST_TIMEOUT_MS: "2000",
  BORGERBLIK_IDLE_TIMEOUT_MS: "2000",
  BORGERBLIK_KEEP_ALIVE_TIMEOUT_MS: "500",
  BORGERBLIK_LINGER_MS: "1000",
  BORGERBLIK_MAX_BODIES: "12",
  BORGERBLIK_MAX_BUFFERED_BYTES: String(4 * 1024 * 1024),
  BORGERBLIK_WORKER_THRESHOLD_BYTES: "4096",
  BORGERBLIK_WORKERS: "1",
});
console.log(`==> hostile requests against examples/node-server.mjs: seed ${seed}, ${seconds}s, at most ${maxRequests}`);

const counts = new Map();
const deadline = Date.now() + seconds * 1000;
let sent = 0;
let failure = null;

async function lane() {
  while (!failure && sent < maxRequests && Date.now() < deadline) {
    sent += 1;
    const status = await send(server.port, request());
    counts.set(status, (counts.get(status) ?? 0) + 1);
    if (status === 500) failure = "an internal error (500)";
    else if (server.child.exitCode !== null) failure = `the process exited with ${server.child.exitCode}`;
    else if (sent % 500 === 0 && (await health(server.port)) !== 200) failure = "GET /health no longer answers";
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, lane));
if (!failure && server.child.exitCode !== null) failure = `the process exited with ${server.child.exitCode}`;
if (!failure && (await health(server.port)) !== 200) failure = "GET /health no longer answers";
await server.stop();

const summary = [...counts].sort(([a], [b]) => (a ?? 0) - (b ?? 0)).map(([s, n]) => `${s ?? "closed"}: ${n}`).join(", ");
console.log(`${sent} requests; answers ${summary}`);
if (failure) {
  console.error(`FAILED after ${sent} requests: ${failure} (repeat with: node scripts/fuzz-node-server.mjs ${seconds} ${seed})`);
  console.error(server.output().slice(-2000));
  process.exit(1);
}
console.log("==> the Node server survived");
