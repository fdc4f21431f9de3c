//! The `borgerblik` command line: a thin adapter that reads files, calls the engine and maps
//! outcomes to exit codes (0 ok, 2 invalid input, 1 internal error).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{self, BufWriter, Read, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use borgerblik::batch::{self, Stop};
use borgerblik::explain::{self, DiffSummary};
use borgerblik::limits::MAX_DOCUMENT_BYTES;
use borgerblik::ndjson::{LineError, LineProblem, Requests};
use borgerblik::writer::{overview_json, write_overview};
use borgerblik::{to_json, Engine, InputError, Policy, Problem, Request};
use clap::{Args, Parser, Subcommand};

#[cfg(feature = "import")]
mod import_cmd;

/// The CLI allocates a few short strings per record; mimalloc makes that ~2x cheaper than glibc's
/// malloc in the NDJSON batch path (BENCHMARKS.md). The library leaves the allocator to its caller.
/// Read and write in large blocks: NDJSON runs move hundreds of megabytes.
const IO_BUFFER: usize = 1 << 18;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "borgerblik",
    version,
    about = "What a citizen sees in Mit Overblik, and why"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the overview JSON for a request (from --request or stdin).
    Evaluate {
        #[command(flatten)]
        policy: PolicyArgs,
        /// The request file; stdin when absent.
        #[arg(long)]
        request: Option<PathBuf>,
        /// One request per input line, one overview per output line.
        #[arg(long)]
        ndjson: bool,
        /// Indent the JSON for reading.
        #[arg(long)]
        pretty: bool,
        #[command(flatten)]
        jobs: Jobs,
    },
    /// Print the policy's problems; exit 0 when valid (warnings allowed), 2 when not.
    Validate {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Print the result as JSON ({ valid, problems, warnings }).
        #[arg(long)]
        json: bool,
    },
    /// Print a table of decisions a caseworker can follow.
    Explain {
        #[command(flatten)]
        policy: PolicyArgs,
        /// The request file; stdin when absent.
        #[arg(long)]
        request: Option<PathBuf>,
    },
    /// What-if: the records whose decision differs between two policies, then counts by reason.
    Diff {
        #[command(flatten)]
        policy: PolicyArgs,
        /// The policy to compare with (B).
        #[arg(
            long,
            conflicts_with = "against_municipality",
            required_unless_present = "against_municipality"
        )]
        against: Option<PathBuf>,
        /// A municipality file to compare with, under the built-in central rules.
        #[arg(long)]
        against_municipality: Option<PathBuf>,
        /// Requests, one JSON document per line.
        #[arg(long)]
        requests: PathBuf,
        #[command(flatten)]
        jobs: Jobs,
    },
    /// Run scenario files (docs/scenarios.md): exit 0 when all pass, 1 when any fails, 2 when unreadable.
    Test(TestArgs),
    /// Read SF1470 v6 index XML (Sag/Dokument, Ydelse) into one request for a date (IMPORT.md).
    #[cfg(feature = "import")]
    Import(import_cmd::ImportArgs),
    /// Write a synthetic municipality as NDJSON requests (deterministic for a seed).
    Generate {
        /// Number of citizens (one request each).
        #[arg(long)]
        citizens: u64,
        /// Seed: the same seed gives the same requests.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The evaluation date of every request.
        #[arg(long, default_value = "2026-11-22")]
        as_of: chrono::NaiveDate,
    },
}

#[derive(Args)]
#[group(required = true, multiple = false)]
struct PolicyArgs {
    /// A policy file: { "central"?, "municipality" }.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// A municipality file, used with the built-in central rules.
    #[arg(long)]
    municipality: Option<PathBuf>,
}

/// `--jobs`: threads for NDJSON batches and scenario files (src/batch.rs); the output is the same
/// whatever the number.
#[derive(Args)]
struct Jobs {
    /// Threads (default: every available core); 1 works on the main thread alone.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    jobs: Option<u16>,
}

impl Jobs {
    fn get(&self) -> NonZeroUsize {
        self.jobs
            .and_then(|n| NonZeroUsize::new(usize::from(n)))
            .unwrap_or_else(batch::available_jobs)
    }
}

/// `borgerblik test`; the runner is `borgerblik::scenario::command`.
#[derive(Args)]
struct TestArgs {
    /// Scenario files or folders (recursively, in sorted order); the current folder when none.
    paths: Vec<PathBuf>,
    /// The policy of scenarios without their own.
    #[arg(long, conflicts_with = "municipality")]
    policy: Option<PathBuf>,
    /// A municipality file (built-in central rules) for scenarios without their own policy.
    #[arg(long)]
    municipality: Option<PathBuf>,
    /// Write NAME.overview.json snapshots beside the scenarios (new and changed ones).
    #[arg(long)]
    update: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Also write a JUnit XML report to this file.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// The import profile (IMPORT.md §4a) for scenarios with `indexFiles`.
    #[cfg(feature = "import")]
    #[arg(long)]
    profile: Option<PathBuf>,
    #[command(flatten)]
    jobs: Jobs,
}

/// Why the command failed, mapped to its exit code.
enum Failure {
    /// Exit 2: the input is at fault. Each line names the file and the JSON path.
    Input(Vec<String>),
    /// Exit 1: something went wrong that the input did not cause.
    Internal(String),
    /// Exit with this code; the command has reported already (`test`).
    Reported(u8),
}

type Outcome = Result<(), Failure>;

fn input_error(file: &str, e: &InputError) -> Failure {
    Failure::Input(e.problems.iter().map(|p| locate(file, p)).collect())
}

fn locate(file: &str, p: &Problem) -> String {
    if p.path.is_empty() {
        format!("{file}: {}", p.message)
    } else {
        format!("{file}: {}: {}", p.path, p.message)
    }
}

fn read_text(path: Option<&Path>) -> Result<(String, String), Failure> {
    let name = path.map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let mut bytes = Vec::new();
    let limit = (MAX_DOCUMENT_BYTES + 1) as u64;
    let read = match path {
        Some(p) => std::fs::File::open(p).and_then(|f| f.take(limit).read_to_end(&mut bytes)),
        None => io::stdin().lock().take(limit).read_to_end(&mut bytes),
    };
    read.map_err(|e| Failure::Input(vec![format!("{name}: cannot read: {e}")]))?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(Failure::Input(vec![format!(
            "{name}: the document is over the limit of {MAX_DOCUMENT_BYTES} bytes (10 MiB)"
        )]));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| Failure::Input(vec![format!("{name}: not valid UTF-8: {e}")]))?;
    Ok((name, text))
}

/// Reads the policy file: `Err` when it cannot be read at all, else the file name and the parse result.
fn read_policy(args: &PolicyArgs) -> Result<(String, Result<Policy, InputError>), Failure> {
    let (path, municipality) = match (&args.policy, &args.municipality) {
        (Some(p), _) => (p, false),
        (None, Some(m)) => (m, true),
        (None, None) => {
            return Err(Failure::Input(vec![
                "give --policy or --municipality".into()
            ]))
        }
    };
    let (name, text) = read_text(Some(path))?;
    let parsed = if municipality {
        Policy::from_municipality_json_str(&text)
    } else {
        Policy::from_json_str(&text)
    };
    Ok((name, parsed))
}

fn load_engine(args: &PolicyArgs) -> Result<(Engine, String), Failure> {
    let (name, policy) = read_policy(args)?;
    let engine = policy
        .and_then(Engine::new)
        .map_err(|e| input_error(&name, &e))?;
    let mut err = io::stderr().lock();
    for w in engine.warnings() {
        let _ = writeln!(err, "warning: {}", locate(&name, w));
    }
    Ok((engine, name))
}

fn internal(e: io::Error) -> Failure {
    Failure::Internal(format!("cannot write output: {e}"))
}

fn evaluate(
    policy: &PolicyArgs,
    request: Option<&Path>,
    ndjson: bool,
    pretty: bool,
    jobs: NonZeroUsize,
) -> Outcome {
    let (engine, _) = load_engine(policy)?;
    let render = |o: &borgerblik::Overview| {
        if pretty {
            serde_json::to_string_pretty(o).unwrap_or_default()
        } else {
            overview_json(o)
        }
    };
    if ndjson && jobs.get() > 1 {
        // Each worker writes its block's overviews into one buffer, written here in input order.
        let work = |_: &mut (), _: Line<'_>, request: Request, text: &mut Vec<u8>| {
            let overview = engine.evaluate(&request);
            if pretty {
                text.extend_from_slice(render(&overview).as_bytes());
            } else {
                write_overview(&overview, text);
            }
            text.push(b'\n');
        };
        each_line_parallel(request, jobs, || (), work)?;
        return Ok(());
    }
    let mut out = BufWriter::with_capacity(IO_BUFFER, io::stdout().lock());
    if ndjson {
        // One reused buffer, written by the hand-written overview writer (src/writer.rs).
        let mut text = Vec::new();
        return each_line(request, |_, request| {
            let overview = engine.evaluate(&request);
            if pretty {
                writeln!(out, "{}", render(&overview)).map_err(internal)
            } else {
                text.clear();
                write_overview(&overview, &mut text);
                text.push(b'\n');
                out.write_all(&text).map_err(internal)
            }
        })
        .and_then(|_| out.flush().map_err(internal));
    }
    let (name, text) = read_text(request)?;
    let request = Request::from_json_str(&text).map_err(|e| input_error(&name, &e))?;
    writeln!(out, "{}", render(&engine.evaluate(&request))).map_err(internal)?;
    out.flush().map_err(internal)
}

/// Where a request came from, `file:line`; made into text only when it is reported.
#[derive(Clone, Copy)]
struct Line<'a> {
    name: &'a str,
    number: usize,
}

impl std::fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.name, self.number)
    }
}

/// The NDJSON input's name for messages, and the stream: the file, or stdin when there is none.
/// `Send`, so that any batch thread may read it: stdin unlocked (one lock per read of a block).
fn open_lines(path: Option<&Path>) -> Result<(String, Box<dyn Read + Send>), Failure> {
    let name = path.map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let reader: Box<dyn Read + Send> = match path {
        Some(p) => Box::new(
            std::fs::File::open(p)
                .map_err(|e| Failure::Input(vec![format!("{name}: cannot read: {e}")]))?,
        ),
        None => Box::new(io::stdin()),
    };
    Ok((name, reader))
}

/// A refused NDJSON line: `file:line` and the problem (with JSON paths for an invalid request).
fn line_failure(name: &str, e: LineError) -> Failure {
    let at = format!("{name}:{}", e.line);
    match e.problem {
        LineProblem::Invalid(e) => input_error(&at, &e),
        problem => Failure::Input(vec![format!("{at}: {problem}")]),
    }
}

/// Streams requests one per line (constant memory in the number of lines); blank lines are skipped.
/// Returns the number of requests read.
fn each_line(
    path: Option<&Path>,
    mut f: impl FnMut(Line<'_>, Request) -> Outcome,
) -> Result<usize, Failure> {
    let (name, reader) = open_lines(path)?;
    let mut count = 0;
    for read in Requests::new(reader, IO_BUFFER) {
        let (number, request) = read.map_err(|e| line_failure(&name, e))?;
        let at = Line {
            name: &name,
            number,
        };
        f(at, request)?;
        count += 1;
    }
    Ok(count)
}

/// [`each_line`] on `jobs` threads (src/batch.rs): `work` appends a request's output to a buffer,
/// and the buffers go to stdout in input order, so the bytes and the stop at a refused line are
/// those of one thread. Each thread keeps a `state` (counts), returned at the end. The caller must
/// not hold stdout's lock meanwhile: the threads write through it.
fn each_line_parallel<S: Send>(
    path: Option<&Path>,
    jobs: NonZeroUsize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, Line<'_>, Request, &mut Vec<u8>) + Sync,
) -> Result<Vec<S>, Failure> {
    let (name, reader) = open_lines(path)?;
    let work = |state: &mut S, number: usize, request: Request, text: &mut Vec<u8>| {
        let at = Line {
            name: &name,
            number,
        };
        work(state, at, request, text);
    };
    // A block's output is written at once (it ends with a newline: stdout's line buffer passes it
    // straight through), by whichever thread's turn it is.
    let mut stdout = io::stdout();
    batch::run(reader, batch::Options::new(jobs), state, work, |text| {
        stdout.write_all(text)
    })
    .and_then(|states| stdout.flush().map(|()| states).map_err(Stop::Write))
    .map_err(|stop| match stop {
        Stop::Line(e) => line_failure(&name, e),
        Stop::Write(e) => internal(e),
        Stop::Spawn(e) => Failure::Internal(format!("cannot start a thread: {e}")),
        Stop::Panic => Failure::Internal("internal error (panic); please report it".into()),
    })
}

fn validate(policy: &PolicyArgs, json: bool) -> Outcome {
    let (name, parsed) = read_policy(policy)?;
    let validation = match parsed {
        Ok(p) => Engine::validate(&p),
        Err(e) => borgerblik::Validation {
            valid: false,
            problems: e.problems,
            warnings: Vec::new(),
        },
    };
    let mut err = io::stderr().lock();
    for w in &validation.warnings {
        let _ = writeln!(err, "warning: {}", locate(&name, w));
    }
    if json {
        println!("{}", to_json(&validation));
    } else {
        for p in &validation.problems {
            println!("{}", locate(&name, p));
        }
        if validation.valid {
            println!("{name}: valid ({} warnings)", validation.warnings.len());
        }
    }
    if validation.valid {
        Ok(())
    } else {
        let n = validation.problems.len();
        Err(Failure::Input(vec![format!(
            "{name}: the policy is invalid ({n} problems)"
        )]))
    }
}

fn explain_cmd(policy: &PolicyArgs, request: Option<&Path>) -> Outcome {
    let (engine, _) = load_engine(policy)?;
    let (name, text) = read_text(request)?;
    let request = Request::from_json_str(&text).map_err(|e| input_error(&name, &e))?;
    let overview = engine.evaluate(&request);
    let mut out = io::stdout().lock();
    write!(out, "{}", explain::explain(&request, &overview)).map_err(internal)
}

/// One line per changed record: `{"request": "file:line", "change": {...}}`, serialised straight
/// from the change (no `Value` tree per record).
fn write_changes(
    at: Line<'_>,
    changes: &[explain::Change],
    out: &mut impl Write,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct ChangeLine<'a> {
        request: &'a str,
        change: &'a explain::Change,
    }
    if changes.is_empty() {
        return Ok(());
    }
    let at = at.to_string();
    for change in changes {
        let line = ChangeLine {
            request: &at,
            change,
        };
        writeln!(out, "{}", to_json(&line))?;
    }
    Ok(())
}

fn diff(policy: &PolicyArgs, against: &PolicyArgs, requests: &Path, jobs: NonZeroUsize) -> Outcome {
    let (a, _) = load_engine(policy)?;
    let (b, _) = load_engine(against)?;
    let mut summary = DiffSummary::default();
    let mut out = if jobs.get() > 1 {
        // Each worker counts its own requests; the counts add up to one thread's.
        let work = |part: &mut DiffSummary, at: Line<'_>, request: Request, text: &mut Vec<u8>| {
            let changes = explain::diff_request(&a, &b, &request, part);
            // Writing to memory cannot fail.
            let _ = write_changes(at, &changes, text);
        };
        let parts = each_line_parallel(Some(requests), jobs, DiffSummary::default, work)?;
        for part in parts {
            summary.merge(part);
        }
        BufWriter::with_capacity(IO_BUFFER, io::stdout().lock())
    } else {
        let mut out = BufWriter::with_capacity(IO_BUFFER, io::stdout().lock());
        each_line(Some(requests), |at, request| {
            let changes = explain::diff_request(&a, &b, &request, &mut summary);
            write_changes(at, &changes, &mut out).map_err(internal)
        })?;
        out
    };
    let line = serde_json::json!({ "summary": summary.finish() });
    writeln!(out, "{}", to_json(&line)).map_err(internal)?;
    out.flush().map_err(internal)
}

fn generate(citizens: u64, seed: u64, as_of: chrono::NaiveDate) -> Outcome {
    let mut out = BufWriter::with_capacity(IO_BUFFER, io::stdout().lock());
    for request in borgerblik::generate::requests(citizens, seed, as_of) {
        writeln!(out, "{}", to_json(&request)).map_err(internal)?;
    }
    out.flush().map_err(internal)
}

fn test_cmd(a: TestArgs) -> Outcome {
    let options = borgerblik::scenario::CommandOptions {
        paths: a.paths,
        policy: a.policy,
        municipality: a.municipality,
        update: a.update,
        json: a.json,
        junit: a.junit,
        jobs: Some(a.jobs.get()),
    };
    #[cfg(feature = "import")]
    let importer = borgerblik::scenario::LibraryImport {
        profile: import_cmd::read_profile(a.profile.as_deref())?,
    };
    #[cfg(not(feature = "import"))]
    let importer = borgerblik::scenario::NoIndexImport;
    let r = borgerblik::scenario::command(&options, &importer);
    print!("{}", r.stdout);
    let mut err = io::stderr().lock();
    for line in &r.stderr {
        let _ = writeln!(err, "{line}");
    }
    match r.exit {
        0 => Ok(()),
        code => Err(Failure::Reported(code)),
    }
}

fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Evaluate {
            policy,
            request,
            ndjson,
            pretty,
            jobs,
        } => evaluate(&policy, request.as_deref(), ndjson, pretty, jobs.get()),
        Command::Validate { policy, json } => validate(&policy, json),
        Command::Explain { policy, request } => explain_cmd(&policy, request.as_deref()),
        Command::Diff {
            policy,
            against,
            against_municipality,
            requests,
            jobs,
        } => {
            let against = PolicyArgs {
                policy: against,
                municipality: against_municipality,
            };
            diff(&policy, &against, &requests, jobs.get())
        }
        Command::Test(a) => test_cmd(a),
        Command::Generate {
            citizens,
            seed,
            as_of,
        } => generate(citizens, seed, as_of),
        #[cfg(feature = "import")]
        Command::Import(args) => import_cmd::run(&args),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic is a bug, never the input's fault: report it as an internal error (exit 1).
    let outcome = std::panic::catch_unwind(|| run(cli)).unwrap_or_else(|_| {
        Err(Failure::Internal(
            "internal error (panic); please report it".into(),
        ))
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(lines)) => {
            let mut err = io::stderr().lock();
            for l in lines {
                let _ = writeln!(err, "error: {l}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Internal(msg)) => {
            let _ = writeln!(io::stderr(), "error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Reported(code)) => ExitCode::from(code),
    }
}
