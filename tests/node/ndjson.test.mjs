// Engine.evaluateNdjson: many requests in one call, as `borgerblik evaluate --ndjson`. The output is
// the CLI's byte for byte, from text and from bytes; a bad line is refused with its line number and
// the problems the CLI prints for it; and a file cut into pieces of whole lines gives the same
// output as one call.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { cli, loadWasm, problemLine, root, sampleRequest, tempDir } from "./helpers.mjs";

const bb = loadWasm();
const dir = tempDir("borgerblik-ndjson-");
const municipalityFile = path.join(root, "samples/municipality.json");
const engine = bb.Engine.withMunicipality(fs.readFileSync(municipalityFile, "utf8"));
const baseline = engine.evaluateJson(JSON.stringify(sampleRequest()));

/** A synthetic municipality from the CLI's generator: custody, invalid records, every area kind. */
function generated(citizens, seed) {
  const r = cli(["generate", "--citizens", String(citizens), "--seed", String(seed)]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** The CLI's `evaluate --ndjson` on `text`; returns { status, stdout, stderr, file }. */
function native(text, name = "requests.ndjson") {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { ...cli(["evaluate", "--municipality", municipalityFile, "--ndjson", "--request", file]), file };
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    // The same instance keeps working after any refusal.
    assert.equal(engine.evaluateJson(JSON.stringify(sampleRequest())), baseline);
    return e;
  }
  assert.fail("expected a throw");
}

describe("evaluateNdjson gives the CLI's output byte for byte", () => {
  const text = generated(400, 11);

  test("a generated municipality, as text and as bytes", () => {
    const expected = native(text);
    assert.equal(expected.status, 0, expected.stderr);
    assert.ok(expected.stdout.split("\n").length > 400);
    const fromText = engine.evaluateNdjson(text);
    assert.equal(typeof fromText, "string");
    assert.equal(fromText, expected.stdout);
    const fromBytes = engine.evaluateNdjson(Buffer.from(text));
    assert.ok(fromBytes instanceof Uint8Array);
    assert.equal(Buffer.from(fromBytes).toString("utf8"), expected.stdout);
    const fromPlainArray = engine.evaluateNdjson(new TextEncoder().encode(text));
    assert.deepEqual(Buffer.from(fromPlainArray), Buffer.from(fromBytes));
  });

  test("each line is evaluateJson of that line", () => {
    const lines = text.split("\n").filter((l) => l !== "");
    const out = engine.evaluateNdjson(text).split("\n");
    assert.equal(out.pop(), "", "every overview ends in a newline");
    assert.deepEqual(out, lines.map((l) => engine.evaluateJson(l)));
  });

  test("a file cut into pieces of whole lines gives the output of one call", () => {
    const bytes = Buffer.from(text);
    const pieces = [];
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf(10, Math.min(start + 4096, bytes.length - 1)) + 1 || bytes.length;
      pieces.push(Buffer.from(engine.evaluateNdjson(bytes.subarray(start, end))));
      start = end;
    }
    assert.ok(pieces.length > 10);
    assert.equal(Buffer.concat(pieces).toString("utf8"), engine.evaluateNdjson(text));
  });

  test("blank lines, CRLF line ends, a last line without a newline, nothing at all", () => {
    const one = JSON.stringify(sampleRequest());
    const text = `\n${one}\r\n   \n\r\n${one}`;
    assert.equal(engine.evaluateNdjson(text), native(text).stdout);
    assert.equal(engine.evaluateNdjson(text), `${baseline}\n${baseline}\n`);
    assert.equal(engine.evaluateNdjson(""), "");
    assert.equal(engine.evaluateNdjson(" \n\n"), "");
    assert.deepEqual(engine.evaluateNdjson(new Uint8Array()), new Uint8Array());
  });
});

describe("a bad line is refused with its number, as the CLI refuses it", () => {
  const one = JSON.stringify(sampleRequest());

  /** Both refuse `input`: same line, same problems (the CLI prints them as `file:line: path: message`). */
  function sameRefusal(input, line) {
    const expected = native(input, "bad.ndjson");
    assert.equal(expected.status, 2);
    for (const given of [input, Buffer.from(input)]) {
      const e = thrown(() => engine.evaluateNdjson(given));
      assert.ok(e instanceof Error);
      assert.equal(e.name, "BorgerblikError");
      assert.equal(e.kind, "request");
      assert.equal(e.line, line);
      assert.ok(e.message.startsWith(`line ${line}: invalid request`), e.message);
      const lines = e.problems.map((p) => problemLine(`${expected.file}:${line}`, p));
      assert.equal(expected.stderr, lines.map((l) => `error: ${l}\n`).join(""));
    }
  }

  test("a line that is not JSON", () => sameRefusal(`${one}\n\n{not json\n${one}\n`, 3));
  test("a line that is not a request (paths within the line)", () =>
    sameRefusal(`${one}\n{"asOf":"2021-13-01","viewer":{},"records":{}}\n`, 2));
  test("a JSON value that is not an object", () => sameRefusal(`[]\n`, 1));

  test("bytes that are not UTF-8", () => {
    const bytes = Buffer.concat([Buffer.from(`${one}\n`), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]);
    const file = path.join(dir, "latin1.ndjson");
    fs.writeFileSync(file, bytes);
    const expected = cli(["evaluate", "--municipality", municipalityFile, "--ndjson", "--request", file]);
    assert.equal(expected.status, 2);
    const e = thrown(() => engine.evaluateNdjson(bytes));
    assert.equal(e.line, 2);
    assert.equal(e.problems.length, 1);
    assert.equal(e.problems[0].path, "");
    assert.match(e.problems[0].message, /^not valid UTF-8: /);
    assert.equal(expected.stderr, `error: ${file}:2: ${e.problems[0].message}\n`);
  });

  test("text with a lone surrogate is refused, never replaced", () => {
    const e = thrown(() => engine.evaluateNdjson(`${one}\n{"asOf":"\ud800"}\n`));
    assert.equal(e.name, "BorgerblikError");
    assert.match(e.problems[0].message, /not valid UTF-16: a lone surrogate at character \d+/);
  });

  test("anything but a string or a Uint8Array", () => {
    for (const [value, words] of [
      [undefined, "undefined"],
      [null, "null"],
      [42, "a number"],
      [{ records: [] }, "an object"],
      [[one], "an object"],
      [new Uint16Array(4), "an object"],
      [new ArrayBuffer(4), "an object"],
    ]) {
      const e = thrown(() => engine.evaluateNdjson(value));
      assert.equal(e.name, "BorgerblikError");
      assert.equal(e.kind, "request");
      assert.equal(e.line, undefined);
      assert.deepEqual(e.problems, [
        { path: "", message: `expected NDJSON as a string or a Uint8Array, got ${words}` },
      ]);
    }
  });

  test("more than 256 MiB in one call is refused before it is copied", () => {
    const e = thrown(() => engine.evaluateNdjson(new Uint8Array(256 * 1024 * 1024 + 1)));
    assert.match(e.problems[0].message, /over the limit of 268435456 a call: pass it in pieces of whole lines/);
  });

  test("a line over the 10 MiB line limit is refused, as the CLI refuses it", () => {
    const long = `{"asOf":"${"x".repeat(10 * 1024 * 1024 + 5)}"}`;
    sameRefusal(`${one}\n${long}\n${one}\n`, 2);
  });
});
