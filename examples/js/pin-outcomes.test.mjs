// examples/js/pin-outcomes.test.mjs — pin rule outcomes in your own tests (node --test; Node 20+).
// Each test snapshots engine.evaluate(...) in __snapshots__/NAME.json beside this file; a changed rule,
// setting or record fails with the first difference. UPDATE_SNAPSHOTS=1 node --test ... writes them.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Engine } from "../../pkg/node/borgerblik.js";

const SNAPSHOTS = process.env.SNAPSHOT_DIR ?? fileURLToPath(new URL("./__snapshots__/", import.meta.url));

/** Compares `value` with the stored snapshot `name` (written only with UPDATE_SNAPSHOTS=1). */
function matchSnapshot(name, value) {
  const file = path.join(SNAPSHOTS, `${name}.json`);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    fs.mkdirSync(SNAPSHOTS, { recursive: true });
    fs.writeFileSync(file, text);
  }
  assert.ok(fs.existsSync(file), `no snapshot ${file}: run with UPDATE_SNAPSHOTS=1 and review it`);
  assert.deepEqual(JSON.parse(text), JSON.parse(fs.readFileSync(file, "utf8")));
}

/** The overview without the policy fingerprint, which changes with any setting, even one that changes no outcome. */
function pinned(overview) {
  return { ...overview, policyFingerprint: "[fingerprint]" };
}

const engine = Engine.withMunicipality({
  code: "0390",
  name: "Vordingborg Kommune",
  areas: [{ kle: "27.36", open: true, showDocuments: true }, { kle: "27.24", open: false }],
});

const citizen = (records) => ({ asOf: "2022-03-01", viewer: { cpr: "0101801234" }, records });

test("home help is shown with its documents; special support is not", () => {
  const overview = engine.evaluate(citizen([
    { kind: "case", id: "S-1", kle: "27.36.04", createdDate: "2022-01-10", status: "Oplyst",
      primaryParty: "0101801234", documents: [{ title: "Bevilling af praktisk hjælp", date: "2022-01-20" }] },
    { kind: "case", id: "S-2", kle: "27.24.03", createdDate: "2022-01-11", status: "Oplyst",
      primaryParty: "0101801234" },
  ]));
  // The few facts a reader checks by eye, then everything else through the snapshot.
  assert.deepEqual(overview.decisions.map((d) => [d.id, d.visible]), [["S-1", true], ["S-2", false]]);
  matchSnapshot("home-help", pinned(overview));
});

test("sickness benefit is mandatory (etape-1) whatever the municipality opened", () => {
  const overview = engine.evaluate(citizen([
    { kind: "case", id: "S-3", kle: "32.30.04", createdDate: "2021-02-01", status: "Afsluttet",
      closedDate: "2021-06-30", primaryParty: "0101801234" },
  ]));
  matchSnapshot("sickness-benefit", pinned(overview));
});
