// The packed package (npm pack pkg) in small fixture apps, configured only as the package README
// (docs/npm-readme.md) says, each rendering <borgerblik-overview> with a sample citizen in headless
// Chromium with no console errors, no page errors and no failed requests:
//   plain/    a plain page, no build step, under a strict Content-Security-Policy
//   vite/     Vite: the production build (served under the same CSP) and the dev server
//   webpack/  webpack 5 with experiments.asyncWebAssembly (the bundler build), under the same CSP
//   vitest/   Vitest with no configuration (Node takes the Node build)
// (Node ESM and CommonJS from the installed tarball: tests/node/package.test.mjs.)
// Each fixture's dependencies are pinned by its package-lock.json and installed with `npm ci` only
// when the lock file changed; the tarball is unpacked into node_modules/borgerblik, as npm would.
// Run by scripts/test-embed.sh after scripts/build-wasm.sh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const SAMPLE = "adult-sygedagpenge.json";
const municipalityFile = path.join(root, "samples/municipality.json");
const citizenFile = path.join(root, "samples/citizens", SAMPLE);
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".css": "text/css" };

// What the view must show: the engine's own answer (the Node build).
const { Engine } = createRequire(import.meta.url)(path.join(root, "pkg/node/borgerblik.js"));
const expected = Engine.withMunicipality(JSON.parse(fs.readFileSync(municipalityFile, "utf8")))
  .evaluate(JSON.parse(fs.readFileSync(citizenFile, "utf8")));

let tarball;
let browser;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "borgerblik-embed-"));

before(async () => {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work, path.join(root, "pkg")], { encoding: "utf8" }));
  tarball = path.join(work, packed.filename);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Installs a fixture: its locked dependencies (when the lock changed), the tarball, the samples. */
function prepare(name) {
  const dir = path.join(here, name);
  const lock = path.join(dir, "package-lock.json");
  if (fs.existsSync(lock)) {
    const hash = createHash("sha256").update(fs.readFileSync(lock)).digest("hex");
    const marker = path.join(dir, ".installed-lock-sha256");
    if (!fs.existsSync(path.join(dir, "node_modules")) || (fs.existsSync(marker) && fs.readFileSync(marker, "utf8")) !== hash) {
      execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
      fs.writeFileSync(marker, hash);
    }
  }
  const target = path.join(dir, "node_modules/borgerblik");
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  for (const to of [dir, path.join(dir, "public")]) {
    if (to.endsWith("public") && name !== "vite") continue;
    fs.mkdirSync(to, { recursive: true });
    fs.copyFileSync(municipalityFile, path.join(to, "municipality.json"));
    fs.copyFileSync(citizenFile, path.join(to, "citizen.json"));
  }
  return dir;
}

/**
 * Opens `url` in a fresh context; with `dirs`, the files are served from those folders (first
 * match) under the strict CSP by Playwright's router, and nothing else is reachable.
 */
async function open(url, dirs) {
  const context = await browser.newContext();
  const problems = [];
  if (dirs) {
    await context.route("**/*", (r) => {
      const u = new URL(r.request().url());
      if (u.origin !== new URL(url).origin) return r.abort();
      const rel = path.normalize(decodeURIComponent(u.pathname === "/" ? "/index.html" : u.pathname));
      const file = dirs.map((d) => path.join(d, rel)).find((f, i) => f.startsWith(dirs[i] + path.sep) && fs.existsSync(f) && fs.statSync(f).isFile());
      if (!file) return r.fulfill({ status: 404, body: "not found" });
      return r.fulfill({
        status: 200,
        contentType: TYPES[path.extname(file)] ?? "application/octet-stream",
        headers: path.extname(file) === ".html" ? { "Content-Security-Policy": CSP } : {},
        body: fs.readFileSync(file),
      });
    });
  }
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(url);
  await page.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 30000 });
  return { page, context, problems };
}

/** The element shows the sample citizen as the engine decides, with every decision listed. */
async function assertRendered({ page, context, problems }) {
  try {
    assert.equal(await page.evaluate(() => document.body.dataset.ready), "true", "the engine loaded (no fallback)");
    await page.waitForFunction((n) => document.querySelector("borgerblik-overview")?.shadowRoot?.querySelectorAll(".decision").length === n, expected.decisions.length);
    const shown = await page.evaluate(() => {
      const root = document.querySelector("borgerblik-overview").shadowRoot;
      return {
        cases: [...root.querySelectorAll("#panel-cases .mo-card")].map((c) => c.dataset.id),
        benefits: [...root.querySelectorAll("#panel-benefits .mo-card")].map((c) => c.dataset.id),
        tabs: root.querySelectorAll('[role="tab"]').length,
      };
    });
    assert.deepEqual(shown, { cases: expected.view.cases.map((c) => c.id), benefits: expected.view.benefits.map((b) => b.id), tabs: 2 });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

const bin = (dir, name) => path.join(dir, "node_modules/.bin", name);

test("plain page (no build) under a strict CSP", async () => {
  const dir = prepare("plain");
  await assertRendered(await open("http://plain.invalid/index.html", [dir]));
});

test("Vite: production build under a strict CSP", async () => {
  const dir = prepare("vite");
  execFileSync(bin(dir, "vite"), ["build", "--logLevel", "error"], { cwd: dir, stdio: "inherit" });
  await assertRendered(await open("http://vite.invalid/index.html", [path.join(dir, "dist")]));
});

test("Vite: dev server", async () => {
  const dir = prepare("vite");
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const server = spawn(bin(dir, "vite"), ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    await new Promise((resolve, reject) => {
      let out = "";
      const seen = (chunk) => { out += chunk; if (out.includes(`${port}`)) resolve(); };
      server.stdout.on("data", seen);
      server.stderr.on("data", (c) => { out += c; });
      server.on("exit", (code) => reject(new Error(`vite exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`vite did not start: ${out}`)), 60000);
    });
    await assertRendered(await open(`http://127.0.0.1:${port}/`));
  } finally {
    server.kill();
  }
});

test("webpack 5 (asyncWebAssembly, the bundler build) under a strict CSP", async () => {
  const dir = prepare("webpack");
  execFileSync(bin(dir, "webpack"), ["--no-stats"], { cwd: dir, stdio: "inherit" });
  await assertRendered(await open("http://webpack.invalid/index.html", [path.join(dir, "dist"), dir]));
});

test("Vitest with no configuration", () => {
  const dir = prepare("vitest");
  const out = execFileSync(bin(dir, "vitest"), ["run", "--reporter=dot"], { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "true" } });
  assert.match(out, /1 passed/);
});
