// Index data on the page (IMPORT.md §1, www/lib/xml-import.js): SF1470 and Ydelsesindeks XML files
// dropped together are imported in the browser; the view, the decisions and the import problems next
// to the file names match the engine (pkg/node's importIndex + evaluate); a new date imports again;
// the XML sample citizen; a refused file keeps the previous citizen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  readyPage, afterEvaluation, shownSummary, screenshot, expectedOverview, engine, ROOT,
} from './helpers.mjs';

let page;
readyPage((p) => { page = p; });

const fixture = (name) => readFileSync(join(ROOT, 'tests', 'import', name), 'utf8');

/** What the page should show for these files at `asOf`: the engine's import, the citizen as viewer. */
function expected(files, asOf) {
  const { request, problems } = engine.importIndex(files.map(([name, text]) => ({ name, data: text })), { asOf, viewer: '0101010000' });
  const counts = new Map();
  for (const r of request.records) {
    const cpr = r.kind === 'benefit' ? r.recipient : r.primaryParty;
    if (cpr) counts.set(cpr, (counts.get(cpr) ?? 0) + 1);
  }
  const viewer = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  request.viewer = { cpr: viewer };
  return { overview: expectedOverview(request), problems };
}

/** Drops several files at once, as a browser does. */
async function dropFiles(files) {
  await page.evaluate((files) => {
    const target = document.querySelector('#dropzone');
    const dt = new DataTransfer();
    for (const [name, text] of files) dt.items.add(new File([text], name, { type: 'text/xml' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, files);
}

async function assertShown(want) {
  const shown = await shownSummary(page);
  assert.equal(shown.records, want.overview.summary.records, 'records');
  assert.equal(shown.visible, want.overview.summary.visible, 'visible');
  assert.equal(shown.hidden, want.overview.summary.hidden, 'hidden');
  const ids = await page.$$eval('#decisions > li', (ls) => ls.map((l) => l.dataset.id));
  assert.deepEqual(ids, want.overview.decisions.map((d) => d.id));
  const cases = await page.$$eval('#panel-cases .mo-card', (cs) => cs.map((c) => c.dataset.id));
  assert.deepEqual(cases, want.overview.view.cases.map((c) => c.id));
}

const FILES = [['fremsoeg-soap.xml', fixture('fremsoeg-soap.xml')], ['ydelse-split.xml', fixture('ydelse-split.xml')]];

test('two XML files dropped together show the citizen and the import problems per file', async () => {
  const asOf = await page.inputValue('#asof');
  await afterEvaluation(page, () => dropFiles(FILES), 60000);
  const want = expected(FILES, asOf);
  await assertShown(want);
  assert.match(await page.textContent('#citizen-loaded'), /fremsoeg-soap\.xml \+ ydelse-split\.xml/);
  for (const [name] of FILES) {
    const n = want.problems.filter((p) => p.file === name).length;
    assert.ok(n > 0, `the fixture ${name} has problems`);
    const shown = await page.$eval(`#xml-problems li.xml-file[data-file="${name}"]`, (li) => Number(li.dataset.problems));
    assert.equal(shown, n, name);
  }
  const text = await page.textContent('#xml-problems');
  assert.match(text, /parten er ikke et CPR-nummer/);
  assert.match(text, /flere forskellige parter gælder samtidig/);
  assert.ok(!/0202920000|0303930000/.test(text), 'no CPR number in the problems');
  await screenshot(page, '20-xml-import', { fullPage: false });
});

test('a new evaluation date imports the XML again', async () => {
  for (const asOf of ['2021-03-10', '2021-06-15']) {
    await afterEvaluation(page, () => page.fill('#asof', asOf));
    await page.waitForFunction((d) => document.getElementById('asof').value === d, asOf);
    await assertShown(expected(FILES, asOf));
  }
  // On 10 March the first case is closed; on 15 June it was closed again after being re-opened.
  await afterEvaluation(page, () => page.fill('#asof', '2021-04-15'));
  const want = expected(FILES, '2021-04-15');
  await assertShown(want);
  const card = want.overview.view.cases[0];
  assert.equal(card.status, 'Under behandling');
});

test('the XML sample citizen sits beside the JSON samples', async () => {
  const asOf = '2021-06-15';
  await afterEvaluation(page, () => page.fill('#asof', asOf));
  await afterEvaluation(page, () => page.selectOption('#sample-select', 'xml:indeksdata'), 60000);
  const files = ['fremsoeg-sag.xml', 'ydelse-bevilling.xml', 'ydelse-udbetalinger.xml']
    .map((f) => [f, readFileSync(join(ROOT, 'samples', 'xml', f), 'utf8')]);
  await assertShown(expected(files, asOf));
  assert.equal(await page.$$eval('#xml-problems li.xml-file', (ls) => ls.length), 3);
  assert.match(await page.textContent('#xml-problems'), /mere end to decimaler/);
});

test('a refused XML file keeps the previous citizen and says why in Danish', async () => {
  const before = await shownSummary(page);
  const loaded = await page.textContent('#citizen-loaded');
  const opdater = readFileSync(join(ROOT, 'tests', 'import', 'refused', 'opdater.xml'), 'utf8');
  await dropFiles([['delta.xml', opdater], ['ydelse-split.xml', fixture('ydelse-split.xml')]]);
  await page.waitForSelector('#citizen-message:not([hidden])');
  const text = await page.textContent('#citizen-message');
  assert.match(text, /delta\.xml \(linje 4, kolonne 5\): Filen er en delvis opdatering/);
  assert.deepEqual(await shownSummary(page), before);
  assert.equal(await page.textContent('#citizen-loaded'), loaded);
  // A JSON sample afterwards clears the XML problems.
  await afterEvaluation(page, () => page.selectOption('#sample-select', 'adult-sygedagpenge.json'));
  assert.equal(await page.isVisible('#xml-problems'), false);
});

test('the page stays clean: no console errors, failed or offsite requests', () => {
  assert.deepEqual(page.problems, { console: [], pageErrors: [], failed: [], http: [], offsite: [] });
});
