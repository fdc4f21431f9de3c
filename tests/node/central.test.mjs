// builtinCentral(): the engine's own built-in central rules as a plain object, for pages that show
// etape dates or override one central section (a section replaces the built-in one whole).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Engine, builtinCentral } = require("../../pkg/node/borgerblik.js");

test("builtinCentral is exactly the rules used when a policy has no central", () => {
  const central = builtinCentral();
  const empty = { areas: [] };
  const implicit = Engine.withMunicipality(empty);
  const explicit = new Engine({ central, municipality: empty });
  assert.equal(explicit.fingerprint, implicit.fingerprint);
  assert.deepEqual(central.etaper.map((e) => [e.id, e.mandatoryFrom]), [["etape-1", "2020-12-31"], ["etape-2", "2021-12-31"]]);
  assert.equal(central.custody.enabled, false);
  implicit.free();
  explicit.free();
});

test("builtinCentral returns a fresh object each time", () => {
  const a = builtinCentral();
  a.custody.enabled = true;
  assert.equal(builtinCentral().custody.enabled, false);
});
