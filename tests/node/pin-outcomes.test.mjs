// docs/javascript.md "Pin outcomes in your tests": the example test file passes against its committed
// snapshots, and fails when a snapshot no longer matches what the engine answers (so it can fail).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { root, tempDir } from "./helpers.mjs";

const EXAMPLE = "examples/js/pin-outcomes.test.mjs";
const SNAPSHOTS = path.join(root, "examples/js/__snapshots__");

function runExample(env = {}) {
  // Without the parent's NODE_TEST_CONTEXT the child reports on its own, as a user's run does.
  const { NODE_TEST_CONTEXT, ...parent } = process.env;
  return spawnSync(process.execPath, ["--test", EXAMPLE], {
    cwd: root,
    encoding: "utf8",
    env: { ...parent, UPDATE_SNAPSHOTS: "", ...env },
  });
}

test("the example passes against its committed snapshots", () => {
  const names = fs.readdirSync(SNAPSHOTS).sort();
  assert.deepEqual(names, ["home-help.json", "sickness-benefit.json"]);
  const r = runExample();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /# pass 2/);
  assert.match(r.stdout, /# fail 0/);
});

test("a snapshot that no longer matches fails the example; a missing one is not written silently", () => {
  const dir = tempDir("borgerblik-pin-");
  for (const f of fs.readdirSync(SNAPSHOTS)) fs.copyFileSync(path.join(SNAPSHOTS, f), path.join(dir, f));
  const file = path.join(dir, "home-help.json");
  const snap = JSON.parse(fs.readFileSync(file, "utf8"));
  // What a rule change would do: the special-support case S-2 becomes visible.
  const s2 = snap.decisions.find((d) => d.id === "S-2");
  s2.visible = true;
  fs.writeFileSync(file, JSON.stringify(snap));
  let r = runExample({ SNAPSHOT_DIR: dir });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /# pass 1/);
  assert.match(r.stdout, /# fail 1/);

  fs.rmSync(path.join(dir, "sickness-benefit.json"));
  fs.copyFileSync(path.join(SNAPSHOTS, "home-help.json"), file);
  r = runExample({ SNAPSHOT_DIR: dir });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /no snapshot .*sickness-benefit\.json/);
  assert.equal(fs.existsSync(path.join(dir, "sickness-benefit.json")), false);

  r = runExample({ SNAPSHOT_DIR: dir, UPDATE_SNAPSHOTS: "1" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(
    fs.readFileSync(path.join(dir, "sickness-benefit.json"), "utf8"),
    fs.readFileSync(path.join(SNAPSHOTS, "sickness-benefit.json"), "utf8"),
  );
});
