
/**
 * What every method of `Engine` throws on bad input: a real `Error` whose `problems` list every
 * problem with its JSON path (`municipality.areas[3].fromDate`; `""` for the document itself), and
 * whose `kind` says which document was refused. `e instanceof BorgerblikError` is true for every
 * error the engine throws (it checks `name`, `kind` and `problems`, so it also holds across two
 * copies of the module).
 */
export class BorgerblikError extends Error {
  constructor(message: string, kind: InputKind, problems?: Problem[], line?: number);
  name: "BorgerblikError";
  kind: InputKind;
  problems: Problem[];
  /** `evaluateNdjson` only: the 1-based number of the line that is not a request. */
  line?: number;
}

/** Whether a value is an error the engine threw: the type guard of `BorgerblikError`. */
export function isBorgerblikError(value: unknown): value is BorgerblikError;
