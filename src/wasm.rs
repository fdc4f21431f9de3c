//! The WebAssembly interface (SPEC §7): a thin wasm-bindgen layer over [`crate::Engine`].
//!
//! **Inputs** are plain JS objects, JSON text, or JSON text as UTF-8 bytes (`Uint8Array`; read as
//! they are, and `evaluateJson`/`evaluateNdjson` then answer in bytes too, which spares Node the
//! UTF-16 conversions). An object is turned into JSON text with the
//! host's own `JSON.stringify` and then read exactly as the CLI reads a file, so an object means
//! what the same JSON means everywhere else, every problem carries its JSON path, and the 10 MiB
//! document limit applies to objects too. Text from JS is checked before it is copied: over the
//! limit, or not valid UTF-16 (a lone surrogate), it is refused with a problem, never replaced.
//!
//! **Outputs** are the canonical JSON of [`crate::to_json`] (overviews in the Node build: the same
//! text from [`crate::writer`]), turned into plain objects with
//! `JSON.parse`: `JSON.stringify(engine.evaluate(r))` is byte-identical to the CLI's output, and
//! `evaluateJson` returns that text itself. Amounts stay JS numbers (never BigInt), dates strings.
//!
//! **Errors** are thrown as real `Error` objects (`name: "BorgerblikError"`) with `kind`
//! (`"policy"`/`"request"`) and `problems` (`{ path, message }[]`). Nothing here panics on input,
//! and every call into JS that could throw is caught, so an `Engine` keeps working after an error.
//!
//! The TypeScript names used below (`Policy`, `Overview`, …) are generated from the Rust types by
//! `tests/typescript.rs` and appended to the package's `.d.ts` by `scripts/build-wasm.sh`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use js_sys::{Array, JsString, Reflect, Uint8Array, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{InputError, InputKind};
use crate::explain::{self, DiffSummary};
use crate::json::Problem;
#[cfg(feature = "wasm-batch")]
use crate::limits::MAX_NDJSON_OUTPUT_BYTES;
use crate::limits::{document_too_large, MAX_DOCUMENT_BYTES};
#[cfg(feature = "wasm-batch")]
use crate::ndjson::{evaluate_bounded, BatchError, LineError, LineProblem};
use crate::{catalogue, to_json, Policy, Request};

#[wasm_bindgen(typescript_custom_section)]
const TS_EXTRA: &'static str = r#"
// `BorgerblikError` (a class, so `instanceof` works) and `isBorgerblikError` are declared and
// defined next to the module by scripts/build-wasm.sh (scripts/package/error.js): wasm-bindgen has
// no way to export a JS class that Rust code throws. The errors themselves are made by `js_error`.

/*
 * `Engine.evaluateJson` (and, in the Node build, `evaluateNdjson`), typed by what they are given (wasm-bindgen
 * cannot declare overloads, so they are merged into the class here).
 */
export interface Engine {
  /**
   * `evaluate` from JSON text to JSON text: exactly the CLI's output. Throws a `BorgerblikError`
   * for an unreadable request envelope.
   */
  evaluateJson(request: string): string;
  /**
   * The same on UTF-8 bytes (Node's `Buffer` too, such as a server's request body): bytes out,
   * no string conversion either way.
   */
  evaluateJson(request: Uint8Array): Uint8Array;
  /** Either of the above, when the caller does not know which it has: the answer is of the same kind. */
  evaluateJson(request: string | Uint8Array): string | Uint8Array;
}

/** The what-if comparison of `Engine.diff`: the records whose decision differs, and counts. */
export type Diff = { changes: Change[]; summary: DiffSummary };

/**
 * Case-insensitive search of the embedded KLE catalogue by number prefix or title text: number
 * matches first, then titles starting with the query, then titles containing it; at most `limit`
 * (default 20) entries.
 */
export function kleSearch(query: string, limit?: number): KleEntry[];
"#;

/// `evaluateNdjson`'s overloads, merged into the class like those above; only in builds with the
/// batch API (feature `wasm-batch`: the Node build and pkg/web-import).
#[cfg(feature = "wasm-batch")]
#[wasm_bindgen(typescript_custom_section)]
const TS_NDJSON: &'static str = r#"
export interface Engine {
  /**
   * `evaluateJson` for many requests at once, as `borgerblik evaluate --ndjson`: one request per
   * line (blank lines skipped), one overview per line, each ending in a newline. Throws a
   * `BorgerblikError` with `line` at the first line that is not a request. At most 256 MiB in
   * and 384 MiB out a call (or `maxOutputBytes`, when lower): a call whose overviews would be
   * larger throws a `BorgerblikError`, checked before each overview is written.
   */
  evaluateNdjson(ndjson: string, maxOutputBytes?: number): string;
  /** The same on UTF-8 bytes (Node's `Buffer` too): bytes out, no string conversion either way. */
  evaluateNdjson(ndjson: Uint8Array, maxOutputBytes?: number): Uint8Array;
  /** Either of the above, when the caller does not know which it has: the answer is of the same kind. */
  evaluateNdjson(ndjson: string | Uint8Array, maxOutputBytes?: number): string | Uint8Array;
}
"#;

/// Turns any remaining panic into a readable `console.error` (builds with `console-panic-hook`).
#[cfg(feature = "console-panic-hook")]
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The most NDJSON `evaluateNdjson` takes in one call. It holds the input and the output in wasm
/// memory at once (about 1.6 times the input), and running out of memory would abort the module.
#[cfg(feature = "wasm-batch")]
const MAX_NDJSON_BYTES: usize = 256 * 1024 * 1024;

/// Talc instead of the default dlmalloc: smaller and faster in wasm (the module has a size budget).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// ---------------------------------------------------------------- importIndex (feature `import`)

/// `importIndex`: the SF1470 importer for JS, in its own file (src/wasm_import.rs).
#[cfg(feature = "import")]
#[path = "wasm_import.rs"]
mod import;

// ---------------------------------------------------------------- reading documents from JS

/// The kinds of document the interface reads.
#[derive(Clone, Copy)]
enum Doc {
    /// `{ central?, municipality }`
    Policy,
    /// A municipality on its own, under the built-in central rules.
    Municipality,
    Request,
}

impl Doc {
    fn kind(self) -> InputKind {
        match self {
            Doc::Policy | Doc::Municipality => InputKind::Policy,
            Doc::Request => InputKind::Request,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Doc::Policy => "a policy",
            Doc::Municipality => "a municipality",
            Doc::Request => "a request",
        }
    }
}

fn refuse(kind: InputKind, path: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError::new(
        kind,
        vec![Problem {
            path: path.into(),
            message: message.into(),
        }],
    )
}

/// A short description of a JS value that is not a document, for a problem message.
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if value.as_f64().is_some() {
        // Not the value itself: formatting floats would add ~30 KB of code and tables.
        "a number".into()
    } else if let Some(b) = value.as_bool() {
        format!("the boolean {b}")
    } else if value.is_bigint() {
        "a BigInt".into()
    } else if value.is_symbol() {
        "a symbol".into()
    } else if value.is_function() {
        "a function".into()
    } else {
        "a value that is not an object".into()
    }
}

/// The message of a thrown JS value (an `Error`'s `message`, else its string form).
fn thrown_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "an exception was thrown".into())
}

/// Position (in UTF-16 code units) of the first lone surrogate of a JS string, if any.
/// Reads the string code by code, so it is only called when a cheaper test says it may be needed.
fn lone_surrogate(s: &JsString) -> Option<usize> {
    let mut at = 0;
    for c in char::decode_utf16(s.iter()) {
        match c {
            Ok(c) => at += c.len_utf16(),
            Err(_) => return Some(at),
        }
    }
    None
}

/// Copies JS text into Rust, refusing text over the size limit (before copying it) and text that
/// is not valid UTF-16 (which a plain copy would silently turn into U+FFFD).
fn js_text(s: &JsString, kind: InputKind) -> Result<String, InputError> {
    // Every UTF-16 code unit is at least one byte of UTF-8; the exact byte count is checked by
    // the reader after the copy.
    let units = s.length() as usize;
    if units > MAX_DOCUMENT_BYTES {
        return Err(refuse(kind, "", document_too_large()));
    }
    js_copy(s, kind)
}

/// Copies JS text into Rust, refusing text that is not valid UTF-16.
fn js_copy(s: &JsString, kind: InputKind) -> Result<String, InputError> {
    let text = s.as_string().unwrap_or_default();
    // A lone surrogate is copied as U+FFFD; only text containing one needs the slow check.
    if has_replacement_char(&text) {
        if let Some(at) = lone_surrogate(s) {
            return Err(refuse(
                kind,
                "",
                format!("the text is not valid UTF-16: a lone surrogate at character {at}"),
            ));
        }
    }
    Ok(text)
}

/// Whether the text holds U+FFFD (EF BF BD in UTF-8), found by its rare first byte. `str::contains`
/// with a non-ASCII `char` runs the general substring search: 5 % of `evaluateJson` in Node.
fn has_replacement_char(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(0xEF, rest))
    {
        let i = from + at;
        if bytes.get(i + 1..i + 3) == Some(&[0xBF, 0xBD][..]) {
            return true;
        }
        from = i + 1;
    }
    false
}

/// JSON text given as UTF-8 bytes (`Uint8Array`, Node's `Buffer`): copied as they are, without the
/// UTF-16 round trip of a JS string, and refused over the size limit before the copy.
fn js_bytes(bytes: &Uint8Array, kind: InputKind) -> Result<String, InputError> {
    let len = bytes.length() as usize;
    if len > MAX_DOCUMENT_BYTES {
        return Err(refuse(kind, "", document_too_large()));
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|e| refuse(kind, "", format!("not valid UTF-8: {}", e.utf8_error())))
}

/// The JSON text of a document given as JSON text, as its UTF-8 bytes or as an object.
fn document_text(value: &JsValue, doc: Doc) -> Result<String, InputError> {
    let kind = doc.kind();
    if let Some(text) = value.dyn_ref::<JsString>() {
        return js_text(text, kind);
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return js_bytes(bytes, kind);
    }
    if !value.is_object() {
        return Err(refuse(
            kind,
            "",
            format!(
                "expected {} as an object or JSON text, got {}",
                doc.what(),
                describe(value)
            ),
        ));
    }
    let text = JSON::stringify(value).map_err(|e| {
        refuse(
            kind,
            "",
            format!(
                "{} object cannot be turned into JSON: {}",
                doc.what(),
                thrown_message(&e)
            ),
        )
    })?;
    if !text.is_string() {
        return Err(refuse(
            kind,
            "",
            format!("{} object has no JSON form", doc.what()),
        ));
    }
    js_text(&text, kind)
}

/// Values [`lone_surrogate_path`] looks at before it gives up: an object may share sub-objects
/// (`a.x = a.y = b`, nested), which a walk would visit once per path, exponentially often.
const WALK_BUDGET: usize = 100_000;

/// Finds the JSON path of the first string (or key) of an object that is not valid UTF-16.
/// Only used to explain a refused document, so it may be slow, but it is bounded: cycles end at
/// the depth limit, and the whole walk at [`WALK_BUDGET`] values (then the problem has no path).
fn lone_surrogate_path(
    value: &JsValue,
    path: &str,
    depth: usize,
    budget: &mut usize,
) -> Option<String> {
    if depth > 256 || *budget == 0 {
        return None;
    }
    *budget -= 1;
    if let Some(s) = value.dyn_ref::<JsString>() {
        return lone_surrogate(s).map(|_| path.to_owned());
    }
    if !value.is_object() {
        return None;
    }
    if Array::is_array(value) {
        let len = Reflect::get(value, &"length".into()).ok()?.as_f64()? as u32;
        for i in 0..len {
            let item = Reflect::get(value, &i.into()).ok()?;
            if let Some(p) = lone_surrogate_path(&item, &format!("{path}[{i}]"), depth + 1, budget)
            {
                return Some(p);
            }
        }
        return None;
    }
    for key in Reflect::own_keys(value).ok()?.iter() {
        let Some(k) = key.dyn_ref::<JsString>() else {
            continue;
        };
        let name = k.as_string().unwrap_or_default();
        let key_path = if path.is_empty() {
            name
        } else {
            format!("{path}.{name}")
        };
        if lone_surrogate(k).is_some() {
            return Some(key_path);
        }
        let item = Reflect::get(value, &key).ok()?;
        if let Some(p) = lone_surrogate_path(&item, &key_path, depth + 1, budget) {
            return Some(p);
        }
    }
    None
}

/// Reads a document with the engine's own reader for `doc`.
fn read<T>(
    value: &JsValue,
    doc: Doc,
    reader: impl FnOnce(&str) -> Result<T, InputError>,
) -> Result<T, InputError> {
    let text = document_text(value, doc)?;
    reader(&text).map_err(|e| {
        // `JSON.stringify` escapes a lone surrogate, which the JSON reader then refuses without a
        // path; name the field instead.
        let unparsable = matches!(e.problems.as_slice(), [only] if only.path.is_empty());
        if unparsable && !value.is_string() && !value.is_instance_of::<Uint8Array>() {
            if let Some(path) = lone_surrogate_path(value, "", 0, &mut WALK_BUDGET.clone()) {
                return refuse(
                    doc.kind(),
                    path,
                    "not valid UTF-16: the string has a lone surrogate",
                );
            }
        }
        e
    })
}

fn read_policy(value: &JsValue, doc: Doc) -> Result<Policy, InputError> {
    match doc {
        Doc::Municipality => read(value, doc, Policy::from_municipality_json_str),
        _ => read(value, doc, Policy::from_json_str),
    }
}

fn read_request(value: &JsValue) -> Result<Request, JsValue> {
    read(value, Doc::Request, Request::from_json_str).map_err(|e| js_error(&e))
}

// ---------------------------------------------------------------- handing results to JS

/// A plain JS value with exactly the canonical JSON of `value`.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    JSON::parse(&to_json(value)).unwrap_or(JsValue::NULL)
}

/// The overview's canonical JSON: the hand-written writer in the Node build (`wasm-speed`), serde in
/// the browser builds (smaller); byte for byte the same (tests/writer.rs).
fn overview_text(o: &crate::Overview) -> String {
    #[cfg(feature = "wasm-speed")]
    return crate::writer::overview_json(o);
    #[cfg(not(feature = "wasm-speed"))]
    to_json(o)
}

/// [`overview_text`], appended to `out`.
fn append_overview(o: &crate::Overview, out: &mut Vec<u8>) {
    #[cfg(feature = "wasm-speed")]
    crate::writer::write_overview(o, out);
    #[cfg(not(feature = "wasm-speed"))]
    // Plain data into a Vec: serialising cannot fail.
    let _ = serde_json::to_writer(out, o);
}

/// A real JS `Error` carrying the problems: `name`, `message`, `kind`, `problems`.
fn js_error(e: &InputError) -> JsValue {
    js_error_with(e, e.to_string())
}

/// The `BorgerblikError` of a refused NDJSON line: `js_error` with the line in `line` and in front
/// of the message, as the CLI puts `file:line` in front of it.
#[cfg(feature = "wasm-batch")]
fn line_error(e: LineError) -> JsValue {
    let input = match e.problem {
        LineProblem::Invalid(input) => input,
        problem => refuse(InputKind::Request, "", problem.to_string()),
    };
    let error = js_error_with(&input, format!("line {}: {input}", e.line));
    let _ = Reflect::set(&error, &"line".into(), &(e.line as f64).into());
    error
}

fn js_error_with(e: &InputError, message: String) -> JsValue {
    let error = js_sys::Error::new(&message);
    error.set_name("BorgerblikError");
    let kind = match e.kind {
        InputKind::Policy => "policy",
        InputKind::Request => "request",
    };
    // Setting a property on a fresh Error cannot fail; a failure would only lose the detail.
    let _ = Reflect::set(&error, &"kind".into(), &kind.into());
    let _ = Reflect::set(&error, &"problems".into(), &to_js(&e.problems));
    error.into()
}

fn validation(policy: Result<Policy, InputError>) -> crate::Validation {
    match policy {
        Ok(policy) => crate::Engine::validate(&policy),
        Err(e) => crate::Validation {
            valid: false,
            problems: e.problems,
            warnings: Vec::new(),
        },
    }
}

// ---------------------------------------------------------------- the Engine class

/// A policy validated and indexed once; then `evaluate` per request, synchronously.
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    engine: Rc<crate::Engine>,
    /// This engine's key in [`ENGINES`], so `diff` can find it from its JS object.
    id: u32,
}

thread_local! {
    /// The live engines by id: `diff(otherEngine, …)` gets from the JS object to its Rust engine
    /// without taking the object over (wasm-bindgen's conversion would move it out of JS).
    static ENGINES: RefCell<HashMap<u32, Weak<crate::Engine>>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

impl WasmEngine {
    fn register(engine: crate::Engine) -> WasmEngine {
        let engine = Rc::new(engine);
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        ENGINES.with(|m| m.borrow_mut().insert(id, Rc::downgrade(&engine)));
        WasmEngine { engine, id }
    }
}

impl Drop for WasmEngine {
    fn drop(&mut self) {
        ENGINES.with(|m| m.borrow_mut().remove(&self.id));
    }
}

fn build(policy: Result<Policy, InputError>) -> Result<crate::Engine, JsValue> {
    policy
        .and_then(crate::Engine::new)
        .map_err(|e| js_error(&e))
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// Reads, validates (SPEC §6) and indexes a policy `{ central?, municipality }`, given as an
    /// object or as JSON text. Throws a `BorgerblikError` listing every problem.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Policy | string | Uint8Array")] policy: JsValue,
    ) -> Result<WasmEngine, JsValue> {
        build(read_policy(&policy, Doc::Policy)).map(WasmEngine::register)
    }

    /// An engine for one municipality's settings under the built-in central rules (the CLI's
    /// `--municipality`).
    #[wasm_bindgen(js_name = withMunicipality)]
    pub fn with_municipality(
        #[wasm_bindgen(unchecked_param_type = "Municipality | string | Uint8Array")]
        municipality: JsValue,
    ) -> Result<WasmEngine, JsValue> {
        build(read_policy(&municipality, Doc::Municipality)).map(WasmEngine::register)
    }

    /// Validates a policy without keeping an engine. Never throws: an unreadable policy gives
    /// `valid: false` with its problems.
    #[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "Validation")]
    pub fn validate_policy(
        #[wasm_bindgen(unchecked_param_type = "Policy | string | Uint8Array")] policy: JsValue,
    ) -> JsValue {
        to_js(&validation(read_policy(&policy, Doc::Policy)))
    }

    /// `validatePolicy` for a municipality under the built-in central rules.
    #[wasm_bindgen(js_name = validateMunicipality, unchecked_return_type = "Validation")]
    pub fn validate_municipality(
        #[wasm_bindgen(unchecked_param_type = "Municipality | string | Uint8Array")]
        municipality: JsValue,
    ) -> JsValue {
        to_js(&validation(read_policy(&municipality, Doc::Municipality)))
    }

    /// Decides every record of a request (an object or JSON text); returns the overview as a
    /// plain object. Throws a `BorgerblikError` for an unreadable request envelope; an unreadable
    /// record is not an error but a hidden record with `INVALID_RECORD`.
    #[wasm_bindgen(unchecked_return_type = "Overview")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Request | string | Uint8Array")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = read_request(&request)?;
        let text = overview_text(&self.engine.evaluate(&request));
        Ok(JSON::parse(&text).unwrap_or(JsValue::NULL))
    }

    /// `evaluate` from JSON text to JSON text: the CLI's exact output, without building JS objects.
    /// Given UTF-8 bytes (a server's request body), it returns UTF-8 bytes: no string conversion.
    #[wasm_bindgen(js_name = evaluateJson, skip_typescript)]
    pub fn evaluate_json(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let overview = self.engine.evaluate(&read_request(&request)?);
        Ok(if request.is_instance_of::<Uint8Array>() {
            let mut out = Vec::with_capacity(1024);
            append_overview(&overview, &mut out);
            Uint8Array::from(out.as_slice()).into()
        } else {
            JsValue::from_str(&overview_text(&overview))
        })
    }

    /// `evaluateJson` for many requests in one call, as `borgerblik evaluate --ndjson`: one request
    /// per line (blank lines skipped), one overview per line. Text in gives text out; UTF-8 bytes
    /// in (`Uint8Array`, Node's `Buffer`) give UTF-8 bytes out, with no string conversion at either
    /// end (the fastest way from a file or socket in Node: BENCHMARKS.md). Throws a
    /// `BorgerblikError` with `line` at the first line that is not a request.
    ///
    /// What one call may produce is bounded (384 MiB, or `maxOutputBytes` when given and lower):
    /// each overview's size is bounded before it is written, and a call that would go past the
    /// bound throws a `BorgerblikError` without producing anything.
    #[cfg(feature = "wasm-batch")]
    #[wasm_bindgen(js_name = evaluateNdjson, skip_typescript)]
    pub fn evaluate_ndjson(
        &self,
        input: JsValue,
        max_output_bytes: JsValue,
    ) -> Result<JsValue, JsValue> {
        let refused = |message: String| js_error(&refuse(InputKind::Request, "", message));
        // Checked before the copy: a size wasm memory could not hold would abort the module.
        let within_limit = |size: u32| {
            if size as usize > MAX_NDJSON_BYTES {
                return Err(refused(format!(
                    "the NDJSON is {size} long, over the limit of {MAX_NDJSON_BYTES} a call: pass it in pieces of whole lines"
                )));
            }
            Ok(())
        };
        let text = input.dyn_ref::<JsString>();
        let bytes = if let Some(s) = text {
            within_limit(s.length())?;
            js_copy(s, InputKind::Request)
                .map_err(|e| js_error(&e))?
                .into_bytes()
        } else if let Some(array) = input.dyn_ref::<Uint8Array>() {
            within_limit(array.length())?;
            array.to_vec()
        } else {
            let got = if input.is_object() {
                "an object".into()
            } else {
                describe(&input)
            };
            return Err(refused(format!(
                "expected NDJSON as a string or a Uint8Array, got {got}"
            )));
        };
        let most = match max_output_bytes.as_f64() {
            // `as` saturates: negative and NaN give 0, huge values the built-in bound.
            Some(n) => (n as usize).min(MAX_NDJSON_OUTPUT_BYTES),
            None => MAX_NDJSON_OUTPUT_BYTES,
        };
        // Checked before each overview is written: running out of wasm memory would abort the
        // module, and a JS string has a maximum length. Refused, everything is freed.
        let out =
            evaluate_bounded(&self.engine, &bytes, most, append_overview).map_err(|e| match e {
                BatchError::Line(e) => line_error(e),
                too_much => refused(too_much.to_string()),
            })?;
        Ok(if text.is_some() {
            // Every byte written is ASCII or copied whole from a `str`.
            JsValue::from_str(std::str::from_utf8(&out).unwrap_or_default())
        } else {
            Uint8Array::from(out.as_slice()).into()
        })
    }

    /// A plain-text table of the decisions a caseworker can follow (the CLI's `explain`).
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Request | string | Uint8Array")] request: JsValue,
    ) -> Result<String, JsValue> {
        let request = read_request(&request)?;
        let overview = self.engine.evaluate(&request);
        Ok(explain::explain(&request, &overview))
    }

    /// What-if: evaluates the request under this engine's policy (`before`) and under `other`
    /// (`after`): another `Engine`, or a policy object or JSON text.
    #[wasm_bindgen(unchecked_return_type = "Diff")]
    pub fn diff(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Engine | Policy | string | Uint8Array")]
        other: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Request | string | Uint8Array")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let freed = || {
            js_error(&refuse(
                InputKind::Policy,
                "",
                "the other Engine has been freed",
            ))
        };
        let other = match other_engine(&other) {
            Other::Engine(id) => ENGINES
                .with(|m| m.borrow().get(&id).and_then(Weak::upgrade))
                .ok_or_else(freed)?,
            Other::Freed => return Err(freed()),
            Other::NotAnEngine => Rc::new(build(read_policy(&other, Doc::Policy))?),
        };
        let request = read_request(&request)?;
        let mut summary = DiffSummary::default();
        let changes = explain::diff_request(&self.engine, &other, &request, &mut summary);
        #[derive(Serialize)]
        struct Diff {
            changes: Vec<explain::Change>,
            summary: DiffSummary,
        }
        Ok(to_js(&Diff {
            changes,
            summary: summary.finish(),
        }))
    }

    /// Unknown or retired KLE numbers in the municipality's selectors; they never change a decision.
    #[wasm_bindgen(getter, unchecked_return_type = "Problem[]")]
    pub fn warnings(&self) -> JsValue {
        to_js(&self.engine.warnings())
    }

    /// `"sha256:<hex>"` of the effective policy as canonical JSON.
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.engine.fingerprint().to_owned()
    }

    /// The key `diff` uses to find this engine (not part of the typed API).
    #[wasm_bindgen(getter = __borgerblikEngineId, skip_typescript)]
    pub fn engine_id(&self) -> u32 {
        self.id
    }
}

/// What a value given as "the other engine" is.
enum Other {
    /// A live `Engine`, by its id.
    Engine(u32),
    /// An `Engine` whose Rust side is gone (`free()` was called): its id getter throws.
    Freed,
    /// Anything else, such as a policy document.
    NotAnEngine,
}

/// Tells an `Engine` (live or freed) from a policy document by the id getter on its prototype.
fn other_engine(value: &JsValue) -> Other {
    let key = JsValue::from_str("__borgerblikEngineId");
    if !value.is_object() || !Reflect::has(value, &key).unwrap_or(false) {
        return Other::NotAnEngine;
    }
    match Reflect::get(value, &key).ok().and_then(|id| id.as_f64()) {
        Some(id) => u32::try_from(id as u64).map_or(Other::Freed, Other::Engine),
        None => Other::Freed,
    }
}

// ---------------------------------------------------------------- the KLE catalogue

/// The built-in central rules (SPEC §5) as a plain object: a page needs the etape dates, and a
/// central override replaces a section whole, so it must start from the built-in one.
#[wasm_bindgen(js_name = builtinCentral, unchecked_return_type = "Central")]
pub fn builtin_central() -> JsValue {
    // Through a `Value`, whose serialisation the module already has (the fingerprint, messages):
    // serialising `Central` to text directly would add ~1 KB gzip to a module at its size budget.
    let value = serde_json::to_value(crate::policy::builtin::central()).unwrap_or_default();
    let mut text = String::new();
    crate::json::write_json(&value, &mut text, usize::MAX);
    JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// The title of a KLE number (`"27"`, `"27.36"` or `"27.36.04"`) in the embedded catalogue,
/// without any `[udgår YYYY]` marker; `undefined` when the catalogue lacks it.
#[wasm_bindgen(js_name = kleTitle)]
pub fn kle_title(
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Option<String> {
    let number = number.as_string()?;
    catalogue::title(&number).map(str::to_owned)
}

/// The catalogue entry of a KLE number: `{ number, title, retired }`, or `undefined`.
#[wasm_bindgen(js_name = kleLookup, unchecked_return_type = "KleEntry | undefined")]
pub fn kle_lookup(#[wasm_bindgen(unchecked_param_type = "string")] number: JsValue) -> JsValue {
    number
        .as_string()
        .and_then(|n| catalogue::lookup(&n))
        .map_or(JsValue::UNDEFINED, to_js)
}

/// Case-insensitive search by number prefix or title text: number matches first, then titles
/// starting with the query, then titles containing it; at most `limit` (default 20) entries.
/// Typed in `TS_EXTRA` (wasm-bindgen cannot declare an optional parameter of a `JsValue`).
#[wasm_bindgen(js_name = kleSearch, skip_typescript)]
pub fn kle_search(query: JsValue, limit: JsValue) -> JsValue {
    let limit = match limit.as_f64() {
        // `as` saturates: negative and NaN give 0, huge values the whole catalogue.
        Some(n) => n as usize,
        None => 20,
    };
    let query = query.as_string().unwrap_or_default();
    to_js(&catalogue::search(&query, limit))
}

/// The version of the borgerblik crate this module was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
