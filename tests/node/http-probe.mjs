// Shared by the server tests (tests/node/server.test.mjs), the hostile-request fuzzer
// (scripts/fuzz-node-server.mjs) and the load test (scripts/loadtest.mjs): start a server example as a
// process, and talk to it in raw bytes over TCP on 127.0.0.1. Not a test file itself.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Starts a server process with PORT=0 and `env`, and waits for the URL it prints:
 * `{ url, port, child, stop, output }`. `child.exitCode` stays null while it lives.
 */
export async function startServer(command, args, env = {}) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${out}${err}`)), 20000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening: ${out}${err}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { url, port: Number(new URL(url).port), child, stop, output: () => out + err };
}

/** The status of the first final (not 1xx) response in raw response bytes, or null. */
export function statusOf(data) {
  for (const m of data.matchAll(/HTTP\/1\.[01] (\d{3})/g)) {
    if (!m[1].startsWith("1")) return Number(m[1]);
  }
  return null;
}

/**
 * Connects, writes `payload` (a string, a Buffer, or a list of them written in turn), optionally
 * half-closes, and collects what the server sends until it closes the connection or `waitMs` passes:
 * `{ data, status, closedByServer, error }`.
 */
export function rawExchange(port, payload, { waitMs = 5000, end = false } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks = [];
    let error = null;
    let closedByServer = true;
    const timer = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, waitMs);
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", (e) => (error = e));
    socket.on("close", () => {
      clearTimeout(timer);
      const data = Buffer.concat(chunks).toString("latin1");
      resolve({ data, status: statusOf(data), closedByServer, error });
    });
    const parts = Array.isArray(payload) ? payload : [payload];
    const writeNext = (i) => {
      if (i === parts.length) return end && socket.end();
      socket.write(parts[i], (e) => !e && writeNext(i + 1));
    };
    socket.on("connect", () => writeNext(0));
  });
}

/** `GET /health` on a fresh connection: the status, or null when the server does not answer. */
export async function health(port) {
  const r = await rawExchange(port, "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
  return r.status;
}

/** A POST in raw bytes, with the given headers (name → value) and a Content-Length for `body`. */
export function post(target, body, headers = { "content-type": "application/json" }) {
  const bytes = Buffer.from(body);
  const lines = Object.entries({ host: "x", connection: "close", ...headers, "content-length": bytes.length })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`POST ${target} HTTP/1.1\r\n${lines}\r\n`, "latin1"), bytes]);
}
