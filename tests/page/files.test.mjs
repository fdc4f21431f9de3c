// Loading files: the file picker, drag-and-drop, settings import/export, and every kind of bad file
// (not JSON, wrong shape, too big, refused by the engine): a Danish message, the previous state kept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  readyPage, afterEvaluation, shownSummary, screenshot, expectedOverview, sampleCitizen,
  jsonFile, dropFile, SAMPLE_MUNICIPALITY,
} from './helpers.mjs';

let page;
readyPage((p) => { page = p; });

/** A citizen file the samples do not contain: the building case with one record changed. */
function uploadedCitizen() {
  const r = sampleCitizen('building-case.json');
  r.records = r.records.map((x) => ({ ...x, id: `U-${x.id}` }));
  return r;
}

test('a citizen file chosen with the file picker is evaluated', async () => {
  const request = uploadedCitizen();
  await afterEvaluation(page, () => page.setInputFiles('#citizen-file', jsonFile('min-borger.json', request)));
  const expected = expectedOverview(request);
  const shown = await shownSummary(page);
  assert.equal(shown.records, expected.summary.records);
  assert.equal(shown.visible, expected.summary.visible);
  assert.equal(shown.hidden, expected.summary.hidden);
  assert.match(await page.textContent('#citizen-loaded'), /min-borger\.json/);
  const ids = await page.$$eval('#decisions > li', (ls) => ls.map((l) => l.dataset.id));
  assert.deepEqual(ids, expected.decisions.map((d) => d.id));
  await screenshot(page, '07-uploaded-file', { fullPage: false });
});

test('a citizen file dropped on the drop zone is evaluated', async () => {
  const request = sampleCitizen('minor-16.json');
  request.records = request.records.map((x) => ({ ...x, id: `D-${x.id}` }));
  await afterEvaluation(page, () => dropFile(page, '#dropzone', 'sluppet.json', JSON.stringify(request)));
  const expected = expectedOverview(request);
  const shown = await shownSummary(page);
  assert.equal(shown.visible, expected.summary.visible);
  assert.equal(shown.hidden, expected.summary.hidden);
  assert.match(await page.textContent('#citizen-loaded'), /sluppet\.json/);
  assert.equal(await page.$eval('#decisions > li', (l) => l.dataset.id), 'D-S-1');
});

/** Loads a bad file and checks the Danish message and that nothing else changed. */
async function refused(load, pattern, shotName) {
  const before = await shownSummary(page);
  const loaded = await page.textContent('#citizen-loaded');
  const firstRow = await page.$eval('#decisions > li', (l) => l.dataset.id);
  const evals = await page.evaluate(() => document.body.dataset.evaluations);
  await load();
  await page.waitForSelector('#citizen-message:not([hidden])');
  const text = await page.textContent('#citizen-message');
  assert.match(text, pattern);
  assert.deepEqual(await shownSummary(page), before, 'the counts are unchanged');
  assert.equal(await page.textContent('#citizen-loaded'), loaded, 'the loaded file is unchanged');
  assert.equal(await page.$eval('#decisions > li', (l) => l.dataset.id), firstRow);
  assert.equal(await page.evaluate(() => document.body.dataset.evaluations), evals, 'no re-evaluation');
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  if (shotName) await screenshot(page, shotName, { fullPage: false });
  return text;
}

test('a file that is not JSON is refused with a Danish message', async () => {
  await refused(() => page.setInputFiles('#citizen-file', jsonFile('noter.json', 'Dette er ikke JSON {')),
    /ikke gyldig JSON/, '08-bad-file-not-json');
});

test('a settings file loaded as a citizen is refused as the wrong kind of file', async () => {
  await refused(() => page.setInputFiles('#citizen-file', jsonFile('kommune.json', SAMPLE_MUNICIPALITY)),
    /ligner kommunens indstillinger/);
  await refused(() => page.setInputFiles('#citizen-file', jsonFile('politik.json', { municipality: SAMPLE_MUNICIPALITY })),
    /ligner kommunens indstillinger/);
  await refused(() => page.setInputFiles('#citizen-file', jsonFile('liste.json', [1, 2, 3])),
    /ikke et JSON-objekt/);
  await refused(() => dropFile(page, '#dropzone', 'uden-records.json', JSON.stringify({ asOf: '2026-01-01' })),
    /"records".*mangler/);
});

test('a request the engine refuses lists the problems in Danish with where they are', async () => {
  const bad = sampleCitizen('adult-sygedagpenge.json');
  bad.asOf = '2026-02-30';
  bad.viewer.cpr = '12';
  bad.colour = 'blå';
  const text = await refused(() => page.setInputFiles('#citizen-file', jsonFile('fejl.json', bad)), /kan ikke beregnes/);
  assert.match(text, /Beregningsdato: .*ikke en gyldig dato/);
  assert.match(text, /Seer › CPR-nummer: Ugyldigt CPR-nummer/);
  assert.match(text, /Ukendt felt "colour"/);
});

test('a 20 MB file is refused before it is read', async () => {
  const big = Buffer.alloc(20 * 1024 * 1024, 0x20);
  big.write('{"records":[', 0);
  const text = await refused(
    () => page.setInputFiles('#citizen-file', { name: 'stor.json', mimeType: 'application/json', buffer: big }),
    /fylder 20,0 MB.*højst læse filer på 10 MiB/,
    '10-bad-file-too-big',
  );
  assert.match(text, /stor\.json/);
});

test('settings are exported as JSON and imported again; bad settings files are refused', async () => {
  // Export: the draft as it is.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-settings')]);
  assert.match(download.suggestedFilename(), /^kommune-0390\.json$/);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(exported, SAMPLE_MUNICIPALITY);

  // Import a changed copy: area 32.21 opened.
  const changed = structuredClone(SAMPLE_MUNICIPALITY);
  changed.name = 'Importeret Kommune';
  changed.areas.push({ kle: '32.21', open: true });
  await page.selectOption('#sample-select', 'adult-sygedagpenge.json').catch(() => {});
  await page.waitForFunction(() => document.getElementById('citizen-loaded').textContent.includes('Mette'));
  await afterEvaluation(page, () => page.setInputFiles('#import-settings', jsonFile('ny-kommune.json', changed)));
  assert.equal(await page.inputValue('#m-name'), 'Importeret Kommune');
  assert.equal(await page.locator('#areas > li').count(), changed.areas.length);
  const expected = expectedOverview(sampleCitizen('adult-sygedagpenge.json'), changed);
  let shown = await shownSummary(page);
  assert.equal(shown.visible, expected.summary.visible);
  assert.match(await page.textContent('#settings-message'), /er indlæst/);

  // A policy file that fails validation: refused, the imported settings stay.
  const invalid = structuredClone(changed);
  invalid.name = 'Ugyldig';
  invalid.areas[0].fromDate = '2021-06-01';
  invalid.areas.push({ kle: '32.21', open: false });
  await page.setInputFiles('#import-settings', jsonFile('ugyldig.json', { municipality: invalid }));
  await page.waitForFunction(() => /ugyldige/.test(document.getElementById('settings-message').textContent));
  const msg = await page.textContent('#settings-message');
  assert.match(msg, /Fradatoen 01\.06\.2021 ligger efter 31\.12\.2020/);
  assert.match(msg, /står der allerede/);
  assert.equal(await page.inputValue('#m-name'), 'Importeret Kommune');
  shown = await shownSummary(page);
  assert.equal(shown.visible, expected.summary.visible);

  // A citizen file given as settings, and not JSON: refused.
  await page.setInputFiles('#import-settings', jsonFile('borger.json', sampleCitizen('minor-14.json')));
  await page.waitForFunction(() => /ligner en borgers sager/.test(document.getElementById('settings-message').textContent));
  await page.setInputFiles('#import-settings', jsonFile('x.json', '{"areas": ['));
  await page.waitForFunction(() => /ikke gyldig JSON/.test(document.getElementById('settings-message').textContent));
  assert.equal(await page.locator('#areas > li').count(), changed.areas.length);

  // Back to the sample.
  await afterEvaluation(page, () => page.click('#reset-settings'));
  assert.equal(await page.inputValue('#m-name'), SAMPLE_MUNICIPALITY.name);
});
