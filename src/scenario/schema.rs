//! The scenario format's JSON Schema (`docs/scenario.schema.json`), checked by a small validator of
//! exactly the keywords that file uses.
//!
//! Why not the `jsonschema` crate: it brings regex engines, URI resolution and a few dozen crates into
//! the CLI to check one small, fixed schema. This validator reads the schema file itself (embedded at
//! build time), so the published schema and the command cannot drift apart, and
//! [`Schema::unsupported_keywords`] (asserted empty by the tests) stops anyone from adding a keyword the
//! validator would silently ignore.

use serde_json::{Map, Value};

use crate::json::Problem;

/// The schema text, as published in the repository.
pub const SCENARIO_SCHEMA: &str = include_str!("../../docs/scenario.schema.json");

/// Keywords that constrain a value; the validator implements each of them.
const ASSERTIONS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "items",
    "enum",
    "minimum",
    "not",
    "allOf",
    "$ref",
];
/// Keywords that only annotate (or hold definitions reached through `$ref`).
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "$defs",
    "$comment",
];

/// A parsed schema.
pub struct Schema {
    root: Value,
}

impl Schema {
    /// Parses a schema document.
    pub fn parse(text: &str) -> Result<Schema, String> {
        let root: Value =
            serde_json::from_str(text).map_err(|e| format!("the schema is not JSON: {e}"))?;
        Ok(Schema { root })
    }

    /// The scenario schema, parsed once.
    pub fn scenario() -> Result<&'static Schema, String> {
        static SCHEMA: std::sync::OnceLock<Result<Schema, String>> = std::sync::OnceLock::new();
        SCHEMA
            .get_or_init(|| Schema::parse(SCENARIO_SCHEMA))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The schema itself, for tests and tools.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// Keywords in the schema this validator does not implement (paths into the schema); must be empty.
    pub fn unsupported_keywords(&self) -> Vec<String> {
        let mut out = Vec::new();
        unsupported(&self.root, "#", &mut out);
        out
    }

    /// Every way `value` breaks the schema, each with its JSON path (`expect.reasons.S-1[0]`).
    pub fn validate(&self, value: &Value) -> Vec<Problem> {
        let mut out = Vec::new();
        self.check(&self.root, value, "", &mut out, 0);
        out
    }

    fn resolve<'a>(&'a self, reference: &str) -> Option<&'a Value> {
        let mut at = &self.root;
        for part in reference.strip_prefix("#/")?.split('/') {
            at = at.get(part)?;
        }
        Some(at)
    }

    fn check(&self, schema: &Value, v: &Value, path: &str, out: &mut Vec<Problem>, depth: usize) {
        let push = |out: &mut Vec<Problem>, path: &str, message: String| {
            out.push(Problem {
                path: path.to_owned(),
                message,
            })
        };
        // A `$ref` cycle in a broken schema must not overflow the stack.
        if depth > 64 {
            return push(out, path, "the schema nests too deeply".into());
        }
        let schema = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return push(out, path, "not allowed here".into()),
            Value::Object(s) => s,
            _ => return push(out, path, "the schema is malformed here".into()),
        };
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            match self.resolve(r) {
                Some(target) => self.check(target, v, path, out, depth + 1),
                None => push(out, path, format!("the schema's reference {r} is missing")),
            }
        }
        if let Some(t) = schema.get("type") {
            let allowed: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !allowed.iter().any(|t| has_type(v, t)) {
                let want = allowed.join(" or ");
                return push(out, path, format!("expected {want}, got {}", kind(v)));
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(v) {
                let list: Vec<String> = options.iter().map(Value::to_string).collect();
                let shown = match v {
                    // The author's own spelling helps them find the typo; never a long text.
                    Value::String(s) if s.chars().count() <= 40 => format!("{v}"),
                    _ => kind(v).to_owned(),
                };
                push(
                    out,
                    path,
                    format!("{shown} is not one of {}", list.join(", ")),
                );
            }
        }
        if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
            if n < min {
                push(out, path, format!("expected at least {min}, got {n}"));
            }
        }
        for sub in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(sub, v, path, out, depth + 1);
        }
        if let Some(sub) = schema.get("not") {
            let mut inner = Vec::new();
            self.check(sub, v, path, &mut inner, depth + 1);
            if inner.is_empty() {
                let why = schema
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("this combination is not allowed");
                push(out, path, why.to_owned());
            }
        }
        if let Value::Object(map) = v {
            self.check_object(schema, map, path, out, depth);
        }
        if let (Value::Array(items), Some(item_schema)) = (v, schema.get("items")) {
            for (i, item) in items.iter().enumerate() {
                self.check(item_schema, item, &format!("{path}[{i}]"), out, depth + 1);
            }
        }
    }

    fn check_object(
        &self,
        schema: &Map<String, Value>,
        map: &Map<String, Value>,
        path: &str,
        out: &mut Vec<Problem>,
        depth: usize,
    ) {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(key) {
                out.push(Problem {
                    path: join(path, key),
                    message: "missing; it is required".into(),
                });
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, value) in map {
            let at = join(path, key);
            if let Some(names) = schema.get("propertyNames") {
                self.check(names, &Value::String(key.clone()), &at, out, depth + 1);
            }
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => self.check(sub, value, &at, out, depth + 1),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(Problem {
                        path: at,
                        message: "unknown field".into(),
                    }),
                    Some(sub) => self.check(sub, value, &at, out, depth + 1),
                    None => {}
                },
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Walks a schema and lists keywords outside [`ASSERTIONS`] and [`ANNOTATIONS`].
fn unsupported(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = schema else {
        return;
    };
    for (key, value) in map {
        let here = format!("{at}/{key}");
        if !ASSERTIONS.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
            out.push(here.clone());
        }
        match key.as_str() {
            "properties" | "$defs" => {
                for (name, sub) in value.as_object().into_iter().flatten() {
                    unsupported(sub, &format!("{here}/{name}"), out);
                }
            }
            "allOf" => {
                for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                    unsupported(sub, &format!("{here}/{i}"), out);
                }
            }
            "additionalProperties" | "propertyNames" | "items" | "not" => {
                unsupported(value, &here, out)
            }
            _ => {}
        }
    }
}
