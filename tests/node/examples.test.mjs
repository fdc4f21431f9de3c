// The copy-paste examples of README.md and docs/javascript.md run: examples/js/node.mjs with
// pkg/node, examples/js/browser.mjs with pkg/web (in Node, with `fetch` of file: URLs standing in
// for the browser's), and every code block in the docs that names an example file is that file.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { root } from "./helpers.mjs";

function run(args) {
  return execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });
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
