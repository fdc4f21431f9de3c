// 10,000 records through the page: every record evaluated and counted, long lists paged, a settings
// change re-evaluates once with the new answer shown, and typing is debounced into one evaluation.
// No clock here: each test waits for the page's state (its evaluation counter, the rows shown), and
// the debounce is checked on the page's own fake clock. Speed is measured, not asserted, by
// benches/page.mjs (scripts/bench.sh). Each test opens its own page, so each stands alone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openReady, afterEvaluation, evaluations, shownSummary, screenshot, expectedOverview, jsonFile,
  bigRequest, SAMPLE_MUNICIPALITY,
} from './helpers.mjs';

const N = 10000;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A ready page with the `N`-record citizen file uploaded and evaluated. */
async function pageWithBigFile(request, options) {
  const page = await openReady(browser, options);
  await afterEvaluation(page, () => page.setInputFiles('#citizen-file', jsonFile(`${N}.json`, request)));
  return page;
}

test(`${N} records: every record evaluated and counted, lists paged 200 at a time`, async () => {
  const request = bigRequest(N);
  const expected = expectedOverview(request);
  const page = await pageWithBigFile(request);
  try {
    const shown = await shownSummary(page);
    assert.deepEqual({ records: shown.records, visible: shown.visible, hidden: shown.hidden },
      { records: N, visible: expected.summary.visible, hidden: expected.summary.hidden });
    assert.match(await page.textContent('#summary'), /10\.000/);

    assert.equal(await page.locator('#decisions > li').count(), 200);
    assert.equal(await page.locator('#panel-cases .mo-card').count(), Math.min(200, expected.view.cases.length));
    assert.match(await page.textContent('#decisions-more'), /Vis flere poster \(9\.800 tilbage\)/);
    await page.click('#decisions-more');
    await page.waitForFunction(() => document.querySelectorAll('#decisions > li').length === 400);
    assert.match(await page.textContent('#decisions-more'), /Vis flere poster \(9\.600 tilbage\)/);
    await screenshot(page, '15-10000-records', { fullPage: false });
  } finally {
    await page.context().close();
  }
});

test(`${N} records: a settings change evaluates once and shows the new answer; the page still answers clicks`, async () => {
  const request = bigRequest(N);
  const page = await pageWithBigFile(request);
  try {
    // Toggle showDocuments on 32.30: one evaluation of 10,000 records.
    const area = page.locator('#areas > li[data-kle="32.30"]');
    await area.locator('details').evaluate((d) => { d.open = true; });
    const before = await evaluations(page);
    await afterEvaluation(page, () => area.getByLabel('Vis dokumenttitler').uncheck());
    assert.equal(await evaluations(page), before + 1, 'one evaluation for one change');
    const changed = structuredClone(SAMPLE_MUNICIPALITY);
    delete changed.areas.find((a) => a.kle === '32.30').showDocuments;
    const expected = expectedOverview(request, changed);
    assert.equal((await shownSummary(page)).data.visible, String(expected.summary.visible));

    // After the evaluation a click is handled (the tab switches); how fast is benches/page.mjs's job.
    await page.click('#tab-benefits');
    await page.waitForFunction(() => document.getElementById('citizen-view').shadowRoot.getElementById('tab-benefits').getAttribute('aria-selected') === 'true');
  } finally {
    await page.context().close();
  }
});

test('typing is debounced: keys 30 ms apart give no evaluation until the pause, then exactly one', async () => {
  // The page's timers run on Playwright's clock: time passes only when the test says so.
  const page = await openReady(browser, { route: (context) => context.clock.install() });
  try {
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    const before = await evaluations(page);
    const name = page.locator('#m-name');
    await name.focus();
    for (const key of ' Syd') {
      await page.keyboard.type(key);
      await page.clock.runFor(30);
    }
    assert.equal(await evaluations(page), before, 'no evaluation while typing');
    await page.clock.runFor(2000);
    assert.equal(await evaluations(page), before + 1, 'one evaluation for four key presses');
    await page.clock.runFor(2000);
    assert.equal(await evaluations(page), before + 1, 'and no late second one');
    assert.equal(await name.inputValue(), `${SAMPLE_MUNICIPALITY.name} Syd`);
  } finally {
    // Time flows again before the page is closed, so nothing in it waits on a paused clock.
    await page.clock.resume();
    await page.context().close();
  }
});
