// What-if: settings A saved, changed to B; the page lists the records whose decision changes and the
// counts by reason, exactly as Engine.diff says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readyPage, afterEvaluation, screenshot, sampleCitizen, SAMPLE_MUNICIPALITY, engine,
} from './helpers.mjs';

let page;
readyPage((p) => { page = p; });

function expectedDiff(a, b, request) {
  const ea = engine.Engine.withMunicipality(a);
  const eb = engine.Engine.withMunicipality(b);
  try {
    return ea.diff(eb, request);
  } finally {
    ea.free();
    eb.free();
  }
}

test('compare A with B: changed records and counts by reason as Engine.diff says', async () => {
  const request = sampleCitizen('adult-sygedagpenge.json');
  await afterEvaluation(page, () => page.click('#whatif-snapshot'));
  assert.match(await page.textContent('#whatif-summary'), /Ingen poster ændrer sig/);
  assert.equal(await page.isVisible('#whatif-restore'), true);

  // B: open 32.21 (the physiotherapy case) and drop the 32.24 facet filter (the complaint).
  await page.fill('#kle-input', '32.21');
  await afterEvaluation(page, () => page.click('#add-area'));
  const area = page.locator('#areas > li[data-kle="32.24"]');
  await area.locator('details').evaluate((d) => { d.open = true; });
  await afterEvaluation(page, () => area.locator('[data-field="facetMode"]').selectOption(''));

  const b = structuredClone(SAMPLE_MUNICIPALITY);
  b.areas.push({ kle: '32.21', open: true });
  delete b.areas.find((x) => x.kle === '32.24').facets;
  const diff = expectedDiff(SAMPLE_MUNICIPALITY, b, request);
  assert.ok(diff.summary.changed >= 2);

  const ids = await page.$$eval('#whatif-result .change', (cs) => cs.map((c) => c.dataset.id));
  assert.deepEqual(ids, diff.changes.map((c) => c.id));
  const summary = await page.textContent('#whatif-summary');
  assert.match(summary, new RegExp(`${diff.summary.changed} poster ændrer sig`));
  assert.match(summary, new RegExp(`${diff.summary.becameVisible} bliver vist`));
  assert.match(summary, new RegExp(`${diff.summary.becameHidden} bliver skjult`));
  const counts = await page.$$eval('#whatif-result .whatif-counts tbody tr', (rs) => rs.map((r) => ({
    code: r.dataset.code,
    before: Number(r.querySelectorAll('td')[0].textContent),
    after: Number(r.querySelectorAll('td')[1].textContent),
  })));
  assert.deepEqual(counts, Object.entries(diff.summary.byReason).map(([code, c]) => ({ code, before: c.before, after: c.after })));
  // Each change shows A's and B's badge.
  const flips = await page.$$eval('#whatif-result .change', (cs) => cs.map((c) => [...c.querySelectorAll('.badge')].map((x) => x.textContent)));
  assert.deepEqual(flips, diff.changes.map((c) => [c.before.visible ? 'Vises' : 'Skjult', c.after.visible ? 'Vises' : 'Skjult']));
  await page.locator('#whatif').scrollIntoViewIfNeeded();
  await screenshot(page, '13-what-if', { fullPage: false });

  // Restore A: no changes left, the settings are the sample's again.
  await afterEvaluation(page, () => page.click('#whatif-restore'));
  assert.match(await page.textContent('#whatif-summary'), /Ingen poster ændrer sig/);
  assert.equal(await page.locator('#areas > li').count(), SAMPLE_MUNICIPALITY.areas.length);
  await page.click('#whatif-clear');
  assert.equal(await page.isVisible('#whatif-summary'), false);
});
