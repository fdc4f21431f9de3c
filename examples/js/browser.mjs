// examples/js/browser.mjs — use borgerblik in a browser (the pkg/web build), as a module script:
//   <script type="module" src="browser.mjs"></script>
// served over http(s) with pkg/web two folders up (a bundler can use pkg/bundler instead).
import init, { Engine, kleSearch } from "../../pkg/web/borgerblik.js";

await init(); // fetches and compiles borgerblik_bg.wasm once; everything after this is synchronous

const engine = Engine.withMunicipality({ areas: [{ kle: "27.36", open: true }] });
const overview = engine.evaluate({
  asOf: "2022-03-01",
  viewer: { cpr: "0101801234" },
  records: [
    { kind: "case", id: "S-1", kle: "27.36.04", createdDate: "2022-01-10", status: "Oplyst", primaryParty: "0101801234" },
  ],
});
console.log(overview.view.cases.map((c) => `${c.title}: ${c.status}`).join("\n"));

// The KLE catalogue for a search box: number prefixes first, then titles.
for (const e of kleSearch("hjemmehjælp", 3)) console.log(`${e.number} ${e.title}`);
