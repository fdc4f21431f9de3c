// importIndex (IMPORT.md §1) from Node: byte-identical to `borgerblik import` on every fixture of
// tests/import/ (request, problems, refusals), with data as text and as bytes, and ready for evaluate.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { cli, loadWasm, root } from "./helpers.mjs";

const bb = loadWasm();
const dir = path.join(root, "tests/import");
const rel = (f) => path.relative(root, path.join(dir, f));
const profilePath = rel("profile.json");
const profile = JSON.parse(fs.readFileSync(path.join(root, profilePath), "utf8"));

const runs = [
  ["example-sag.xml"],
  ["example-ydelse.xml"],
  ["example-sag.xml", "example-ydelse.xml"],
  ["fremsoeg-soap.xml"],
  ["ydelse-split.xml"],
  ["ydelse-payments.xml", "ydelse-split.xml"],
  ["fremsoeg-soap.xml", "ydelse-split.xml", "ydelse-payments.xml", "example-sag.xml"],
];
const dates = ["2021-01-20", "2021-03-05", "2021-05-21", "2021-06-15", "2021-07-02"];

function files(names, asBytes) {
  return names.map((n) => {
    const bytes = fs.readFileSync(path.join(dir, n));
    return { name: rel(n), data: asBytes ? new Uint8Array(bytes) : bytes.toString("utf8") };
  });
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

describe("importIndex equals the CLI byte for byte", () => {
  for (const names of runs) {
    for (const withProfile of [false, true]) {
      test(`${names.join(" + ")}${withProfile ? " with the profile" : ""}`, () => {
        for (const asOf of dates) {
          const args = ["import", "--as-of", asOf, "--viewer", "0101900000"];
          if (withProfile) args.push("--profile", profilePath);
          const native = cli([...args, ...names.map(rel)]);
          assert.equal(native.status, 0, native.stderr);
          const options = { asOf, viewer: "0101900000", ...(withProfile ? { profile } : {}) };
          const fromText = bb.importIndex(files(names, false), options);
          assert.equal(JSON.stringify(fromText.request) + "\n", native.stdout, asOf);
          const lines = fromText.problems.map((p) => `${p.file}: ${p.path}: ${p.message}\n`).join("");
          assert.equal(lines, native.stderr, asOf);
          const fromBytes = bb.importIndex(files(names, true), options);
          assert.deepEqual(fromBytes, fromText);
        }
      });
    }
  }
});

describe("refused files throw a BorgerblikError with the CLI's positions", () => {
  const refused = fs.readdirSync(path.join(dir, "refused")).filter((f) => f.endsWith(".xml")).sort();
  test("there are refusal fixtures", () => assert.ok(refused.length >= 8));
  for (const f of refused) {
    test(f, () => {
      const name = rel(path.join("refused", f));
      const native = cli(["import", "--as-of", "2021-06-15", "--viewer", "0101900000", name]);
      assert.equal(native.status, 2);
      assert.equal(native.stdout, "");
      const e = thrown(() =>
        bb.importIndex([{ name, data: new Uint8Array(fs.readFileSync(path.join(root, name))) }], {
          asOf: "2021-06-15",
          viewer: "0101900000",
        }),
      );
      assert.ok(e instanceof Error);
      assert.equal(e.name, "BorgerblikError");
      assert.equal(e.kind, "import");
      const lines = e.refusals.map((r) => `error: ${r.file}:${r.line}:${r.column}: ${r.message}\n`).join("");
      assert.equal(lines, native.stderr);
      assert.equal(e.problems[0].path, `${name}:${e.refusals[0].line}:${e.refusals[0].column}`);
    });
  }
});

test("bad options and profiles throw with a path, never quoting a CPR", () => {
  const xml = files(["example-sag.xml"], false);
  for (const [options, p] of [
    [{ asOf: "2021-6-15", viewer: "0101900000" }, "asOf"],
    [{ asOf: "2021-06-15", viewer: "010190-000" }, "viewer"],
    [{ asOf: "2021-06-15" }, "viewer"],
    [{ asOf: "2021-06-15", viewer: "0101900000", extra: 1 }, "extra"],
    [{ asOf: "2021-06-15", viewer: "0101900000", profile: { udkCvr: ["1"] } }, "profile.udkCvr[0]"],
  ]) {
    const e = thrown(() => bb.importIndex(xml, options));
    assert.equal(e.name, "BorgerblikError");
    assert.equal(e.kind, "import");
    assert.equal(e.problems[0].path, p);
    assert.ok(!e.message.includes("010190-000"));
  }
  const e = thrown(() => bb.importIndex([{ name: "x.xml", data: 5 }], { asOf: "2021-06-15", viewer: "0101900000" }));
  assert.equal(e.problems[0].path, "files[0].data");
  // The module keeps working after a throw.
  assert.equal(bb.importIndex(xml, { asOf: "2021-06-15", viewer: "0101900000" }).request.records.length, 1);
});

test("the imported request is ready for Engine.evaluate", () => {
  const engine = bb.Engine.withMunicipality({ areas: [{ kle: "32.30.04", showDocuments: true }] });
  const { request, problems } = bb.importIndex(files(["example-sag.xml", "example-ydelse.xml"], true), {
    asOf: "2021-06-15",
    viewer: "0101900000",
  });
  assert.deepEqual(problems, []);
  const overview = engine.evaluate(request);
  assert.equal(overview.view.cases.length, 1);
  assert.equal(overview.view.cases[0].documents.length, 2);
  assert.equal(overview.view.benefits[0].payments[0].grossAmountOre, 1234500);
});
