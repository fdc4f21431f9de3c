// "Gem som testscenarie": the page downloads the citizen, viewer, date and settings on screen as one
// scenario file, and the native `borgerblik test` passes on it; the same file with other settings
// fails, so the pinned expectation is not vacuous.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readyPage, afterEvaluation, expectedOverview, sampleCitizen, centralWithCustody, jsonFile, ROOT,
} from './helpers.mjs';

let page;
readyPage((p) => { page = p; });

const dir = mkdtempSync(join(tmpdir(), 'borgerblik-scenario-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** The native CLI, rebuilt when the sources changed (cargo is a no-op when it is fresh). */
let cli;
function borgerblik(args) {
  if (!cli) {
    execFileSync('cargo', ['build', '--quiet', '--bin', 'borgerblik'], { cwd: ROOT, stdio: 'inherit' });
    cli = join(ROOT, 'target', 'debug', 'borgerblik');
  }
  const r = spawnSync(cli, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

/** Clicks the button and returns the downloaded file's path and parsed content. */
async function saveScenario(name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-scenario')]);
  assert.match(download.suggestedFilename(), /^testscenarie-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.json$/);
  const file = join(dir, name);
  await download.saveAs(file);
  return { file, scenario: JSON.parse(readFileSync(file, 'utf8')) };
}

function expectFrom(overview) {
  return {
    visible: overview.decisions.filter((d) => d.visible).map((d) => d.id),
    reasons: Object.fromEntries(overview.decisions.map((d) => [d.id, d.reasons.map((r) => r.code)])),
  };
}

test('the sample citizen saved as a scenario passes borgerblik test', async () => {
  const request = sampleCitizen('adult-sygedagpenge.json');
  const { file, scenario } = await saveScenario('adult.json');
  assert.match(await page.textContent('#scenario-message'), /Scenariet er gemt/);
  // What the page pinned is what the engine says (pkg/node), record by record.
  const want = expectFrom(expectedOverview(request));
  assert.deepEqual(scenario.expect.visible, want.visible);
  assert.deepEqual(scenario.expect.reasons, want.reasons);
  assert.ok(want.visible.length > 0 && want.visible.length < request.records.length);
  assert.deepEqual(scenario.request.records, request.records);
  assert.ok(scenario.municipality && !scenario.policy, 'built-in central rules: the municipality alone');

  const r = borgerblik(['test', file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '1 scenario has no snapshot; --update writes it\n1 passed, 0 failed\n');

  // Not vacuous: the same citizen under settings without any opened area fails, naming the change.
  scenario.municipality.areas = [];
  const changed = join(dir, 'adult-closed.json');
  writeFileSync(changed, JSON.stringify(scenario));
  const f = borgerblik(['test', changed]);
  assert.equal(f.status, 1, f.stdout + f.stderr);
  assert.match(f.stdout, /visible: expected/);
  assert.match(f.stdout, /0 passed, 1 failed\n$/);
});

test('a parent viewing a child under the custody override saves the central override too', async () => {
  await afterEvaluation(page, () => page.selectOption('#sample-select', 'parent-child.json'));
  await afterEvaluation(page, () => page.check('#custody-override'));
  const request = sampleCitizen('parent-child.json');
  const { file, scenario } = await saveScenario('parent.json');
  assert.equal(scenario.policy.central.custody.enabled, true);
  assert.equal(scenario.request.subject.cpr, request.subject.cpr);
  const want = expectFrom(expectedOverview(request, undefined, centralWithCustody()));
  assert.deepEqual(scenario.expect.visible, want.visible);
  assert.ok(want.visible.length > 0);
  const r = borgerblik(['test', file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '1 scenario has no snapshot; --update writes it\n1 passed, 0 failed\n');
});

test('records with a repeated id or none are pinned by position, and the file still passes', async () => {
  const request = sampleCitizen('adult-sygedagpenge.json');
  const [first] = request.records;
  // The same id twice, the second one outside every area; and a record without an id (invalid).
  request.records = [first, { ...first, kle: '99.99.99' }, { ...first, id: undefined }, ...request.records.slice(1)];
  await afterEvaluation(page, () => page.setInputFiles('#citizen-file', jsonFile('gentaget-id.json', request)));
  const { file, scenario } = await saveScenario('repeated.json');
  const keys = Object.keys(scenario.expect.reasons);
  assert.deepEqual(keys.slice(0, 3), ['#0', '#1', '#2']);
  assert.notDeepEqual(scenario.expect.reasons['#0'], scenario.expect.reasons['#1']);
  assert.deepEqual(scenario.expect.reasons['#2'], ['INVALID_RECORD']);
  const r = borgerblik(['test', file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 passed, 0 failed\n$/);
});
