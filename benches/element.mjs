// Benchmark of <borgerblik-overview> (www/element/) in headless Chromium, printing milliseconds:
//   node benches/element.mjs [--smoke]
// The overview of 1,000 records (500 cases with two documents each, 500 benefits with six
// payments each; every record visible) is made by the engine itself (pkg/node), then set on the
// element with a page size of 1,000, so every card is built; the time is `element.overview = o`
// (which renders synchronously) until the next frame could start, median of 15 (3 in the smoke run).
// Also with `show-reasons` (1,000 decision cards more). The files are served from disk by
// Playwright's router: no server, no network.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const smoke = process.argv.includes("--smoke");
const runs = smoke ? 3 : 15;
const { Engine } = createRequire(import.meta.url)(path.join(root, "pkg/node/borgerblik.js"));

const cpr = "0101801234";
const records = [];
for (let i = 0; i < 500; i += 1) {
  records.push({
    kind: "case", id: `S-${i}`, kle: "32.30.04", createdDate: "2021-02-01", status: i % 3 ? "Oplyst" : "Afsluttet",
    closedDate: i % 3 ? null : "2021-05-01", primaryParty: cpr, provider: "kommune",
    documents: [{ id: `D-${i}-1`, title: `Afgørelse nr. ${i}`, date: "2021-02-03" }, { id: `D-${i}-2`, title: "Partshøring", date: "2021-02-10" }],
  });
  records.push({
    kind: "benefit", id: `Y-${i}`, kle: "32.30.04", caseId: `S-${i}`, name: "Merudgifter", economic: true, recipient: cpr,
    startDate: "2021-02-01",
    payments: Array.from({ length: 6 }, (_, m) => ({ date: `2021-0${m + 2}-26`, grossAmountOre: 1598400 + m })),
  });
}
const engine = Engine.withMunicipality({ areas: [{ kle: "32.30", open: true, showDocuments: true }] });
const overview = engine.evaluate({ asOf: "2021-09-01", viewer: { cpr }, records });
if (overview.summary.visible !== 1000) throw new Error(`expected 1,000 visible records, got ${overview.summary.visible}`);

const ORIGIN = "http://bench.invalid/";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (r) => {
    const url = new URL(r.request().url());
    if (url.origin + "/" !== ORIGIN) return r.abort();
    if (url.pathname === "/") {
      return r.fulfill({ contentType: "text/html", body: '<!doctype html><meta charset="utf-8"><script type="module" src="/element/index.js"></script><borgerblik-overview page-size="1000"></borgerblik-overview>' });
    }
    const file = path.join(root, "www", path.normalize(url.pathname));
    return r.fulfill({ contentType: "text/javascript", body: readFileSync(file) });
  });
  const page = await context.newPage();
  await page.goto(ORIGIN);
  await page.waitForFunction(() => customElements.get("borgerblik-overview"));
  for (const reasons of [false, true]) {
    const times = await page.evaluate(async ({ o, runs, reasons }) => {
      const el = document.querySelector("borgerblik-overview");
      el.showReasons = reasons;
      await new Promise((r) => setTimeout(r));
      const out = [];
      for (let i = 0; i < runs; i += 1) {
        el.overview = null;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        const t0 = performance.now();
        el.overview = o;
        el.getBoundingClientRect(); // style and layout of what was built
        out.push(performance.now() - t0);
      }
      const cards = el.shadowRoot.querySelectorAll(".mo-card").length + el.shadowRoot.querySelectorAll(".decision").length;
      return { out, cards };
    }, { o: overview, runs, reasons });
    const sorted = times.out.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`<borgerblik-overview> 1,000 records${reasons ? " + show-reasons" : ""}: ${median.toFixed(1)} ms median render + layout (${times.cards} cards; min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)}; ${runs} runs)`);
  }
} finally {
  await browser.close();
}
