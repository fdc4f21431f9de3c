//! Batch work on every core: NDJSON requests spread over worker threads, the output written in
//! input order, byte for byte what one thread writes (`borgerblik evaluate --ndjson`, `diff`).
//!
//! The calling thread reads the input in blocks of whole lines and writes each block's output in
//! input order; `jobs` worker threads cut a block into requests with the reader every NDJSON path
//! shares ([`Requests::from_slice`]), so line numbers, blank lines, the line limit and every error
//! are those of a single-threaded run, and hand each request to the caller's `work`. The calling
//! thread only reads (finding a block's last newline from its end) and writes, one write per
//! block: every byte it does not have to look at is time the other cores need not wait for
//! (Amdahl; BENCHMARKS.md). The workers count their blocks' lines and pass the numbering on in
//! order ([`LineBase`]).
//!
//! Memory is bounded by the blocks in flight: at most `2 × jobs` of them and, once one is out, no
//! more read past [`MAX_BYTES_IN_FLIGHT`] bytes of input; each is whole lines (a long line, up to
//! the line limit, makes a large block) and its output. None of it depends on the input's size. A refused
//! line stops the run there, exactly as single-threaded: the output of every line before it is
//! written, nothing after it, and the error names the line.
//!
//! std only: `thread::scope` lets workers borrow the engines; blocks go out through one bounded
//! `sync_channel` whose receiver the workers share under a mutex (one lock per block of hundreds of
//! requests), and come back tagged with their sequence number, to be written in order. At this
//! granularity a pool crate (rayon) or crossbeam's channels would add a dependency and nothing
//! measurable; a shared queue (not round robin) keeps every worker busy when the machine is loaded.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Condvar, Mutex};
use std::thread;

use crate::limits::MAX_DOCUMENT_BYTES;
use crate::ndjson::{LineError, LineProblem, Requests};
use crate::Request;

/// Blocks of about this many bytes of whole lines go to the workers: ~50 requests, ~300 records
/// each, so handing one over costs ~1 % of its work (callgrind), and `2 × jobs` of them in flight
/// stay small (peak memory grows ~8 MB a thread at 256 KiB, ~15 MB at 1 MiB, BENCHMARKS.md).
pub const BLOCK_BYTES: usize = 1 << 18;

/// Input bytes in flight beyond which no further block is read until one is written: blocks of
/// long lines (up to the 10 MiB line limit each) then wait, so memory stays bounded whatever the
/// lines and `jobs`. Normal blocks never reach it below 64 threads.
pub const MAX_BYTES_IN_FLIGHT: usize = 32 << 20;

/// How a parallel run is spread.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads; the calling thread reads and writes besides.
    pub jobs: NonZeroUsize,
    /// Bytes of whole lines per block ([`BLOCK_BYTES`]); a longer line makes a block of its own.
    pub block: usize,
}

impl Options {
    pub fn new(jobs: NonZeroUsize) -> Options {
        Options {
            jobs,
            block: BLOCK_BYTES,
        }
    }
}

/// The cores this process may use (`std::thread::available_parallelism`, which honours CPU quotas);
/// 1 when that cannot be told.
pub fn available_jobs() -> NonZeroUsize {
    thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Why a run stopped early. Everything before the stop has been written.
#[derive(Debug)]
pub enum Stop {
    /// A line was refused (or the input could not be read): as [`Requests`] reports it.
    Line(LineError),
    /// The output could not be written.
    Write(io::Error),
    /// A worker thread could not be started.
    Spawn(io::Error),
    /// A worker panicked: a bug, never the input's fault.
    Panic,
}

/// Reads NDJSON requests from `input` and calls `work(state, line, request, out)` for each, on
/// `options.jobs` threads; `out` is the request's output, and `write` gets the outputs in input
/// order. Each worker has its own `state`, made by `state()`, returned at the end (say, counts to
/// add up). `line` is the request's 1-based line number.
pub fn run<R, S, N, F, W>(
    input: R,
    options: Options,
    state: N,
    work: F,
    mut write: W,
) -> Result<Vec<S>, Stop>
where
    R: Read,
    S: Send,
    N: Fn() -> S + Sync,
    F: Fn(&mut S, usize, Request, &mut Vec<u8>) + Sync,
    W: FnMut(&[u8]) -> io::Result<()>,
{
    let in_flight = options.jobs.get().saturating_mul(2);
    let (jobs, queue) = mpsc::sync_channel::<Job>(in_flight);
    let queue = Mutex::new(queue);
    let (finished, done) = mpsc::channel::<Done>();
    let bases = LineBase::default();
    thread::scope(|scope| {
        let mut workers = Vec::with_capacity(options.jobs.get());
        for i in 0..options.jobs.get() {
            let (queue, bases, finished, state, work) =
                (&queue, &bases, finished.clone(), &state, &work);
            let spawned = thread::Builder::new()
                .name(format!("batch-{i}"))
                .spawn_scoped(scope, move || worker(queue, bases, finished, state(), work));
            match spawned {
                Ok(handle) => workers.push(handle),
                // Dropping `jobs` on return ends the workers already started.
                Err(e) => return Err(Stop::Spawn(e)),
            }
        }
        drop(finished);
        let blocks = Blocks::new(input, options.block, MAX_DOCUMENT_BYTES);
        let outcome = drive(blocks, in_flight, &jobs, &done, &mut write);
        // No more jobs: each worker ends after its current block.
        drop(jobs);
        let mut states = Vec::with_capacity(workers.len());
        for handle in workers {
            match handle.join() {
                Ok(s) => states.push(s),
                Err(_) => return Err(Stop::Panic),
            }
        }
        outcome.map(|()| states)
    })
}

/// A block of whole lines for a worker, the `seq`th of the input.
struct Job {
    seq: u64,
    input: Vec<u8>,
    out: Vec<u8>,
}

/// A worker's answer: the block's output up to the end or up to the line that stopped it, and
/// the newlines in the block (so the calling thread can number a refused line after the last).
struct Done {
    seq: u64,
    newlines: usize,
    input: Vec<u8>,
    out: Vec<u8>,
    stop: Option<Stop>,
}

/// The first line number of each block, handed on in input order by the workers themselves: the
/// worker of block `seq` counts its newlines as soon as it takes the block, waits until block
/// `seq - 1` is counted (taken from the same queue just before, by a worker that counts it at
/// once, so the wait is short and always ends), and passes on the number after its own lines.
struct LineBase {
    /// The next block to be numbered, and its first line.
    next: Mutex<(u64, usize)>,
    turn: Condvar,
}

impl Default for LineBase {
    fn default() -> LineBase {
        LineBase {
            next: Mutex::new((0, 1)),
            turn: Condvar::new(),
        }
    }
}

impl LineBase {
    /// Block `seq`'s first line number, once every block before it is counted; `None` only if
    /// another worker panicked while holding the lock (a bug).
    fn first_line(&self, seq: u64, newlines: usize) -> Option<usize> {
        let mut next = self.next.lock().ok()?;
        while next.0 != seq {
            next = self.turn.wait(next).ok()?;
        }
        let base = next.1;
        *next = (seq + 1, base.saturating_add(newlines));
        self.turn.notify_all();
        Some(base)
    }
}

fn worker<S, F>(
    queue: &Mutex<mpsc::Receiver<Job>>,
    bases: &LineBase,
    finished: mpsc::Sender<Done>,
    mut state: S,
    work: &F,
) -> S
where
    F: Fn(&mut S, usize, Request, &mut Vec<u8>),
{
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => break,
        };
        let Ok(mut job) = job else { break };
        // First thing after taking the block, so a worker waiting for this number waits little.
        let newlines = memchr::memchr_iter(b'\n', &job.input).count();
        let stop = match bases.first_line(job.seq, newlines) {
            Some(base) => {
                let (input, out) = (&job.input, &mut job.out);
                let stop = catch_unwind(AssertUnwindSafe(|| {
                    block(base, input, &mut state, work, out)
                }));
                match stop {
                    Ok(line) => line.map(Stop::Line),
                    Err(_) => Some(Stop::Panic),
                }
            }
            None => Some(Stop::Panic),
        };
        let panicked = matches!(stop, Some(Stop::Panic));
        let done = Done {
            seq: job.seq,
            newlines,
            input: job.input,
            out: job.out,
            stop,
        };
        if finished.send(done).is_err() || panicked {
            break;
        }
    }
    state
}

/// Works through one block's requests; the line that stops it, with its number in the whole input.
fn block<S, F>(
    base: usize,
    input: &[u8],
    state: &mut S,
    work: &F,
    out: &mut Vec<u8>,
) -> Option<LineError>
where
    F: Fn(&mut S, usize, Request, &mut Vec<u8>),
{
    let before = base.saturating_sub(1);
    for read in Requests::from_slice(input) {
        match read {
            Ok((line, request)) => work(state, before + line, request, out),
            Err(mut e) => {
                e.line += before;
                return Some(e);
            }
        }
    }
    None
}

/// The calling thread: reads blocks, keeps at most `in_flight` of them out, writes the answers in
/// order, and stops at the first answer (or input error) that stops the run.
fn drive<R: Read>(
    mut blocks: Blocks<R>,
    in_flight: usize,
    jobs: &mpsc::SyncSender<Job>,
    done: &mpsc::Receiver<Done>,
    write: &mut impl FnMut(&[u8]) -> io::Result<()>,
) -> Result<(), Stop> {
    // `pending[i]` is the answer to block `written + i`, once it has come.
    let mut pending: VecDeque<Option<Done>> = VecDeque::with_capacity(in_flight);
    let mut written: u64 = 0;
    let mut sent: u64 = 0;
    let mut spare: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(in_flight);
    // Newlines in the blocks written: a refused line after them is the next one.
    let mut newlines: usize = 0;
    let mut input_stop = None;
    let mut reading = true;
    let mut bytes: usize = 0;
    loop {
        while reading
            && pending.len() < in_flight
            && (pending.is_empty() || bytes < MAX_BYTES_IN_FLIGHT)
        {
            let (input, out) = spare.pop().unwrap_or_default();
            match blocks.next(input) {
                Ok(Some(input)) => {
                    bytes += input.len();
                    let job = Job {
                        seq: sent,
                        input,
                        out,
                    };
                    jobs.send(job).map_err(|_| Stop::Panic)?;
                    sent += 1;
                    pending.push_back(None);
                }
                Ok(None) => reading = false,
                Err(e) => {
                    reading = false;
                    input_stop = Some(e);
                }
            }
        }
        if pending.is_empty() {
            break;
        }
        while !matches!(pending.front(), Some(Some(_))) {
            // Every worker gone with answers owed: one panicked.
            let answer = done.recv().map_err(|_| Stop::Panic)?;
            let slot = usize::try_from(answer.seq - written)
                .ok()
                .and_then(|i| pending.get_mut(i))
                .ok_or(Stop::Panic)?;
            *slot = Some(answer);
        }
        while let Some(Some(_)) = pending.front() {
            let Some(Some(mut answer)) = pending.pop_front() else {
                break;
            };
            write(&answer.out).map_err(Stop::Write)?;
            if let Some(stop) = answer.stop {
                return Err(stop);
            }
            written += 1;
            newlines = newlines.saturating_add(answer.newlines);
            bytes = bytes.saturating_sub(answer.input.len());
            answer.input.clear();
            answer.out.clear();
            spare.push((answer.input, answer.out));
        }
    }
    // Every block before the refused line is written, so its number is known.
    match input_stop {
        Some(problem) => Err(Stop::Line(LineError {
            line: newlines.saturating_add(1),
            problem,
        })),
        None => Ok(()),
    }
}

/// Cuts a stream into blocks of whole lines. A line is cut as [`crate::ndjson::Lines`] cuts it:
/// the workers' reader refuses a line over the limit, and here a line with no newline within the
/// limit (+ 2) stops the stream unread, so memory stays bounded. Only the last newline of a block
/// is looked for (from its end); the workers count the lines.
struct Blocks<R> {
    reader: R,
    block: usize,
    limit: usize,
    /// Read but not yet handed out: starts at the beginning of a line.
    current: Vec<u8>,
    eof: bool,
    /// A read error, reported once the complete lines before it are handed out.
    failed: Option<String>,
    done: bool,
}

impl<R: Read> Blocks<R> {
    fn new(reader: R, block: usize, limit: usize) -> Blocks<R> {
        Blocks {
            reader,
            block: block.max(1),
            limit,
            current: Vec::new(),
            eof: false,
            failed: None,
            done: false,
        }
    }

    /// The next block; `spare` is an empty buffer to reuse. The problem of a refused line is
    /// that of the line after the blocks handed out.
    fn next(&mut self, mut spare: Vec<u8>) -> Result<Option<Vec<u8>>, LineProblem> {
        if self.done {
            return Ok(None);
        }
        let window = self.limit.saturating_add(2);
        let mut want = self.block;
        // `current[..searched]` has no newline: a long line is searched once, not once a read.
        let mut searched = 0;
        loop {
            self.fill(want);
            if self.eof && self.failed.is_none() {
                // The rest, its last line with or without a newline: the workers' reader judges it.
                self.done = true;
                if self.current.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(std::mem::take(&mut self.current)));
            }
            let unsearched = self.current.get(searched..).unwrap_or_default();
            if let Some(at) = memchr::memrchr(b'\n', unsearched).map(|at| searched + at) {
                let rest = self.current.get(at + 1..).unwrap_or_default();
                spare.clear();
                spare.extend_from_slice(rest);
                self.current.truncate(at + 1);
                return Ok(Some(std::mem::replace(&mut self.current, spare)));
            }
            // No whole line: the line that `current` begins.
            if let Some(error) = self.failed.take() {
                self.done = true;
                return Err(LineProblem::Read(error));
            }
            if self.current.len() >= window {
                self.done = true;
                return Err(LineProblem::TooLong);
            }
            searched = self.current.len();
            // Grow geometrically up to the limit, so a long line takes few reads.
            want = searched
                .saturating_mul(2)
                .max(searched + self.block)
                .min(window);
        }
    }

    /// Reads until `current` holds `want` bytes, the stream ends, or a read fails.
    fn fill(&mut self, want: usize) {
        if self.eof || self.failed.is_some() || self.current.len() >= want {
            return;
        }
        let more = want - self.current.len();
        self.current.reserve(more);
        match (&mut self.reader)
            .take(more as u64)
            .read_to_end(&mut self.current)
        {
            Ok(n) if n < more => self.eof = true,
            Ok(_) => {}
            Err(e) => self.failed = Some(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ndjson::tests::Trickle;

    /// Every block's text and first line number, or the error with the number of the line after
    /// the blocks (as [`drive`] numbers it), reading `text` in pieces of `chunk`.
    fn blocks(
        text: &[u8],
        block: usize,
        limit: usize,
        chunk: usize,
    ) -> Vec<Result<(usize, String), String>> {
        let mut b = Blocks::new(Trickle(text, chunk), block, limit);
        let mut out = Vec::new();
        let mut line = 1;
        loop {
            match b.next(Vec::new()) {
                Ok(None) => return out,
                Ok(Some(bytes)) => {
                    let n = line;
                    line += bytes.iter().filter(|&&b| b == b'\n').count();
                    out.push(Ok((n, String::from_utf8(bytes).unwrap())));
                }
                Err(problem) => {
                    out.push(Err(format!("{line}: {problem}")));
                    return out;
                }
            }
        }
    }

    #[test]
    fn blocks_are_the_input_cut_after_newlines_and_numbered_by_their_first_line() {
        let texts: [&[u8]; 5] = [
            b"",
            b"\n",
            b"a\nbb\n\nccc\ndddd",
            b"abc\n\n\nx\n",
            b"ab\r\ncd",
        ];
        for text in texts {
            for block in [1, 2, 3, 4, 7, 1000] {
                for chunk in [1, 2, 5, 1000] {
                    let cut = blocks(text, block, 100, chunk);
                    let mut joined = String::new();
                    for (i, b) in cut.iter().enumerate() {
                        let (base, bytes) = b.as_ref().unwrap();
                        assert_eq!(*base, 1 + joined.matches('\n').count(), "{cut:?}");
                        assert!(i + 1 == cut.len() || bytes.ends_with('\n'), "{cut:?}");
                        assert!(!bytes.is_empty(), "{cut:?}");
                        joined.push_str(bytes);
                    }
                    assert_eq!(joined.as_bytes(), text, "block {block} chunk {chunk}");
                }
            }
        }
        assert_eq!(
            blocks(b"a\nbb\n\nccc\ndddd", 4, 100, 1),
            vec![
                Ok((1, "a\n".into())),
                Ok((2, "bb\n\n".into())),
                Ok((4, "ccc\n".into())),
                Ok((5, "dddd".into()))
            ]
        );
    }

    #[test]
    fn a_line_without_newline_within_the_limit_stops_unread() {
        // limit 4: a line of 5 bytes and a newline still goes to the workers' reader, which names it.
        assert_eq!(
            blocks(b"ab\nabcde\nx\n", 2, 4, 1),
            vec![
                Ok((1, "ab\n".into())),
                Ok((2, "abcde\n".into())),
                Ok((3, "x\n".into()))
            ]
        );
        assert_eq!(
            blocks(b"ab\nabcdef\nx\n", 2, 4, 1),
            vec![
                Ok((1, "ab\n".into())),
                Err("2: the document is over the limit of 10485760 bytes (10 MiB)".into())
            ]
        );
    }

    #[test]
    fn a_read_error_comes_after_the_whole_lines_before_it() {
        struct Failing(&'static [u8]);
        impl Read for Failing {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("disk on fire"));
                }
                let n = out.len().min(self.0.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut b = Blocks::new(Failing(b"a\nb\npart"), 100, 100);
        assert_eq!(b.next(Vec::new()).unwrap(), Some(b"a\nb\n".to_vec()));
        let e = b.next(Vec::new()).unwrap_err();
        assert_eq!(e.to_string(), "cannot read: disk on fire");
        assert_eq!(b.next(Vec::new()).unwrap(), None);
        // Numbered after the lines of the blocks written before it, whatever the blocks.
        let text = format!("{REQUEST}\n\n{REQUEST}\n{REQUEST}\n");
        let text: &'static [u8] = Box::leak(format!("{text}{{\"asOf").into_boxed_str()).as_bytes();
        for (jobs, block) in [(1, 1), (2, 1), (2, 70), (3, 1000)] {
            let options = Options {
                jobs: NonZeroUsize::new(jobs).unwrap(),
                block,
            };
            let mut written = Vec::new();
            let result = run(
                Failing(text),
                options,
                || (),
                |_, line, _, out| out.extend_from_slice(format!("{line}\n").as_bytes()),
                |bytes| {
                    written.extend_from_slice(bytes);
                    Ok(())
                },
            );
            let Err(Stop::Line(e)) = result else {
                panic!("{result:?}")
            };
            assert_eq!(written, b"1\n3\n4\n", "jobs {jobs} block {block}");
            assert_eq!(
                format!("{}: {}", e.line, e.problem),
                "5: cannot read: disk on fire"
            );
        }
    }

    const REQUEST: &str = r#"{"asOf":"2021-06-15","viewer":{"cpr":"0101801234"},"records":[]}"#;

    /// What one thread makes of `text` (each request's line number, then the stop), and what
    /// [`run`] makes of it with `jobs` threads and blocks of `block` bytes.
    fn outputs(text: &[u8], jobs: usize, block: usize) -> (String, String) {
        let describe = |e: &LineError| format!("stop {}: {}", e.line, e.problem);
        let mut serial = String::new();
        for read in Requests::new(text, 3) {
            match read {
                Ok((line, request)) => serial += &format!("{line} {}\n", request.as_of),
                Err(e) => serial += &describe(&e),
            }
        }
        let options = Options {
            jobs: NonZeroUsize::new(jobs).unwrap(),
            block,
        };
        let mut parallel = Vec::new();
        let result = run(
            text,
            options,
            || 0usize,
            |count, line, request, out| {
                *count += 1;
                out.extend_from_slice(format!("{line} {}\n", request.as_of).as_bytes());
            },
            |bytes| {
                parallel.extend_from_slice(bytes);
                Ok(())
            },
        );
        let mut parallel = String::from_utf8(parallel).unwrap();
        match result {
            Ok(counts) => {
                assert_eq!(counts.len(), jobs);
                assert_eq!(counts.iter().sum::<usize>(), parallel.lines().count());
            }
            Err(Stop::Line(e)) => parallel += &describe(&e),
            Err(other) => panic!("{other:?}"),
        }
        (serial, parallel)
    }

    #[test]
    fn run_writes_what_one_thread_writes_in_order_and_stops_at_the_same_line() {
        let good = |date: &str| REQUEST.replace("2021-06-15", date);
        let mut lines: Vec<String> = (1..=28).map(|d| good(&format!("2021-02-{d:02}"))).collect();
        lines.insert(3, String::new());
        lines.insert(7, "   \r".into());
        let clean = lines.join("\n");
        let mut texts = vec![
            clean.clone().into_bytes(),
            format!("{clean}\n\n").into_bytes(),
        ];
        // A bad request, a line that is not UTF-8, a request cut short at the end.
        let mut bad = lines.clone();
        bad.insert(20, r#"{"asOf":"2021-02-30"}"#.into());
        texts.push(bad.join("\n").into_bytes());
        let mut not_utf8 = lines.join("\n").into_bytes();
        not_utf8.splice(10..10, b"\n{\xff}\n".iter().copied());
        texts.push(not_utf8);
        texts.push(format!("{clean}\n{{\"asOf\"").into_bytes());
        for text in &texts {
            for jobs in [1, 2, 4] {
                for block in [1, 50, 64, 333, 1 << 18] {
                    let (serial, parallel) = outputs(text, jobs, block);
                    assert_eq!(parallel, serial, "jobs {jobs} block {block}");
                }
            }
        }
        let (serial, _) = outputs(texts[2].as_slice(), 2, 64);
        // The bad request is line 21: 20 lines before it in the list, blank ones counted.
        assert!(
            serial.contains("20 2021-02-18\nstop 21: invalid request\n  asOf: expected a real"),
            "{serial}"
        );
    }

    #[test]
    fn run_stops_at_a_line_over_the_limit_with_the_lines_before_it_written() {
        let long = format!(
            "{REQUEST}\n{}\n{REQUEST}\n",
            " ".repeat(MAX_DOCUMENT_BYTES + 2)
        );
        let (serial, parallel) = outputs(long.as_bytes(), 2, 100);
        assert_eq!(parallel, serial);
        assert_eq!(
            serial,
            "1 2021-06-15\nstop 2: the document is over the limit of 10485760 bytes (10 MiB)"
        );
    }

    #[test]
    fn long_lines_wait_once_the_bytes_in_flight_reach_the_budget() {
        use std::cell::Cell;
        /// Counts the bytes read.
        struct Counted<'a>(&'a [u8], &'a Cell<usize>);
        impl Read for Counted<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.read(out)?;
                self.1.set(self.1.get() + n);
                Ok(n)
            }
        }
        // 50 requests of 1 MiB each, one block each: all could be out at once, but only ~32 MiB.
        let line = format!("{REQUEST}{}\n", " ".repeat((1 << 20) - REQUEST.len() - 1));
        let text = line.repeat(50);
        let read = Cell::new(0);
        let mut written = 0;
        let mut ahead = 0;
        let options = Options {
            jobs: NonZeroUsize::new(32).unwrap(),
            block: 1,
        };
        run(
            Counted(text.as_bytes(), &read),
            options,
            || (),
            |_, _, _, out| out.push(b'.'),
            |bytes| {
                written += bytes.len() * line.len();
                ahead = ahead.max(read.get() - written);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(written, text.len());
        assert!(ahead > MAX_BYTES_IN_FLIGHT / 2, "{ahead}");
        assert!(ahead <= MAX_BYTES_IN_FLIGHT + 2 * line.len(), "{ahead}");
    }

    #[test]
    fn a_panicking_worker_stops_the_run_without_hanging() {
        let text = format!("{REQUEST}\n").repeat(50);
        for jobs in [1, 3] {
            let options = Options {
                jobs: NonZeroUsize::new(jobs).unwrap(),
                block: 64,
            };
            let mut written = Vec::new();
            let result = run(
                text.as_bytes(),
                options,
                || (),
                |_, line, _, out| {
                    assert!(line != 30, "a bug");
                    out.extend_from_slice(format!("{line}\n").as_bytes());
                },
                |bytes| {
                    written.extend_from_slice(bytes);
                    Ok(())
                },
            );
            assert!(matches!(result, Err(Stop::Panic)), "{result:?}");
            // Nothing from line 30 on: its block's output is dropped.
            let lines = String::from_utf8(written).unwrap();
            assert!(
                lines.lines().all(|l| l.parse::<usize>().unwrap() < 30),
                "{lines}"
            );
        }
    }
}
