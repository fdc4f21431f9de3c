// examples/js/node.mjs — use borgerblik from Node (the pkg/node build: synchronous, no init).
// From the npm package it is `import { Engine, kleTitle } from "borgerblik";`.
import { Engine, kleTitle } from "../../pkg/node/borgerblik.js";

// Build the engine once (validates and indexes the policy), then evaluate per request.
const engine = Engine.withMunicipality({
  code: "0390",
  name: "Vordingborg Kommune",
  areas: [{ kle: "27.36", open: true, showDocuments: true }],
});

const overview = engine.evaluate({
  asOf: "2022-03-01",
  viewer: { cpr: "0101801234" },
  records: [
    {
      kind: "case", id: "S-1", kle: "27.36.04", createdDate: "2022-01-10", status: "Oplyst",
      primaryParty: "0101801234", caseworker: "Bjarne Hansen", // never shown
      documents: [{ id: "D-1", title: "Bevilling af praktisk hjælp", date: "2022-01-20" }],
    },
    {
      kind: "benefit", id: "Y-1", kle: "32.24.04", name: "Hjælp til forsørgelse",
      recipient: "0101801234", economic: true, startDate: "2022-01-01",
      payments: [{ date: "2022-01-31", grossAmountOre: 1234500 }],
    },
    { kind: "case", id: "S-2", kle: "17.20.01", createdDate: "2022-02-01", status: "Oplyst", primaryParty: "0101801234" },
  ],
});

for (const c of overview.view.cases) {
  console.log(`sag ${c.id}: ${c.title} (${c.status}), ${c.documents.length} dokument(er)`);
}
for (const b of overview.view.benefits) {
  const kr = b.payments.map((p) => (p.grossAmountOre / 100).toFixed(2)).join(", ");
  console.log(`ydelse ${b.id}: ${b.name}, udbetalt ${kr} kr.`);
}
for (const d of overview.decisions) {
  console.log(`${d.id} ${d.visible ? "vises" : "skjules"}: ${d.reasons.map((r) => r.code).join(", ")}`);
}
console.log(`${kleTitle("17.20.01")} er ikke åbnet af kommunen`);

// Bad input throws an Error whose `problems` name every problem by its JSON path.
try {
  engine.evaluate({ asOf: "2022-13-01", viewer: { cpr: "0101801234" }, records: [] });
} catch (e) {
  console.log(`${e.name} (${e.kind}): ${e.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
}
