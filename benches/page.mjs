// Benchmark of the preview page (www/) in headless Chromium, printing milliseconds:
//   node benches/page.mjs [--smoke]
// - upload of a citizen file of N records → evaluated and rendered (with the page's own split into
//   engine and rendering, and the longest main-thread task while it ran)
// - "Vis flere" (the next 200 rows of a long list)
// - a settings change (showDocuments on 32.30) → re-evaluated and rendered
// - a click on the "Ydelser" tab right after, answered
// Three rounds of N = 10,000 records, each in a fresh page; --smoke: one round of 500 records,
// only to check that the benchmark still runs. The page tests (tests/page/perf.test.mjs) check the
// same steps for correctness and never look at the clock; the figures belong here.
// Needs www/generated/ (scripts/prepare-page.sh) and Chromium (scripts/setup.sh). The page is
// served by scripts/serve.py, started here unless BORGERBLIK_PAGE_URL names a running server.
import { performance } from 'node:perf_hooks';

import {
  launch, openReady, afterEvaluation, jsonFile, bigRequest,
} from '../tests/page/helpers.mjs';

const smoke = process.argv.includes('--smoke');
const N = smoke ? 500 : 10000;
const rounds = smoke ? 1 : 3;
const fmt = (ms) => `${Math.round(ms).toLocaleString('en-US')} ms`;

/** Runs `fn` and returns the longest main-thread task (ms) seen while it ran. */
async function longestTask(page, fn) {
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    });
    window.__observer.observe({ type: 'longtask', buffered: false });
  });
  await fn();
  // Long-task entries are delivered after the task: let one more frame pass before reading them.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  return page.evaluate(() => {
    window.__observer.disconnect();
    return Math.max(0, ...window.__longTasks);
  });
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const request = bigRequest(N);
const file = jsonFile(`${N}.json`, request);
const browser = await launch();
try {
  console.log(`    citizen file: ${N.toLocaleString('en-US')} records, ${(file.buffer.length / 1e6).toFixed(1)} MB`);
  for (let round = 1; round <= rounds; round += 1) {
    const page = await openReady(browser);
    try {
      let upload = 0;
      const uploadTask = await longestTask(page, async () => {
        upload = await timed(() => afterEvaluation(page, () => page.setInputFiles('#citizen-file', file)));
      });
      const ds = await page.evaluate(() => ({ ...document.body.dataset }));
      const more = await timed(async () => {
        await page.click('#decisions-more');
        await page.waitForFunction(() => document.querySelectorAll('#decisions > li').length === 400);
      });
      const area = page.locator('#areas > li[data-kle="32.30"]');
      await area.locator('details').evaluate((d) => { d.open = true; });
      let change = 0;
      const changeTask = await longestTask(page, async () => {
        change = await timed(() => afterEvaluation(page, () => area.getByLabel('Vis dokumenttitler').uncheck()));
      });
      const click = await timed(async () => {
        await page.click('#tab-benefits');
        await page.waitForFunction(() => document.getElementById('citizen-view').shadowRoot.getElementById('tab-benefits').getAttribute('aria-selected') === 'true');
      });
      console.log(`    round ${round}: upload → rendered ${fmt(upload)} (engine ${ds.evalMs} ms, rendering ${ds.renderMs} ms, `
        + `longest task ${fmt(uploadTask)}); "Vis flere" ${fmt(more)}; settings change → rendered ${fmt(change)} `
        + `(longest task ${fmt(changeTask)}); click on "Ydelser" answered in ${fmt(click)}`);
    } finally {
      await page.context().close();
    }
  }
} finally {
  await browser.close();
}
// The helpers' static server (when started here) is a child process: end it with this process.
process.exit(0);
