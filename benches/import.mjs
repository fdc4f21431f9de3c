// The importer in wasm (BENCHMARKS.md "Import"), on one citizen's synthetic fremsoeg answer:
//   cargo run --example import-synthetic > citizen.xml && node benches/import.mjs citizen.xml [--smoke]
// - pkg/node (the Node build): importIndex throughput in MB/s, and import + evaluate per citizen
// - pkg/web-import (the browser module the page loads on the first XML file, opt-level z), run in
//   Node's V8 as Chromium would run it: import + evaluate per citizen, and its size
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";

const [file, flag] = process.argv.slice(2);
const smoke = flag === "--smoke";
if (!file) {
  console.error("usage: node benches/import.mjs CITIZEN.xml [--smoke]");
  process.exit(2);
}
const xml = new Uint8Array(readFileSync(file));
const municipality = JSON.parse(readFileSync(new URL("../samples/municipality.json", import.meta.url), "utf8"));
const options = { asOf: "2021-06-15", viewer: "0101900000" };
const rounds = smoke ? 2 : 60;

/** The median of `rounds` timed runs of `f`, in milliseconds, after two warm-up runs. */
function median(f) {
  f();
  f();
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function report(label, bb) {
  const engine = bb.Engine.withMunicipality(municipality);
  const files = [{ name: "citizen.xml", data: xml }];
  const records = bb.importIndex(files, options).request.records.length;
  const importMs = median(() => bb.importIndex(files, options));
  const bothMs = median(() => engine.evaluate(bb.importIndex(files, options).request));
  const mb = xml.length / 1e6;
  console.log(`${label}: importIndex ${(mb / (importMs / 1000)).toFixed(1)} MB/s (${importMs.toFixed(2)} ms for ${(xml.length / 1024).toFixed(0)} KB, ${records} records)`);
  console.log(`${label}: import + evaluate one citizen ${bothMs.toFixed(2)} ms`);
}

const node = await import("../pkg/node/borgerblik.js");
report("pkg/node", node.default ?? node);

const webWasm = new URL("../pkg/web-import/borgerblik_bg.wasm", import.meta.url);
const web = await import("../pkg/web-import/borgerblik.js");
const bytes = readFileSync(webWasm);
web.initSync({ module: bytes });
report("pkg/web-import (browser build)", web);
console.log(`pkg/web-import/borgerblik_bg.wasm: ${bytes.length} bytes raw, ${gzipSync(bytes, { level: 9 }).length} bytes gzip -9`);
