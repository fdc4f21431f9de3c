// The copy-paste examples of README.md and docs/javascript.md run: examples/js/node.mjs with
// pkg/node, examples/js/browser.mjs with pkg/web (in Node, with `fetch` of file: URLs standing in
// for the browser's), and every code block in the docs that names an example file is that file.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { cli, root, tempDir } from "./helpers.mjs";

function run(args) {
  return execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
}

test("examples/js/node.mjs: use it from Node", () => {
  const out = run(["examples/js/node.mjs"]);
  assert.match(out, /^sag S-1: Personlig og praktisk hjælp \(Under behandling\), 1 dokument\(er\)$/m);
  assert.match(out, /^ydelse Y-1: Hjælp til forsørgelse, udbetalt 12345\.00 kr\.$/m);
  assert.match(out, /^S-2 skjules: AREA_NOT_OPEN$/m);
  assert.match(out, /^BorgerblikError \(request\): asOf: /m);
  assert.doesNotMatch(out, /Bjarne/, "the caseworker never reaches the view");
});

test("examples/js/browser.mjs: use it from JavaScript in a browser (pkg/web, init first)", () => {
  const out = run(["--import", "./tests/node/file-fetch.mjs", "examples/js/browser.mjs"]);
  assert.match(out, /^Personlig og praktisk hjælp: Under behandling$/m);
  assert.match(out, /^27\.\d\d\.\d\d .*hjemmehjælp/im);
});

test("examples/js/ndjson.mjs: a municipality in pieces gives the CLI's output; a bad line is named", () => {
  const dir = tempDir("borgerblik-example-");
  const generated = cli(["generate", "--citizens", "3000", "--seed", "5"]);
  assert.equal(generated.status, 0, generated.stderr);
  // One line longer than the example's 1 MiB buffer (a record field the engine skips) at line 1001.
  const lines = generated.stdout.split("\n");
  const long = JSON.parse(lines[1000]);
  long.records[0].description = "x".repeat(3 * 1024 * 1024);
  lines.splice(1000, 0, JSON.stringify(long));
  const file = path.join(dir, "requests.ndjson");
  fs.writeFileSync(file, lines.join("\n"));
  assert.ok(fs.statSync(file).size > 2 * 1024 * 1024, "more than one 1 MiB piece");
  const expected = cli(["evaluate", "--municipality", "samples/municipality.json", "--ndjson", "--request", file]);
  assert.equal(expected.status, 0, expected.stderr);
  assert.ok(run(["examples/js/ndjson.mjs", file]) === expected.stdout, "same bytes as the CLI");

  const bad = path.join(dir, "bad.ndjson");
  fs.writeFileSync(bad, [...lines.slice(0, 2500), "{not json", ...lines.slice(2500)].join("\n"));
  const r = spawnSync(process.execPath, ["examples/js/ndjson.mjs", bad], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^${bad}:2501: not valid JSON`));
});

test("code blocks in README.md and docs/javascript.md that name an example file are that file", () => {
  let checked = 0;
  for (const doc of ["README.md", "docs/javascript.md"]) {
    const file = path.join(root, doc);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/```(?:js|javascript|mjs)\n(\/\/ (examples\/js\/[\w.-]+\.mjs)[^\n]*\n[\s\S]*?)```/g)) {
      const [, block, name] = m;
      assert.equal(block, fs.readFileSync(path.join(root, name), "utf8"), `${doc}: the block for ${name} is stale`);
      checked++;
    }
  }
  assert.ok(checked >= 2, `only ${checked} example blocks found in the docs`);
});
