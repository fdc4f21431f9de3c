// The server examples: examples/node-server.mjs (wasm, Node's own http) and examples/rust-server.rs
// (native, std only) are started on 127.0.0.1 with an ephemeral port (PORT=0), sent a good and a
// bad request, and stopped. Their overviews are byte-identical to the CLI's for the same policy.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";

import { cli, root, sampleRequest, tempDir } from "./helpers.mjs";

/** Starts a server process and waits for the URL it prints. */
async function start(command, args) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    // Not a speed limit: the server either prints its URL or exits; this only ends a hung run.
    const timer = setTimeout(() => reject(new Error(`no URL and no exit after 300 s (hung?): ${out}${err}`)), 300000);
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
  return { url, stop };
}

const dir = tempDir("borgerblik-server-");
const request = sampleRequest();
const requestFile = path.join(dir, "request.json");
fs.writeFileSync(requestFile, JSON.stringify(request));
const sample = path.join(root, "samples/municipality.json");

/** What the CLI says for the request under the server's default policy. */
function expected() {
  const policyArgs = fs.existsSync(sample)
    ? ["--municipality", sample]
    : ["--municipality", (fs.writeFileSync(path.join(dir, "none.json"), '{"areas":[]}'), path.join(dir, "none.json"))];
  const r = cli(["evaluate", ...policyArgs, "--request", requestFile]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd();
}

async function exercise(url) {
  const good = await fetch(`${url}evaluate`, { method: "POST", body: JSON.stringify(request) });
  assert.equal(good.status, 200);
  assert.match(good.headers.get("content-type"), /application\/json/);
  const text = await good.text();
  assert.equal(text, expected(), "the same overview as the CLI");
  const overview = JSON.parse(text);
  assert.equal(overview.summary.records, request.records.length);

  const bad = await fetch(`${url}evaluate`, { method: "POST", body: JSON.stringify({ asOf: "15-06-2021", records: [] }) });
  assert.equal(bad.status, 400);
  const body = await bad.json();
  assert.equal(body.kind, "request");
  assert.ok(body.problems.some((p) => p.path === "asOf"), JSON.stringify(body));
  assert.ok(body.problems.some((p) => p.path === "viewer"), JSON.stringify(body));

  const garbage = await fetch(`${url}evaluate`, { method: "POST", body: "not json" });
  assert.equal(garbage.status, 400);
  assert.ok((await garbage.json()).problems.length > 0);

  const latin1 = await fetch(`${url}evaluate`, { method: "POST", body: new Uint8Array([0x7b, 0xe6, 0x7d]) });
  assert.equal(latin1.status, 400);
  assert.match((await latin1.json()).problems[0].message, /not valid UTF-8/);

  const wrongMethod = await fetch(`${url}evaluate`);
  assert.equal(wrongMethod.status, 405);

  const health = await fetch(`${url}health`);
  assert.equal(health.status, 200);
  assert.match((await health.json()).fingerprint, /^sha256:/);

  // Still serving after the errors.
  const again = await fetch(`${url}evaluate`, { method: "POST", body: JSON.stringify(request) });
  assert.equal(await again.text(), expected());
}

describe("server examples", () => {
  const running = [];
  after(async () => {
    await Promise.all(running.map((s) => s.stop()));
  });

  test("examples/node-server.mjs: POST /evaluate, 400 with problems on bad input", async () => {
    const server = await start(process.execPath, ["examples/node-server.mjs"]);
    running.push(server);
    await exercise(server.url);
    const explained = await fetch(`${server.url}explain`, { method: "POST", body: JSON.stringify(request) });
    assert.equal(explained.status, 200);
    assert.match(await explained.text(), /Borgerblik: hvad borgeren ser/);
    await server.stop();
  });

  test("examples/rust-server.rs: the same over std::net", async () => {
    execFileSync("cargo", ["build", "--quiet", "--example", "rust-server"], { cwd: root, stdio: "inherit" });
    const server = await start(path.join(root, "target/debug/examples/rust-server"), []);
    running.push(server);
    await exercise(server.url);
    await server.stop();
  });
});
