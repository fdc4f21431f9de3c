// Parity of one build of the wasm module with the native CLI on every scenario of the snapshot suite
// (tests/scenarios/*.json): the validation of its policy, and, when it has a request, the overview
// (from an object, from JSON text and from UTF-8 bytes) and the explain table, byte for byte.
// Refused policies and requests are refused by both, with the same problems (paths and messages).
// Shared by parity.test.mjs (pkg/node) and parity-web.test.mjs (pkg/web, pkg/bundler); not a test
// file itself.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { cli, problemLine, scenarioFiles, tempDir } from "./helpers.mjs";

const dir = tempDir("borgerblik-parity-");
export const files = scenarioFiles();

/** The CLI's answers, once per process whichever builds are compared with them. */
const answers = new Map();
function cached(args) {
  const key = JSON.stringify(args);
  if (!answers.has(key)) answers.set(key, cli(args));
  return answers.get(key);
}

/** A request any policy can be asked about: to see that the CLI refuses an invalid policy. */
const ANY_REQUEST = { asOf: "2021-06-15", viewer: { cpr: "0101801234" }, records: [] };

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

function assertInputError(e, kind) {
  assert.ok(e instanceof Error, "an Error object");
  assert.equal(e.name, "BorgerblikError");
  assert.equal(e.kind, kind);
  assert.ok(Array.isArray(e.problems) && e.problems.length > 0, "problems listed");
}

/** Registers one test per scenario comparing the build `bb` (its exports) with the CLI. */
export function parityTests(label, bb) {
  test(`${label}: the snapshot suite has scenarios to compare`, () => {
    assert.ok(files.length >= 60, `only ${files.length} scenarios in tests/scenarios`);
  });

  describe(`${label} and the native CLI agree on every scenario`, () => {
    for (const file of files) {
      const name = path.basename(file, ".json");
      test(name, () => checkScenario(bb, file, name));
    }
  });
}

function checkScenario(bb, file, name) {
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  // `policyText`/`municipalityText`/`requestText`: the document as JSON text, for input a JS
  // object cannot carry (a key twice); the object forms are then not compared.
  const municipality = doc.policy === undefined && doc.policyText === undefined;
  const givenText = municipality ? doc.municipalityText : doc.policyText;
  const policy = givenText ?? (municipality ? doc.municipality : doc.policy);
  assert.ok(policy !== undefined, "scenario has a policy or a municipality");
  const policyText = givenText ?? JSON.stringify(policy);
  const policyFile = path.join(dir, `${name}.policy.json`);
  fs.writeFileSync(policyFile, policyText);
  const policyArgs = [municipality ? "--municipality" : "--policy", policyFile];

  // Validation: the CLI's `validate --json` is the wasm's validatePolicy/validateMunicipality.
  const validate = municipality ? bb.Engine.validateMunicipality : bb.Engine.validatePolicy;
  const validation = validate(policyText);
  const native = cached(["validate", "--json", ...policyArgs]);
  assert.equal(native.status, validation.valid ? 0 : 2, native.stderr);
  assert.equal(JSON.stringify(validation) + "\n", native.stdout);
  if (givenText === undefined) {
    assert.deepEqual(validate(policy), validation, "object and text give the same validation");
  }

  const hasRequest = doc.request !== undefined || doc.requestText !== undefined;
  const requestText = doc.requestText ?? JSON.stringify(doc.request ?? ANY_REQUEST);
  // Text only: parsing it into an object would already decide which of two keys counts.
  const request = doc.requestText === undefined ? doc.request : requestText;
  const requestFile = path.join(dir, `${name}.request.json`);
  fs.writeFileSync(requestFile, requestText);

  const build = (p) => (municipality ? bb.Engine.withMunicipality(p) : new bb.Engine(p));
  if (!validation.valid) {
    const e = thrown(() => build(policy));
    assertInputError(e, "policy");
    assert.deepEqual(e.problems, validation.problems);
    // The CLI refuses the policy too when asked to evaluate, naming each problem.
    const r = cached(["evaluate", ...policyArgs, "--request", requestFile]);
    assert.equal(r.status, 2, r.stderr);
    for (const p of e.problems) {
      assert.ok(r.stderr.includes(problemLine(policyFile, p)), `the CLI reports ${JSON.stringify(p)}:\n${r.stderr}`);
    }
    return;
  }
  const engine = build(policy);
  assert.deepEqual(engine.warnings, validation.warnings);
  assert.equal(build(policyText).fingerprint, engine.fingerprint);
  if (!hasRequest) {
    return;
  }

  const evaluated = cached(["evaluate", ...policyArgs, "--request", requestFile]);
  if (evaluated.status === 2) {
    for (const call of [
      () => engine.evaluate(request),
      () => engine.evaluateJson(requestText),
      () => engine.evaluateJson(Buffer.from(requestText)),
    ]) {
      const e = thrown(call);
      assertInputError(e, "request");
      for (const p of e.problems) {
        assert.ok(
          evaluated.stderr.includes(problemLine(requestFile, p)),
          `the CLI reports ${JSON.stringify(p)}:\n${evaluated.stderr}`,
        );
      }
    }
    return;
  }
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.equal(engine.evaluateJson(requestText) + "\n", evaluated.stdout, "evaluateJson");
  const bytes = engine.evaluateJson(Buffer.from(requestText));
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(Buffer.from(bytes).toString("utf8") + "\n", evaluated.stdout, "evaluateJson (bytes)");
  const overview = engine.evaluate(request);
  assert.equal(JSON.stringify(overview) + "\n", evaluated.stdout, "evaluate (object)");

  const explained = cached(["explain", ...policyArgs, "--request", requestFile]);
  assert.equal(explained.status, 0, explained.stderr);
  const table = engine.explain(request);
  assert.ok(explained.stdout === table || explained.stdout === table + "\n", "explain: same table");
  engine.free?.();
}
