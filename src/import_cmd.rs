//! `borgerblik import` (IMPORT.md §1): reads the files and the profile, calls the library's pure
//! importer, prints the request on stdout and the per-object problems on stderr.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use borgerblik::import::{import, ImportFile, ImportOptions, Profile};
use borgerblik::limits::{MAX_XML_BYTES, MAX_XML_FILES, MAX_XML_TOTAL_BYTES};

use crate::{internal, Failure, Outcome};

/// The arguments of `borgerblik import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The evaluation date (YYYY-MM-DD): the records are what is in force at its end.
    #[arg(long)]
    as_of: String,
    /// The viewer's CPR number.
    #[arg(long)]
    viewer: String,
    /// Whose overview, when not the viewer's own.
    #[arg(long)]
    subject: Option<String>,
    /// An import profile (JSON): UDK CVR numbers, Visningsklasse UUIDs, IT-system names, owners.
    #[arg(long)]
    profile: Option<PathBuf>,
    /// SF1470 v6 Sag/Dokument and Ydelse XML files (`-` is stdin), importer bodies or fremsoeg answers.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// A file's bytes, at most one byte over the limit (the importer refuses it with a position).
fn read_file(path: &Path) -> Result<(String, Vec<u8>), Failure> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let mut bytes = Vec::new();
    let limit = (MAX_XML_BYTES + 1) as u64;
    let read = if stdin {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| Failure::Input(vec![format!("{name}: cannot read: {e}")]))?;
    Ok((name, bytes))
}

/// Reads an import profile file (IMPORT.md §4a); none is the empty profile. Shared with
/// `borgerblik test --profile` for scenarios with `indexFiles`.
pub fn read_profile(path: Option<&Path>) -> Result<Profile, Failure> {
    let Some(p) = path else {
        return Ok(Profile::default());
    };
    let name = p.display().to_string();
    let text = std::fs::read_to_string(p)
        .map_err(|e| Failure::Input(vec![format!("{name}: cannot read: {e}")]))?;
    Profile::from_json_str(&text).map_err(|problems| {
        Failure::Input(problems.iter().map(|q| crate::locate(&name, q)).collect())
    })
}

pub fn run(args: &ImportArgs) -> Outcome {
    let profile = read_profile(args.profile.as_deref())?;
    let options = ImportOptions::new(&args.as_of, &args.viewer, args.subject.as_deref(), profile)
        .map_err(|problems| {
        Failure::Input(
            problems
                .iter()
                .map(|p| format!("--{}: {}", flag(&p.path), p.message))
                .collect(),
        )
    })?;
    if args.files.len() > MAX_XML_FILES {
        return Err(Failure::Input(vec![format!(
            "more than {MAX_XML_FILES} files in one import"
        )]));
    }
    // The run's total is bounded while reading, before the memory is spent.
    let mut read = Vec::with_capacity(args.files.len());
    let mut total = 0usize;
    for f in &args.files {
        let (name, data) = read_file(f)?;
        total = total.saturating_add(data.len());
        if total > MAX_XML_TOTAL_BYTES {
            return Err(Failure::Input(vec![format!(
                "{name}:1:1: the files of one import are over the limit of {} MiB together",
                MAX_XML_TOTAL_BYTES >> 20
            )]));
        }
        read.push((name, data));
    }
    let files: Vec<ImportFile<'_>> = read
        .iter()
        .map(|(name, data)| ImportFile { name, data })
        .collect();
    let imported = import(&files, &options)
        .map_err(|e| Failure::Input(e.refusals.iter().map(ToString::to_string).collect()))?;
    let mut err = io::stderr().lock();
    for p in &imported.problems {
        let _ = writeln!(err, "{}: {}: {}", p.file, p.path, p.message);
    }
    let mut out = io::stdout().lock();
    writeln!(out, "{}", imported.request_json()).map_err(internal)?;
    out.flush().map_err(internal)
}

fn flag(path: &str) -> &str {
    match path {
        "asOf" => "as-of",
        other => other,
    }
}
