
// ---------------------------------------------------------------------------------------------
// BorgerblikError, appended to each build by scripts/build-wasm.sh (scripts/package/error.js).
// The engine throws plain `Error`s named "BorgerblikError" with `kind` and `problems` (wasm-bindgen
// cannot export a class that Rust code throws), so `instanceof` looks at those fields: it holds for
// the errors of every copy of the module (the web and the bundler build on one page, two versions).
// ---------------------------------------------------------------------------------------------

/** Whether a value is an error the engine threw (or a `new BorgerblikError(...)`). */
export function isBorgerblikError(value) {
  return value instanceof Error
    && value.name === "BorgerblikError"
    && (value.kind === "policy" || value.kind === "request")
    && Array.isArray(value.problems);
}

/** What every method of `Engine` throws on bad input. */
export class BorgerblikError extends Error {
  constructor(message, kind, problems, line) {
    super(message);
    this.name = "BorgerblikError";
    this.kind = kind;
    this.problems = Array.isArray(problems) ? problems : [];
    if (line !== undefined) this.line = line;
  }

  static [Symbol.hasInstance](value) {
    return isBorgerblikError(value);
  }
}
