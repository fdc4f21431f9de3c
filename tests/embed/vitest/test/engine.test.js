// Vitest with no configuration (the package README): Node takes the Node build by name.
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { Engine, BorgerblikError, isBorgerblikError } from "borgerblik";
import { kroner, REASON_LABELS } from "borgerblik/element";

const read = (f) => JSON.parse(readFileSync(new URL(f, import.meta.url), "utf8"));

test("the sample citizen through the engine, and the Danish formatters", () => {
  const engine = Engine.withMunicipality(read("../municipality.json"));
  const overview = engine.evaluate(read("../citizen.json"));
  expect(overview.summary.records).toBe(read("../citizen.json").records.length);
  expect(overview.view.cases.length).toBeGreaterThan(0);
  for (const c of overview.view.cases) expect(["Under behandling", "Afsluttet"]).toContain(c.status);
  expect(kroner(123450)).toBe("1.234,50 kr.");
  expect(REASON_LABELS.OPENED_AREA).toBe("Åbnet af kommunen");
  let error;
  try { engine.evaluate({}); } catch (e) { error = e; }
  expect(error instanceof BorgerblikError && isBorgerblikError(error)).toBe(true);
});
