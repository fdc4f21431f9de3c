// examples/js/ndjson.mjs — a whole municipality through borgerblik in Node, as the CLI's
// `borgerblik evaluate --ndjson` does: node examples/js/ndjson.mjs requests.ndjson > overviews.ndjson
// Reads 1 MiB pieces of whole lines as bytes and writes the overviews as bytes: no string
// conversion on either side, memory bounded by the piece size.
import { closeSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { Engine } from "../../pkg/node/borgerblik.js";

const [file = "/dev/stdin", municipality = "samples/municipality.json"] = process.argv.slice(2);
const engine = Engine.withMunicipality(readFileSync(municipality, "utf8"));

const input = openSync(file, "r");
const piece = Buffer.allocUnsafe(1 << 20);
let carry = Buffer.alloc(0); // the start of a line the last read cut off
let lineOffset = 0; // lines already evaluated, to name a bad line by its number in the file
try {
  for (let n; (n = readSync(input, piece, 0, piece.length, null)) > 0 || carry.length > 0; ) {
    const data = Buffer.concat([carry, piece.subarray(0, n)]);
    const cut = n > 0 ? data.lastIndexOf(10) + 1 : data.length; // after the last newline
    const whole = data.subarray(0, cut);
    writeSync(1, engine.evaluateNdjson(whole));
    for (let i = whole.indexOf(10); i >= 0; i = whole.indexOf(10, i + 1)) lineOffset++;
    carry = Buffer.from(data.subarray(cut));
    if (n === 0) break;
  }
} catch (e) {
  if (e.name !== "BorgerblikError" || e.line === undefined) throw e;
  console.error(`${file}:${lineOffset + e.line}: ${e.problems.map((p) => `${p.path} ${p.message}`.trim()).join("; ")}`);
  process.exitCode = 2;
} finally {
  closeSync(input);
}
