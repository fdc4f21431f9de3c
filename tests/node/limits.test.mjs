// Limits of the wasm package (issue 11): what one evaluateNdjson call may produce is bounded and
// checked before it is produced, refused with a BorgerblikError and without leaking (the module's
// memory stays flat over repeated refusals); one wording of the size-limit refusal for text, bytes
// and objects; an NDJSON line of exactly 10 MiB is read; duplicate keys are refused through every
// entry point; a crafted object with shared sub-objects does not hang `evaluate`; `diff` with a
// freed Engine says so.
import assert from "node:assert/strict";
import { test } from "node:test";

import { loadWasm } from "./helpers.mjs";

// The module's own instance, to read its memory: pkg/node instantiates with `new WebAssembly.Instance`.
let instance;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  instance = new Instance(module, imports);
  return instance;
};
const bb = loadWasm();
WebAssembly.Instance = Instance;
assert.ok(instance?.exports.memory instanceof WebAssembly.Memory, "the module's memory is reachable");
const memoryBytes = () => instance.exports.memory.buffer.byteLength;

const VIEWER = "1203801234";
const engine = bb.Engine.withMunicipality({ areas: [{ kle: "27", open: true }] });
const head = `{"asOf":"2022-03-01","viewer":{"cpr":"${VIEWER}"},"records":[`;
/** A request line of `n` empty records: a few bytes in, ~230 bytes of decision out each. */
const emptyRecords = (n) => `${head}${Array(n).fill("{}").join(",")}]}\n`;

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

function assertRefused(e, kind) {
  assert.ok(e instanceof Error, `an Error, got ${e}`);
  assert.equal(e.name, "BorgerblikError");
  assert.equal(e.kind, kind);
  assert.ok(Array.isArray(e.problems) && e.problems.length > 0);
}

test("evaluateNdjson refuses output over maxOutputBytes before producing it, and keeps working", () => {
  const ndjson = emptyRecords(2000).repeat(10); // ~60 KB in, ~4.6 MB out
  const whole = engine.evaluateNdjson(ndjson);
  assert.ok(whole.length > 4_000_000, `${whole.length}`);
  for (const input of [ndjson, Buffer.from(ndjson)]) {
    const e = thrown(() => engine.evaluateNdjson(input, 1_000_000));
    assertRefused(e, "request");
    assert.match(e.message, /line \d+: the overviews would be over the limit of 1000000 bytes a call/);
    // Well within the bound, the same answer as without one. (Each overview's size is bounded from
    // above before it is written, so a call just under the bound may be refused.)
    assert.equal(Buffer.from(engine.evaluateNdjson(input, 2 * whole.length)).toString(), whole);
  }
  assert.throws(() => engine.evaluateNdjson(ndjson, 0), { name: "BorgerblikError" });
});

test("repeated refusals do not grow the module's memory", () => {
  const ndjson = emptyRecords(5000).repeat(8); // ~120 KB in, ~9 MB out
  const bytes = Buffer.from(ndjson);
  // First calls reach the memory the work needs; after them it must stay flat.
  for (let i = 0; i < 3; i++) {
    assert.throws(() => engine.evaluateNdjson(ndjson, 4_000_000), { name: "BorgerblikError" });
    assert.throws(() => engine.evaluateNdjson(bytes, 4_000_000), { name: "BorgerblikError" });
  }
  const before = memoryBytes();
  for (let i = 0; i < 30; i++) {
    assert.throws(() => engine.evaluateNdjson(i % 2 ? bytes : ndjson, 4_000_000), { name: "BorgerblikError" });
  }
  assert.equal(memoryBytes(), before, "no leak after refusals");
  // And the engine still answers.
  assert.ok(engine.evaluateNdjson(emptyRecords(3)).length > 0);
});

test("one wording of the size-limit refusal: text, bytes, object, NDJSON line", () => {
  const big = `{"asOf":"2022-03-01","viewer":{"cpr":"${VIEWER}"},"records":[],"pad":"${"x".repeat(10 * 1024 * 1024)}"}`;
  const wording = "the document is over the limit of 10485760 bytes (10 MiB)";
  const messages = [
    thrown(() => engine.evaluateJson(big)),
    thrown(() => engine.evaluateJson(Buffer.from(big))),
    thrown(() => engine.evaluate({ asOf: "2022-03-01", viewer: { cpr: VIEWER }, records: [], pad: "x".repeat(10 * 1024 * 1024) })),
    thrown(() => engine.evaluateNdjson(big + "\n")),
  ].map((e) => {
    assertRefused(e, "request");
    return e.problems.map((p) => p.message);
  });
  for (const m of messages) assert.deepEqual(m, [wording]);
});

test("an NDJSON line of exactly 10 MiB is read: the newline is not counted", () => {
  const base = `{"asOf":"2022-03-01","viewer":{"cpr":"${VIEWER}"},"records":[]}`;
  const exactly = base + " ".repeat(10 * 1024 * 1024 - base.length);
  const out = engine.evaluateNdjson(`${exactly}\n${base}\n`);
  assert.equal(out.split("\n").length, 3);
  const e = thrown(() => engine.evaluateNdjson(`${exactly} \n`));
  assert.equal(e.line, 1);
});

test("duplicate keys are refused in the envelope and invalidate a record, from text and bytes", () => {
  const envelope = `{"asOf":"2022-03-01","viewer":{"cpr":"${VIEWER}"},"subject":{"cpr":"0101701234"},"subject":null,"records":[]}`;
  for (const call of [
    () => engine.evaluateJson(envelope),
    () => engine.evaluateJson(Buffer.from(envelope)),
    () => engine.evaluate(envelope),
    () => engine.evaluateNdjson(envelope + "\n"),
  ]) {
    const e = thrown(call);
    assertRefused(e, "request");
    assert.deepEqual(e.problems.map((p) => p.path), ["subject"]);
  }
  const record = `{"kind":"case","id":"S-1","kle":"27.36.04","createdDate":"2021-05-01","status":"Oplyst","primaryParty":"${VIEWER}","excludedFromCitizen":true,"excludedFromCitizen":false}`;
  const overview = JSON.parse(engine.evaluateJson(`${head}${record}]}`));
  assert.equal(overview.decisions[0].visible, false);
  assert.equal(overview.decisions[0].reasons[0].code, "INVALID_RECORD");
  const policy = `{"municipality":{"areas":[{"kle":"27.36","open":false,"open":true}]}}`;
  const v = bb.Engine.validatePolicy(policy);
  assert.equal(v.valid, false);
  assert.deepEqual(v.problems.map((p) => p.path), ["municipality.areas[0].open"]);
  assert.throws(() => new bb.Engine(policy), { name: "BorgerblikError" });
});

test("a crafted object with shared sub-objects does not hang evaluate", () => {
  // 60 levels, each referring twice to the next: 2^60 paths for a naive walk. JSON.stringify sees
  // none of it (the property is not enumerable), and the lone surrogate makes the text unreadable.
  let shared = { leaf: "x" };
  for (let i = 0; i < 60; i++) shared = { a: shared, b: shared };
  const request = {};
  Object.defineProperty(request, "hidden", { value: shared, enumerable: false });
  Object.assign(request, { asOf: "2022-03-01", viewer: { cpr: "\ud800" }, records: [] });
  const started = Date.now();
  const e = thrown(() => engine.evaluate(request));
  assertRefused(e, "request");
  assert.ok(Date.now() - started < 60_000, "bounded");
});

test("diff with a freed Engine says the other Engine has been freed", () => {
  const other = bb.Engine.withMunicipality({ areas: [] });
  other.free();
  const e = thrown(() => engine.diff(other, `${head}]}`));
  assertRefused(e, "policy");
  assert.deepEqual(e.problems.map((p) => p.message), ["the other Engine has been freed"]);
});

test("validatePolicy does not trap on a policy that closes many areas over many etape areas", () => {
  const areas = Array.from({ length: 20000 }, (_, k) => ({ kle: `${String(Math.floor(k / 10000) % 100).padStart(2, "0")}.${String(Math.floor(k / 100) % 100).padStart(2, "0")}.${String(k % 100).padStart(2, "0")}` }));
  const etaper = [0, 1].map((e) => ({ id: `e${e}`, name: "e", mandatoryFrom: "2020-12-31", areas: areas.slice(e * 10000, e * 10000 + 10000) }));
  const policy = { central: { etaper }, municipality: { areas: Array(2000).fill({ kle: "01", open: false }) } };
  const v = bb.Engine.validatePolicy(policy);
  assert.equal(v.valid, false);
  assert.ok(v.problems.length <= 1001, `${v.problems.length}`);
  assert.match(v.problems.at(-1).message, /^and \d+ more problems/);
});
