// The importer's TypeScript types (src/wasm_import.rs), checked (never run) by scripts/test-wasm.sh with
// `tsc --noEmit --strict`, as tests/node/consumer.ts checks the engine's. A `@ts-expect-error` line is
// a mistake the types must catch.
import { Engine, importIndex, type ImportIndexError, type ImportOptions, type ImportResult } from "../../pkg/node/borgerblik.js";
import initImport, { importIndex as importInBrowser } from "../../pkg/web-import/borgerblik.js";

const options: ImportOptions = { asOf: "2021-06-15", viewer: "0101900000", profile: { udkCvr: ["19435075"] } };
const result: ImportResult = importIndex([{ name: "sag.xml", data: new Uint8Array(0) }, { name: "y.xml", data: "<x/>" }], options);
const overview = Engine.withMunicipality({ areas: [] }).evaluate(result.request);
const counted: number = overview.summary.records + result.problems.length;
const where: string = result.problems[0]?.path ?? "";
// @ts-expect-error: asOf is required
const noDate: ImportOptions = { viewer: "0101900000" };
// @ts-expect-error: data is text or bytes, not a number
importIndex([{ name: "a.xml", data: 5 }], options);
function refused(e: unknown): number {
  const err = e as ImportIndexError;
  return err.kind === "import" ? err.refusals.map((r) => r.line + r.column).length : 0;
}
async function inBrowser(): Promise<number> {
  await initImport();
  return importInBrowser([], options).request.records.length;
}
export { counted, inBrowser, noDate, refused, where };
