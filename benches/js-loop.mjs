// The yardstick for the CLI's batch speed (issue 16): a hand-written JavaScript loop doing part of
// the CLI's job over the same NDJSON file, as a team might write it without the engine:
//   node benches/js-loop.mjs REQUESTS.ndjson [--smoke] [--out FILE]
// It reads the file in 1 MiB pieces of whole lines (as benches/wasm.mjs), JSON.parses each request,
// decides each record by four of the gates (party, area, age, sensitivity; built-in central rules
// and samples/municipality.json), and writes JSON.stringify of the decisions, one line a request.
// It skips the other gates, the citizen view, the Danish messages, the summary and every check of
// the input, so it does less than the CLI: a generous yardstick. Prints records/s, best of 3.
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pieces } from "./pieces.mjs";

const args = process.argv.slice(2);
const file = args[0];
const smoke = args.includes("--smoke");
const outAt = args.indexOf("--out");
const outFile = outAt > 0 ? args[outAt + 1] : "/dev/null";
if (!file) {
  console.error("usage: node benches/js-loop.mjs REQUESTS.ndjson [--smoke] [--out FILE]");
  process.exit(2);
}

// Built-in central rules (src/policy/builtin.rs) and the sample municipality.
const ETAPER = [
  { id: "etape-1", from: "2020-12-31", areas: ["32.30.04", "15.17.06", "32.24.04", "32.24.05", "32.24.06",
    "32.24.07", "32.24.32", "15.17.12", "32.24.08", "32.24.28", "32.24.30", "32.24.12", "32.27.10", "32.21.12"] },
  { id: "etape-2", from: "2021-12-31", areas: ["27.36.04", "27.36.06", "27.36.24", "27.42.08", "27.45.04",
    "27.60.04", "27.60.08", "27.60.12", "27.60.16", "27.60.20", "27.60.24", "27.60.28"] },
];
const MINOR_AREAS = [{ kle: "34", age: 18 }, { kle: "27.24", age: 18 }];
const MINIMUM_AGE = 15;
const HIDDEN_SENSITIVITY = new Set(["VIP_SAGER"]);
const municipality = JSON.parse(readFileSync(new URL("../samples/municipality.json", import.meta.url), "utf8"));
// Most specific first, so the first match is the one that decides.
const areas = [...municipality.areas].sort((a, b) => b.kle.length - a.kle.length);

const matches = (selector, kle) => kle === selector || kle.startsWith(selector + ".");

/** Birth date "YYYY-MM-DD" from a person's birthDate or CPR (SPEC rule 6); null when unknown. */
function birthDate(person) {
  if (person.birthDate) return person.birthDate;
  const cpr = (person.cpr || "").replace("-", "");
  if (!/^\d{10}$/.test(cpr)) return null;
  const yy = Number(cpr.slice(4, 6));
  const c = Number(cpr[6]);
  let century = 1900;
  if ((c === 4 || c === 9) && yy <= 36) century = 2000;
  else if (c >= 5 && c <= 8) century = yy <= 57 ? 2000 : 1800;
  return `${century + yy}-${cpr.slice(2, 4)}-${cpr.slice(0, 2)}`;
}

function age(born, asOf) {
  if (!born || born > asOf) return null;
  let years = Number(asOf.slice(0, 4)) - Number(born.slice(0, 4));
  if (asOf.slice(5) < born.slice(5)) years -= 1;
  return years;
}

function decide(request, viewerAge, record) {
  const subject = (request.subject ?? request.viewer).cpr;
  const reasons = [];
  const kle = record.kle || "";
  // Party.
  const parties = record.kind === "case"
    ? (kle.startsWith("02.") ? record.propertyOwners || [] : [record.primaryParty])
    : [record.recipient];
  if (!parties.some(Boolean)) reasons.push("NO_CPR");
  else if (!parties.includes(subject)) reasons.push("NOT_PARTY");
  // Area: a mandatory etape area, else the most specific municipality entry that states open.
  let scope = null;
  for (const e of ETAPER) {
    if (e.from <= request.asOf && e.areas.some((a) => matches(a, kle))) { scope = "MANDATORY_AREA"; break; }
  }
  const area = areas.find((a) => matches(a.kle, kle));
  if (!scope) {
    const open = areas.find((a) => a.open !== undefined && matches(a.kle, kle));
    scope = open && open.open ? "OPENED_AREA" : null;
  }
  if (!scope) reasons.push("AREA_NOT_OPEN");
  // Age: the most specific central minimum, raised by the municipality area's.
  let minimum = MINOR_AREAS.find((m) => matches(m.kle, kle))?.age ?? MINIMUM_AGE;
  if (area && area.minimumAge > minimum) minimum = area.minimumAge;
  if (viewerAge === null) reasons.push("AGE_UNKNOWN");
  else if (viewerAge < minimum) reasons.push("UNDER_MINIMUM_AGE");
  // Sensitivity.
  if (HIDDEN_SENSITIVITY.has(record.sensitivity)) reasons.push("SENSITIVITY_HIDDEN");
  const visible = reasons.length === 0;
  if (visible) reasons.push(scope);
  return { id: record.id, kind: record.kind, visible, area: kle, reasons };
}

function once() {
  const sink = openSync(outFile, "w");
  let records = 0;
  const t = performance.now();
  pieces(file, 1 << 20, (piece) => {
    let out = "";
    for (const line of piece.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      const request = JSON.parse(line);
      const viewerAge = age(birthDate(request.viewer), request.asOf);
      const decisions = request.records.map((r) => decide(request, viewerAge, r));
      records += decisions.length;
      out += JSON.stringify({ decisions }) + "\n";
    }
    writeSync(sink, out);
  });
  const ms = performance.now() - t;
  closeSync(sink);
  return { records, ms };
}

const runs = [];
for (let i = 0; i < (smoke ? 1 : 3); i++) runs.push(once());
const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
console.log(
  `JS loop (JSON.parse, party/area/age/sensitivity gates, JSON.stringify): ` +
    `${Math.round(best.records / (best.ms / 1000)).toLocaleString("en")} records/s ` +
    `(${(best.ms / 1000).toFixed(2)} s, ${best.records} records, best of ${runs.length})`,
);
