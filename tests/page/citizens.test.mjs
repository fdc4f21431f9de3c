// Each sample citizen, the viewer (citizen or parent) and the evaluation date: the page shows what the
// engine decides, in Danish.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readyPage, afterEvaluation, shownSummary, screenshot, expectedOverview, sampleCitizen,
  SAMPLE_CITIZENS, centralWithCustody, kroner,
} from './helpers.mjs';

let page;
readyPage((p) => { page = p; });

async function pickSample(file) {
  const current = await page.inputValue('#sample-select');
  if (current === file) return;
  await afterEvaluation(page, () => page.selectOption('#sample-select', file));
}

test('there is a choice for every sample citizen', async () => {
  // JSON samples; the index-data (XML) sample is tested in tests/page/import.test.mjs.
  const values = await page.$$eval('#sample-select option', (os) => os.map((o) => o.value).filter((v) => v && !v.startsWith('xml:')));
  assert.deepEqual(values.sort(), SAMPLE_CITIZENS);
});

for (const file of SAMPLE_CITIZENS) {
  test(`sample ${file}: the counts, the view and the decisions match the engine`, async () => {
    await pickSample(file);
    const expected = expectedOverview(sampleCitizen(file));
    const shown = await shownSummary(page);
    assert.equal(shown.records, expected.summary.records, 'records');
    assert.equal(shown.visible, expected.summary.visible, 'visible');
    assert.equal(shown.hidden, expected.summary.hidden, 'hidden');

    // The citizen's view: one card per case and benefit, in the engine's order.
    const caseIds = await page.$$eval('#panel-cases .mo-card', (cs) => cs.map((c) => c.dataset.id));
    assert.deepEqual(caseIds, expected.view.cases.map((c) => c.id));
    const benefitIds = await page.$$eval('#panel-benefits .mo-card', (cs) => cs.map((c) => c.dataset.id));
    assert.deepEqual(benefitIds, expected.view.benefits.map((b) => b.id));
    assert.match(await page.textContent('#tab-cases'), new RegExp(`Sager \\(${expected.view.cases.length}\\)`));

    // Every record in the decisions list with its badge and reason codes.
    const rows = await page.$$eval('#decisions > li', (ls) => ls.map((l) => ({
      id: l.dataset.id,
      badge: l.querySelector('.badge').textContent,
      codes: [...l.querySelectorAll('.reason')].map((r) => r.dataset.code),
    })));
    assert.deepEqual(rows, expected.decisions.map((d) => ({
      id: d.id,
      badge: d.visible ? 'Vises' : 'Skjult',
      codes: d.reasons.map((r) => r.code),
    })));
    // The engine's Danish messages are shown as they are.
    const firstMessage = await page.textContent('#decisions > li .reason__message');
    assert.equal(firstMessage, expected.decisions[0].reasons[0].message);
    if (file === 'adult-sygedagpenge.json') await screenshot(page, '02-citizen-adult', { fullPage: true });
    if (file === 'minor-14.json') await screenshot(page, '03-citizen-minor-14', { fullPage: false });
  });
}

test('statuses, Danish dates and amounts in kroner from øre', async () => {
  await pickSample('adult-sygedagpenge.json');
  const expected = expectedOverview(sampleCitizen('adult-sygedagpenge.json'));
  const statuses = await page.$$eval('#panel-cases .status', (s) => s.map((x) => x.textContent));
  assert.deepEqual(statuses, expected.view.cases.map((c) => c.status));
  for (const s of statuses) assert.ok(['Under behandling', 'Afsluttet'].includes(s));
  await page.click('#tab-benefits');
  const benefit = expected.view.benefits.find((b) => b.payments.length);
  const card = page.locator(`#panel-benefits .mo-card[data-id="${benefit.id}"]`);
  const amounts = await card.locator('.mo-payments tbody td.num').allTextContents();
  assert.equal(amounts[0], kroner(benefit.payments[0].grossAmountOre));
  assert.match(amounts[0], /^\d{1,3}(\.\d{3})*,\d{2} kr\.$/);
  // "2026-11-30" → "30. november 2026"
  const [y, m, d] = benefit.payments[0].date.split('-');
  const months = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
  const firstDate = await card.locator('.mo-payments tbody td').first().textContent();
  assert.equal(firstDate, `${Number(d)}. ${months[Number(m) - 1]} ${y}`);
  await screenshot(page, '04-benefits-tab', { fullPage: false });
  await page.click('#tab-cases');
});

test('the reason and visibility filters list exactly the matching records', async () => {
  await pickSample('adult-sygedagpenge.json');
  const expected = expectedOverview(sampleCitizen('adult-sygedagpenge.json'));
  for (const [code, n] of Object.entries(expected.summary.byReason)) {
    await page.selectOption('#filter-reason', code);
    const ids = await page.$$eval('#decisions > li', (ls) => ls.map((l) => l.dataset.id));
    assert.equal(ids.length, n, `rows with ${code}`);
    assert.deepEqual(ids, expected.decisions.filter((d) => d.reasons.some((r) => r.code === code)).map((d) => d.id));
  }
  await page.selectOption('#filter-reason', '');
  await page.selectOption('#filter-visibility', 'hidden');
  assert.equal(await page.locator('#decisions > li').count(), expected.summary.hidden);
  assert.equal(await page.locator('#decisions > li .badge--visible').count(), 0);
  await page.selectOption('#filter-visibility', 'visible');
  assert.equal(await page.locator('#decisions > li').count(), expected.summary.visible);
  await page.selectOption('#filter-visibility', 'all');
});

test('each decision names its area, the KLE title and the setting that decided it', async () => {
  await pickSample('adult-sygedagpenge.json');
  const expected = expectedOverview(sampleCitizen('adult-sygedagpenge.json'));
  const before = expected.decisions.find((d) => d.reasons.some((r) => r.code === 'BEFORE_FROM_DATE'));
  const row = page.locator(`#decisions > li[data-id="${before.id}"]`);
  const reason = before.reasons.find((r) => r.code === 'BEFORE_FROM_DATE');
  const [y, m, d] = reason.detail.split('-');
  assert.match(await row.locator('.reason[data-code="BEFORE_FROM_DATE"] .reason__setting').textContent(), new RegExp(`Fradato ${d}\\.${m}\\.${y}`));
  assert.match(await row.locator('.decision__area').textContent(), new RegExp(before.area.replace(/\./g, '\\.')));
  const mandatory = expected.decisions.find((x) => x.reasons.some((r) => r.code === 'MANDATORY_AREA'));
  const etape = mandatory.reasons.find((r) => r.code === 'MANDATORY_AREA').detail;
  assert.match(await page.locator(`#decisions > li[data-id="${mandatory.id}"] .reason[data-code="MANDATORY_AREA"] .reason__setting`).first().textContent(), new RegExp(etape));
  // The jump to the setting opens that area in the editor and focuses it.
  await row.locator('.reason[data-code="BEFORE_FROM_DATE"] .link-button').click();
  const focused = await page.evaluate(() => document.activeElement?.closest('li.area')?.dataset.kle);
  assert.ok(focused, 'an area of the editor has the focus');
});

test('a parent viewing a child: hidden under the built-in rules, visible with the custody override', async () => {
  await pickSample('parent-child.json');
  const request = sampleCitizen('parent-child.json');
  assert.equal(await page.isChecked('#viewer-parent'), true);
  assert.equal(await page.isVisible('#parent-fields'), true);
  assert.match(await page.textContent('#custody-note-text'), /slået fra/);
  const builtIn = expectedOverview(request);
  let shown = await shownSummary(page);
  assert.equal(shown.visible, builtIn.summary.visible);
  assert.equal(shown.hidden, builtIn.summary.hidden);

  await afterEvaluation(page, () => page.check('#custody-override'));
  const enabled = expectedOverview(request, undefined, centralWithCustody());
  shown = await shownSummary(page);
  assert.equal(shown.visible, enabled.summary.visible);
  assert.equal(shown.hidden, enabled.summary.hidden);
  assert.ok(enabled.summary.visible > builtIn.summary.visible, 'the override shows more');
  assert.match(await page.textContent('#custody-note-text'), /kun til forhåndsvisning/);
  await screenshot(page, '05-parent-custody-override', { fullPage: false });

  // A custody relation that ended before asOf: CUSTODY_NOT_HELD for every record.
  await afterEvaluation(page, () => page.fill('#custody-to', '2020-01-01'));
  const ended = structuredClone(request);
  ended.custody.relations[0].validTo = '2020-01-01';
  const endedExpected = expectedOverview(ended, undefined, centralWithCustody());
  shown = await shownSummary(page);
  assert.equal(shown.visible, endedExpected.summary.visible);
  assert.equal(shown.data.hidden, String(endedExpected.summary.hidden));

  await afterEvaluation(page, () => page.fill('#custody-to', ''));
  await afterEvaluation(page, () => page.uncheck('#custody-override'));
  // The child's own view.
  await afterEvaluation(page, () => page.check('#viewer-self'));
  const own = expectedOverview({ asOf: request.asOf, viewer: request.subject, records: request.records });
  shown = await shownSummary(page);
  assert.equal(shown.visible, own.summary.visible);
  assert.equal(shown.hidden, own.summary.hidden);
});

test('the date field and the etape slider re-evaluate on the chosen date', async () => {
  await pickSample('adult-sygedagpenge.json');
  const request = sampleCitizen('adult-sygedagpenge.json');
  const stops = await page.$$eval('#asof-stop-labels li', (ls) => ls.map((l) => l.querySelector('.stop-date').textContent));
  assert.ok(stops.length >= 3, 'a stop per etape and the file date');
  // Slider to the first stop (the day before etape 1) with the keyboard.
  await page.focus('#asof-slider');
  await afterEvaluation(page, () => page.keyboard.press('Home'));
  const asOf = await page.inputValue('#asof');
  const expected = expectedOverview({ ...request, asOf });
  let shown = await shownSummary(page);
  assert.equal(shown.visible, expected.summary.visible, `visible on ${asOf}`);
  assert.equal(shown.hidden, expected.summary.hidden);
  await screenshot(page, '06-before-etape-1', { fullPage: false });

  // Next stop: etape 1 becomes mandatory.
  await afterEvaluation(page, () => page.keyboard.press('ArrowRight'));
  const asOf2 = await page.inputValue('#asof');
  assert.ok(asOf2 > asOf);
  const expected2 = expectedOverview({ ...request, asOf: asOf2 });
  shown = await shownSummary(page);
  assert.equal(shown.visible, expected2.summary.visible, `visible on ${asOf2}`);

  // A typed date.
  await afterEvaluation(page, () => page.fill('#asof', '2022-06-15'));
  const expected3 = expectedOverview({ ...request, asOf: '2022-06-15' });
  shown = await shownSummary(page);
  assert.equal(shown.visible, expected3.summary.visible);
  assert.match(await page.textContent('#summary'), /15\. juni 2022/);
  await afterEvaluation(page, () => page.fill('#asof', request.asOf));
});

test('a malformed CPR number gets a Danish message at the field and keeps the last view', async () => {
  await pickSample('adult-sygedagpenge.json');
  const before = await shownSummary(page);
  await page.fill('#citizen-cpr', '12345');
  await page.waitForSelector('#citizen-cpr-error:not([hidden])');
  assert.match(await page.textContent('#citizen-cpr-error'), /Ugyldigt CPR-nummer/);
  assert.equal(await page.getAttribute('#citizen-cpr', 'aria-invalid'), 'true');
  assert.deepEqual(await shownSummary(page), before);
  assert.match(await page.textContent('#settings-state'), /ikke opdateret/);
  await afterEvaluation(page, () => page.fill('#citizen-cpr', sampleCitizen('adult-sygedagpenge.json').viewer.cpr));
  assert.equal(await page.isVisible('#citizen-cpr-error'), false);
});
