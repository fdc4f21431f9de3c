// A small TypeScript consumer of the package's generated types, checked (never run) by
// scripts/test-wasm.sh with `tsc --noEmit --strict --lib es2022,dom` and without skipLibCheck (so
// the declarations themselves must type-check where `Symbol.dispose` does not exist yet). Each
// `@ts-expect-error` line is a mistake the types must catch; tsc fails if one stops being an error.
import {
  BorgerblikError,
  Engine,
  isBorgerblikError,
  kleLookup,
  kleSearch,
  kleTitle,
  version,
  type CaseRecord,
  type Decision,
  type Diff,
  type KleEntry,
  type Municipality,
  type Overview,
  type Payment,
  type Policy,
  type Problem,
  type ReasonCode,
  type Request,
  type RequestRecord,
  type Validation,
  type ViewCase,
} from "../../pkg/node/borgerblik.js";
import initWeb, { Engine as WebEngine, BorgerblikError as WebError } from "../../pkg/web/borgerblik.js";
import {
  BorgerblikOverview,
  REASON_LABELS,
  decisionCard,
  kroner,
  longDate,
  problemMessage,
} from "../../pkg/element/index.js";

const municipality: Municipality = {
  code: "0390",
  areas: [
    { kle: "27.36", open: true, fromDate: "2021-09-01", facets: { allow: ["G01"] } },
    { kle: "32.30", showDocuments: true, title: "source", minimumAge: null },
  ],
};
const policy: Policy = {
  central: { sensitivity: { hidden: ["VIP_SAGER"] } },
  municipality,
};

const kase: CaseRecord = {
  id: "S-1",
  kle: "32.30.04",
  createdDate: "2021-02-01",
  status: "Oplyst",
  primaryParty: "0101801234",
  documents: [{ id: "D-1", title: "Afgørelse", date: "2021-02-03", content: "never shown" }],
};
const records: RequestRecord[] = [
  { kind: "case", ...kase },
  {
    kind: "benefit",
    id: "Y-1",
    kle: "32.30.04",
    caseId: "S-1",
    economic: true,
    startDate: "2021-02-01",
    payments: [{ date: "2021-02-26", grossAmountOre: 1598400 }],
  },
];
const request: Request = {
  asOf: "2021-06-15",
  viewer: { cpr: "0101801234" },
  subject: null,
  records,
};

const engine = new Engine(policy);
const fromText = new Engine(JSON.stringify(policy));
const local = Engine.withMunicipality(municipality);
const overview: Overview = engine.evaluate(request);
const text: string = engine.evaluateJson(JSON.stringify(request));
const requestBytes: Uint8Array = new TextEncoder().encode(JSON.stringify(request));
const overviewBytes: Uint8Array = engine.evaluateJson(requestBytes);
const fromBytes: Overview = engine.evaluate(requestBytes);
const lines: string = engine.evaluateNdjson(`${JSON.stringify(request)}\n`);
const lineBytes: Uint8Array = engine.evaluateNdjson(new TextEncoder().encode(lines));
const table: string = local.explain(request);
const diff: Diff = engine.diff(fromText, request);
const diff2: Diff = engine.diff(policy, JSON.stringify(request));
const validation: Validation = Engine.validatePolicy(policy);
const validation2: Validation = Engine.validateMunicipality(JSON.stringify(municipality));
const warnings: Problem[] = engine.warnings;
const fingerprint: string = engine.fingerprint;

const firstCase: ViewCase | undefined = overview.view.cases[0];
const title: string | undefined = firstCase?.title;
const amounts: number[] = overview.view.benefits.flatMap((b) => b.payments.map((p: Payment) => p.grossAmountOre));
const total: number = amounts.reduce((a, b) => a + b, 0);
const hidden: Decision[] = overview.decisions.filter((d) => !d.visible);
const codes: ReasonCode[] = hidden.flatMap((d) => d.reasons.map((r) => r.code));
const underAge: number = overview.summary.byReason.UNDER_MINIMUM_AGE ?? 0;
const changed: number = diff.summary.changed + diff2.changes.length;

const entry: KleEntry | undefined = kleLookup("27.36.04");
const retired: number | null | undefined = entry?.retired;
const hits: KleEntry[] = kleSearch("sygedag", 5);
const defaultHits: KleEntry[] = kleSearch("sygedag");
const status: "Under behandling" | "Afsluttet" | undefined = firstCase?.status;
declare const eitherInput: string | Uint8Array;
const eitherOutput: string | Uint8Array = engine.evaluateJson(eitherInput);
const eitherLines: string | Uint8Array = engine.evaluateNdjson(eitherInput);
const maybeTitle: string | undefined = kleTitle("27.36.04");
const v: string = version();

try {
  engine.evaluate({ asOf: "x", viewer: { cpr: "1" }, records: [] });
} catch (e) {
  if (e instanceof BorgerblikError) {
    const paths: string[] = e.problems.map((p) => p.path);
    const kind: "policy" | "request" = e.kind;
    const line: number | undefined = e.line;
    console.log(e.message, paths, kind, line);
  }
  if (isBorgerblikError(e)) console.log(e.problems.length);
  // @ts-expect-error without a check, a caught value is unknown
  console.log(e.problems);
}
const made: BorgerblikError = new BorgerblikError("x", "policy", []);
const webMade: WebError = new WebError("x", "request");

// The element and its formatters.
const view: BorgerblikOverview = document.createElement("borgerblik-overview");
view.overview = overview;
view.engine = engine;
view.request = request;
view.showReasons = true;
view.tab = "benefits";
view.kleTitle = kleTitle;
view.addEventListener("borgerblik-tab", (ev) => console.log(ev.detail.tab));
view.addEventListener("borgerblik-error", (ev) => console.log(ev.detail.error));
const card: HTMLLIElement = decisionCard(overview.decisions[0]!, { record: records[0], kleTitle });
const money: string = kroner(1598400) + longDate("2021-02-26") + problemMessage("x") + REASON_LABELS.NO_CPR;

async function inBrowser(): Promise<Overview> {
  await initWeb();
  return new WebEngine(policy).evaluate(request);
}

// Mistakes the types catch.
// @ts-expect-error amounts are numbers, not BigInt
const badPayment: Payment = { date: "2021-01-31", grossAmountOre: 10n };
// @ts-expect-error text in gives text out, never bytes
const badLines: Uint8Array = engine.evaluateNdjson("");
// @ts-expect-error the same for one request
const badText: Uint8Array = engine.evaluateJson("{}");
// @ts-expect-error a misspelt policy setting
const badArea: Municipality = { areas: [{ kle: "27", opne: true }] };
// @ts-expect-error an unknown case status
const badStatus: CaseRecord = { ...kase, status: "Afventer" };
// @ts-expect-error a request needs its records
const badRequest: Request = { asOf: "2021-06-15", viewer: { cpr: "0101801234" } };
// @ts-expect-error the title mode is "kle" or "source"
const badTitle: Municipality = { areas: [{ kle: "27", title: "own" }] };
// @ts-expect-error summary counts are numbers
const badCount: string = overview.summary.visible;
// @ts-expect-error a record's kind is "case" or "benefit"
const badKind: RequestRecord = { ...kase, kind: "sag" };
// @ts-expect-error the citizen sees "Under behandling" or "Afsluttet", never the index's status
const badShown: ViewCase["status"] = "Oplyst";
// @ts-expect-error the element has two tabs
view.tab = "documents";

export {
  amounts, badArea, badCount, badKind, badShown, card, defaultHits, eitherLines, eitherOutput, made, money, status, webMade, badPayment, badRequest, badStatus, badTitle, changed, codes,
  fingerprint, hits, inBrowser, maybeTitle, retired, table, text, title, total, underAge,
  v, validation, validation2, warnings,
};
