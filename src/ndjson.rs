//! NDJSON, one request per line, as `borgerblik evaluate --ndjson`, `borgerblik diff` and the wasm
//! `evaluateNdjson` read it: the same splitting, limits, blank lines and errors everywhere.
//!
//! [`Lines`] splits a stream into lines without copying them: each line is a slice of one large
//! read buffer. `BufRead::read_until` copied every byte once more, a visible share of a batch run
//! (BENCHMARKS.md). Memory stays bounded by the line limit, whatever the number of lines.
//! [`Requests`] reads each line as a [`Request`].

use std::fmt;
use std::io::{self, Read};
use std::str::Utf8Error;

use crate::error::InputError;
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::{Engine, Overview, Request};

/// The reader that knows the common request's shape (src/record/fast.rs) alone: the request, or
/// `None` where it leaves the text to [`Request::from_json_str`]. Every NDJSON line is read by it
/// first; public for the fuzz target that checks it never disagrees with the general reader.
#[doc(hidden)]
pub fn fast_request(text: &str) -> Option<Request> {
    crate::record::fast::request(text)
}

/// A line that stopped the stream, and why; `line` is its 1-based number.
#[derive(Debug)]
pub struct LineError {
    pub line: usize,
    pub problem: LineProblem,
}

#[derive(Debug)]
pub enum LineProblem {
    /// The line has more than the limit's bytes (its newline not counted).
    TooLong,
    /// The stream could not be read (the I/O error's text: kept as text so that code reading
    /// NDJSON from memory, the wasm module, carries no I/O error formatting).
    Read(String),
    NotUtf8(Utf8Error),
    /// The line is not a request; the problems carry JSON paths within the line.
    Invalid(InputError),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::TooLong => f.write_str(&crate::limits::document_too_large()),
            LineProblem::Read(e) => write!(f, "cannot read: {e}"),
            LineProblem::NotUtf8(e) => write!(f, "not valid UTF-8: {e}"),
            LineProblem::Invalid(e) => write!(f, "{e}"),
        }
    }
}

/// The requests of NDJSON with their line numbers; blank lines are skipped. Stops after the first
/// line that is refused: callers refuse the input there, as the CLI does.
pub struct Requests<L> {
    lines: L,
    stopped: bool,
}

impl<R: Read> Requests<Lines<R>> {
    /// From a stream. `buffer`: the first read buffer size (longer lines grow it, up to the limit).
    pub fn new(reader: R, buffer: usize) -> Requests<Lines<R>> {
        Requests {
            lines: Lines::new(reader, MAX_DOCUMENT_BYTES, buffer),
            stopped: false,
        }
    }
}

impl<'a> Requests<SliceLines<'a>> {
    /// From NDJSON already in memory (the wasm `evaluateNdjson`): no read buffer, no I/O errors.
    pub fn from_slice(bytes: &'a [u8]) -> Requests<SliceLines<'a>> {
        Requests {
            lines: SliceLines::new(bytes, MAX_DOCUMENT_BYTES),
            stopped: false,
        }
    }
}

impl<L: LineSource> Requests<L> {
    fn read(&mut self) -> Result<Option<(usize, Request)>, LineError> {
        while let Some((line, bytes)) = self.lines.next_line()? {
            let text = utf8(bytes).map_err(|e| LineError {
                line,
                problem: LineProblem::NotUtf8(e),
            })?;
            if text.trim().is_empty() {
                continue;
            }
            // The newline ends the line; it is not part of the document the size limit counts.
            let text = text.strip_suffix('\n').unwrap_or(text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            // The common request by the reader that knows its shape; any other by the general one.
            let read = fast_request(text).map_or_else(|| Request::from_json_str(text), Ok);
            return match read {
                Ok(request) => Ok(Some((line, request))),
                Err(e) => Err(LineError {
                    line,
                    problem: LineProblem::Invalid(e),
                }),
            };
        }
        Ok(None)
    }
}

impl<L: LineSource> Iterator for Requests<L> {
    type Item = Result<(usize, Request), LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stopped {
            return None;
        }
        let read = self.read().transpose();
        self.stopped = matches!(read, Some(Err(_)) | None);
        read
    }
}

/// Why [`evaluate_bounded`] stopped.
#[derive(Debug)]
pub enum BatchError {
    /// A line that is not a request (as [`Requests`] reports it).
    Line(LineError),
    /// The overview of request `line` would take the output past `limit` bytes.
    TooMuchOutput { line: usize, limit: usize },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Line(e) => write!(f, "line {}: {}", e.line, e.problem),
            BatchError::TooMuchOutput { line, limit } => write!(
                f,
                "line {line}: the overviews would be over the limit of {limit} bytes a call: pass fewer lines at a time"
            ),
        }
    }
}

/// Evaluates every request of NDJSON held in memory into one buffer of overviews, one a line, as
/// the wasm `evaluateNdjson` does. The output never exceeds `max_output` bytes: each overview's
/// size is bounded (`size::overview_json_bound`) before it is written, and the batch is refused
/// there instead, so a caller holding the whole output in memory (wasm, where running out aborts
/// the module) cannot be made to run out. The buffer grows by doubling, never past the bound.
/// `write` writes one overview (serde or the hand-written writer: the same bytes).
pub fn evaluate_bounded(
    engine: &Engine,
    bytes: &[u8],
    max_output: usize,
    write: fn(&Overview, &mut Vec<u8>),
) -> Result<Vec<u8>, BatchError> {
    let mut out = Vec::with_capacity((bytes.len() / 2).min(max_output));
    for read in Requests::from_slice(bytes) {
        let (line, request) = read.map_err(BatchError::Line)?;
        let overview = engine.evaluate(&request);
        let need = crate::size::overview_json_bound(&overview).saturating_add(1);
        if out.len().saturating_add(need) > max_output {
            return Err(BatchError::TooMuchOutput {
                line,
                limit: max_output,
            });
        }
        if out.capacity() - out.len() < need {
            let target = out
                .capacity()
                .saturating_mul(2)
                .max(out.len() + need)
                .min(max_output);
            out.reserve_exact(target - out.len());
        }
        write(&overview, &mut out);
        out.push(b'\n');
    }
    Ok(out)
}

/// Where [`Requests`] gets its lines: numbered from 1, each with its `\n` when it has one. A line
/// of `limit + 1` bytes and a newline is still handed out, so the request reader's own size check
/// names it; anything longer stops the input with [`LineProblem::TooLong`].
pub trait LineSource {
    fn next_line(&mut self) -> Result<Option<(usize, &[u8])>, LineError>;
}

impl<R: Read> LineSource for Lines<R> {
    fn next_line(&mut self) -> Result<Option<(usize, &[u8])>, LineError> {
        Lines::next_line(self)
    }
}

/// The lines of NDJSON already in memory, cut exactly as [`Lines`] cuts a stream.
pub struct SliceLines<'a> {
    rest: &'a [u8],
    limit: usize,
    number: usize,
}

impl<'a> SliceLines<'a> {
    pub fn new(bytes: &'a [u8], limit: usize) -> SliceLines<'a> {
        SliceLines {
            rest: bytes,
            limit,
            number: 0,
        }
    }
}

impl LineSource for SliceLines<'_> {
    fn next_line(&mut self) -> Result<Option<(usize, &[u8])>, LineError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let window = self.limit.saturating_add(2).min(self.rest.len());
        let len = match self
            .rest
            .get(..window)
            .and_then(|w| memchr::memchr(b'\n', w))
        {
            Some(at) => at + 1,
            None if self.rest.len() > self.limit => {
                return Err(LineError {
                    line: self.number + 1,
                    problem: LineProblem::TooLong,
                })
            }
            None => self.rest.len(),
        };
        let (line, rest) = self.rest.split_at(len);
        self.rest = rest;
        self.number += 1;
        Ok(Some((self.number, line)))
    }
}

/// UTF-8 checked with SIMD where the CPU has it; the standard library words the error.
fn utf8(bytes: &[u8]) -> Result<&str, Utf8Error> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes)
}

pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
    limit: usize,
    number: usize,
}

impl<R: Read> Lines<R> {
    /// `limit`: the longest line accepted, in bytes without its newline. `buffer`: the first
    /// buffer size; it grows only as far as a line needs.
    pub fn new(reader: R, limit: usize, buffer: usize) -> Lines<R> {
        Lines {
            reader,
            buf: vec![0; buffer.clamp(1, limit.saturating_add(2))],
            start: 0,
            end: 0,
            eof: false,
            limit,
            number: 0,
        }
    }

    /// The next line with its number, including its `\n` when it has one (the last line may not).
    /// A line of `limit + 1` bytes and a newline is still handed out, so the caller's own size
    /// check names it; anything longer stops the stream without reading the rest of it.
    pub fn next_line(&mut self) -> Result<Option<(usize, &[u8])>, LineError> {
        let window = self.limit.saturating_add(2);
        let mut searched = 0;
        loop {
            let pending = self.end - self.start;
            let upto = pending.min(window);
            let found = self
                .buf
                .get(self.start + searched..self.start + upto)
                .and_then(|w| memchr::memchr(b'\n', w));
            if let Some(at) = found {
                let len = searched + at + 1;
                return Ok(Some(self.take(len)));
            }
            searched = upto;
            if pending >= window {
                return Err(self.failed(LineProblem::TooLong));
            }
            if self.eof {
                if pending == 0 {
                    return Ok(None);
                }
                if pending > self.limit {
                    return Err(self.failed(LineProblem::TooLong));
                }
                return Ok(Some(self.take(pending)));
            }
            self.fill()?;
        }
    }

    /// The line being read is refused.
    fn failed(&self, problem: LineProblem) -> LineError {
        LineError {
            line: self.number + 1,
            problem,
        }
    }

    fn take(&mut self, len: usize) -> (usize, &[u8]) {
        let from = self.start;
        self.start += len;
        self.number += 1;
        (
            self.number,
            self.buf.get(from..from + len).unwrap_or_default(),
        )
    }

    /// Moves the partial line to the front, grows the buffer if the line fills it, and reads.
    fn fill(&mut self) -> Result<(), LineError> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = self
                .buf
                .len()
                .saturating_mul(2)
                .min(self.limit.saturating_add(2));
            self.buf.resize(grown, 0);
        }
        loop {
            let Some(space) = self.buf.get_mut(self.end..) else {
                return Ok(());
            };
            match self.reader.read(space) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(self.failed(LineProblem::Read(error.to_string()))),
            }
            return Ok(());
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A reader that hands out `text` at most `.1` bytes at a time, as a pipe or a socket may.
    pub(crate) struct Trickle<'a>(pub &'a [u8], pub usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Every line, or the error, reading `text` in pieces of `chunk` bytes.
    fn lines(
        text: &[u8],
        limit: usize,
        buffer: usize,
        chunk: usize,
    ) -> Vec<Result<String, String>> {
        let mut l = Lines::new(Trickle(text, chunk), limit, buffer);
        let mut out = Vec::new();
        let mut expected = 1;
        loop {
            match l.next_line() {
                Ok(None) => return out,
                Ok(Some((n, line))) => {
                    assert_eq!(n, expected);
                    expected += 1;
                    out.push(Ok(String::from_utf8(line.to_vec()).unwrap()));
                }
                Err(LineError {
                    line,
                    problem: LineProblem::TooLong,
                }) => {
                    out.push(Err(format!("too long {line}")));
                    return out;
                }
                Err(e) => unreachable!("{e:?}"),
            }
        }
    }

    /// Every line, or the error, of `text` cut in memory.
    fn slice_lines(text: &[u8], limit: usize) -> Vec<Result<String, String>> {
        let mut l = SliceLines::new(text, limit);
        let mut out = Vec::new();
        loop {
            match l.next_line() {
                Ok(None) => return out,
                Ok(Some((n, line))) => {
                    assert_eq!(n, out.len() + 1);
                    out.push(Ok(String::from_utf8(line.to_vec()).unwrap()));
                }
                Err(e) => {
                    assert!(matches!(e.problem, LineProblem::TooLong));
                    out.push(Err(format!("too long {}", e.line)));
                    return out;
                }
            }
        }
    }

    /// The splitting `read_until` with a limit of `limit + 2` gave, which the CLI kept.
    fn reference(text: &[u8], limit: usize) -> Vec<Result<String, String>> {
        use std::io::BufRead;
        let mut r = io::Cursor::new(text).take(0);
        let mut out = Vec::new();
        for number in 1.. {
            let mut line = Vec::new();
            r.set_limit((limit + 2) as u64);
            let n = r.read_until(b'\n', &mut line).unwrap();
            if n == 0 {
                break;
            }
            if line.last() != Some(&b'\n') && n > limit {
                out.push(Err(format!("too long {number}")));
                break;
            }
            out.push(Ok(String::from_utf8(line).unwrap()));
        }
        out
    }

    #[test]
    fn same_lines_as_read_until_for_every_buffer_and_chunk_size_and_in_memory() {
        let texts: [&[u8]; 8] = [
            b"",
            b"\n",
            b"a\nbb\n\nccc",
            b"abcd\nabcde\nabcdef\n",
            b"abcdef",
            b"abcde",
            b"abcdefg\nx\n",
            b"ab\r\ncd\n\n\nlast line\n",
        ];
        for text in texts {
            for limit in [4, 5, 100] {
                let want = reference(text, limit);
                assert_eq!(
                    slice_lines(text, limit),
                    want,
                    "{:?} limit {limit} in memory",
                    String::from_utf8_lossy(text)
                );
                for buffer in [1, 2, 3, 7, 64] {
                    for chunk in [1, 2, 5, 1000] {
                        assert_eq!(
                            lines(text, limit, buffer, chunk),
                            want,
                            "{:?} limit {limit} buffer {buffer} chunk {chunk}",
                            String::from_utf8_lossy(text)
                        );
                    }
                }
            }
        }
    }

    const REQUEST: &str = r#"{"asOf":"2021-06-15","viewer":{"cpr":"0101801234"},"records":[]}"#;

    /// What `Requests` makes of `text`, read from a stream and from memory (always the same).
    fn requests(text: &str) -> Vec<Result<usize, String>> {
        let outcome = |r: Result<(usize, Request), LineError>| {
            r.map(|(line, _)| line)
                .map_err(|e| format!("{}: {}", e.line, e.problem))
        };
        let streamed: Vec<_> = Requests::new(text.as_bytes(), 3).map(outcome).collect();
        let in_memory: Vec<_> = Requests::from_slice(text.as_bytes()).map(outcome).collect();
        assert_eq!(streamed, in_memory);
        streamed
    }

    #[test]
    fn requests_skip_blank_lines_and_keep_line_numbers() {
        let text = format!("\n{REQUEST}\n  \r\n{REQUEST}\r\n\n{REQUEST}");
        assert_eq!(requests(&text), vec![Ok(2), Ok(4), Ok(6)]);
        assert_eq!(requests(""), vec![]);
        assert_eq!(requests("\n \n"), vec![]);
    }

    #[test]
    fn requests_stop_at_the_first_refused_line() {
        let text = format!("{REQUEST}\n{{\"asOf\":1}}\n{REQUEST}\n");
        let read = requests(&text);
        assert_eq!(read.len(), 2, "{read:?}");
        assert_eq!(read[0], Ok(1));
        let refused = read[1].as_ref().unwrap_err();
        assert!(
            refused.starts_with("2: invalid request\n  asOf: "),
            "{refused}"
        );
    }

    #[test]
    fn requests_name_a_line_that_is_not_utf8() {
        let mut bytes = format!("{REQUEST}\n").into_bytes();
        bytes.extend_from_slice(b"{\"asOf\":\"\xff\"}\n");
        let read: Vec<_> = Requests::from_slice(&bytes)
            .map(|r| {
                r.map(|(line, _)| line)
                    .map_err(|e| format!("{}: {}", e.line, e.problem))
            })
            .collect();
        assert_eq!(
            read,
            vec![
                Ok(1),
                Err("2: not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 9".into())
            ]
        );
    }

    #[test]
    fn memory_stays_bounded_by_the_limit() {
        let text = "x".repeat(10_000) + "\n";
        let mut l = Lines::new(io::Cursor::new(text.as_bytes()), 100, 16);
        assert!(matches!(
            l.next_line(),
            Err(LineError {
                line: 1,
                problem: LineProblem::TooLong
            })
        ));
        assert!(l.buf.len() <= 102);
    }
}
