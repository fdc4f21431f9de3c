// <borgerblik-overview> on a page of its own, under a strict Content-Security-Policy (no inline
// script or style): the engine + request it is given are evaluated and shown as the engine says;
// tabs work from the keyboard; a host page themes it through custom properties and ::part;
// `show-reasons` lists every decision; `as-of` re-evaluates; a refused request shows nothing; record
// text never becomes markup. Expected numbers come from the engine (pkg/node).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, baseUrl, expectedOverview, sampleCitizen, SAMPLE_MUNICIPALITY, kroner, screenshot } from './helpers.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";
const HTML = `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>borgerblik-overview</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="element-test.css">
<script type="module" src="element/index.js"></script>
</head><body><main><h2>Mit Overblik</h2><borgerblik-overview id="view"></borgerblik-overview></main></body></html>`;
// A host page's theme: a custom property and a part.
const THEME = `borgerblik-overview { --borgerblik-accent: rgb(1, 2, 3); }
borgerblik-overview::part(card) { border-color: rgb(4, 5, 6); }`;

const CITIZEN = 'adult-sygedagpenge.json';
let browser;
let page;
let url;

before(async () => {
  browser = await launch();
  url = await baseUrl();
  page = await openPage(browser, {
    route: async (context) => {
      await context.route(`${url}element-test.html`, (r) => r.fulfill({
        status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP }, body: HTML,
      }));
      await context.route(`${url}element-test.css`, (r) => r.fulfill({ status: 200, contentType: 'text/css', body: THEME }));
    },
  });
  await page.goto(`${url}element-test.html`);
  await page.waitForFunction(() => customElements.get('borgerblik-overview'));
  // The page's own engine (the web build) and the sample citizen, handed to the element.
  await page.evaluate(async ({ municipality, request }) => {
    const wasm = await import('./generated/pkg/borgerblik.js');
    await wasm.default();
    const view = document.getElementById('view');
    window.wasm = wasm;
    view.kleTitle = wasm.kleTitle;
    view.engine = wasm.Engine.withMunicipality(municipality);
    view.request = request;
  }, { municipality: SAMPLE_MUNICIPALITY, request: sampleCitizen(CITIZEN) });
  await page.waitForSelector('#panel-cases .mo-card, #panel-cases .mo-empty');
});
after(async () => {
  try {
    if (page) assert.deepEqual(page.problems, { console: [], pageErrors: [], failed: [], http: [], offsite: [] });
  } finally {
    await browser?.close();
  }
});

/** `fn(root)` in the page, with the element's shadow root (no eval: the page's CSP forbids it). */
const inView = (fn) => page.evaluate(fn);

test('the engine + request given are shown as the engine decides: cards, statuses, dates, kroner', async () => {
  const expected = expectedOverview(sampleCitizen(CITIZEN));
  assert.deepEqual(await page.$$eval('#panel-cases .mo-card', (cs) => cs.map((c) => c.dataset.id)), expected.view.cases.map((c) => c.id));
  assert.deepEqual(await page.$$eval('#panel-benefits .mo-card', (cs) => cs.map((c) => c.dataset.id)), expected.view.benefits.map((b) => b.id));
  assert.deepEqual(await page.$$eval('#panel-cases .status', (s) => s.map((x) => x.textContent)), expected.view.cases.map((c) => c.status));
  assert.match(await page.textContent('#tab-cases'), new RegExp(`Sager \\(${expected.view.cases.length}\\)`));
  const benefit = expected.view.benefits.find((b) => b.payments.length);
  const amounts = await page.locator(`#panel-benefits .mo-card[data-id="${benefit.id}"] .mo-payments tbody td.num`).allTextContents();
  assert.equal(amounts[0], kroner(benefit.payments[0].grossAmountOre));
  await screenshot(page, 'element-01-cases', { fullPage: true });
});

test('tabs: roles, arrow keys, Home/End, focus and the selected panel', async () => {
  const roles = await inView(() => { const root = document.getElementById('view').shadowRoot; return {
    list: root.querySelector('[role="tablist"]')?.getAttribute('aria-label'),
    tabs: [...root.querySelectorAll('[role="tab"]')].map((t) => [t.id, t.getAttribute('aria-controls'), t.getAttribute('aria-selected'), t.tabIndex]),
    panels: [...root.querySelectorAll('[role="tabpanel"]')].map((p) => [p.id, p.getAttribute('aria-labelledby'), p.hidden]),
  }; });
  assert.deepEqual(roles, {
    list: 'Mit Overblik',
    tabs: [['tab-cases', 'panel-cases', 'true', 0], ['tab-benefits', 'panel-benefits', 'false', -1]],
    panels: [['panel-cases', 'tab-cases', false], ['panel-benefits', 'tab-benefits', true]],
  });
  await page.focus('#tab-cases');
  const state = () => inView(() => { const root = document.getElementById('view').shadowRoot; return {
    focused: root.activeElement?.id,
    selected: root.querySelector('[aria-selected="true"]').id,
    visible: root.querySelector('[role="tabpanel"]:not([hidden])').id,
    attr: root.host.getAttribute('tab'),
  }; });
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await state(), { focused: 'tab-benefits', selected: 'tab-benefits', visible: 'panel-benefits', attr: 'benefits' });
  await page.keyboard.press('ArrowRight'); // wraps around
  assert.deepEqual(await state(), { focused: 'tab-cases', selected: 'tab-cases', visible: 'panel-cases', attr: 'cases' });
  await page.keyboard.press('End');
  assert.equal((await state()).selected, 'tab-benefits');
  await page.keyboard.press('Home');
  assert.equal((await state()).selected, 'tab-cases');
  // Tab leaves the tab list for the panel (the inactive tab is not a stop).
  await page.keyboard.press('Tab');
  assert.equal((await state()).focused, 'panel-cases');
  // The property and the attribute agree, both ways.
  await page.evaluate(() => { document.getElementById('view').tab = 'benefits'; });
  assert.equal((await state()).visible, 'panel-benefits');
  await page.evaluate(() => document.getElementById('view').setAttribute('tab', 'cases'));
  assert.equal((await state()).visible, 'panel-cases');
});

test('themed by the host page through a custom property and ::part, under a CSP without inline styles', async () => {
  const colours = await inView(() => { const root = document.getElementById('view').shadowRoot; return {
    tab: getComputedStyle(root.getElementById('tab-cases')).backgroundColor,
    card: getComputedStyle(root.querySelector('.mo-card')).borderTopColor,
    status: getComputedStyle(root.querySelector('.status')).fontWeight,
  }; });
  assert.deepEqual(colours, { tab: 'rgb(1, 2, 3)', card: 'rgb(4, 5, 6)', status: '700' });
});

test('show-reasons lists every decision with its Danish reason, in the engine\'s order', async () => {
  const expected = expectedOverview(sampleCitizen(CITIZEN));
  assert.equal(await page.locator('#view .decision').count(), 0);
  await page.evaluate(() => { document.getElementById('view').showReasons = true; });
  await page.waitForSelector('#view .decision');
  assert.equal(await page.getAttribute('#view', 'show-reasons'), '');
  const rows = await page.$$eval('#view .decision', (ls) => ls.map((l) => ({
    id: l.dataset.id,
    badge: l.querySelector('.badge').textContent,
    codes: [...l.querySelectorAll('.reason')].map((r) => r.dataset.code),
    message: l.querySelector('.reason__message')?.textContent,
  })));
  assert.deepEqual(rows, expected.decisions.map((d) => ({
    id: d.id, badge: d.visible ? 'Vises' : 'Skjult', codes: d.reasons.map((r) => r.code), message: d.reasons[0]?.message,
  })));
  // The records' own titles and KLE names come from the request and kleTitle.
  const first = sampleCitizen(CITIZEN).records[0];
  assert.match(await page.textContent(`#view .decision[data-id="${expected.decisions[0].id}"] .decision__area`), new RegExp(`KLE ${first.kle.replace(/\./g, '\\.')} \\S`));
  await page.evaluate(() => document.getElementById('view').removeAttribute('show-reasons'));
  await page.waitForFunction(() => !document.getElementById('view').shadowRoot.querySelector('.decision'));
});

test('as-of re-evaluates the request on another date', async () => {
  const request = sampleCitizen(CITIZEN);
  const other = '2020-01-01';
  const expected = expectedOverview({ ...request, asOf: other });
  await page.evaluate((d) => { document.getElementById('view').asOf = d; }, other);
  await page.waitForFunction((n) => document.getElementById('view').shadowRoot.querySelectorAll('#panel-cases .mo-card').length === n, expected.view.cases.length);
  assert.equal(await page.evaluate(() => document.getElementById('view').overview.asOf), other);
  await page.evaluate(() => { document.getElementById('view').asOf = null; });
  await page.waitForFunction((d) => document.getElementById('view').overview?.asOf === d, request.asOf);
});

test('a refused request shows nothing of the records, says so, and tells the host', async () => {
  const result = await page.evaluate(async (request) => {
    const view = document.getElementById('view');
    const event = new Promise((resolve) => view.addEventListener('borgerblik-error', (e) => resolve(e.detail.error), { once: true }));
    view.request = { ...request, asOf: 'not a date' };
    const error = await event;
    await new Promise((r) => setTimeout(r));
    const root = view.shadowRoot;
    return {
      isError: error instanceof window.wasm.BorgerblikError && window.wasm.isBorgerblikError(error),
      kind: error.kind,
      cards: root.querySelectorAll('.mo-card').length,
      alert: root.querySelector('[role="alert"]')?.textContent ?? '',
    };
  }, sampleCitizen(CITIZEN));
  assert.deepEqual({ ...result, alert: result.alert.length > 0 }, { isError: true, kind: 'request', cards: 0, alert: true });
  assert.doesNotMatch(result.alert, /\d{6}/, 'no CPR number in the message');
  await page.evaluate((request) => { document.getElementById('view').request = request; }, sampleCitizen(CITIZEN));
  await page.waitForSelector('#view .mo-card');
});

test('record text is text: markup in a title or a provider never becomes elements', async () => {
  const found = await page.evaluate(() => {
    const view = document.createElement('borgerblik-overview');
    document.body.appendChild(view);
    const evil = '<img src=x onerror="window.pwned=1"><b>fed</b>';
    view.overview = {
      asOf: '2024-01-01',
      view: {
        cases: [{ id: 'X', title: evil, kle: '27.36.04', status: 'Afsluttet', createdDate: '2024-01-01', closedDate: null, provider: evil, documents: [{ title: evil, date: null }] }],
        benefits: [],
      },
      decisions: [],
      summary: { records: 1, visible: 1, hidden: 0, byReason: {} },
    };
    const root = view.shadowRoot;
    const out = {
      title: root.querySelector('.mo-card__title').textContent,
      elements: root.querySelectorAll('.mo-card img, .mo-card b').length,
      closed: root.querySelector('.status').getAttribute('part'),
    };
    view.remove();
    return out;
  });
  assert.deepEqual(found, { title: '<img src=x onerror="window.pwned=1"><b>fed</b>', elements: 0, closed: 'status status-closed' });
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});
