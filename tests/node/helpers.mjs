// Shared by the Node tests (node --test tests/node/): where things are, the wasm module for Node,
// the native CLI, and temporary files. Not a test file itself.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);

/** The `pkg/node` build of the wasm module (scripts/build-wasm.sh makes it). */
export function loadWasm() {
  const entry = path.join(root, "pkg/node/borgerblik.js");
  if (!fs.existsSync(entry)) {
    throw new Error(`${entry} is missing: run scripts/build-wasm.sh first`);
  }
  return require(entry);
}

let built = false;
/**
 * The native CLI, built with `cargo build` once per process: a binary left over from older sources
 * would compare the wasm with the wrong CLI (cargo does nothing when it is fresh).
 */
export function cliPath() {
  const exe = path.join(root, "target/debug/borgerblik");
  if (!built) {
    execFileSync("cargo", ["build", "--quiet", "--bin", "borgerblik"], { cwd: root, stdio: "inherit" });
    built = true;
  }
  return exe;
}

/** Runs the CLI; returns { status, stdout, stderr }. */
export function cli(args, input) {
  const r = spawnSync(cliPath(), args, { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = "borgerblik-") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The scenario files of the snapshot suite, sorted by name (not their NAME.overview.json snapshots). */
export function scenarioFiles() {
  const dir = path.join(root, "tests/scenarios");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".overview.json"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A CLI error line for a problem, as the CLI prints it: `FILE: path: message`. */
export function problemLine(file, p) {
  return p.path ? `${file}: ${p.path}: ${p.message}` : `${file}: ${p.message}`;
}

/** A request every policy built on the built-in central rules shows in full (etape-1 areas). */
export function sampleRequest() {
  return {
    asOf: "2021-06-15",
    viewer: { cpr: "0101801234" },
    records: [
      {
        kind: "case", id: "S-1", kle: "32.30.04", facet: "G01", title: "Sygedagpenge 2021",
        sourceSystem: "KMD Nova ESDH", provider: "kommune", createdDate: "2021-02-01",
        status: "Oplyst", primaryParty: "0101801234", caseworker: "Bjarne Hansen",
        documents: [{ id: "D-1", title: "Afgørelse om sygedagpenge", date: "2021-02-03", content: "…" }],
      },
      {
        kind: "benefit", id: "Y-1", kle: "32.30.04", caseId: "S-1", name: "Sygedagpenge",
        recipient: "0101801234", economic: true, startDate: "2021-02-01", endDate: null,
        payments: [
          { date: "2021-02-26", grossAmountOre: 1598400 },
          { date: "2021-03-31", grossAmountOre: 1876200 },
        ],
      },
      { kind: "case", id: "S-2", kle: "27.36.04", createdDate: "2021-03-01", status: "Afsluttet", primaryParty: "0101801234" },
    ],
  };
}
