// Parity of the browser builds: pkg/web (the preview page's build) and pkg/bundler use the size
// build (serde's overview writer, the crate's own sort), not the Node build's, so they are run on
// every scenario too, here in Node from the .wasm bytes, and compared byte for byte with the CLI
// (parity-check.mjs).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { root } from "./helpers.mjs";
import { parityTests } from "./parity-check.mjs";

function built(file) {
  const p = path.join(root, file);
  if (!fs.existsSync(p)) {
    throw new Error(`${p} is missing: run scripts/build-wasm.sh first`);
  }
  return p;
}

/** pkg/web: its own `initSync` on the .wasm bytes (what the page's default init does after fetch). */
async function loadWeb() {
  const bb = await import(pathToFileURL(built("pkg/web/borgerblik.js")).href);
  bb.initSync({ module: fs.readFileSync(built("pkg/web/borgerblik_bg.wasm")) });
  return bb;
}

/**
 * pkg/bundler: its entry imports the .wasm as an ES module, which a bundler resolves; here the
 * module is instantiated by hand with its JS glue as the import object, as a bundler wires it.
 */
async function loadBundler() {
  const glue = await import(pathToFileURL(built("pkg/bundler/borgerblik_bg.js")).href);
  const module = new WebAssembly.Module(fs.readFileSync(built("pkg/bundler/borgerblik_bg.wasm")));
  const imports = {};
  for (const { module: from } of WebAssembly.Module.imports(module)) imports[from] = glue;
  const instance = new WebAssembly.Instance(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  const entry = fs.readFileSync(built("pkg/bundler/borgerblik.js"), "utf8");
  assert.match(entry, /__wbg_set_wasm\(wasm\)/, "the bundler entry wires the module as done here");
  return glue;
}

parityTests("pkg/web", await loadWeb());
parityTests("pkg/bundler", await loadBundler());
