#!/usr/bin/env node
// A tiny HTTP server around the borgerblik wasm engine, on Node's own `http` (no framework).
//
//   POST /evaluate   body: a request (SPEC §2.2)  → 200 the overview JSON (SPEC §4)
//                    bad input                     → 400 { "kind", "problems": [{ path, message }] }
//   POST /explain    body: a request               → 200 the caseworker's table (text/plain)
//   GET  /health                                   → 200 { "fingerprint", "warnings" }
//
// The Engine is built once from the policy at start-up and reused for every request:
//   node examples/node-server.mjs [--policy P.json | --municipality M.json]
// or BORGERBLIK_POLICY / BORGERBLIK_MUNICIPALITY in the environment. Default: samples/municipality.json
// under the built-in central rules (or `{ "areas": [] }` when that file is absent).
// Listens on 127.0.0.1:$PORT (default 8787; PORT=0 picks a free port) and prints its URL.
// Build the wasm package first: scripts/build-wasm.sh (this file imports pkg/node).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Engine } from "../pkg/node/borgerblik.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MAX_BODY_BYTES = 10 * 1024 * 1024; // the engine's document limit (SPEC §8 "Size")

/** Builds the engine once, from the command line, the environment or the sample. */
function loadEngine(argv, env) {
  const flag = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const policyFile = flag("--policy") ?? env.BORGERBLIK_POLICY;
  const municipalityFile = flag("--municipality") ?? env.BORGERBLIK_MUNICIPALITY;
  if (policyFile) {
    return { engine: new Engine(fs.readFileSync(policyFile, "utf8")), source: policyFile };
  }
  const file = municipalityFile ?? path.join(root, "samples/municipality.json");
  if (municipalityFile || fs.existsSync(file)) {
    return { engine: Engine.withMunicipality(fs.readFileSync(file, "utf8")), source: file };
  }
  return { engine: Engine.withMunicipality({ areas: [] }), source: "no municipality areas" };
}

function send(res, status, body, type = "application/json; charset=utf-8") {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

function sendProblems(res, status, kind, problems) {
  send(res, status, JSON.stringify({ kind, problems }));
}

/** Reads the body as bytes, refusing more than the document limit (the engine checks the UTF-8). */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error(`the body is over the limit of ${MAX_BODY_BYTES} bytes (10 MiB)`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function createServer(engine) {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname === "/health" && req.method === "GET") {
        return send(res, 200, JSON.stringify({ fingerprint: engine.fingerprint, warnings: engine.warnings }));
      }
      if (url.pathname !== "/evaluate" && url.pathname !== "/explain") {
        return sendProblems(res, 404, "request", [{ path: "", message: `no such endpoint: ${url.pathname}` }]);
      }
      if (req.method !== "POST") {
        res.setHeader("allow", "POST");
        return sendProblems(res, 405, "request", [{ path: "", message: "use POST with the request as the body" }]);
      }
      const body = await readBody(req);
      if (url.pathname === "/explain") {
        return send(res, 200, engine.explain(body), "text/plain; charset=utf-8");
      }
      // evaluateJson: the body's UTF-8 bytes in, the canonical overview JSON as bytes out: no JS
      // objects and no string conversion in between.
      return send(res, 200, engine.evaluateJson(body));
    } catch (e) {
      if (e?.name === "BorgerblikError") {
        return sendProblems(res, 400, e.kind, e.problems);
      }
      if (e?.status) {
        return sendProblems(res, e.status, "request", [{ path: "", message: e.message }]);
      }
      console.error(e);
      return sendProblems(res, 500, "internal", [{ path: "", message: "internal error" }]);
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { engine, source } = loadEngine(process.argv.slice(2), process.env);
  for (const w of engine.warnings) console.error(`warning: ${w.path}: ${w.message}`);
  const server = createServer(engine);
  const port = Number(process.env.PORT ?? 8787);
  server.listen(port, "127.0.0.1", () => {
    const { port: actual } = server.address();
    console.log(`borgerblik listening on http://127.0.0.1:${actual}/ (policy: ${source}, ${engine.fingerprint})`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
