// Bad input through the wasm boundary: every kind of wrong value a JS caller can pass throws a
// real Error with `problems` (never a panic, an abort or a silent repair), and the same Engine
// instance keeps working afterwards. Also: amounts, dates and ids round-trip without loss.
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { describe, test } from "node:test";

import { cli, loadWasm, sampleRequest, tempDir } from "./helpers.mjs";

const bb = loadWasm();
const MiB = 1024 * 1024;

const engine = bb.Engine.withMunicipality({ code: "0390", areas: [{ kle: "32.30", showDocuments: true }] });
const good = sampleRequest();
const baseline = engine.evaluateJson(JSON.stringify(good));

/** Calls `fn`, expects a BorgerblikError, then checks the engine still gives the baseline. */
function refused(fn, { kind = "request", path: where } = {}) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, "expected a throw");
  assert.ok(error instanceof Error, `an Error object, got ${error}`);
  assert.equal(error.name, "BorgerblikError");
  assert.equal(error.kind, kind);
  assert.ok(Array.isArray(error.problems) && error.problems.length > 0, "problems listed");
  for (const p of error.problems) {
    assert.equal(typeof p.path, "string");
    assert.equal(typeof p.message, "string");
    assert.ok(p.message.length > 0);
  }
  assert.ok(!/panicked|unreachable|RuntimeError/.test(error.message), error.message);
  if (where !== undefined) {
    assert.ok(
      error.problems.some((p) => p.path === where),
      `a problem at ${where}: ${JSON.stringify(error.problems)}`,
    );
  }
  // The same instance keeps working, byte for byte.
  assert.equal(engine.evaluateJson(JSON.stringify(good)), baseline);
  assert.equal(JSON.stringify(engine.evaluate(good)), baseline);
  return error;
}

describe("bad requests throw an Error with problems, and the engine keeps working", () => {
  test("undefined, null, a number, a boolean, a function, a symbol, a BigInt", () => {
    for (const v of [undefined, null, 42, true, () => 1, Symbol("x"), 10n]) {
      const e = refused(() => engine.evaluate(v));
      assert.equal(e.problems[0].path, "");
    }
    refused(() => engine.evaluate());
    refused(() => engine.evaluateJson(undefined));
    refused(() => engine.explain(42));
  });

  test("an array, an empty object, an empty string, text that is not JSON", () => {
    refused(() => engine.evaluate([]));
    refused(() => engine.evaluate({}), { path: "asOf" });
    refused(() => engine.evaluateJson(""));
    refused(() => engine.evaluateJson("{ not json"));
    refused(() => engine.evaluateJson('{"asOf": "2021-06-15"} trailing'));
  });

  test("unknown and mistyped envelope fields are named by their JSON path", () => {
    refused(() => engine.evaluate({ ...good, asof: "2021-06-15" }), { path: "asof" });
    refused(() => engine.evaluate({ ...good, viewer: { cpr: "0101801234", age: 41 } }), { path: "viewer.age" });
    refused(() => engine.evaluate({ ...good, asOf: "15-06-2021" }), { path: "asOf" });
    refused(() => engine.evaluate({ ...good, viewer: { cpr: 101801234 } }), { path: "viewer.cpr" });
    refused(() => engine.evaluate({ ...good, records: "none" }), { path: "records" });
    // A JS Date is not a date string: it becomes an ISO timestamp, refused at its path.
    refused(() => engine.evaluate({ ...good, asOf: new Date("2021-06-15") }), { path: "asOf" });
  });

  test("a document over 10 MiB (an 11 MB string) is refused before it is read", () => {
    const huge = `{"asOf":"2021-06-15","viewer":{"cpr":"0101801234"},"records":[],"pad":"${"x".repeat(11 * MiB)}"}`;
    const e = refused(() => engine.evaluateJson(huge));
    assert.match(e.problems[0].message, /limit/);
    refused(() => engine.evaluate(huge));
    refused(() => engine.explain(huge));
    // An object whose JSON is over the limit is refused the same way.
    refused(() => engine.evaluate({ ...good, records: [{ kind: "case", id: "S-9", title: "x".repeat(11 * MiB) }] }));
    refused(() => new bb.Engine(huge), { kind: "policy" });
    refused(() => bb.Engine.withMunicipality(huge), { kind: "policy" });
    const v = bb.Engine.validatePolicy(huge);
    assert.equal(v.valid, false);
    assert.match(v.problems[0].message, /limit/);
  });

  test("JSON as UTF-8 bytes: read as the same text; not UTF-8 or over 10 MiB is refused", () => {
    const text = JSON.stringify(good);
    const bytes = new TextEncoder().encode(text);
    const out = engine.evaluateJson(bytes);
    assert.ok(out instanceof Uint8Array, "bytes in, bytes out");
    assert.equal(new TextDecoder().decode(out), baseline);
    assert.equal(JSON.stringify(engine.evaluate(Buffer.from(text))), baseline);
    assert.equal(engine.explain(bytes), engine.explain(text));
    const policy = new TextEncoder().encode(JSON.stringify({ code: "0390", areas: [{ kle: "32.30", showDocuments: true }] }));
    assert.equal(bb.Engine.withMunicipality(policy).evaluateJson(text), baseline);
    assert.equal(bb.Engine.validateMunicipality(policy).valid, true);
    const wrapped = new TextEncoder().encode(`{"municipality":${new TextDecoder().decode(policy)}}`);
    assert.deepEqual(engine.diff(wrapped, bytes).changes, []);
    assert.equal(new bb.Engine(wrapped).fingerprint, engine.fingerprint);

    const latin1 = Buffer.from(text.replace("Bjarne", "Bj\u00f8rn"), "latin1");
    const e = refused(() => engine.evaluateJson(latin1));
    assert.deepEqual(e.problems, [
      { path: "", message: `not valid UTF-8: invalid utf-8 sequence of 1 bytes from index ${latin1.indexOf(0xf8)}` },
    ]);
    refused(() => bb.Engine.withMunicipality(Buffer.from([0xff])), { kind: "policy" });
    const huge = refused(() => engine.evaluateJson(new Uint8Array(11 * MiB)));
    assert.equal(huge.problems[0].message, `the document is over the limit of ${10 * MiB} bytes (10 MiB)`);
    // Other binary views are objects, not JSON text.
    refused(() => engine.evaluateJson(new Uint16Array(4)));
  });

  test("a 5 MB request is read (under the limit); 5 MB that is not JSON is refused", () => {
    const many = { ...good, records: [] };
    const perRecord = JSON.stringify(good.records).length / good.records.length;
    while (many.records.length * perRecord < 5.5 * MiB) {
      for (const r of good.records) many.records.push({ ...r, id: `${r.id}-${many.records.length}` });
    }
    const text = JSON.stringify(many);
    assert.ok(text.length >= 5 * MiB && text.length < 10 * MiB);
    const overview = JSON.parse(engine.evaluateJson(text));
    assert.equal(overview.summary.records, many.records.length);
    assert.equal(JSON.stringify(engine.evaluate(many)), JSON.stringify(overview));
    refused(() => engine.evaluateJson(text.slice(0, -1)));
  });

  test("invalid UTF-16 (lone surrogates) is refused, never replaced", () => {
    refused(() => engine.evaluateJson("\ud800"));
    refused(() => engine.evaluateJson(JSON.stringify(good).replace("Sygedagpenge 2021", "Syge\udc00dagpenge")));
    refused(() => engine.evaluate({ ...good, asOf: "2021-06-15\ud83d" }), { path: "asOf" });
    const records = structuredClone(good.records);
    records[0].title = "Sygedagpenge \udfff";
    // Inside a record it costs only that record (SPEC §8): JSON.stringify writes it as an escape.
    const invalid = engine.evaluate({ ...good, records }).decisions[0];
    assert.deepEqual(invalid.reasons.map((r) => [r.code, r.detail]), [["INVALID_RECORD", "records[0].title"]]);
    const e = refused(() => engine.evaluate({ ...good, viewer: { cpr: "0101801234", ["\ud800"]: 1 } }));
    assert.ok(e.problems[0].path.startsWith("viewer."), JSON.stringify(e.problems));
    refused(() => bb.Engine.withMunicipality({ areas: [{ kle: "32.30", sourceSystems: ["KMD\udbff"] }] }), {
      kind: "policy",
      path: "areas[0].sourceSystems[0]",
    });
    // A well-formed pair (an emoji) is fine.
    const emoji = structuredClone(good);
    emoji.records[0].title = "Sygedagpenge 😀";
    assert.equal(engine.evaluate(emoji).summary.records, 3);
  });

  test("objects JSON cannot express: cycles, BigInt, deep nesting", () => {
    const cyclic = structuredClone(good);
    cyclic.records[0].self = cyclic;
    refused(() => engine.evaluate(cyclic));
    refused(() => engine.evaluate({ ...good, records: [{ ...good.records[1], payments: [{ date: "2021-02-26", grossAmountOre: 5n }] }] }));
    let deep = [];
    for (let i = 0; i < 10000; i++) deep = [deep];
    refused(() => engine.evaluate({ ...good, records: deep }));
    refused(() => engine.evaluateJson(`{"asOf":"2021-06-15","viewer":{"cpr":"0101801234"},"records":${"[".repeat(100000)}`));
  });

  test("getters that throw are reported, not propagated", () => {
    const hostile = { ...good };
    Object.defineProperty(hostile, "records", { enumerable: true, get() { throw new Error("boom"); } });
    const e = refused(() => engine.evaluate(hostile));
    assert.match(e.problems[0].message, /boom/);
  });
});

describe("bad policies throw an Error with problems", () => {
  test("an unknown field, at any depth", () => {
    refused(() => new bb.Engine({ municipality: { areas: [] }, centrl: {} }), { kind: "policy", path: "centrl" });
    refused(() => bb.Engine.withMunicipality({ areas: [{ kle: "27.36", opne: true }] }), {
      kind: "policy",
      path: "municipality.areas[0].opne",
    });
  });

  test("not a policy at all", () => {
    for (const v of [undefined, null, 7, "", "[]", []]) {
      refused(() => new bb.Engine(v), { kind: "policy" });
      refused(() => bb.Engine.withMunicipality(v), { kind: "policy" });
      const validation = bb.Engine.validatePolicy(v);
      assert.equal(validation.valid, false);
      assert.ok(validation.problems.length > 0);
    }
  });

  test("every problem of a refused policy is listed with its path", () => {
    const e = refused(
      () => bb.Engine.withMunicipality({ areas: [{ kle: "9" }, { kle: "27.36", facets: { allow: ["G01"], deny: ["K"] } }] }),
      { kind: "policy" },
    );
    assert.ok(e.problems.length >= 2, JSON.stringify(e.problems));
    assert.match(e.message, /invalid policy/);
  });

  test("diff with a bad other policy or a bad request throws, and keeps the engine", () => {
    refused(() => engine.diff({ municipality: { areas: [{ kle: "x" }] } }, good), { kind: "policy" });
    refused(() => engine.diff(engine, { asOf: "x" }));
  });
});

describe("values round-trip without loss", () => {
  const dir = tempDir("borgerblik-roundtrip-");

  test("amounts in øre are JS numbers (never BigInt), dates and ids are strings", () => {
    const request = structuredClone(good);
    const payments = [
      { date: "2021-01-31", grossAmountOre: 0 },
      { date: "2021-02-28", grossAmountOre: -50000 },
      { date: "2021-03-31", grossAmountOre: 1234500 },
      { date: "2021-04-30", grossAmountOre: Number.MAX_SAFE_INTEGER },
      { date: "2021-05-31", grossAmountOre: -Number.MAX_SAFE_INTEGER },
    ];
    request.records[1].payments = payments;
    request.records[1].id = "000123";
    const overview = engine.evaluate(request);
    const benefit = overview.view.benefits.find((b) => b.id === "000123");
    assert.ok(benefit, JSON.stringify(overview.view));
    assert.equal(typeof benefit.id, "string");
    for (const p of benefit.payments) {
      assert.equal(typeof p.grossAmountOre, "number");
      assert.ok(Number.isInteger(p.grossAmountOre));
      assert.equal(typeof p.date, "string");
      assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/);
    }
    const amounts = benefit.payments.map((p) => p.grossAmountOre).sort((a, b) => a - b);
    assert.deepEqual(amounts, payments.map((p) => p.grossAmountOre).sort((a, b) => a - b));
    assert.equal(typeof overview.asOf, "string");
    assert.equal(overview.asOf, "2021-06-15");
    assert.equal(typeof overview.summary.records, "number");
    assert.equal(overview.view.cases[0].createdDate, "2021-02-01");
    assert.equal(benefit.endDate, null);
    // No BigInt anywhere: JSON.stringify would throw on one.
    assert.doesNotThrow(() => JSON.stringify(overview));
  });

  test("amounts beyond 2^53 keep every digit through evaluateJson, as in the CLI", () => {
    const text = JSON.stringify(good).replace("1598400", "123456789012345678");
    const out = engine.evaluateJson(text);
    assert.ok(out.includes('"grossAmountOre":123456789012345678'), out);
    const policy = path.join(dir, "m.json");
    const request = path.join(dir, "r.json");
    fs.writeFileSync(policy, JSON.stringify({ code: "0390", areas: [{ kle: "32.30", showDocuments: true }] }));
    fs.writeFileSync(request, text);
    const native = cli(["evaluate", "--municipality", policy, "--request", request]);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(out + "\n", native.stdout);
  });

  test("a non-integer amount makes that record invalid, as in the CLI", () => {
    const request = structuredClone(good);
    request.records[1].payments[0].grossAmountOre = 12.5;
    const overview = engine.evaluate(request);
    const d = overview.decisions.find((x) => x.id === "Y-1");
    assert.equal(d.visible, false);
    assert.deepEqual(d.reasons.map((r) => r.code), ["INVALID_RECORD"]);
  });
});

describe("the rest of the surface", () => {
  test("warnings and fingerprint", () => {
    const warned = bb.Engine.withMunicipality({ areas: [{ kle: "99.99", open: true }] });
    assert.equal(warned.warnings.length, 1);
    assert.equal(warned.warnings[0].path, "municipality.areas[0].kle");
    assert.deepEqual(engine.warnings, []);
    assert.match(engine.fingerprint, /^sha256:[0-9a-f]{64}$/);
    // The same effective policy, however it is written, has the same fingerprint.
    const same = new bb.Engine(`{ "municipality": { "areas": [ { "showDocuments": true, "kle": "32.30" } ], "code": "0390" } }`);
    assert.equal(same.fingerprint, engine.fingerprint);
    assert.equal(same.evaluateJson(JSON.stringify(good)), baseline);
  });

  test("diff against another Engine, a policy object and policy text agree", () => {
    const stricter = { areas: [{ kle: "32.30", showDocuments: true, sourceSystems: ["KMD Sygedagpenge"] }] };
    const other = bb.Engine.withMunicipality(stricter);
    const byEngine = engine.diff(other, good);
    const byObject = engine.diff({ municipality: stricter }, good);
    const byText = engine.diff(JSON.stringify({ municipality: stricter }), JSON.stringify(good));
    assert.deepEqual(byObject, byEngine);
    assert.deepEqual(byText, byEngine);
    assert.equal(byEngine.summary.requests, 1);
    assert.equal(byEngine.summary.records, 3);
    assert.ok(byEngine.changes.some((c) => c.id === "S-1" && c.before.visible && !c.after.visible));
    assert.equal(byEngine.summary.becameHidden, byEngine.changes.length);
    assert.equal(engine.diff(engine, good).changes.length, 0);
    // A freed engine is refused, not read from freed memory.
    other.free();
    refused(() => engine.diff(other, good), { kind: "policy" });
  });

  test("the KLE catalogue", () => {
    assert.equal(bb.kleTitle("27.36.04"), "Personlig og praktisk hjælp");
    assert.equal(bb.kleTitle("99.99.99"), undefined);
    assert.equal(bb.kleTitle(27), undefined);
    assert.deepEqual(bb.kleLookup("05.14.21"), { number: "05.14.21", title: "Tankanlæg - råden over vejareal", retired: 2026 });
    assert.equal(bb.kleLookup("nope"), undefined);
    const hits = bb.kleSearch("sygedag", 5);
    assert.ok(hits.length > 0 && hits.length <= 5);
    assert.ok(hits.some((e) => e.number === "32.30.04"));
    assert.equal(bb.kleSearch("sygedag").length <= 20, true);
    assert.deepEqual(bb.kleSearch("sygedag", -1), []);
    assert.deepEqual(bb.kleSearch("", 10), []);
    assert.deepEqual(bb.kleSearch(undefined, 10), []);
  });

  test("version", () => {
    assert.match(bb.version(), /^\d+\.\d+\.\d+/);
  });
});
