//! `importIndex(files, options)` (IMPORT.md §1): the SF1470 / Ydelsesindeks importer for JS, a thin
//! adapter over [`crate::import::import`] (cargo feature `import`; a child of `wasm.rs`, whose
//! helpers for reading JS text it uses).
//!
//! The result's `request` is the CLI's stdout parsed: `JSON.stringify(result.request)` equals the
//! CLI's output byte for byte (tests/node/import.test.mjs). A refused file, bad options or a bad
//! profile throw a `BorgerblikError` with `kind: "import"`.

use js_sys::{Array, JsString, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{describe, has_replacement_char, lone_surrogate, thrown_message};
use crate::import::{import, ImportError, ImportFile, ImportOptions, Profile};
use crate::json::Problem;
use crate::limits::{MAX_XML_BYTES, MAX_XML_FILES, MAX_XML_TOTAL_BYTES};

#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORT: &'static str = r#"
/** One XML file for `importIndex`: a name for messages and its text or UTF-8 bytes. */
export type ImportFileInput = { name: string; data: string | Uint8Array };

/** What the index cannot tell (docs/import.md "The profile"); every key optional. */
export type ImportProfile = {
  udkCvr?: string[];
  visningsklasse?: { roles?: string[]; classes?: string[] };
  itSystems?: Record<string, string>;
  propertyOwners?: Record<string, string[]>;
};

/** `importIndex` options: the evaluation date (YYYY-MM-DD), the viewer and subject CPR, the profile. */
export type ImportOptions = {
  asOf: string;
  viewer: string;
  subject?: string | null;
  profile?: ImportProfile | string | null;
};

/** A problem with one object: the file, the XML path, a message starting with the object's UUID. */
export type ImportProblem = { file: string; path: string; message: string };

/** A file that cannot be imported at all, with the position. */
export type ImportRefusal = { file: string; line: number; column: number; message: string };

/** What `importIndex` returns: a request ready for `Engine.evaluate`, and the problems. */
export type ImportResult = { request: Request; problems: ImportProblem[] };

/**
 * What `importIndex` throws: `refusals` lists every refused file with line and column (also as
 * `problems`, path `file:line:column`); bad options or profile give `problems` with their path.
 */
export interface ImportIndexError extends Error {
  name: "BorgerblikError";
  kind: "import";
  problems: Problem[];
  refusals: ImportRefusal[];
}
"#;

/// The thrown `BorgerblikError` of the importer: `kind: "import"`, `problems`, `refusals`.
fn import_error(problems: &[Problem], refusals: &[crate::import::Refusal]) -> JsValue {
    let mut message = String::from("cannot import");
    for p in problems {
        message.push_str("\n  ");
        message.push_str(&p.to_string());
    }
    let error = js_sys::Error::new(&message);
    error.set_name("BorgerblikError");
    let _ = Reflect::set(&error, &"kind".into(), &"import".into());
    let _ = Reflect::set(&error, &"problems".into(), &super::to_js(&problems));
    let _ = Reflect::set(&error, &"refusals".into(), &super::to_js(&refusals));
    error.into()
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

fn fail(path: impl Into<String>, message: impl Into<String>) -> JsValue {
    import_error(&[problem(path, message)], &[])
}

/// A file's `data` as bytes: UTF-8 bytes as they are, a string as its UTF-8 (refusing a lone
/// surrogate, which a plain copy would turn into U+FFFD). Over the size limit the bytes are cut one
/// past it, so the importer refuses the file with its position, as the CLI does.
fn file_bytes(data: &JsValue, path: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(bytes) = data.dyn_ref::<Uint8Array>() {
        let len = (bytes.length() as usize).min(MAX_XML_BYTES + 1);
        return Ok(bytes.subarray(0, len as u32).to_vec());
    }
    if let Some(s) = data.dyn_ref::<JsString>() {
        let units = s.length() as usize;
        let s = if units > MAX_XML_BYTES + 1 {
            s.slice(0, (MAX_XML_BYTES + 1) as u32)
        } else {
            s.clone()
        };
        let text = s.as_string().unwrap_or_default();
        if has_replacement_char(&text) {
            if let Some(at) = lone_surrogate(&s) {
                return Err(fail(
                    path,
                    format!("the text is not valid UTF-16: a lone surrogate at character {at}"),
                ));
            }
        }
        return Ok(text.into_bytes());
    }
    Err(fail(
        path,
        format!("expected a string or a Uint8Array, got {}", describe(data)),
    ))
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn optional_string(object: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = get(object, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| fail(key, format!("expected a string, got {}", describe(&v))))
}

/// The options object: `{ asOf, viewer, subject?, profile? }`, unknown keys refused.
fn options(value: &JsValue) -> Result<ImportOptions, JsValue> {
    if !value.is_object() {
        return Err(fail(
            "",
            format!("expected the options as an object, got {}", describe(value)),
        ));
    }
    let keys = Reflect::own_keys(value).map_err(|e| fail("", thrown_message(&e)))?;
    for key in keys.iter() {
        let k = key.as_string().unwrap_or_default();
        if !["asOf", "viewer", "subject", "profile"].contains(&k.as_str()) {
            return Err(fail(k, "unknown option (asOf, viewer, subject, profile)"));
        }
    }
    let as_of = optional_string(value, "asOf")?.ok_or_else(|| fail("asOf", "required"))?;
    let viewer = optional_string(value, "viewer")?.ok_or_else(|| fail("viewer", "required"))?;
    let subject = optional_string(value, "subject")?;
    let p = get(value, "profile");
    let profile = if p.is_undefined() || p.is_null() {
        Profile::default()
    } else {
        let text = match p.as_string() {
            Some(t) => t,
            None => JSON::stringify(&p)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| fail("profile", "the profile has no JSON form"))?,
        };
        Profile::from_json_str(&text).map_err(|problems| {
            let problems: Vec<Problem> = problems
                .into_iter()
                .map(|q| {
                    let path = if q.path.is_empty() {
                        "profile".to_owned()
                    } else {
                        format!("profile.{}", q.path)
                    };
                    problem(path, q.message)
                })
                .collect();
            import_error(&problems, &[])
        })?
    };
    ImportOptions::new(&as_of, &viewer, subject.as_deref(), profile)
        .map_err(|problems| import_error(&problems, &[]))
}

/// Imports SF1470 v6 Sag/Dokument and Ydelsesindeks v6 XML (importer bodies or fremsoeg answers,
/// bare or in a SOAP envelope) into a request for `options.asOf`, as `borgerblik import` does.
#[wasm_bindgen(js_name = importIndex, unchecked_return_type = "ImportResult")]
pub fn import_index(
    #[wasm_bindgen(unchecked_param_type = "ImportFileInput[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ImportOptions")] options_value: JsValue,
) -> Result<JsValue, JsValue> {
    let options = options(&options_value)?;
    if !Array::is_array(&files) {
        return Err(fail(
            "files",
            "expected an array of { name, data }".to_owned(),
        ));
    }
    let files = Array::from(&files);
    if files.length() as usize > MAX_XML_FILES {
        return Err(fail(
            "files",
            format!("more than {MAX_XML_FILES} files in one import"),
        ));
    }
    let mut read: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.length() as usize);
    let mut total = 0usize;
    for (i, f) in files.iter().enumerate() {
        // The run's total is bounded before each copy into wasm memory (the importer refuses it
        // again with the file's name, as the CLI does).
        if total > MAX_XML_TOTAL_BYTES {
            break;
        }
        let path = format!("files[{i}]");
        if !f.is_object() {
            return Err(fail(
                path,
                format!("expected {{ name, data }}, got {}", describe(&f)),
            ));
        }
        let name = get(&f, "name")
            .as_string()
            .ok_or_else(|| fail(format!("{path}.name"), "expected a string"))?;
        let data = file_bytes(&get(&f, "data"), &format!("{path}.data"))?;
        total = total.saturating_add(data.len());
        read.push((name, data));
    }
    let inputs: Vec<ImportFile<'_>> = read
        .iter()
        .map(|(name, data)| ImportFile { name, data })
        .collect();
    match import(&inputs, &options) {
        Ok(imported) => {
            let problems = crate::to_json(&imported.problems);
            let text = format!(
                "{{\"request\":{},\"problems\":{problems}}}",
                imported.request_json()
            );
            JSON::parse(&text).map_err(|e| fail("", thrown_message(&e)))
        }
        Err(ImportError { refusals }) => {
            let problems: Vec<Problem> = refusals
                .iter()
                .map(|r| {
                    problem(
                        format!("{}:{}:{}", r.file, r.line, r.column),
                        r.message.clone(),
                    )
                })
                .collect();
            Err(import_error(&problems, &refusals))
        }
    }
}
