//! Scenario files: pinned rule outcomes that `borgerblik test` runs and the project's own suite
//! (`tests/scenarios/`) runs through the same code. The format is documented in `docs/scenarios.md`
//! and checked against `docs/scenario.schema.json` ([`schema`]).
//!
//! A run has two phases. Loading ([`load_all`]) reads every file a scenario needs (the scenario, its
//! request file or index files) and refuses the run when any is unreadable (exit 2, naming the file
//! and the JSON path). Running ([`Scenario::run`]) is pure: the engine's outcome, checked against
//! `expect` ([`check`]) and against the `NAME.overview.json` snapshot beside the file ([`snapshot`]).
//! The runner never reads the clock; the same files give the same report.

pub mod check;
pub mod index;
pub mod report;
pub mod schema;
pub mod snapshot;
mod strict;

use std::io::Read;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::json::Problem;
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::{Engine, InputError, Overview, Policy, Request};

#[cfg(feature = "import")]
pub use index::LibraryImport;
pub use index::{IndexImport, IndexOptions, NoIndexImport};

/// The suffix of a snapshot file; such files are never read as scenarios.
pub const SNAPSHOT_SUFFIX: &str = ".overview.json";

/// One unreadable input: the file and what is wrong (with its JSON path when there is one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub problem: Problem,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.problem)
    }
}

fn load_error(file: &Path, path: &str, message: impl Into<String>) -> LoadError {
    LoadError {
        file: file.display().to_string(),
        problem: Problem {
            path: path.to_owned(),
            message: message.into(),
        },
    }
}

/// Where a scenario's policy comes from.
#[derive(Debug, Clone)]
enum PolicySource {
    /// `policy` in the scenario (its JSON text).
    Policy(String),
    /// `municipality` in the scenario (its JSON text), under the built-in central rules.
    Municipality(String),
    /// Neither: the command line's `--policy`/`--municipality`.
    CommandLine,
}

/// A loaded scenario: the document, and the texts of its policy and request.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file, as found.
    pub file: PathBuf,
    /// The file name without `.json`.
    pub name: String,
    pub note: String,
    /// The whole scenario document.
    pub doc: Value,
    policy: PolicySource,
    /// The request's JSON text (inline, from `requestFile`, or imported from `indexFiles`); `None` for a
    /// policy-only scenario.
    request: Option<String>,
}

/// Reads a file whole, refusing one over the engine's document limit before reading past it.
pub fn read_bounded(file: &Path) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::new();
    let limit = (MAX_DOCUMENT_BYTES + 1) as u64;
    std::fs::File::open(file)
        .and_then(|f| f.take(limit).read_to_end(&mut bytes))
        .map_err(|e| load_error(file, "", format!("cannot read: {e}")))?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(load_error(
            file,
            "",
            format!("the file is over the limit of {MAX_DOCUMENT_BYTES} bytes (10 MiB)"),
        ));
    }
    Ok(bytes)
}

fn read_text(file: &Path) -> Result<String, LoadError> {
    String::from_utf8(read_bounded(file)?)
        .map_err(|e| load_error(file, "", format!("not valid UTF-8: {e}")))
}

/// The parts of a scenario kept as text, so the engine reads them exactly as `borgerblik evaluate`
/// reads a file (duplicate keys and all).
#[derive(Deserialize)]
struct RawParts<'a> {
    #[serde(borrow)]
    policy: Option<&'a RawValue>,
    #[serde(borrow)]
    municipality: Option<&'a RawValue>,
    #[serde(borrow)]
    request: Option<&'a RawValue>,
}

/// Is this JSON document a scenario? Only files with a top-level `expect` are; other JSON files in a
/// scenario folder (request files, municipality files) are not.
fn is_scenario(doc: &Value) -> bool {
    doc.get("expect").is_some()
}

impl Scenario {
    /// Reads and checks one scenario file, with the files it names. `required`: the file was named on
    /// the command line, so it must be a scenario; in a folder, other JSON files are skipped (`Ok(None)`).
    pub fn load(
        file: &Path,
        required: bool,
        importer: &(dyn IndexImport + Sync),
    ) -> Result<Option<Scenario>, Vec<LoadError>> {
        let one = |e: LoadError| vec![e];
        let text = read_text(file).map_err(one)?;
        let to_errors = |problems: Vec<Problem>| {
            problems
                .into_iter()
                .map(|problem| LoadError {
                    file: file.display().to_string(),
                    problem,
                })
                .collect::<Vec<_>>()
        };
        // A key twice is refused only once the file is known to be a scenario: other JSON files in a
        // scenario folder (request files, say) are not the runner's to judge.
        let (doc, duplicates) = match strict::parse(&text) {
            Ok(doc) => (doc, Vec::new()),
            Err(duplicates) => match serde_json::from_str::<Value>(&text) {
                Ok(doc) => (doc, duplicates),
                Err(e) => return Err(one(load_error(file, "", format!("not valid JSON: {e}")))),
            },
        };
        if !is_scenario(&doc) {
            if required {
                return Err(one(load_error(
                    file,
                    "expect",
                    "missing: a scenario file needs `expect` (docs/scenarios.md)",
                )));
            }
            return Ok(None);
        }
        if !duplicates.is_empty() {
            return Err(to_errors(duplicates));
        }
        let schema = schema::Schema::scenario().map_err(|e| one(load_error(file, "", e)))?;
        let problems = schema.validate(&doc);
        if !problems.is_empty() {
            return Err(to_errors(problems));
        }
        let raw: RawParts<'_> = serde_json::from_str(&text)
            .map_err(|e| one(load_error(file, "", format!("not valid JSON: {e}"))))?;
        // `policyText`/`municipalityText`/`requestText` carry input a JSON value cannot hold (a key
        // twice, a lone surrogate escape, `1e400`) as text; the schema allows one form of each.
        let text_field = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_owned);
        let policy = match (raw.policy, raw.municipality) {
            (Some(p), _) => PolicySource::Policy(p.get().to_owned()),
            (None, Some(m)) => PolicySource::Municipality(m.get().to_owned()),
            (None, None) => match (text_field("policyText"), text_field("municipalityText")) {
                (Some(p), _) => PolicySource::Policy(p),
                (None, Some(m)) => PolicySource::Municipality(m),
                (None, None) => PolicySource::CommandLine,
            },
        };
        let dir = file.parent().unwrap_or_else(|| Path::new("."));
        let request = if let Some(r) = raw.request {
            Some(r.get().to_owned())
        } else if let Some(text) = text_field("requestText") {
            Some(text)
        } else if let Some(name) = doc.get("requestFile").and_then(Value::as_str) {
            Some(read_text(&dir.join(name)).map_err(|mut e| {
                e.problem.message = format!("requestFile {name:?}: {}", e.problem.message);
                vec![e]
            })?)
        } else if let Some(files) = doc.get("indexFiles").and_then(Value::as_array) {
            Some(index::import(file, dir, &doc, files, importer)?)
        } else {
            None
        };
        Ok(Some(Scenario {
            file: file.to_owned(),
            name: {
                let n = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                n.strip_suffix(".json").map(str::to_owned).unwrap_or(n)
            },
            note: doc
                .get("note")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            doc,
            policy,
            request,
        }))
    }

    /// The scenario's `expect`.
    pub fn expectation(&self) -> &Value {
        self.doc.get("expect").unwrap_or(&Value::Null)
    }

    /// Whether the scenario brings its own policy (else it needs `--policy`/`--municipality`).
    pub fn has_policy(&self) -> bool {
        !matches!(self.policy, PolicySource::CommandLine)
    }

    /// The scenario's own policy; `None` when it takes the command line's.
    pub fn policy(&self) -> Option<Result<Policy, InputError>> {
        match &self.policy {
            PolicySource::Policy(text) => Some(Policy::from_json_str(text)),
            PolicySource::Municipality(text) => Some(Policy::from_municipality_json_str(text)),
            PolicySource::CommandLine => None,
        }
    }

    /// The snapshot file beside the scenario: `NAME.overview.json`.
    pub fn snapshot_path(&self) -> PathBuf {
        self.file
            .with_file_name(format!("{}{SNAPSHOT_SUFFIX}", self.name))
    }

    /// Runs the scenario under its own policy, else `fallback` (the command line's engine).
    pub fn run(&self, fallback: Option<&Engine>) -> Outcome {
        let own;
        let engine = match self.policy() {
            Some(parsed) => match parsed.and_then(Engine::new) {
                Ok(e) => {
                    own = e;
                    &own
                }
                Err(e) => return Outcome::PolicyRefused(e.problems),
            },
            None => match fallback {
                Some(e) => e,
                None => {
                    return Outcome::PolicyRefused(vec![Problem {
                        path: String::new(),
                        message: "no policy: give `policy` or `municipality`, or --policy".into(),
                    }])
                }
            },
        };
        let warnings = engine.warnings().to_vec();
        let Some(text) = &self.request else {
            return Outcome::PolicyOnly { warnings };
        };
        match Request::from_json_str(text) {
            Ok(r) => Outcome::Evaluated {
                warnings,
                overview: engine.evaluate(&r),
            },
            Err(e) => Outcome::RequestRefused {
                warnings,
                problems: e.problems,
            },
        }
    }
}

/// What running a scenario produced.
#[derive(Debug, Clone)]
pub enum Outcome {
    PolicyRefused(Vec<Problem>),
    RequestRefused {
        warnings: Vec<Problem>,
        problems: Vec<Problem>,
    },
    PolicyOnly {
        warnings: Vec<Problem>,
    },
    Evaluated {
        warnings: Vec<Problem>,
        overview: Overview,
    },
}

/// The `*.json` files under `path` (itself when a file), recursively, in sorted order, without snapshots.
pub fn files_under(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let meta =
        std::fs::metadata(path).map_err(|e| load_error(path, "", format!("cannot read: {e}")))?;
    if meta.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut out = Vec::new();
    walk(path, &mut out, 0)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), LoadError> {
    // Folders are walked without following links to folders, so a link loop cannot recurse forever;
    // the depth bound is a second guard.
    if depth > 32 {
        return Err(load_error(dir, "", "folders nest more than 32 deep"));
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| load_error(dir, "", format!("cannot read: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| load_error(dir, "", format!("cannot read: {e}")))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| load_error(&path, "", format!("cannot read: {e}")))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Hidden entries (.git, editor files) and node_modules are never scenarios.
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if kind.is_dir() {
            walk(&path, out, depth + 1)?;
            continue;
        }
        let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
        if is_file && name.ends_with(".json") && !name.ends_with(SNAPSHOT_SUFFIX) {
            out.push(path);
        }
    }
    Ok(())
}

/// Finds and loads every scenario under `paths` (files or folders), in argument order and sorted
/// within each folder. Every unreadable file is reported, not just the first.
pub fn load_all(
    paths: &[PathBuf],
    importer: &(dyn IndexImport + Sync),
    jobs: NonZeroUsize,
) -> Result<Vec<Scenario>, Vec<LoadError>> {
    // Every file to load, and every folder that cannot be read, in order; then the files are
    // loaded on `jobs` threads, their results kept in that order.
    let mut found: Vec<Result<(PathBuf, bool), LoadError>> = Vec::new();
    for path in paths {
        let named_file = path.is_file();
        match files_under(path) {
            Err(e) => found.push(Err(e)),
            Ok(files) => found.extend(files.into_iter().map(|file| Ok((file, named_file)))),
        }
    }
    let loaded = crate::batch::map_in_order(&found, jobs, |entry| match entry {
        Ok((file, named_file)) => Scenario::load(file, *named_file, importer),
        Err(e) => Err(vec![e.clone()]),
    });
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for result in loaded {
        match result {
            Ok(Some(s)) => scenarios.push(s),
            Ok(None) => {}
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(scenarios)
    } else {
        Err(errors)
    }
}

/// What one scenario's run found.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    /// The scenario file, as found.
    pub file: String,
    pub name: String,
    /// Every way the outcome differs from `expect`.
    pub mismatches: Vec<String>,
    pub snapshot: snapshot::SnapshotState,
}

impl ScenarioResult {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty() && !matches!(self.snapshot, snapshot::SnapshotState::Differs(_))
    }
}

/// Options of a run.
pub struct RunOptions<'a> {
    /// The policy of scenarios without their own.
    pub fallback: Option<&'a Engine>,
    /// Write `NAME.overview.json` snapshots (new and changed) instead of failing on a difference.
    pub update: bool,
}

/// Runs one loaded scenario: checks `expect`, then compares (or with `update` writes) its snapshot.
/// Only writing a snapshot can fail (exit 1: the input did not cause it).
pub fn run_one(s: &Scenario, options: &RunOptions<'_>) -> Result<ScenarioResult, String> {
    let mut mismatches = Vec::new();
    if !s.has_policy() && options.fallback.is_none() {
        mismatches.push(
            "no policy: the scenario has neither `policy` nor `municipality`; give --policy or --municipality"
                .to_owned(),
        );
    }
    let outcome = s.run(options.fallback);
    if mismatches.is_empty() {
        mismatches = check::check(s.expectation(), &outcome);
    }
    let snapshot = snapshot::compare_or_update(&s.snapshot_path(), &outcome, options.update)?;
    Ok(ScenarioResult {
        file: s.file.display().to_string(),
        name: s.name.clone(),
        mismatches,
        snapshot,
    })
}

/// The options of `borgerblik test`.
#[derive(Debug, Clone, Default)]
pub struct CommandOptions {
    /// Scenario files or folders; empty: the current folder.
    pub paths: Vec<PathBuf>,
    /// `--policy P.json` for scenarios without their own policy.
    pub policy: Option<PathBuf>,
    /// `--municipality M.json` (under the built-in central rules) for scenarios without their own policy.
    pub municipality: Option<PathBuf>,
    pub update: bool,
    /// Print the JSON report instead of the human one.
    pub json: bool,
    /// Also write a JUnit XML report here.
    pub junit: Option<PathBuf>,
    /// Threads that load and run the scenarios (`--jobs`); `None`: every available core. The
    /// report is the same whatever the number.
    pub jobs: Option<NonZeroUsize>,
}

/// What `borgerblik test` prints and its exit code: 0 all passed, 1 any failed (or an output could
/// not be written), 2 unreadable input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandResult {
    pub exit: u8,
    pub stdout: String,
    /// Lines for stderr (without `error: `/`warning: ` prefixes, which they carry already).
    pub stderr: Vec<String>,
}

fn input_failure(errors: Vec<LoadError>) -> CommandResult {
    CommandResult {
        exit: 2,
        stdout: String::new(),
        stderr: errors.iter().map(|e| format!("error: {e}")).collect(),
    }
}

/// The command line's policy, when given: `Err` (exit 2) when it is unreadable or refused.
fn command_engine(o: &CommandOptions) -> Result<Option<Engine>, Vec<LoadError>> {
    let (file, municipality) = match (&o.policy, &o.municipality) {
        (Some(p), _) => (p, false),
        (None, Some(m)) => (m, true),
        (None, None) => return Ok(None),
    };
    let text = read_text(file).map_err(|e| vec![e])?;
    let parsed = if municipality {
        Policy::from_municipality_json_str(&text)
    } else {
        Policy::from_json_str(&text)
    };
    parsed.and_then(Engine::new).map(Some).map_err(|e| {
        e.problems
            .into_iter()
            .map(|problem| LoadError {
                file: file.display().to_string(),
                problem,
            })
            .collect()
    })
}

/// Runs `borgerblik test`: loads everything (exit 2 on any unreadable file), runs every scenario,
/// reports, and writes the JUnit file when asked.
pub fn command(o: &CommandOptions, importer: &(dyn IndexImport + Sync)) -> CommandResult {
    let engine = match command_engine(o) {
        Ok(e) => e,
        Err(errors) => return input_failure(errors),
    };
    let default_paths = [PathBuf::from(".")];
    let paths = if o.paths.is_empty() {
        &default_paths[..]
    } else {
        &o.paths[..]
    };
    let jobs = o.jobs.unwrap_or_else(crate::batch::available_jobs);
    let scenarios = match load_all(paths, importer, jobs) {
        Ok(s) => s,
        Err(errors) => return input_failure(errors),
    };
    if engine.is_none() {
        let lacking: Vec<LoadError> = scenarios
            .iter()
            .filter(|s| !s.has_policy())
            .map(|s| {
                load_error(
                    &s.file,
                    "",
                    "no policy: the scenario has neither `policy` nor `municipality`; give --policy or --municipality",
                )
            })
            .collect();
        if !lacking.is_empty() {
            return input_failure(lacking);
        }
    }
    let mut stderr = Vec::new();
    if let Some(e) = &engine {
        let name = o.policy.as_ref().or(o.municipality.as_ref());
        let name = name.map(|p| p.display().to_string()).unwrap_or_default();
        stderr.extend(e.warnings().iter().map(|w| format!("warning: {name}: {w}")));
    }
    let options = RunOptions {
        fallback: engine.as_ref(),
        update: o.update,
    };
    // Each scenario on its own (its snapshot file is its own); the report keeps the files' order.
    // A snapshot that cannot be written stops the run with the first such error in that order
    // (the scenarios after it have run meanwhile, and may have written theirs).
    let mut results = Vec::with_capacity(scenarios.len());
    for result in crate::batch::map_in_order(&scenarios, jobs, |s| run_one(s, &options)) {
        match result {
            Ok(r) => results.push(r),
            Err(e) => {
                stderr.push(format!("error: {e}"));
                return CommandResult {
                    exit: 1,
                    stdout: String::new(),
                    stderr,
                };
            }
        }
    }
    if scenarios.is_empty() {
        stderr.push("warning: no scenario files found".into());
    }
    let (_, failed) = report::counts(&results);
    let mut exit = u8::from(failed > 0);
    if let Some(file) = &o.junit {
        if let Err(e) = std::fs::write(file, report::junit(&results)) {
            stderr.push(format!("error: {}: cannot write: {e}", file.display()));
            exit = 1;
        }
    }
    let stdout = if o.json {
        let mut t = crate::to_json(&report::json(&results));
        t.push('\n');
        t
    } else {
        report::human(&results)
    };
    CommandResult {
        exit,
        stdout,
        stderr,
    }
}
