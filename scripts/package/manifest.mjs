// Writes pkg/package.json, the manifest of the one npm package `borgerblik` (called by
// scripts/build-wasm.sh after the modules, the element, the README and the licence texts are in pkg/).
//
// Conditional exports: "." is the Node speed build under the `node` condition and the bundler
// build otherwise (`default`), each with its own types; "./web" is the init() build for plain pages,
// "./element" the custom element. Any other module folder with a borgerblik.js (say `web-import`)
// is exported as "./<folder>" with its types, so adding a build needs nothing here.
// usage: node scripts/package/manifest.mjs pkg
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2];
const cargo = fs.readFileSync("Cargo.toml", "utf8");
/** A string key of Cargo.toml's [package] table, or undefined. */
function cargoKey(key) {
  const table = cargo.split(/^\[/m).find((t) => t.startsWith("package]")) ?? "";
  const m = new RegExp(`^${key} = "([^"]*)"`, "m").exec(table);
  return m?.[1];
}

const module = (dir) => ({ types: `./${dir}/borgerblik.d.ts`, default: `./${dir}/borgerblik.js` });
const exportsMap = {
  ".": { node: module("node"), default: module("bundler") },
  "./web": module("web"),
  // For bundlers and servers that want the URL of the web build's module (`?url` in Vite).
  "./web/borgerblik_bg.wasm": "./web/borgerblik_bg.wasm",
  "./element": { types: "./element/index.d.ts", default: "./element/index.js" },
};
const standard = new Set(["node", "bundler", "web", "element"]);
const dirs = fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
for (const dir of dirs) {
  if (standard.has(dir) || !fs.existsSync(path.join(root, dir, "borgerblik.js"))) continue;
  exportsMap[`./${dir}`] = module(dir);
  exportsMap[`./${dir}/borgerblik_bg.wasm`] = `./${dir}/borgerblik_bg.wasm`;
}
exportsMap["./package.json"] = "./package.json";

// Files with side effects (a bundler must keep them even when nothing is imported from them): the
// bundler build instantiates its module on import, the element's entry defines the element, and
// wasm-bindgen snippets may run code on load.
const sideEffects = ["./bundler/borgerblik.js", "./element/index.js"];
for (const dir of dirs) {
  if (fs.existsSync(path.join(root, dir, "snippets"))) sideEffects.push(`./${dir}/snippets/*`);
}

const licences = ["LICENSE-MIT", "LICENSE-APACHE", "LICENSE-MPL-2.0", "NOTICE"];
const pkg = {
  name: "borgerblik",
  version: cargoKey("version"),
  description: cargoKey("description"),
  license: cargoKey("license"),
  keywords: ["borger.dk", "Mit Overblik", "Borgerblikket", "KLE", "webassembly", "rules engine", "web component"],
  type: "module",
  // For tools that do not read `exports`: Node gets the Node build, bundlers the bundler build.
  main: "./node/borgerblik.js",
  module: "./bundler/borgerblik.js",
  types: "./node/borgerblik.d.ts",
  exports: exportsMap,
  files: [...dirs.map((d) => `${d}/`), ...licences],
  sideEffects,
  engines: { node: ">=18" },
};
// The public home of the sources, when Cargo.toml names one (it is copied, never made up).
for (const key of ["repository", "homepage"]) {
  const value = cargoKey(key);
  if (value) pkg[key] = key === "repository" ? { type: "git", url: `git+${value.replace(/^git\+/, "")}` } : value;
}
if (!pkg.version || !pkg.license) throw new Error("Cargo.toml: no version or license in [package]");
fs.writeFileSync(path.join(root, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
