// Accessible and Danish: labels, live regions, keyboard reach and operation, focus styles, and a
// layout without horizontal overflow at 420 px and at 1280 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openReady, afterEvaluation, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('every form control has a label, and the summary and errors are live regions', async () => {
  const page = await openReady(browser);
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
    .map((el) => el.id || el.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.getAttribute('#summary', 'aria-live'), 'polite');
  assert.equal(await page.getAttribute('#citizen-message', 'role'), 'alert');
  assert.equal(await page.getAttribute('#settings-state', 'role'), 'alert');
  assert.equal(await page.getAttribute('#fatal', 'role'), 'alert');
  // Danish everywhere the user reads: a few spot checks of labels.
  for (const text of ['Eksempelborger', 'Borgerens CPR-nummer', 'Vis oversigten, som den ser ud den', 'Kommunens navn', 'Begrundelse']) {
    assert.equal(await page.getByLabel(text, { exact: true }).count() >= 1, true, text);
  }
  await page.context().close();
});

test('the main controls are reached with Tab and have a visible focus style', async () => {
  const page = await openReady(browser);
  const reached = new Set();
  const outlines = {};
  for (let i = 0; i < 160; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      // Into the shadow root of <borgerblik-overview> (the citizen view's tabs are inside it).
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const target = el?.type === 'file' ? el.nextElementSibling : el;
      const style = target ? getComputedStyle(target) : null;
      return { id: el?.id ?? '', outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' };
    });
    // The first visit counts: Tab also steps through a date field's day, month and year, and where
    // the 160 presses end inside that cycle depends on how many controls the page has.
    if (info.id && !reached.has(info.id)) {
      reached.add(info.id);
      outlines[info.id] = info.outline;
    }
  }
  const main = ['sample-select', 'citizen-file', 'viewer-self', 'citizen-cpr', 'asof', 'asof-slider', 'm-code', 'm-name',
    'kle-input', 'add-area', 'export-settings', 'import-settings', 'reset-settings', 'whatif-snapshot',
    'tab-cases', 'save-scenario', 'filter-visibility', 'filter-reason', 'filter-text'];
  for (const id of main) {
    assert.ok(reached.has(id), `Tab reaches #${id}`);
    assert.notEqual(outlines[id].split(' ')[0], 'none', `#${id} shows its focus`);
  }
  await page.context().close();
});

test('the main controls work from the keyboard (Enter, Space, arrows)', async () => {
  const page = await openReady(browser);
  // Tabs: arrows move between "Sager" and "Ydelser".
  await page.focus('#tab-cases');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-benefits', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id), 'tab-benefits');
  assert.equal(await page.isVisible('#panel-benefits'), true);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#tab-cases', 'aria-selected'), 'true');

  // A sample citizen chosen with the arrow keys.
  await page.focus('#sample-select');
  const before = await page.inputValue('#sample-select');
  await afterEvaluation(page, () => page.keyboard.press('ArrowDown'));
  assert.notEqual(await page.inputValue('#sample-select'), before);

  // The viewer: Space on the parent radio.
  await page.focus('#viewer-self');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.isChecked('#viewer-parent'), true);
  assert.equal(await page.isVisible('#parent-fields'), true);
  // No parent yet: the page asks for one at the field.
  await page.waitForSelector('#parent-cpr-error:not([hidden])');
  assert.match(await page.textContent('#parent-cpr-error'), /Skriv forælderens CPR-nummer/);
  await page.focus('#parent-cpr');
  await afterEvaluation(page, () => page.keyboard.type('0703821448'));
  assert.equal(await page.isVisible('#parent-cpr-error'), false);
  await page.focus('#custody-override');
  await afterEvaluation(page, () => page.keyboard.press('Space'));
  assert.equal(await page.isChecked('#custody-override'), true);
  await afterEvaluation(page, () => page.keyboard.press('Space'));
  await page.focus('#viewer-parent');
  await afterEvaluation(page, () => page.keyboard.press('ArrowUp'));
  assert.equal(await page.isChecked('#viewer-self'), true);

  // An area card opens with Enter; the what-if snapshot works with Space, its end with Enter.
  const summary = page.locator('#areas > li').first().locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#areas > li').first().locator('details').evaluate((d) => d.open), true);
  await page.focus('#whatif-snapshot');
  await afterEvaluation(page, () => page.keyboard.press('Space'));
  assert.equal(await page.isVisible('#whatif-clear'), true);
  await page.focus('#whatif-clear');
  await page.keyboard.press('Enter');
  assert.equal(await page.isVisible('#whatif-clear'), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'whatif-snapshot');

  // The filter with the keyboard.
  await page.focus('#filter-visibility');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.inputValue('#filter-visibility'), 'visible');
  assert.equal(await page.locator('#decisions .badge--hidden').count(), 0);
  await page.context().close();
});

for (const width of [420, 1280]) {
  test(`no horizontal overflow at ${width} px`, async () => {
    const page = await openReady(browser, { width, height: 900 });
    // The longest states: a parent's view with every field shown, all area cards open.
    await afterEvaluation(page, () => page.selectOption('#sample-select', 'parent-child.json'));
    await page.$$eval('#areas details', (ds) => ds.forEach((d) => { d.open = true; }));
    const overflow = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((el) => !el.closest('.visually-hidden, .visually-hidden-file, [hidden]'))
        .filter((el) => getComputedStyle(el).position !== 'absolute' || el.getBoundingClientRect().width > 2)
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`)
        .slice(0, 10),
    }));
    assert.ok(overflow.scroll <= overflow.client, `scrollWidth ${overflow.scroll} > ${overflow.client}: ${overflow.wide}`);
    assert.deepEqual(overflow.wide, []);
    await page.$$eval('#areas details', (ds) => ds.forEach((d) => { d.open = false; }));
    await afterEvaluation(page, () => page.selectOption('#sample-select', 'adult-sygedagpenge.json'));
    await screenshot(page, `14-layout-${width}`, { fullPage: width === 420 });
    await page.context().close();
  });
}
