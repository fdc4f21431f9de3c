// The municipality settings editor: opening an area found with the KLE search, changing settings,
// and validation problems shown in Danish next to the field, with the last valid settings in effect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readyPage, afterEvaluation, shownSummary, screenshot, expectedOverview, sampleCitizen,
  SAMPLE_MUNICIPALITY, engine,
} from './helpers.mjs';

let page;
const request = sampleCitizen('adult-sygedagpenge.json');
readyPage((p) => { page = p; });

const area = (kle) => page.locator(`#areas > li[data-kle="${kle}"]`);
const fieldOf = (kle, name) => area(kle).locator(`[data-field="${name}"]`);
const errorOf = async (kle, name) => {
  const id = await fieldOf(kle, name).getAttribute('id');
  return page.locator(`#${id}-error`);
};

test('an area found with the KLE search (keyboard only) is opened and the view changes', async () => {
  // The record hidden as AREA_NOT_OPEN in the sample.
  const baseline = expectedOverview(request);
  const closed = baseline.decisions.find((d) => d.reasons.some((r) => r.code === 'AREA_NOT_OPEN'));
  const kle = request.records.find((r) => r.id === closed.id).kle;
  const title = engine.kleTitle(kle);

  await page.focus('#kle-input');
  await page.keyboard.type(title.slice(0, 14));
  await page.waitForSelector('#kle-listbox:not([hidden])');
  assert.equal(await page.getAttribute('#kle-input', 'aria-expanded'), 'true');
  const options = await page.$$eval('#kle-listbox [role="option"]', (os) => os.map((o) => o.dataset.number));
  const at = options.indexOf(kle);
  assert.ok(at >= 0, `${kle} is suggested for "${title.slice(0, 14)}": ${options}`);
  for (let i = 0; i <= at; i += 1) await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#kle-input', 'aria-activedescendant'), `kle-option-${at}`);
  await page.keyboard.press('Enter'); // picks the suggestion
  assert.equal(await page.inputValue('#kle-input'), kle);
  assert.match(await page.textContent('#kle-input-hint'), new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await screenshot(page, '11-kle-search', { fullPage: false });
  await afterEvaluation(page, () => page.keyboard.press('Enter')); // adds the area

  const changed = structuredClone(SAMPLE_MUNICIPALITY);
  changed.areas.push({ kle, open: true });
  const expected = expectedOverview(request, changed);
  const shown = await shownSummary(page);
  assert.equal(shown.visible, expected.summary.visible);
  assert.equal(shown.visible, baseline.summary.visible + 1, 'one more record is shown');
  assert.equal(await page.$eval(`#decisions > li[data-id="${closed.id}"] .badge`, (b) => b.textContent), 'Vises');
  assert.equal(await area(kle).count(), 1);

  // Closing it again with the open/closed select hides it again.
  await afterEvaluation(page, () => fieldOf(kle, 'open').selectOption('false'));
  assert.equal((await shownSummary(page)).visible, baseline.summary.visible);
  // And removing it.
  await afterEvaluation(page, () => area(kle).getByRole('button', { name: 'Fjern område' }).click());
  assert.equal(await area(kle).count(), 0);
});

test('showDocuments off removes the document titles from the citizen view', async () => {
  const before = await page.$$eval('#panel-cases .mo-docs li', (l) => l.length);
  assert.ok(before > 0);
  await area('32.30').locator('summary').click();
  const checkbox = area('32.30').getByLabel('Vis dokumenttitler');
  await afterEvaluation(page, () => checkbox.uncheck());
  const changed = structuredClone(SAMPLE_MUNICIPALITY);
  delete changed.areas.find((a) => a.kle === '32.30').showDocuments;
  const expected = expectedOverview(request, changed);
  const docs = expected.view.cases.reduce((n, c) => n + c.documents.length, 0);
  assert.equal(await page.$$eval('#panel-cases .mo-docs li', (l) => l.length), docs);
  assert.ok(docs < before);
  const ids = await page.$$eval('#decisions .reason[data-code="DOCUMENTS_NOT_SHOWN"]', (rs) => rs.map((r) => r.closest('li.decision').dataset.id));
  assert.deepEqual(ids, expected.decisions.filter((d) => d.reasons.some((r) => r.code === 'DOCUMENTS_NOT_SHOWN')).map((d) => d.id));
  await afterEvaluation(page, () => checkbox.check());
});

test('a fradato after 31 Dec of the etape year: Danish message at the fradato field, last valid settings kept', async () => {
  const before = await shownSummary(page);
  const evals = await page.evaluate(() => document.body.dataset.evaluations);
  await area('32.30').locator('details').evaluate((d) => { d.open = true; });
  await fieldOf('32.30', 'fromDate').fill('2021-03-01');
  const error = await errorOf('32.30', 'fromDate');
  await error.waitFor({ state: 'visible' });
  const text = await error.textContent();
  assert.match(text, /Fradatoen 01\.03\.2021 ligger efter 31\.12\.2020/);
  assert.match(text, /etape-1/);
  assert.equal(await fieldOf('32.30', 'fromDate').getAttribute('aria-invalid'), 'true');
  assert.equal(await area('32.30').locator('.area__flag').isVisible(), true);
  assert.match(await page.textContent('#settings-state'), /senest gyldige indstillinger/);
  assert.equal(await page.evaluate(() => document.body.dataset.settingsValid), 'false');
  // The view is the one of the last valid settings.
  assert.deepEqual(await shownSummary(page), before);
  assert.equal(await page.evaluate(() => document.body.dataset.evaluations), evals);
  await area('32.30').scrollIntoViewIfNeeded();
  await screenshot(page, '12-validation-error', { fullPage: false });

  // Fixed: the message goes away and the change takes effect.
  await afterEvaluation(page, () => fieldOf('32.30', 'fromDate').fill('2020-12-15'));
  assert.equal(await error.isVisible(), false);
  assert.equal(await page.isVisible('#settings-state'), false);
  const changed = structuredClone(SAMPLE_MUNICIPALITY);
  changed.areas.find((a) => a.kle === '32.30').fromDate = '2020-12-15';
  assert.equal((await shownSummary(page)).visible, expectedOverview(request, changed).summary.visible);
  await afterEvaluation(page, () => fieldOf('32.30', 'fromDate').fill('2020-12-01'));
});

test('a malformed KLE number, a facet code and a minimum age below the central one are explained in Danish', async () => {
  await area('17.20').locator('details').evaluate((d) => { d.open = true; });
  await fieldOf('17.20', 'kle').fill('17.2');
  // The card's data-kle follows the field.
  const kleError = await errorOf('17.2', 'kle');
  await kleError.waitFor({ state: 'visible' });
  assert.match(await kleError.textContent(), /Ugyldigt KLE-nummer "17\.2"/);
  await afterEvaluation(page, () => fieldOf('17.2', 'kle').fill('17.20'));

  await area('32.24').locator('details').evaluate((d) => { d.open = true; });
  await fieldOf('32.24', 'facets').fill('K, a53');
  const facetError = await errorOf('32.24', 'facets');
  await facetError.waitFor({ state: 'visible' });
  assert.match(await facetError.textContent(), /Ugyldig facetkode "a53"/);
  await afterEvaluation(page, () => fieldOf('32.24', 'facets').fill('K, A53'));

  await fieldOf('32.24', 'minimumAge').fill('12');
  const ageError = await errorOf('32.24', 'minimumAge');
  await ageError.waitFor({ state: 'visible' });
  assert.match(await ageError.textContent(), /Minimumsalderen 12 er lavere end den centrale minimumsalder 15/);
  await afterEvaluation(page, () => fieldOf('32.24', 'minimumAge').fill(''));
  assert.equal(await page.evaluate(() => document.body.dataset.settingsValid), 'true');
});

test('closing a mandatory area is refused with a Danish message at the open/closed field', async () => {
  await area('27.60').locator('details').evaluate((d) => { d.open = true; });
  await fieldOf('27.60', 'open').selectOption('false');
  const error = await errorOf('27.60', 'open');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /kan ikke lukkes.*obligatoriske områder/);
  await afterEvaluation(page, () => fieldOf('27.60', 'open').selectOption(''));
});

test('an unknown KLE number is a warning, not an error', async () => {
  await page.fill('#kle-input', '99.98');
  await afterEvaluation(page, () => page.click('#add-area'));
  const warning = await errorOf('99.98', 'kle');
  await warning.waitFor({ state: 'visible' });
  assert.match(await warning.textContent(), /Advarsel: KLE 99\.98 findes ikke i KLE-kataloget/);
  assert.equal(await page.evaluate(() => document.body.dataset.settingsValid), 'true');
  await afterEvaluation(page, () => area('99.98').getByRole('button', { name: 'Fjern område' }).click());

  // A malformed number is caught in the add box itself.
  await page.fill('#kle-input', '3x');
  await page.click('#add-area');
  assert.match(await page.textContent('#kle-input-error'), /ikke et KLE-nummer/);
  assert.equal(await area('3x').count(), 0);
  await page.fill('#kle-input', '');
});
