// Shared set-up for the page tests (not a test file itself: node --test runs *.test.mjs).
//
// The page is served by scripts/test-page.sh, which passes its address in BORGERBLIK_PAGE_URL.
// Run on its own (`node --test tests/page/`), a file starts its own server on a free port, after
// `scripts/prepare-page.sh` has filled www/generated/.
//
// Expected numbers always come from the engine itself: the nodejs build in pkg/node, evaluating the
// same sample with the same settings. Nothing is hard-coded.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'test-output', 'page');
mkdirSync(OUT, { recursive: true });

const require = createRequire(import.meta.url);
/** The engine, nodejs build: the source of every expected number. */
export const engine = require(join(ROOT, 'pkg', 'node', 'borgerblik.js'));

export const SAMPLE_MUNICIPALITY = JSON.parse(readFileSync(join(ROOT, 'samples', 'municipality.json'), 'utf8'));
export const SAMPLE_CITIZENS = readdirSync(join(ROOT, 'samples', 'citizens')).filter((f) => f.endsWith('.json')).sort();
export function sampleCitizen(file) {
  return JSON.parse(readFileSync(join(ROOT, 'samples', 'citizens', file), 'utf8'));
}

/** The overview the page should show: the engine's answer for these settings and request. */
export function expectedOverview(request, municipality = SAMPLE_MUNICIPALITY, central = undefined) {
  const e = central ? new engine.Engine({ central, municipality }) : engine.Engine.withMunicipality(municipality);
  try {
    return e.evaluate(request);
  } finally {
    e.free();
  }
}

/** SPEC §5's built-in custody section, written out independently of the page's own copy. */
const BUILTIN_CUSTODY = {
  enabled: false,
  maxVerificationAge: 'P1D',
  childAgeLimit: 18,
  excludedAreas: [{ kle: '34.25' }, { kle: '27.24.27' }, { kle: '27.24.19' }],
};

/**
 * The built-in central rules with custody enabled (what the page's preview override does). The
 * section is checked against the engine first: as written (disabled) it must give the built-in
 * rules' fingerprint.
 */
export function centralWithCustody() {
  const empty = { areas: [] };
  const a = engine.Engine.withMunicipality(empty);
  const b = new engine.Engine({ central: { custody: BUILTIN_CUSTODY }, municipality: empty });
  const same = a.fingerprint === b.fingerprint;
  a.free();
  b.free();
  if (!same) throw new Error('BUILTIN_CUSTODY in tests/page/helpers.mjs is not the engine\'s built-in custody section');
  return { custody: { ...BUILTIN_CUSTODY, enabled: true } };
}

// ------------------------------------------------------------------------------------ server

let ownServer = null;
export async function baseUrl() {
  if (process.env.BORGERBLIK_PAGE_URL) return process.env.BORGERBLIK_PAGE_URL.replace(/\/?$/, '/');
  if (!ownServer) {
    ownServer = new Promise((resolve, reject) => {
      const child = spawn('python3', [join(ROOT, 'scripts', 'serve.py'), join(ROOT, 'www'), '--port', '0', '--quiet'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.unref();
      process.on('exit', () => child.kill());
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) {
          // The server's output pipe must not keep this process alive once the tests are done,
          // passed or failed (the pipe stays open: the server may still write to it).
          child.stdout.unref();
          resolve(`http://127.0.0.1:${m[1]}/`);
        }
      });
      child.on('exit', (code) => reject(new Error(`scripts/serve.py exited with ${code}`)));
    });
  }
  return ownServer;
}

// ------------------------------------------------------------------------------------ browser

/** The flags of ../shared/spec/TOOLCHAIN.md; Playwright adds --headless and a fresh --user-data-dir. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/**
 * A new page in its own context that records everything that would make the page untrustworthy:
 * console errors, uncaught exceptions, failed requests, HTTP errors, and any request that is not
 * to the local server (those are aborted).
 */
export async function openPage(browser, { width = 1280, height = 900, route } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'da-DK',
    acceptDownloads: true,
  });
  // Every wait is for a state; the limit only ends a hung run (see HANG_MS).
  context.setDefaultTimeout(HANG_MS);
  const problems = { console: [], pageErrors: [], failed: [], http: [], offsite: [] };
  await context.route('**/*', (r) => {
    const url = new URL(r.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return r.continue();
    if (url.hostname !== '127.0.0.1') {
      problems.offsite.push(r.request().url());
      return r.abort();
    }
    return r.fallback();
  });
  if (route) await route(context);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('requestfailed', (r) => problems.failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.http.push(`${r.status()} ${r.url()}`); });
  page.problems = problems;
  return page;
}

/**
 * One browser and one ready page for a whole test file: launched before its tests, closed after.
 * `use(page)` receives the page once it is ready.
 */
export function readyPage(use) {
  let browser;
  before(async () => {
    browser = await launch();
    use(await openReady(browser));
  });
  after(async () => { await browser?.close(); });
}

/** Opens the page and waits until it is ready (the sample municipality and citizen evaluated). */
export async function openReady(browser, options) {
  const page = await openPage(browser, options);
  await page.goto(await baseUrl());
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: HANG_MS });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') {
    const fatal = await page.textContent('#fatal').catch(() => '');
    throw new Error(`the page did not become ready (state ${state}): ${fatal}`);
  }
  return page;
}

/**
 * How long a wait may take before the run is declared hung. Not a speed limit: the tests wait for
 * the page's state (ready, the evaluation counter), and a loaded CI machine may be slow; speed is
 * measured, never asserted, by benches/page.mjs.
 */
export const HANG_MS = 300000;

/** `n` records made from a sample citizen's records, with new ids (and case links kept). */
export function bigRequest(n, citizen = 'adult-sygedagpenge.json') {
  const base = sampleCitizen(citizen);
  const records = [];
  for (let i = 0; records.length < n; i += 1) {
    for (const r of base.records) {
      if (records.length >= n) break;
      const copy = structuredClone(r);
      copy.id = `${r.id}-${i}`;
      if (copy.caseId) copy.caseId = `${r.caseId}-${i}`;
      records.push(copy);
    }
  }
  return { ...base, records };
}

export async function evaluations(page) {
  return Number(await page.evaluate(() => document.body.dataset.evaluations ?? '0'));
}

/** Runs `action` and waits until the page has evaluated again (after any debounce). */
export async function afterEvaluation(page, action, timeout = HANG_MS) {
  const before = await evaluations(page);
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.evaluations ?? '0') > n, before, { timeout });
}

/** The counts the page shows: { records, visible, hidden } from the summary line. */
export async function shownSummary(page) {
  return page.evaluate(() => {
    const el = document.getElementById('summary');
    const num = (id) => Number(document.getElementById(id).textContent.replace(/\./g, ''));
    return {
      records: num('summary-records'),
      visible: num('summary-visible'),
      hidden: num('summary-hidden'),
      data: { ...el.dataset },
    };
  });
}

export async function screenshot(page, name, options = {}) {
  await page.screenshot({ path: join(OUT, `${name}.png`), ...options });
}

/** A file for setInputFiles. */
export function jsonFile(name, value) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) };
}

/** Drops a file on an element the way a browser does: dragenter, dragover, drop with a DataTransfer. */
export async function dropFile(page, selector, name, text) {
  await page.evaluate(({ selector, name, text }) => {
    const target = document.querySelector(selector);
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, { selector, name, text });
}

/** Danish kroner from øre, written independently of the page's formatter. */
export function kroner(ore) {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kr = Math.floor(abs / 100).toLocaleString('de-DE'); // "." as thousands separator
  return `${sign}${kr},${String(abs % 100).padStart(2, '0')} kr.`;
}
