// Finishes one wasm-pack build in pkg/<dir> (called by scripts/build-wasm.sh):
//   - appends the JSON contract's types (target/ts/borgerblik-types.d.ts) and the BorgerblikError
//     class (error.js, error.d.ts here) to borgerblik.d.ts / borgerblik.js, as ESM or CommonJS;
//   - marks wasm-bindgen's `[Symbol.dispose]` members `// @ts-ignore`, so the declarations also
//     type-check on `lib: es2022` without skipLibCheck (where `Symbol.dispose` does not exist yet);
//   - gives a CommonJS build (the nodejs target) its own package.json `{ "type": "commonjs" }`, as
//     the package root is `"type": "module"`, and an ESM build one with `main` and `types`, for
//     resolvers that find a subpath by its folder.
// usage: node scripts/package/finish-module.mjs pkg/<dir> <wasm-pack target> <types.d.ts>
import fs from "node:fs";
import path from "node:path";

const [dir, target, typesFile] = process.argv.slice(2);
if (!dir || !target || !typesFile) {
  console.error("usage: finish-module.mjs DIR TARGET TYPES");
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const cjs = target === "nodejs";

const errorJs = fs.readFileSync(path.join(here, "error.js"), "utf8");
const js = path.join(dir, "borgerblik.js");
if (cjs) {
  // The same code as CommonJS: named exports the way wasm-bindgen writes its own (`exports.X = X`),
  // which Node's CommonJS lexer finds, so `import { BorgerblikError } from "borgerblik"` works too.
  const body = errorJs.replace(/^export (function|class) /gm, "$1 ");
  if (/^export /m.test(body)) throw new Error("error.js: an export the CommonJS form does not handle");
  fs.appendFileSync(js, `${body}exports.isBorgerblikError = isBorgerblikError;\nexports.BorgerblikError = BorgerblikError;\n`);
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
} else {
  fs.appendFileSync(js, errorJs);
  // Resolvers without `exports` (TypeScript's node10, old bundlers) find "borgerblik/web" by its folder.
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ type: "module", main: "./borgerblik.js", types: "./borgerblik.d.ts" }, null, 2)}\n`);
}

const dts = path.join(dir, "borgerblik.d.ts");
let decl = fs.readFileSync(dts, "utf8");
const dispose = /^(\s*)\[Symbol\.dispose\]\(\): void;$/gm;
decl = decl.replace(dispose, "$1// @ts-ignore: Symbol.dispose exists from lib esnext.disposable (TypeScript 5.2) on\n$1[Symbol.dispose](): void;");
decl += fs.readFileSync(path.join(here, "error.d.ts"), "utf8");
decl += `\n${fs.readFileSync(typesFile, "utf8")}`;
fs.writeFileSync(dts, decl);
