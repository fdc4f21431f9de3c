// The npm package as a user gets it (pkg/, built by scripts/build-wasm.sh): `npm pack` gives one
// tarball with every build, the element, the README and the licence texts; publint finds nothing;
// arethetypeswrong finds nothing for "." (and for the browser-only "./web" and "./element" only
// that CommonJS must import them dynamically); `npm publish --dry-run` accepts it; and the tarball,
// installed into a fresh project, works from Node as ESM and as CommonJS by its package name.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root, tempDir } from "./helpers.mjs";

const pkg = path.join(root, "pkg");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const manifest = () => JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));

let tarball;
let packed;
before(() => {
  const out = tempDir("borgerblik-pack-");
  const json = execFileSync("npm", ["pack", "--json", "--pack-destination", out, pkg], { encoding: "utf8", cwd: root });
  [packed] = JSON.parse(json);
  tarball = path.join(out, packed.filename);
});

test("npm pack gives one tarball with the three builds, the element, the README and the licences", () => {
  const files = new Set(packed.files.map((f) => f.path));
  for (const f of [
    "package.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "LICENSE-MPL-2.0", "NOTICE",
    "node/package.json", "node/borgerblik.js", "node/borgerblik.d.ts", "node/borgerblik_bg.wasm",
    "bundler/borgerblik.js", "bundler/borgerblik_bg.js", "bundler/borgerblik.d.ts", "bundler/borgerblik_bg.wasm",
    "web/borgerblik.js", "web/borgerblik.d.ts", "web/borgerblik_bg.wasm",
    "element/index.js", "element/index.d.ts", "element/borgerblik-overview.js", "element/cards.js",
    "element/format.js", "element/danish.js", "element/styles.js",
  ]) assert.ok(files.has(f), `${f} in the tarball`);
  assert.equal(packed.name, "borgerblik");
  assert.match(fs.readFileSync(path.join(pkg, "LICENSE-MPL-2.0"), "utf8"), /^Mozilla Public License Version 2\.0/);
  assert.match(fs.readFileSync(path.join(pkg, "LICENSE-APACHE"), "utf8"), /Apache License\s+Version 2\.0/);
  // Every file the manifest points at is in the tarball.
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(manifest().exports);
  for (const t of targets) assert.ok(files.has(t.replace(/^\.\//, "")), `${t} (exports) in the tarball`);
});

test("the manifest: conditional exports, a type per folder, side effects", () => {
  const m = manifest();
  assert.equal(m.type, "module");
  assert.deepEqual(Object.keys(m.exports["."]), ["node", "default"]);
  assert.equal(m.exports["."].node.default, "./node/borgerblik.js");
  assert.equal(m.exports["."].default.default, "./bundler/borgerblik.js");
  assert.equal(m.exports["./web"].default, "./web/borgerblik.js");
  assert.equal(m.exports["./element"].default, "./element/index.js");
  assert.equal(m.exports["./package.json"], "./package.json");
  for (const e of [m.exports["."].node, m.exports["."].default, m.exports["./web"], m.exports["./element"]]) {
    assert.equal(Object.keys(e)[0], "types", "types first in each condition");
  }
  // The nodejs build is CommonJS in a "type": "module" package; the ESM folders say so too, with
  // their entry for resolvers without `exports`.
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(pkg, "node/package.json"), "utf8")), { type: "commonjs" });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(pkg, "web/package.json"), "utf8")), { type: "module", main: "./borgerblik.js", types: "./borgerblik.d.ts" });
  assert.ok(m.sideEffects.includes("./bundler/borgerblik.js") && m.sideEffects.includes("./element/index.js"));
  assert.equal(m.license, "(MIT OR Apache-2.0) AND MPL-2.0");
});

test("publint reports no problems", () => {
  const r = spawnSync(bin("publint"), ["run", pkg, "--strict"], { encoding: "utf8", cwd: root });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /warning|error|suggestion/i, r.stdout);
});

test("arethetypeswrong: nothing for \".\"; the browser-only entries only need a dynamic import from CommonJS", () => {
  // The .wasm subpath has no types to check (it is there for `import.meta.resolve` and `?url`).
  const wasmPaths = Object.keys(manifest().exports).filter((k) => k.endsWith(".wasm"));
  const r = spawnSync(bin("attw"), [tarball, "--format", "json", "--exclude-entrypoints", ...wasmPaths], { encoding: "utf8", cwd: root, maxBuffer: 64 << 20 });
  const result = JSON.parse(r.stdout);
  const problems = result.analysis?.problems ?? [];
  // ./web-import is the browser build with the XML importer (docs/import.md), browser-only like ./web.
  const browserOnly = ["./web", "./web-import", "./element"];
  const unexpected = problems.filter((p) => !(p.kind === "CJSResolvesToESM" && browserOnly.includes(p.entrypoint)));
  assert.deepEqual(unexpected, [], JSON.stringify(unexpected, null, 2));
  // It did look at every entry point.
  assert.deepEqual(Object.keys(result.analysis.entrypoints).sort(), Object.keys(manifest().exports).filter((k) => !k.endsWith(".wasm")).sort());
});

test("npm publish --dry-run accepts the package", () => {
  // From inside pkg/ (an argument "pkg" would be a package of that name on the registry), against a
  // registry that does not answer: nothing can be sent anywhere.
  const r = spawnSync("npm", ["publish", "--dry-run"], {
    encoding: "utf8", cwd: pkg, env: { ...process.env, npm_config_registry: "http://127.0.0.1:9/", npm_config_fetch_retries: "0" },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout + r.stderr, new RegExp(`\\+ borgerblik@${manifest().version.replace(/\./g, "\\.")}`));
  assert.match(r.stderr, /total files: +\d+/);
});

test("installed from the tarball, Node takes the Node build by name, as ESM and as CommonJS", () => {
  const app = tempDir("borgerblik-app-");
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", tarball], { cwd: app, stdio: "pipe" });
  const request = { asOf: "2022-03-01", viewer: { cpr: "0101801234" }, records: [{ kind: "case", id: "S-1", kle: "27.36.04", createdDate: "2022-01-10", status: "Oplyst", primaryParty: "0101801234" }] };
  fs.writeFileSync(path.join(app, "esm.mjs"), `
import { Engine, BorgerblikError, isBorgerblikError, kleTitle } from "borgerblik";
import { kroner, longDate, REASON_LABELS, BorgerblikOverview } from "borgerblik/element";
const engine = Engine.withMunicipality({ areas: [{ kle: "27.36", open: true }] });
const o = engine.evaluate(${JSON.stringify(request)});
let refused = null;
try { engine.evaluate({}); } catch (e) { refused = e instanceof BorgerblikError && isBorgerblikError(e) && e.kind; }
console.log(JSON.stringify({ cases: o.view.cases.length, status: o.view.cases[0].status, refused, kle: kleTitle("27.36") ?? null,
  kroner: kroner(123450), date: longDate("2022-03-01"), label: REASON_LABELS.OPENED_AREA, element: typeof BorgerblikOverview }));
`);
  fs.writeFileSync(path.join(app, "cjs.cjs"), `
const { Engine, BorgerblikError } = require("borgerblik");
const engine = Engine.withMunicipality({ areas: [{ kle: "27.36", open: true }] });
let refused = null;
try { engine.evaluate({}); } catch (e) { refused = e instanceof BorgerblikError && e.kind; }
console.log(JSON.stringify({ cases: engine.evaluate(${JSON.stringify(request)}).view.cases.length, refused,
  resolved: require.resolve("borgerblik").replace(/\\\\/g, "/").split("/node_modules/")[1] }));
`);
  const esm = JSON.parse(execFileSync(process.execPath, ["esm.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(esm, {
    cases: 1, status: "Under behandling", refused: "request", kle: esm.kle, kroner: "1.234,50 kr.",
    date: "1. marts 2022", label: "Åbnet af kommunen", element: "function",
  });
  assert.equal(typeof esm.kle, "string");
  const cjs = JSON.parse(execFileSync(process.execPath, ["cjs.cjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(cjs, { cases: 1, refused: "request", resolved: "borgerblik/node/borgerblik.js" });
});
