//! One HTTP/1.1 exchange of the Rust server example, without a socket: read a request from any
//! [`BufRead`], answer it, write the answer to any [`Write`]. `examples/rust-server.rs` runs it on a
//! `TcpStream` (with deadlines and caps around it); the fuzz target `fuzz/fuzz_targets/server.rs` runs
//! it on arbitrary bytes. Every read is bounded before memory is spent: the head by
//! [`Limits::max_head_bytes`], the body by its `Content-Length`, checked against
//! [`Limits::max_body_bytes`] and reserved from a [`Budget`] shared by all connections. The answer
//! takes the body's place in that budget until it has been written ([`Outcome::held`]): an overview
//! can be many times its request, and a client that does not read keeps it in memory.

use std::io::{self, BufRead, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use borgerblik::{to_json, Engine, Problem};
use serde_json::json;

/// The bounds of one exchange and of all of them together (SECURITY.md "The server examples").
#[derive(Clone, Debug)]
pub struct Limits {
    /// The request line and headers together; more → 431.
    pub max_head_bytes: usize,
    /// Header lines; more → 431.
    pub max_headers: usize,
    /// One body: the engine's document limit (SPEC §8 "Size"); more → 413.
    pub max_body_bytes: usize,
    /// The bodies and answers of all connections held at once; more → 503 (an answer larger than
    /// this on its own → 500: it could never be sent).
    pub max_buffered_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head_bytes: 16 * 1024,
            max_headers: 100,
            max_body_bytes: borgerblik::limits::MAX_DOCUMENT_BYTES,
            max_buffered_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Bytes of bodies and answers held by all connections, so many large ones at once get 503s
/// instead of exhausting memory.
#[derive(Debug, Default)]
pub struct Budget {
    held: AtomicUsize,
}

/// Bytes reserved from a [`Budget`], given back when dropped (also when a thread unwinds).
pub struct Reservation<'a> {
    budget: &'a Budget,
    bytes: usize,
}

impl Budget {
    /// Reserves `bytes` if the total stays within `max`.
    pub fn reserve(&self, bytes: usize, max: usize) -> Option<Reservation<'_>> {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes).filter(|total| *total <= max)
            })
            .ok()
            .map(|_| Reservation {
                budget: self,
                bytes,
            })
    }

    /// Bytes currently reserved (the fuzz target checks every exchange gives its bytes back).
    #[allow(dead_code)]
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }
}

impl Reservation<'_> {
    /// Holds `bytes` instead, if the total stays within `max`; otherwise holds what it held.
    pub fn resize(&mut self, bytes: usize, max: usize) -> bool {
        let mine = self.bytes;
        let resized = self
            .budget
            .held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_sub(mine)?
                    .checked_add(bytes)
                    .filter(|total| *total <= max)
            })
            .is_ok();
        if resized {
            self.bytes = bytes;
        }
        resized
    }

    /// The bytes held.
    #[allow(dead_code)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.held.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

/// The answer to one request; the connection is closed after it (`Connection: close`).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// Extra headers (`Allow`, `Retry-After`).
    pub headers: Vec<(&'static str, &'static str)>,
}

/// What happened: the answer to write (none when the client sent nothing or went away), and whether
/// the body was left unread, in which case the caller reads and discards the rest before closing
/// (closing with unread data resets the connection, and the client would lose the answer).
pub struct Outcome<'a> {
    pub response: Option<Response>,
    pub body_unread: bool,
    /// The answer's bytes, held against the [`Budget`] until the outcome is dropped: drop it once the
    /// answer is written (or the client has gone).
    pub held: Option<Reservation<'a>>,
}

/// The request's bytes: any [`BufRead`], told when the head has been read (the socket then moves
/// from the headers' deadline to the whole request's).
pub trait Input: BufRead {
    fn head_read(&mut self) {}
}

impl Input for &[u8] {}

/// Reads one request from `input` and answers it. Never panics; I/O errors end in an answer
/// (408 on a timeout, 400 on a broken request) or, when the client is gone, in none.
pub fn exchange<'a>(
    engine: &Engine,
    limits: &Limits,
    budget: &'a Budget,
    input: &mut impl Input,
    output: &mut impl Write,
) -> Outcome<'a> {
    let head = match read_head(input, limits) {
        Ok(Some(head)) => head,
        Ok(None) => return answered(None, false),
        Err(refusal) => return answered(Some(refusal), true),
    };
    input.head_read();
    match route(engine, limits, budget, &head, input, output) {
        Ok((response, held)) => Outcome {
            response: Some(response),
            body_unread: false,
            held,
        },
        Err(refusal) => answered(Some(refusal), true),
    }
}

fn answered<'a>(response: Option<Response>, body_unread: bool) -> Outcome<'a> {
    Outcome {
        response,
        body_unread,
        held: None,
    }
}

/// The request line and the headers the server acts on.
#[derive(Debug, Default)]
struct Head {
    method: String,
    path: String,
    content_length: Option<usize>,
    /// `Content-Length` with more digits than a `usize` holds: certainly too large.
    length_overflows: bool,
    transfer_encoding: bool,
    content_type: Option<String>,
    expect_continue: bool,
}

/// Reads the head; `Ok(None)` when the connection ends before a request starts.
fn read_head(input: &mut impl BufRead, limits: &Limits) -> Result<Option<Head>, Response> {
    let mut budget = limits.max_head_bytes;
    let mut head = Head::default();
    // RFC 9112 §2.2: empty lines before the request line are ignored.
    let request_line = loop {
        match read_line(input, &mut budget)? {
            None => return Ok(None),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad_request(
            "the request line is not `METHOD target HTTP/1.1`",
        ));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(refusal(505, "only HTTP/1.1 and HTTP/1.0 are served"));
    }
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(bad_request("the method is not a token"));
    }
    head.method = method.to_owned();
    head.path = path_of(target)
        .ok_or_else(|| bad_request("the request-target is not a path or an http URL"))?;
    let mut count = 0;
    loop {
        let Some(line) = read_line(input, &mut budget)? else {
            return Err(bad_request("the headers end before the empty line"));
        };
        if line.is_empty() {
            return Ok(Some(head));
        }
        count += 1;
        if count > limits.max_headers {
            return Err(refusal(431, "too many header lines"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad_request("a header line has no colon"));
        };
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(bad_request("a header name is not a token"));
        }
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err(bad_request("a header value holds a control character"));
        }
        if name.eq_ignore_ascii_case("content-length") {
            // Digits only, and every Content-Length the same (RFC 9112 §6.3): anything else is how
            // requests are smuggled past a proxy.
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_request("Content-Length is not a number"));
            }
            match value.parse::<usize>() {
                Ok(n) if head.content_length.is_none_or(|m| m == n) => {
                    head.content_length = Some(n)
                }
                Ok(_) => return Err(bad_request("two different Content-Length headers")),
                Err(_) => head.length_overflows = true,
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            head.transfer_encoding = true;
        } else if name.eq_ignore_ascii_case("content-type") {
            if head.content_type.is_some() {
                return Err(bad_request("two Content-Type headers"));
            }
            head.content_type = Some(value.to_ascii_lowercase());
        } else if name.eq_ignore_ascii_case("expect") {
            head.expect_continue = value.eq_ignore_ascii_case("100-continue");
        }
    }
}

/// One line of the head without its `\r\n` (or bare `\n`), within what is left of the head's budget.
fn read_line(input: &mut impl BufRead, budget: &mut usize) -> Result<Option<String>, Response> {
    if *budget == 0 {
        return Err(refusal(
            431,
            "the request line and headers are over the limit",
        ));
    }
    let mut line = Vec::new();
    let limit = u64::try_from(*budget).unwrap_or(u64::MAX);
    let n = (&mut *input)
        .take(limit)
        .read_until(b'\n', &mut line)
        .map_err(|e| io_refusal(&e))?;
    if n == 0 {
        return Ok(None);
    }
    *budget = budget.saturating_sub(n);
    if line.pop() != Some(b'\n') {
        return Err(if *budget == 0 {
            refusal(431, "the request line and headers are over the limit")
        } else {
            bad_request("the connection ended inside the headers")
        });
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    // A line starting with white space would continue the previous header (obsolete line folding).
    if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
        return Err(bad_request("folded header lines are not accepted"));
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| bad_request("the request line or a header is not UTF-8"))
}

/// `tchar` of RFC 9110 §5.6.2.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The path of an origin-form (`/evaluate?x`) or absolute-form (`http://host/evaluate`) target.
fn path_of(target: &str) -> Option<String> {
    let rest = if target.starts_with('/') {
        target
    } else {
        let lower = target
            .get(..8)
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let after = if lower.starts_with("http://") {
            target.get(7..)?
        } else if lower.starts_with("https://") {
            target.get(8..)?
        } else {
            return None;
        };
        let slash = after.find(['/', '?', '#']).unwrap_or(after.len());
        if !is_authority(after.get(..slash)?) {
            return None;
        }
        after
            .get(slash..)
            .filter(|p| p.starts_with('/'))
            .unwrap_or("/")
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = rest.get(..end)?;
    path.bytes()
        .all(|b| b.is_ascii_graphic())
        .then(|| path.to_owned())
}

/// `host[:port]` of an http URL: a registered name or `[IPv6]`, and digits for the port. No
/// user info (`user@host`): nothing here needs it, and it is how URLs are made to mislead.
fn is_authority(authority: &str) -> bool {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        let ip_ok = ip
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if ip.is_empty() || !ip_ok {
            return false;
        }
        match after.strip_prefix(':') {
            Some(port) => (None, Some(port)),
            None if after.is_empty() => (None, None),
            None => return false,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), None),
        }
    };
    let reg_name = |b: u8| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b);
    host.is_none_or(|h| !h.is_empty() && h.bytes().all(reg_name))
        && port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Answers a request whose head has been read, with the answer's reservation when it is an
/// evaluation; `Err` when the body was left unread.
fn route<'a>(
    engine: &Engine,
    limits: &Limits,
    budget: &'a Budget,
    head: &Head,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> Result<(Response, Option<Reservation<'a>>), Response> {
    let has_body = head.content_length.is_some_and(|n| n > 0) || head.length_overflows;
    if head.transfer_encoding {
        // The body's framing is not understood, so nothing after the head can be trusted.
        return Err(refusal(
            501,
            "Transfer-Encoding is not supported: send Content-Length",
        ));
    }
    let early = |response: Response| {
        if has_body {
            Err(response)
        } else {
            Ok((response, None))
        }
    };
    match (head.method.as_str(), head.path.as_str()) {
        ("GET", "/health") => {
            return early(Response {
                status: 200,
                content_type: JSON,
                body: json!({ "fingerprint": engine.fingerprint(), "warnings": engine.warnings() })
                    .to_string(),
                headers: Vec::new(),
            })
        }
        ("POST", "/evaluate") => {}
        (_, "/evaluate") => {
            let mut response = refusal(405, "use POST with the request as the body");
            response.headers.push(("allow", "POST"));
            return early(response);
        }
        _ => return early(refusal(404, "no such endpoint")),
    }
    if !head.content_type.as_deref().is_some_and(is_json) {
        return early(refusal(
            415,
            "send the request as Content-Type: application/json (UTF-8)",
        ));
    }
    let length = match head.content_length {
        _ if head.length_overflows => return Err(too_large(limits)),
        None => return Err(refusal(411, "send the body with Content-Length")),
        Some(n) if n > limits.max_body_bytes => return Err(too_large(limits)),
        Some(n) => n,
    };
    let Some(mut reservation) = budget.reserve(length, limits.max_buffered_bytes) else {
        return early(busy());
    };
    if head.expect_continue {
        // The client waits for this before it sends the body (curl does for bodies over 1 MiB).
        output
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .and_then(|()| output.flush())
            .map_err(|e| io_refusal(&e))?;
    }
    let mut bytes = Vec::with_capacity(length);
    let read = (&mut *input)
        .take(length as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| io_refusal(&e))?;
    if read < length {
        return Ok((bad_request("the connection ended inside the body"), None));
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok((bad_request("the body is not valid UTF-8"), None));
    };
    let response = match engine.evaluate_json(text) {
        Ok(overview) => Response {
            status: 200,
            content_type: JSON,
            body: overview,
            headers: Vec::new(),
        },
        Err(e) => Response {
            status: 400,
            content_type: JSON,
            body: to_json(&e),
            headers: Vec::new(),
        },
    };
    // The answer takes the body's place in the budget while it is written.
    let size = response.body.len();
    if size > limits.max_buffered_bytes {
        return Ok((
            refusal(
                500,
                &format!("the answer ({size} bytes) is larger than this server may hold at once (BORGERBLIK_MAX_BUFFERED_BYTES)"),
            ),
            None,
        ));
    }
    if !reservation.resize(size, limits.max_buffered_bytes) {
        return Ok((busy(), None));
    }
    Ok((response, Some(reservation)))
}

/// 503 with `Retry-After`: the server holds too much at once.
fn busy() -> Response {
    let mut response = refusal(503, "too many requests in progress; try again shortly");
    response.headers.push(("retry-after", "1"));
    response
}

const JSON: &str = "application/json; charset=utf-8";

/// `application/json`, optionally with `charset=utf-8` (the only encoding the engine reads).
fn is_json(content_type: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    parts.next() == Some("application/json")
        && parts
            .all(|p| !p.starts_with("charset=") || p == "charset=utf-8" || p == "charset=\"utf-8\"")
}

fn too_large(limits: &Limits) -> Response {
    refusal(
        413,
        &format!(
            "the body is over the limit of {} bytes",
            limits.max_body_bytes
        ),
    )
}

fn bad_request(message: &str) -> Response {
    refusal(400, message)
}

/// A read that failed: its deadline passed (408), or the request broke off (400).
fn io_refusal(e: &io::Error) -> Response {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            refusal(408, "the request did not arrive in time")
        }
        _ => bad_request("the request could not be read"),
    }
}

/// `{ "kind": "request", "problems": [{ "path": "", "message" }] }`, like `InputError`'s JSON.
fn refusal(status: u16, message: &str) -> Response {
    let problem = Problem {
        path: String::new(),
        message: message.to_owned(),
    };
    Response {
        status,
        content_type: JSON,
        body: json!({ "kind": "request", "problems": [problem] }).to_string(),
        headers: Vec::new(),
    }
}

impl Response {
    /// The status line, headers and body, with `Connection: close`.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\n\
             cache-control: no-store\r\nconnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        out.write_all(self.body.as_bytes())?;
        out.flush()
    }
}

/// The reason phrase of each status the server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}
