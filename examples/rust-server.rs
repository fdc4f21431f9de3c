//! An HTTP server around the native engine, on the standard library only: how a Rust service
//! builds the [`Engine`] once and evaluates per request, bounded so it can face the internet.
//!
//! ```text
//! cargo run --example rust-server -- [--policy P.json | --municipality M.json]
//! curl -s -H 'content-type: application/json' --data-binary @request.json http://127.0.0.1:8788/evaluate
//! ```
//!
//! * `POST /evaluate` with a request (SPEC §2.2) as `application/json` → `200` and the overview JSON
//!   (SPEC §4); bad input → `400` and `{ "kind", "problems": [{ "path", "message" }] }`.
//! * `GET /health` → `200` and `{ "fingerprint", "warnings" }`.
//! * Refusals, each with `{ "kind": "request", "problems" }`: 400 malformed request, 404, 405, 408 too
//!   slow, 411 no Content-Length, 413 body over 10 MiB, 415 not JSON, 431 head over 16 KiB, 501
//!   Transfer-Encoding, 503 too many connections or body bytes at once.
//!
//! The policy defaults to `samples/municipality.json` under the built-in central rules (or no
//! municipality areas when that file is absent). It listens on `127.0.0.1:$PORT` (default 8788;
//! `PORT=0` picks a free port) and prints its URL. One thread per connection (at most
//! `BORGERBLIK_MAX_CONNECTIONS`) shares the engine through an `Arc`: `evaluate` takes `&self` and is
//! pure. The exchange itself is in `rust-server/exchange.rs`, which the fuzz target shares. Limits
//! and timeouts: [`Config`]. For production put it behind your own HTTP stack (hyper, axum, …); the
//! engine part stays these few lines.

use std::io::{self, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use borgerblik::{Engine, InputError, Policy};

#[path = "rust-server/exchange.rs"]
mod exchange;
use exchange::{Budget, Input, Limits};

/// Limits and timeouts, each settable as `BORGERBLIK_<NAME>` in the environment (as the Node server).
struct Config {
    limits: Limits,
    /// Open connections, each a thread; more are answered 503 at once and closed.
    max_connections: usize,
    /// The request line and headers must arrive within this (→ 408).
    headers_timeout: Duration,
    /// The whole request, body included, within this (→ 408).
    request_timeout: Duration,
    /// Writing the answer within this; a client that does not read loses it.
    write_timeout: Duration,
    /// After refusing a body, how long its rest is read and discarded before closing.
    linger: Duration,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let number = |name: &str, default: usize| -> Result<usize, String> {
            match std::env::var(format!("BORGERBLIK_{name}")) {
                Err(_) => Ok(default),
                Ok(v) => v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(format!("BORGERBLIK_{name} must be a positive integer")),
            }
        };
        // Timeouts up to a day, so no deadline can overflow an `Instant`.
        let ms = |name: &str, default: usize| -> Result<Duration, String> {
            match number(name, default)? {
                n @ 1..=86_400_000 => Ok(Duration::from_millis(n as u64)),
                _ => Err(format!(
                    "BORGERBLIK_{name} must be at most 86400000 (a day)"
                )),
            }
        };
        let defaults = Limits::default();
        Ok(Config {
            limits: Limits {
                max_body_bytes: number("MAX_BODY_BYTES", defaults.max_body_bytes)?,
                max_buffered_bytes: number("MAX_BUFFERED_BYTES", defaults.max_buffered_bytes)?,
                ..defaults
            },
            max_connections: number("MAX_CONNECTIONS", 256)?,
            headers_timeout: ms("HEADERS_TIMEOUT_MS", 10_000)?,
            request_timeout: ms("REQUEST_TIMEOUT_MS", 30_000)?,
            write_timeout: ms("WRITE_TIMEOUT_MS", 30_000)?,
            linger: ms("LINGER_MS", 5_000)?,
        })
    }
}

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let config = Arc::new(Config::from_env()?);
    let (engine, source) = load_engine(&std::env::args().skip(1).collect::<Vec<_>>())?;
    for w in engine.warnings() {
        eprintln!("warning: {w}");
    }
    let port = std::env::var("PORT").unwrap_or_else(|_| "8788".into());
    let listener =
        TcpListener::bind(format!("127.0.0.1:{port}")).map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!(
        "borgerblik listening on http://{addr}/ (policy: {source}, {})",
        engine.fingerprint()
    );
    let engine = Arc::new(engine);
    let budget = Arc::new(Budget::default());
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let Some(slot) = Slot::take(&open, config.max_connections) else {
            busy(stream);
            continue;
        };
        let (engine, budget, config) = (engine.clone(), budget.clone(), config.clone());
        // Builder::spawn, not thread::spawn: when the system has no thread to give, that connection
        // fails, not the whole server.
        let spawned = std::thread::Builder::new().spawn(move || {
            let _slot = slot;
            if let Err(e) = serve(&engine, &budget, &config, stream) {
                eprintln!("connection: {e}");
            }
        });
        if let Err(e) = spawned {
            eprintln!("connection: no thread: {e}");
        }
    }
    Ok(())
}

/// One of `max_connections`, given back when dropped (also when its thread unwinds).
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()
        .map(|_| Slot(open.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Over the connection cap: a 503 written without waiting (the kernel's buffer takes it), then closed.
fn busy(stream: TcpStream) {
    let response = exchange::Response {
        status: 503,
        content_type: "application/json; charset=utf-8",
        body: r#"{"kind":"request","problems":[{"path":"","message":"too many connections; try again shortly"}]}"#.to_owned(),
        headers: vec![("retry-after", "1")],
    };
    let mut stream = stream;
    if stream.set_nonblocking(true).is_ok() && response.write_to(&mut stream).is_ok() {
        // Closing with unread bytes would reset the connection and lose the answer: end ours, and
        // take what has already arrived (without waiting, so the accept loop never blocks).
        let _ = stream.shutdown(Shutdown::Write);
        let mut sink = [0u8; 4096];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    }
}

/// Builds the engine once: `--policy FILE`, `--municipality FILE`, or the sample municipality.
fn load_engine(args: &[String]) -> Result<(Engine, String), String> {
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let read = |file: &str| std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"));
    let refused = |file: &str, e: InputError| {
        let lines: Vec<String> = e.problems.iter().map(|p| format!("{file}: {p}")).collect();
        lines.join("\n")
    };
    let (policy, source) = if let Some(file) = flag("--policy") {
        (Policy::from_json_str(&read(file)?), file.clone())
    } else {
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/municipality.json");
        let file = flag("--municipality").map_or(sample, String::as_str);
        if file == sample && !Path::new(sample).exists() {
            let none = Policy::from_municipality_json_str(r#"{ "areas": [] }"#);
            (none, "no municipality areas".to_owned())
        } else {
            (
                Policy::from_municipality_json_str(&read(file)?),
                file.to_owned(),
            )
        }
    };
    let engine = policy
        .and_then(Engine::new)
        .map_err(|e| refused(&source, e))?;
    Ok((engine, source))
}

/// One exchange per connection (`Connection: close`), every read and write under a deadline.
fn serve(engine: &Engine, budget: &Budget, config: &Config, stream: TcpStream) -> io::Result<()> {
    let start = Instant::now();
    let mut input = BufReader::new(Deadline {
        stream: stream.try_clone()?,
        // The headers' deadline until the head is read (Input::head_read), then the request's.
        until: start + config.headers_timeout.min(config.request_timeout),
        then: Some(start + config.request_timeout),
    });
    let mut output = Deadline {
        stream: stream.try_clone()?,
        until: start + config.request_timeout + config.write_timeout,
        then: None,
    };
    let outcome = exchange::exchange(engine, &config.limits, budget, &mut input, &mut output);
    if let Some(response) = &outcome.response {
        output.until = Instant::now() + config.write_timeout;
        response.write_to(&mut output)?;
    }
    // Written (or the client is gone, and `?` dropped it): the answer's bytes go back to the budget.
    drop(outcome.held);
    if outcome.body_unread {
        linger(&stream, config.linger);
    }
    Ok(())
}

/// Ends the answer (FIN), then reads and discards what the client still sends for at most `linger`,
/// so the close does not reset the connection before the client has read the answer.
fn linger(stream: &TcpStream, linger: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + linger;
    let mut sink = [0u8; 16 * 1024];
    let mut stream = stream;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// A socket whose reads and writes fail with `TimedOut` once `until` has passed, however slowly the
/// client trickles bytes (a per-read timeout alone would let one byte every few seconds hold a thread
/// forever). `then`, when set, is the next deadline, taken once the head is read.
struct Deadline {
    stream: TcpStream,
    until: Instant,
    then: Option<Instant>,
}

impl Deadline {
    fn left(&self) -> io::Result<Duration> {
        match self.until.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(left),
            _ => Err(io::ErrorKind::TimedOut.into()),
        }
    }
}

impl Input for BufReader<Deadline> {
    fn head_read(&mut self) {
        let socket = self.get_mut();
        if let Some(then) = socket.then.take() {
            socket.until = then;
        }
    }
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left()?;
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

impl Write for Deadline {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.left()?;
        self.stream.set_write_timeout(Some(left))?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}
