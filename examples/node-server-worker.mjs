// The engine side of examples/node-server.mjs: how the engine is built from the policy, how one request
// is answered, and a worker thread that does the same for large bodies, so a 10 MiB request does not
// stop the event loop for everyone else. The server imports this file; `new Worker(this file)` runs it.
import fs from "node:fs";
import { isMainThread, parentPort, workerData } from "node:worker_threads";

import { Engine } from "../pkg/node/borgerblik.js";

/**
 * Where the policy comes from, as plain data a worker can be given: `{ kind: "policy" | "municipality",
 * file }`, or `{ kind: "municipality", json, source }` for a literal municipality.
 */
export function buildEngine(policy) {
  const text = policy.file ? fs.readFileSync(policy.file, "utf8") : policy.json;
  return policy.kind === "policy" ? new Engine(text) : Engine.withMunicipality(text);
}

/**
 * Answers one request body (bytes) at `/evaluate` or `/explain`: `{ status, type, body }`. Bad input is a
 * 400 with `{ kind, problems }`; anything else thrown is the caller's to treat as an internal error.
 */
export function answer(engine, endpoint, bytes) {
  try {
    if (endpoint === "/explain") {
      return { status: 200, type: "text/plain; charset=utf-8", body: engine.explain(bytes) };
    }
    // evaluateJson: UTF-8 bytes in, the canonical overview JSON as bytes out, no JS objects in between.
    return { status: 200, type: "application/json; charset=utf-8", body: engine.evaluateJson(bytes) };
  } catch (e) {
    if (e?.name !== "BorgerblikError") throw e;
    return { status: 400, type: "application/json; charset=utf-8", body: JSON.stringify({ kind: e.kind, problems: e.problems }) };
  }
}

if (!isMainThread && workerData?.borgerblikPolicy) {
  const engine = buildEngine(workerData.borgerblikPolicy);
  parentPort.postMessage({ ready: engine.fingerprint });
  parentPort.on("message", ({ id, endpoint, bytes }) => {
    try {
      const reply = answer(engine, endpoint, bytes);
      // Hand the output bytes over instead of copying them, when they are a buffer of their own.
      const own = typeof reply.body !== "string" && reply.body.byteLength === reply.body.buffer.byteLength;
      const transfer = own ? [reply.body.buffer] : [];
      parentPort.postMessage({ id, reply }, transfer);
    } catch (e) {
      // Not bad input: a bug or a trapped wasm module. Report it and let the pool start a fresh worker,
      // since a trapped module is not safe to use again.
      parentPort.postMessage({ id, internal: String(e?.stack ?? e) });
      process.exit(1);
    }
  });
}
