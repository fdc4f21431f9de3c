//! A tiny HTTP server around the native engine, on the standard library only: how a Rust service
//! builds the [`Engine`] once and evaluates per request.
//!
//! ```text
//! cargo run --example rust-server -- [--policy P.json | --municipality M.json]
//! curl -s -X POST --data-binary @request.json http://127.0.0.1:8788/evaluate
//! ```
//!
//! * `POST /evaluate` with a request (SPEC §2.2) → `200` and the overview JSON (SPEC §4);
//!   bad input → `400` and `{ "kind", "problems": [{ "path", "message" }] }`.
//! * `GET /health` → `200` and `{ "fingerprint", "warnings" }`.
//!
//! The policy defaults to `samples/municipality.json` under the built-in central rules (or no
//! municipality areas when that file is absent). It listens on `127.0.0.1:$PORT` (default 8788;
//! `PORT=0` picks a free port) and prints its URL. One thread per connection shares the engine
//! through an `Arc`: `evaluate` takes `&self` and is pure. For production put it behind your own
//! HTTP stack (hyper, axum, …); the engine part stays these few lines.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use borgerblik::limits::MAX_DOCUMENT_BYTES;
use borgerblik::{to_json, Engine, InputError, Policy, Problem};
use serde_json::json;

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
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
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let engine = Arc::clone(&engine);
        std::thread::spawn(move || {
            if let Err(e) = serve(&engine, stream) {
                eprintln!("connection: {e}");
            }
        });
    }
    Ok(())
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

/// One HTTP/1.1 exchange per connection (`Connection: close`), enough for a demonstration.
fn serve(engine: &Engine, stream: TcpStream) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(usize::MAX);
            }
        }
    }
    let (status, body) = match (method, target) {
        ("GET", "/health") => (
            200,
            json!({ "fingerprint": engine.fingerprint(), "warnings": engine.warnings() })
                .to_string(),
        ),
        ("POST", "/evaluate") if length > MAX_DOCUMENT_BYTES => (
            413,
            problems(
                "request",
                "the body is over the limit of 10 MiB (or has no valid Content-Length)",
            ),
        ),
        ("POST", "/evaluate") => {
            let mut bytes = vec![0; length];
            reader.read_exact(&mut bytes)?;
            match String::from_utf8(bytes) {
                Err(_) => (400, problems("request", "the body is not valid UTF-8")),
                Ok(text) => match engine.evaluate_json(&text) {
                    Ok(overview) => (200, overview),
                    Err(e) => (400, to_json(&e)),
                },
            }
        }
        (_, "/evaluate") => (
            405,
            problems("request", "use POST with the request as the body"),
        ),
        _ => (404, problems("request", "no such endpoint")),
    };
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Payload Too Large",
    };
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    out.flush()
}

/// `{ "kind", "problems" }` with one problem about the whole body, like `InputError`'s JSON.
fn problems(kind: &str, message: &str) -> String {
    let problem = Problem {
        path: String::new(),
        message: message.to_owned(),
    };
    json!({ "kind": kind, "problems": [problem] }).to_string()
}
