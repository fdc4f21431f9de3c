//! `indexFiles`: a scenario whose request is imported from index XML files (IMPORT.md), so a vendor
//! pins what citizens will see of its own `importer` bodies.
//!
//! The runner reads the files (bounded) and hands them to an [`IndexImport`]. The import itself lives
//! elsewhere (`borgerblik::import`); until a build wires it in, [`NoIndexImport`] refuses with a clear
//! error, and a scenario with `indexFiles` is unreadable input (exit 2) rather than a faked import.

use std::path::Path;

use serde_json::Value;

use super::{load_error, read_bounded, LoadError};

/// The options of an import, from the scenario's `asOf`, `viewer` and `subject`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    pub as_of: String,
    pub viewer: String,
    pub subject: Option<String>,
}

/// Turns index documents into one request document (JSON text, SPEC §2.2).
pub trait IndexImport {
    /// `files`: each file's name (as the scenario gives it) and bytes, in the scenario's order.
    /// `Err`: why the files cannot be imported at all.
    fn import(&self, files: &[(String, Vec<u8>)], options: &IndexOptions)
        -> Result<String, String>;
}

/// The import of a build without the index importer: always a clear error, never a guess.
pub struct NoIndexImport;

impl IndexImport for NoIndexImport {
    fn import(&self, _: &[(String, Vec<u8>)], _: &IndexOptions) -> Result<String, String> {
        Err("index import is not available in this build".into())
    }
}

/// Reads the scenario's index files and imports them into a request text.
pub(super) fn import(
    scenario: &Path,
    dir: &Path,
    doc: &Value,
    files: &[Value],
    importer: &dyn IndexImport,
) -> Result<String, Vec<LoadError>> {
    let mut errors = Vec::new();
    let text = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_owned);
    let (as_of, viewer) = (text("asOf"), text("viewer"));
    for (key, value) in [("asOf", &as_of), ("viewer", &viewer)] {
        if value.is_none() {
            errors.push(load_error(
                scenario,
                key,
                "missing; indexFiles need asOf and viewer",
            ));
        }
    }
    let mut read = Vec::new();
    for (i, name) in files.iter().enumerate() {
        let Some(name) = name.as_str() else {
            errors.push(load_error(
                scenario,
                &format!("indexFiles[{i}]"),
                "expected a file name",
            ));
            continue;
        };
        match read_bounded(&dir.join(name)) {
            Ok(bytes) => read.push((name.to_owned(), bytes)),
            Err(e) => errors.push(e),
        }
    }
    let (Some(as_of), Some(viewer), true) = (as_of, viewer, errors.is_empty()) else {
        return Err(errors);
    };
    let options = IndexOptions {
        as_of,
        viewer,
        subject: text("subject"),
    };
    importer
        .import(&read, &options)
        .map_err(|e| vec![load_error(scenario, "indexFiles", e)])
}

/// The index importer of this build (`borgerblik::import`, IMPORT.md), with the import profile the
/// command line gave (`borgerblik test --profile P.json`), else the empty one. Per-object import
/// problems do not fail a scenario: the records they concern fail closed in the engine, and the
/// pinned outcome shows it.
#[cfg(feature = "import")]
pub struct LibraryImport {
    pub profile: crate::import::Profile,
}

#[cfg(feature = "import")]
impl IndexImport for LibraryImport {
    fn import(
        &self,
        files: &[(String, Vec<u8>)],
        options: &IndexOptions,
    ) -> Result<String, String> {
        use crate::import::{import, ImportFile, ImportOptions};
        let import_options = ImportOptions::new(
            &options.as_of,
            &options.viewer,
            options.subject.as_deref(),
            self.profile.clone(),
        )
        .map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            lines.join("; ")
        })?;
        let files: Vec<ImportFile<'_>> = files
            .iter()
            .map(|(name, data)| ImportFile { name, data })
            .collect();
        import(&files, &import_options)
            .map(|imported| imported.request_json())
            .map_err(|e| {
                let lines: Vec<String> = e.refusals.iter().map(ToString::to_string).collect();
                lines.join("; ")
            })
    }
}
