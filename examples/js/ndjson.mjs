// examples/js/ndjson.mjs — a whole municipality through borgerblik in Node, as the CLI's
// `borgerblik evaluate --ndjson` does: node examples/js/ndjson.mjs requests.ndjson > overviews.ndjson
// Reads pieces of whole lines as bytes and writes the overviews as bytes: no string conversion on
// either side, memory bounded by the piece size (and the longest line).
import { closeSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { Engine } from "../../pkg/node/borgerblik.js";

const [file = "/dev/stdin", municipality = "samples/municipality.json"] = process.argv.slice(2);
const engine = Engine.withMunicipality(readFileSync(municipality, "utf8"));

const input = openSync(file, "r");
let buffer = Buffer.allocUnsafe(1 << 20);
let end = 0; // bytes in the buffer: the start of a line the last read cut off, then new ones
let linesDone = 0; // to name a bad line by its number in the file
try {
  for (;;) {
    if (end === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]); // a long line
    const n = readSync(input, buffer, end, buffer.length - end, null);
    end += n;
    const cut = n > 0 ? buffer.lastIndexOf(10, end - 1) + 1 : end; // after the last newline; at the end, all
    if (cut > 0) {
      const whole = buffer.subarray(0, cut);
      writeSync(1, engine.evaluateNdjson(whole)); // copies `whole` in before it returns
      for (let i = whole.indexOf(10); i >= 0; i = whole.indexOf(10, i + 1)) linesDone++;
      buffer.copyWithin(0, cut, end);
      end -= cut;
    }
    if (n === 0) break;
  }
} catch (e) {
  if (e.name !== "BorgerblikError" || e.line === undefined) throw e;
  console.error(`${file}:${linesDone + e.line}: ${e.problems.map((p) => `${p.path} ${p.message}`.trim()).join("; ")}`);
  process.exitCode = 2;
} finally {
  closeSync(input);
}
