// The page loads cleanly from the local server only, reaches "ready", and a broken engine build can
// never pass for a working page: it shows an error and the ready state is never reached.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  engine,
  launch, openPage, openReady, baseUrl, screenshot, shownSummary, expectedOverview, sampleCitizen, ROOT, HANG_MS,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the page becomes ready with no console errors, no failed requests and nothing off 127.0.0.1', async () => {
  const page = await openReady(browser);
  // Let late requests (if any) show up.
  await page.waitForLoadState('networkidle');
  const p = page.problems;
  assert.deepEqual(p.console, [], 'console errors');
  assert.deepEqual(p.pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(p.failed, [], 'failed requests');
  assert.deepEqual(p.http, [], 'HTTP errors');
  assert.deepEqual(p.offsite, [], 'requests that left 127.0.0.1');

  assert.equal(await page.getAttribute('html', 'lang'), 'da');
  assert.match(await page.textContent('#privacy'), /Data forlader ikke din computer/);
  assert.equal(await page.isVisible('#fatal'), false);
  // The date slider stops at the engine's own etape dates (builtinCentral, not a copy in the page).
  const stops = await page.$$eval('#asof-stop-labels li', (l) => l.map((x) => x.textContent));
  for (const etape of engine.builtinCentral().etaper) {
    assert.ok(stops.some((s) => s.includes(`${etape.id} bliver obligatorisk`)), `${etape.id} in ${stops}`);
  }

  // The preloaded default: the sample municipality and the first sample citizen, as the engine says.
  const expected = expectedOverview(sampleCitizen('adult-sygedagpenge.json')).summary;
  const shown = await shownSummary(page);
  assert.deepEqual({ records: shown.records, visible: shown.visible, hidden: shown.hidden },
    { records: expected.records, visible: expected.visible, hidden: expected.hidden });
  assert.equal(await page.$$eval('#areas > li', (l) => l.length), 8, 'the sample municipality has 8 areas');
  await screenshot(page, '01-ready-1280', { fullPage: false });
  await page.context().close();
});

for (const [name, fulfil] of [
  ['a 404 for the .wasm', (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' })],
  ['garbage instead of the .wasm', (r) => r.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('this is not webassembly at all') })],
  ['a truncated .wasm', async (r) => {
    const res = await r.fetch();
    const body = await res.body();
    await r.fulfill({ status: 200, contentType: 'application/wasm', body: body.subarray(0, 4096) });
  }],
]) {
  test(`a broken engine (${name}) shows a Danish error and never reaches the ready state`, async () => {
    const page = await openPage(browser, {
      route: (context) => context.route(/\.wasm$/, fulfil),
    });
    await page.goto(await baseUrl());
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: HANG_MS });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
    assert.equal(await page.isVisible('#fatal'), true);
    const text = await page.textContent('#fatal');
    assert.match(text, /Beregningsmotoren .* kunne ikke indlæses/);
    // Never blank: the header and the privacy note are still there.
    assert.match(await page.textContent('h1'), /Mit Overblik/);
    // The check every other test relies on fails for this page.
    await assert.rejects(openReadyCheck(page));
    if (name.startsWith('a 404')) await screenshot(page, '09-broken-wasm', { fullPage: false });
    await page.context().close();
  });
}

test('a missing engine script (the JS glue) also shows the error', async () => {
  const page = await openPage(browser, {
    route: (context) => context.route(/borgerblik\.js$/, (r) => r.fulfill({ status: 404, body: 'not found' })),
  });
  await page.goto(await baseUrl());
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: HANG_MS });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
  assert.match(await page.textContent('#fatal'), /kunne ikke indlæses/);
  await page.context().close();
});

/** The same check openReady makes, on an already open page. */
async function openReadyCheck(page) {
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') throw new Error(`not ready: ${state}`);
}

test('opened as a file instead of through the server, the page says how to start it', async () => {
  const page = await browser.newPage();
  await page.goto(`file://${ROOT}/www/index.html`);
  await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: HANG_MS });
  assert.match(await page.textContent('#fatal'), /lokal webserver.*scripts\/preview\.sh/);
  await page.close();
});

test('?borger= preselects a sample citizen (scripts/preview.sh samples/citizens/minor-14.json)', async () => {
  const page = await openPage(browser);
  await page.goto(`${await baseUrl()}?borger=minor-14.json`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: HANG_MS });
  assert.equal(await page.inputValue('#sample-select'), 'minor-14.json');
  const expected = expectedOverview(sampleCitizen('minor-14.json')).summary;
  const shown = await shownSummary(page);
  assert.equal(shown.visible, expected.visible);
  assert.equal(shown.hidden, expected.hidden);
  await page.context().close();
});
