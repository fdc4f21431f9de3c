//! Splits an NDJSON stream into lines without copying them: each line is a slice of one large
//! read buffer. `BufRead::read_until` copied every byte once more, a visible share of a batch run
//! (BENCHMARKS.md). Memory stays bounded by the line limit, whatever the number of lines.

use std::io::{self, Read};

/// Why the stream stopped; `line` is the 1-based number of the line being read.
#[derive(Debug)]
pub enum LineError {
    /// The line has more than the limit's bytes (its newline not counted).
    TooLong {
        line: usize,
    },
    Read {
        line: usize,
        error: io::Error,
    },
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
                return Err(LineError::TooLong {
                    line: self.number + 1,
                });
            }
            if self.eof {
                if pending == 0 {
                    return Ok(None);
                }
                if pending > self.limit {
                    return Err(LineError::TooLong {
                        line: self.number + 1,
                    });
                }
                return Ok(Some(self.take(pending)));
            }
            self.fill()?;
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
                Err(error) => {
                    return Err(LineError::Read {
                        line: self.number + 1,
                        error,
                    })
                }
            }
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line, or the error, reading `text` in pieces of `chunk` bytes.
    fn lines(
        text: &[u8],
        limit: usize,
        buffer: usize,
        chunk: usize,
    ) -> Vec<Result<String, String>> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(out.len()).min(self.0.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
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
                Err(LineError::TooLong { line }) => {
                    out.push(Err(format!("too long {line}")));
                    return out;
                }
                Err(LineError::Read { .. }) => unreachable!(),
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
    fn same_lines_as_read_until_for_every_buffer_and_chunk_size() {
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

    #[test]
    fn memory_stays_bounded_by_the_limit() {
        let text = "x".repeat(10_000) + "\n";
        let mut l = Lines::new(io::Cursor::new(text.as_bytes()), 100, 16);
        assert!(matches!(l.next_line(), Err(LineError::TooLong { line: 1 })));
        assert!(l.buf.len() <= 102);
    }
}
