#!/usr/bin/env node
// An HTTP server around the borgerblik wasm engine, on Node's own `http` (no framework), meant to be
// safe to face the internet: no request can end the process, and memory and time per client are bounded.
//
//   POST /evaluate   body: a request (SPEC §2.2), Content-Type: application/json
//                                                  → 200 the overview JSON (SPEC §4)
//                    bad input                     → 400 { "kind", "problems": [{ path, message }] }
//   POST /explain    body: a request               → 200 the caseworker's table (text/plain)
//   GET  /health                                   → 200 { "fingerprint", "warnings" }
//   other refusals: 404 no such path, 405 wrong method, 413 body over 10 MiB, 415 not application/json,
//   503 (with Retry-After) when too many bodies, or too many bytes of bodies and answers, are held at once;
//   500 when a worker thread stops mid-request (it is replaced) or an answer could never fit that cap.
//
// The Engine is built once from the policy at start-up and reused for every request:
//   node examples/node-server.mjs [--policy P.json | --municipality M.json]
// or BORGERBLIK_POLICY / BORGERBLIK_MUNICIPALITY in the environment. Default: samples/municipality.json
// under the built-in central rules (or `{ "areas": [] }` when that file is absent).
// Listens on 127.0.0.1:$PORT (default 8787; PORT=0 picks a free port) and prints its URL.
// Limits and timeouts: LIMITS below; each can be set as BORGERBLIK_<NAME> in the environment
// (BORGERBLIK_MAX_BODIES=8, BORGERBLIK_HEADERS_TIMEOUT_MS=5000, ...) or passed to createServer.
// Build the wasm package first: scripts/build-wasm.sh (this file imports pkg/node).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

import { answer, buildEngine } from "./node-server-worker.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The defaults (SECURITY.md "The server examples"). */
export const LIMITS = {
  maxBodyBytes: 10 * 1024 * 1024, // the engine's document limit (SPEC §8 "Size"); more → 413
  maxBodies: 32, // bodies being received or evaluated at once; more → 503
  maxBufferedBytes: 64 * 1024 * 1024, // the bytes of those bodies and of answers being sent, together; more → 503
  workerThresholdBytes: 64 * 1024, // larger bodies are evaluated in a worker thread, off the event loop
  workers: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
  maxConnections: 1000, // open sockets; the kernel-level backstop against connection floods
  headersTimeoutMs: 10_000, // the request line and headers must arrive within this (→ 408)
  requestTimeoutMs: 30_000, // the whole request, body included, within this (→ 408)
  idleTimeoutMs: 15_000, // a socket silent this long is closed (also while a large body is evaluated)
  keepAliveTimeoutMs: 5_000, // an idle keep-alive connection is closed after this
  lingerMs: 5_000, // after refusing a body, how long its rest is read and discarded (see `refuse`)
};

/** LIMITS with any BORGERBLIK_<NAME> from the environment; a value that is not a positive integer is an error. */
export function limitsFromEnv(env) {
  const limits = { ...LIMITS };
  for (const key of Object.keys(LIMITS)) {
    const name = `BORGERBLIK_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    if (env[name] === undefined) continue;
    const value = Number(env[name]);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(env[name])}`);
    // Node's timers take at most 2^31-1 ms and silently turn a longer one into 1 ms.
    if (key.endsWith("Ms") && value > 86_400_000) throw new Error(`${name} must be at most 86400000 (a day)`);
    limits[key] = value;
  }
  return limits;
}

/** Where the policy comes from: the command line, the environment or the sample (see buildEngine). */
function policyFrom(argv, env) {
  const flag = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const policyFile = flag("--policy") ?? env.BORGERBLIK_POLICY;
  const municipalityFile = flag("--municipality") ?? env.BORGERBLIK_MUNICIPALITY;
  if (policyFile) return { kind: "policy", file: policyFile, source: policyFile };
  const file = municipalityFile ?? path.join(root, "samples/municipality.json");
  if (municipalityFile || fs.existsSync(file)) return { kind: "municipality", file, source: file };
  return { kind: "municipality", json: '{ "areas": [] }', source: "no municipality areas" };
}

/** An answer other than 200, with the body of an input error: `{ kind: "request", problems }`. */
class Refusal extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/**
 * Worker threads, each with its own Engine built from the same policy; jobs wait in order for a free one.
 * The queue needs no cap of its own: every job holds a body, and bodies are capped (maxBodies).
 */
class WorkerPool {
  constructor(policy, size, fingerprint) {
    this.policy = policy;
    this.fingerprint = fingerprint;
    this.idle = [];
    this.queue = [];
    this.jobs = new Map();
    this.nextId = 0;
    this.closed = false;
    this.live = 0;
    this.all = new Set(); // every worker thread alive, also one still starting (close stops them all)
    for (let i = 0; i < size; i++) this.spawn();
  }

  spawn() {
    const worker = new Worker(new URL("./node-server-worker.mjs", import.meta.url), {
      workerData: { borgerblikPolicy: this.policy },
    });
    let ready = false;
    this.all.add(worker);
    worker.on("message", (m) => {
      if (m.ready !== undefined) {
        // The same policy must give the same engine; anything else is a broken deployment.
        if (m.ready !== this.fingerprint) {
          console.error(`worker: engine ${m.ready} is not ${this.fingerprint}`);
          return void worker.terminate();
        }
        ready = true;
        return this.release(worker);
      }
      const job = this.jobs.get(worker);
      if (!job || job.id !== m.id) return;
      this.jobs.delete(worker);
      if (m.internal) job.reject(new Error(m.internal));
      else job.resolve(m.reply);
      this.release(worker);
    });
    worker.on("error", (e) => console.error(`worker: ${e?.stack ?? e}`));
    worker.on("exit", () => {
      this.all.delete(worker);
      this.idle = this.idle.filter((w) => w !== worker);
      this.jobs.get(worker)?.reject(new Error("the worker thread stopped"));
      this.jobs.delete(worker);
      this.live -= 1;
      // A worker that dies after it was ready takes only its own job with it: a fresh one replaces it.
      // One that never got ready would fail again; when none is left, large bodies get 500s.
      if (ready && !this.closed) this.spawn();
      else if (this.live === 0) this.queue.splice(0).forEach((job) => job.reject(new Error("no worker thread could start")));
    });
    this.live += 1;
  }

  release(worker) {
    const job = this.queue.shift();
    if (!job) return void this.idle.push(worker);
    this.jobs.set(worker, job);
    worker.postMessage({ id: job.id, endpoint: job.endpoint, bytes: job.bytes }, [job.bytes.buffer]);
  }

  /** Answers a body in a worker: the same `{ status, type, body }` as `answer`. */
  run(endpoint, bytes) {
    if (this.live === 0) return Promise.reject(new Error("no worker thread could start"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, endpoint, bytes, resolve, reject });
      const worker = this.idle.pop();
      if (worker) this.release(worker);
    });
  }

  close() {
    this.closed = true;
    return Promise.all([...this.all].map((w) => w.terminate()));
  }
}

/** True for `application/json`, optionally with `charset=utf-8` (the only encoding the engine reads). */
function isJson(contentType) {
  const [type, ...params] = (contentType ?? "").split(";").map((s) => s.trim().toLowerCase());
  return type === "application/json" && params.every((p) => !p.startsWith("charset=") || /^charset="?utf-8"?$/.test(p));
}

/**
 * The path of a request-target: origin-form (`/evaluate?x`) or absolute-form (`http://host/evaluate`).
 * Null when it is neither (`*`, `//[/`, `http://a:b/`): such a target is a 400, never an exception.
 */
function pathOf(target) {
  if (target.startsWith("/")) return target.split(/[?#]/, 1)[0];
  try {
    const url = new URL(target);
    return url.protocol === "http:" || url.protocol === "https:" ? url.pathname : null;
  } catch {
    return null;
  }
}

/**
 * What one request holds of the server-wide caps (`held`), from its body's first byte until its answer
 * has been sent or the connection is gone (the response's 'close'): one of maxBodies, and bytes of
 * maxBufferedBytes: first its body's (reserved up front when Content-Length says how many), then its
 * answer's, which may be many times larger and stays in memory while a slow client reads it. So memory
 * held for bodies and answers, queued, evaluating or being sent, never exceeds maxBufferedBytes.
 */
class Hold {
  constructor(held, res) {
    this.held = held;
    this.bytes = 0;
    this.open = true;
    held.bodies += 1;
    res.once("close", () => {
      this.open = false;
      held.bodies -= 1;
      held.bytes -= this.bytes;
      this.bytes = 0;
    });
  }

  /** Holds `bytes` instead of what it holds now; false (nothing changed) when growing would pass `cap`. */
  resize(bytes, cap) {
    if (!this.open) return true; // nothing is sent on a closed response; it must not count for ever
    const total = this.held.bytes - this.bytes + bytes;
    if (bytes > this.bytes && total > cap) return false;
    this.held.bytes = total;
    this.bytes = bytes;
    return true;
  }
}

/** Reads the body into one buffer of its own, its bytes counted in `hold` as they arrive. */
function readBody(req, limits, hold) {
  return new Promise((resolve, reject) => {
    let chunks = [];
    let size = 0;
    const stop = (error) => {
      req.off("data", onData);
      chunks = [];
      reject(error);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) return stop(tooLarge(limits));
      if (size > hold.bytes && !hold.resize(size, limits.maxBufferedBytes)) return stop(busy());
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => {
      const body = new Uint8Array(size); // its own ArrayBuffer, so it can be handed to a worker
      let offset = 0;
      for (const c of chunks) {
        body.set(c, offset);
        offset += c.length;
      }
      resolve(body);
    });
    // A client that goes away mid-body: 'close' without 'end'.
    req.on("close", () => req.complete || stop(new Refusal(400, "the request body was not completed")));
  });
}

/**
 * Takes a body under the caps: refused before a byte is read when it cannot fit (413 over the body
 * limit, 503 when too many bodies or bytes are held already).
 */
function admit(req, res, limits, held) {
  const declared = Number(req.headers["content-length"] ?? 0); // Node has checked it is a number
  if (declared > limits.maxBodyBytes) throw tooLarge(limits);
  if (held.bodies >= limits.maxBodies || held.bytes + declared > limits.maxBufferedBytes) throw busy();
  const hold = new Hold(held, res);
  hold.resize(declared, limits.maxBufferedBytes);
  return hold;
}

/**
 * Swaps the body's bytes in `hold` for the answer's before the answer is sent. An answer that does not
 * fit beside what others hold is dropped (503: retry when they have been sent); one larger than the
 * whole cap could never be sent (500: the operator must raise maxBufferedBytes).
 */
function holdAnswer(hold, reply, limits) {
  const size = typeof reply.body === "string" ? Buffer.byteLength(reply.body) : reply.body.byteLength;
  if (size > limits.maxBufferedBytes) {
    throw new Refusal(500, `the answer (${size} bytes) is larger than this server may hold at once (maxBufferedBytes)`);
  }
  if (!hold.resize(size, limits.maxBufferedBytes)) throw busy();
}

const tooLarge = (limits) => new Refusal(413, `the body is over the limit of ${limits.maxBodyBytes} bytes`);
const busy = () => new Refusal(503, "too many requests in progress; try again shortly", { "retry-after": "1" });

function send(res, status, body, type = "application/json; charset=utf-8", headers = {}) {
  if (res.headersSent || res.destroyed) return;
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
  res.writeHead(status, { "content-type": type, "content-length": length, "cache-control": "no-store", ...headers });
  res.end(body);
}

/**
 * Answers a request whose body has not been (fully) read: the whole answer first, then the rest of the
 * body is read and thrown away for at most lingerMs before the connection is closed. Closing a socket
 * with unread data makes the kernel reset the connection, and the client would lose the answer.
 */
function refuse(req, res, refusal, limits) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ kind: "request", problems: [{ path: "", message: refusal.message }] });
  const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...refusal.headers };
  if (req.complete) return send(res, refusal.status, body, headers["content-type"], refusal.headers);
  res.writeHead(refusal.status, { ...headers, "content-length": Buffer.byteLength(body), connection: "close" });
  res.write(body);
  const timer = setTimeout(() => req.socket.destroy(), limits.lingerMs);
  const done = () => {
    clearTimeout(timer);
    res.end();
  };
  req.on("end", done);
  req.on("close", done);
  req.resume();
}

/**
 * The HTTP server for a policy (see policyFrom): `createServer(policy, limits)`. Evaluates bodies up to
 * workerThresholdBytes on the event loop (a few milliseconds at most), larger ones in worker threads.
 * Closing the server stops the workers. Returns `{ server, engine, pool }` (the pool of worker threads).
 */
export function createServer(policy, limits = LIMITS) {
  const engine = buildEngine(policy);
  const pool = new WorkerPool(policy, limits.workers, engine.fingerprint);
  const held = { bodies: 0, bytes: 0 };

  async function handle(req, res) {
    const where = pathOf(req.url ?? "");
    if (where === null) throw new Refusal(400, "the request-target is not a path or an http URL");
    if (where === "/health" && req.method === "GET") {
      return send(res, 200, JSON.stringify({ fingerprint: engine.fingerprint, warnings: engine.warnings }));
    }
    if (where !== "/evaluate" && where !== "/explain") throw new Refusal(404, "no such endpoint");
    if (req.method !== "POST") throw new Refusal(405, "use POST with the request as the body", { allow: "POST" });
    if (!isJson(req.headers["content-type"])) {
      throw new Refusal(415, "send the request as Content-Type: application/json (UTF-8)");
    }
    const hold = admit(req, res, limits, held);
    const bytes = await readBody(req, limits, hold);
    const reply = bytes.length > limits.workerThresholdBytes ? await pool.run(where, bytes) : answer(engine, where, bytes);
    holdAnswer(hold, reply, limits);
    return send(res, reply.status, reply.body, reply.type);
  }

  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node checks those two; its default (30 s) would let them run long.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      maxHeaderSize: 16 * 1024, // larger headers → 431
    },
    (req, res) => {
      res.on("error", () => {}); // the client went away; nothing to tell it
      handle(req, res).catch((e) => {
        if (e instanceof Refusal) return refuse(req, res, e, limits);
        console.error(e);
        refuse(req, res, new Refusal(500, "internal error"), limits);
      });
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = 100;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs); // no 'timeout' listener: Node destroys the idle socket
  server.on("close", () => pool.close());
  // Malformed requests (bad request line or headers, header timeouts) never reach the handler: with
  // no 'clientError' listener Node answers 400, 408 or 431 and closes that one connection.
  return { server, engine, pool };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const policy = policyFrom(process.argv.slice(2), process.env);
  let started;
  try {
    started = createServer(policy, limitsFromEnv(process.env));
  } catch (e) {
    // A bad setting or policy stops the start, with what is wrong (and the policy's problems).
    for (const p of e?.problems ?? [{ path: "", message: e?.message ?? String(e) }]) {
      console.error(`error: ${p.path ? `${policy.source}: ${p.path}: ` : ""}${p.message}`);
    }
    process.exit(2);
  }
  const { server, engine } = started;
  for (const w of engine.warnings) console.error(`warning: ${w.path}: ${w.message}`);
  const port = Number(process.env.PORT ?? 8787);
  server.listen(port, "127.0.0.1", () => {
    const { port: actual } = server.address();
    console.log(`borgerblik listening on http://127.0.0.1:${actual}/ (policy: ${policy.source}, ${engine.fingerprint})`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
