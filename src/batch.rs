//! Batch work on every core: NDJSON requests spread over threads, the output written in input
//! order, byte for byte what one thread writes (`borgerblik evaluate --ndjson`, `diff`).
//!
//! `jobs` threads (the calling thread is one of them) serve themselves: a thread takes the input
//! lock, reads the next block of whole lines, numbers it and lets go; cuts the block into requests
//! with the reader every NDJSON path shares ([`Requests::from_slice`]), so line numbers, blank
//! lines, the line limit and every error are those of a single-threaded run; hands each request to
//! the caller's `work`; and hands the block's output in. Whoever hands in the block that is next
//! in input order writes it, and every block after it that is already in, outside the lock; a block
//! that comes early waits in the outlet for its turn, and its thread goes on to the next block.
//! There is no thread that only reads and writes: on a machine of `jobs` cores exactly `jobs`
//! threads run, a block is read into the cache of the core that works on it, and no thread is
//! woken per block (the earlier design, a reading and writing thread beside the workers, cost
//! three context switches a block and a block's bytes carried from core to core; BENCHMARKS.md).
//! The threads count their blocks' lines and pass the numbering on in order ([`LineBase`]).
//!
//! Memory is bounded by the blocks in flight (read, not yet written): at most `2 × jobs` of them
//! and, once one is out, no more read past [`MAX_BYTES_IN_FLIGHT`] bytes of input; each is whole
//! lines (a long line, up to the line limit, makes a large block) and its output. None of it
//! depends on the input's size. A refused line stops the run there, exactly as single-threaded:
//! the output of every line before it is written, nothing after it, and the error names the line.
//!
//! std only: `thread::scope` lets threads borrow the engines; two mutexes (input, outlet) taken
//! once or twice per block of hundreds of requests, and a condvar for a reader that is too far
//! ahead. At this granularity a pool crate (rayon) or crossbeam's channels would add a dependency
//! and nothing measurable; taking blocks from one input (not round robin) keeps every thread busy
//! when the machine is loaded.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

use crate::limits::MAX_DOCUMENT_BYTES;
use crate::ndjson::{LineError, LineProblem, Requests};
use crate::Request;

/// Blocks of about this many bytes of whole lines: ~50 requests, ~300 records each, so taking and
/// handing in one costs ~1 % of its work (callgrind), and `2 × jobs` of them in flight stay small
/// (peak memory grows ~8 MB a thread at 256 KiB, ~15 MB at 1 MiB, BENCHMARKS.md).
pub const BLOCK_BYTES: usize = 1 << 18;

/// Input bytes in flight beyond which no further block is read until one is written: blocks of
/// long lines (up to the 10 MiB line limit each) then wait, so memory stays bounded whatever the
/// lines and `jobs`. Normal blocks never reach it below 64 threads.
pub const MAX_BYTES_IN_FLIGHT: usize = 32 << 20;

/// How a parallel run is spread.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Threads, the calling thread among them.
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
    /// A thread could not be started.
    Spawn(io::Error),
    /// A thread panicked: a bug, never the input's fault.
    Panic,
}

/// Reads NDJSON requests from `input` and calls `work(state, line, request, out)` for each, on
/// `options.jobs` threads; `out` is the request's output, and `write` gets the outputs in input
/// order (on whichever thread's turn it is, one call at a time). Each thread has its own `state`,
/// made by `state()`, returned at the end (say, counts to add up). `line` is the request's
/// 1-based line number.
pub fn run<R, S, N, F, W>(
    input: R,
    options: Options,
    state: N,
    work: F,
    write: W,
) -> Result<Vec<S>, Stop>
where
    R: Read + Send,
    S: Send,
    N: Fn() -> S + Sync,
    F: Fn(&mut S, usize, Request, &mut Vec<u8>) + Sync,
    W: FnMut(&[u8]) -> io::Result<()> + Send,
{
    let shared = Shared {
        intake: Mutex::new(Blocks::new(input, options.block, MAX_DOCUMENT_BYTES)),
        outlet: Mutex::new(Outlet {
            pending: VecDeque::new(),
            taken: 0,
            written: 0,
            read: 0,
            bytes: 0,
            newlines: 0,
            spare: Vec::new(),
            waiting: false,
            write: Some(write),
            stop: None,
            input_problem: None,
        }),
        room: Condvar::new(),
        bases: LineBase::default(),
        in_flight: options.jobs.get().saturating_mul(2) as u64,
    };
    let states = thread::scope(|scope| {
        let mut others = Vec::with_capacity(options.jobs.get() - 1);
        for i in 1..options.jobs.get() {
            let (shared, state, work) = (&shared, &state, &work);
            let spawned = thread::Builder::new()
                .name(format!("batch-{i}"))
                .spawn_scoped(scope, move || shared.serve(state(), work));
            match spawned {
                Ok(handle) => others.push(handle),
                Err(e) => {
                    // The threads already started end after their current block.
                    shared.stop(Stop::Spawn(e));
                    break;
                }
            }
        }
        let mut states = Vec::with_capacity(options.jobs.get());
        // A panic outside `work` and `write` (both caught) would be a bug here: it stops the run.
        match catch_unwind(AssertUnwindSafe(|| shared.serve(state(), &work))) {
            Ok(s) => states.push(s),
            Err(_) => shared.stop(Stop::Panic),
        }
        for handle in others {
            match handle.join() {
                Ok(s) => states.push(s),
                Err(_) => shared.stop(Stop::Panic),
            }
        }
        states
    });
    let outlet = shared
        .outlet
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(stop) = outlet.stop {
        return Err(stop);
    }
    // No stop: every block read is written, so the refused line is the one after them.
    if let Some(problem) = outlet.input_problem {
        return Err(Stop::Line(LineError {
            line: outlet.newlines.saturating_add(1),
            problem,
        }));
    }
    // The calling thread's state first; the order carries no meaning.
    Ok(states)
}

/// `f` of every item on up to `jobs` threads (the calling thread one of them), the results in the
/// items' order: for work that comes whole, such as the scenario files of `borgerblik test`, where
/// [`run`]'s streaming is not needed. Threads take the next item as they finish one, so a slow item
/// holds up no other. A thread that cannot be started leaves its share to the others; a panic in
/// `f` (a bug) is raised again on the calling thread, as on one thread.
pub fn map_in_order<T, U, F>(items: &[T], jobs: NonZeroUsize, f: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync,
{
    let threads = jobs.get().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    // Each thread's results, each tagged with its item's index.
    let share = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            mine.push((i, f(item)));
        }
        mine
    };
    let mut tagged: Vec<(usize, U)> = thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map_while(|i| {
                thread::Builder::new()
                    .name(format!("map-{i}"))
                    .spawn_scoped(scope, share)
                    .ok()
            })
            .collect();
        let mut all = share();
        for handle in others {
            match handle.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    tagged.sort_unstable_by_key(|&(i, _)| i);
    tagged.into_iter().map(|(_, u)| u).collect()
}

/// What the threads share.
struct Shared<R, W> {
    /// The input, read by one thread at a time.
    intake: Mutex<Blocks<R>>,
    outlet: Mutex<Outlet<W>>,
    /// Signalled when blocks are written or the run stops: a reader waiting for room goes on.
    room: Condvar,
    bases: LineBase,
    /// Blocks read and not yet written, at most.
    in_flight: u64,
}

/// The answers on their way out, and the accounting that bounds memory.
struct Outlet<W> {
    /// `pending[i]` is the answer to block `taken + i`, once it has come.
    pending: VecDeque<Option<Done>>,
    /// Blocks taken out of `pending` by the thread writing, and of those, written.
    taken: u64,
    written: u64,
    /// Blocks read (the next block's sequence number), and their input bytes not yet written.
    read: u64,
    bytes: usize,
    /// Newlines in the blocks written: a refused line after them is the next one.
    newlines: usize,
    /// Buffers (input, output) of blocks written, for the next blocks.
    spare: Vec<(Vec<u8>, Vec<u8>)>,
    /// A reader waiting for room (only then is a wake, a syscall, needed).
    waiting: bool,
    /// The output, here while no thread is writing with it.
    write: Option<W>,
    /// Why the run stopped: nothing more is read, and nothing after it written.
    stop: Option<Stop>,
    /// Why the input ended early, reported once every block before it is written.
    input_problem: Option<LineProblem>,
}

/// A block of whole lines, the `seq`th of the input.
struct Job {
    seq: u64,
    input: Chunk,
    out: Vec<u8>,
}

/// A block's answer: its output up to the end or up to the line that stopped it, and the newlines
/// in the block (so a refused line after the last can be numbered).
struct Done {
    seq: u64,
    newlines: usize,
    input: Chunk,
    out: Vec<u8>,
    stop: Option<Stop>,
}

/// A lock whose holder panicked: the data is still there, and `stop` is what it is used for then.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<R: Read, W: FnMut(&[u8]) -> io::Result<()>> Shared<R, W> {
    /// One thread's loop: take a block, work through it, hand it in, until the input ends or the
    /// run stops.
    fn serve<S, F>(&self, mut state: S, work: &F) -> S
    where
        F: Fn(&mut S, usize, Request, &mut Vec<u8>),
    {
        let _stops = StopOnPanic(self);
        while let Some(mut job) = self.take() {
            // First thing after taking the block, so a thread waiting for this number waits little.
            let newlines = memchr::memchr_iter(b'\n', job.input.bytes()).count();
            let stop = match self.bases.first_line(job.seq, newlines) {
                Some(base) => {
                    let (input, out) = (job.input.bytes(), &mut job.out);
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
            self.hand_in(Done {
                seq: job.seq,
                newlines,
                input: job.input,
                out: job.out,
                stop,
            });
            if panicked {
                // The state may be half updated: this thread does no more.
                break;
            }
        }
        state
    }

    /// The next block, once there is room for it; `None` when the input has ended or the run
    /// stopped.
    fn take(&self) -> Option<Job> {
        let mut blocks = lock(&self.intake);
        // Read to its end, or to a problem (kept in the outlet).
        if blocks.done {
            return None;
        }
        let (input, out) = {
            let mut outlet = lock(&self.outlet);
            loop {
                if outlet.stop.is_some() {
                    return None;
                }
                let out = outlet.read - outlet.written;
                if out == 0 || (out < self.in_flight && outlet.bytes < MAX_BYTES_IN_FLIGHT) {
                    break;
                }
                // One reader at a time (it holds the input), so one flag says it all.
                outlet.waiting = true;
                outlet = self
                    .room
                    .wait(outlet)
                    .unwrap_or_else(PoisonError::into_inner);
                outlet.waiting = false;
            }
            outlet.spare.pop().unwrap_or_default()
        };
        let next = blocks.next(input);
        let mut outlet = lock(&self.outlet);
        match next {
            Ok(Some(input)) => {
                let seq = outlet.read;
                outlet.read += 1;
                outlet.bytes = outlet.bytes.saturating_add(input.len);
                Some(Job { seq, input, out })
            }
            Ok(None) => None,
            Err(problem) => {
                outlet.input_problem = Some(problem);
                None
            }
        }
    }

    /// Files a block's answer; if no thread is writing, this one writes every answer that is
    /// next in order, until the next one has not come.
    fn hand_in(&self, done: Done) {
        let mut outlet = lock(&self.outlet);
        if outlet.stop.is_some() {
            return;
        }
        // Block `seq` was read while fewer than `in_flight` were out, none of them taken.
        let slot = done.seq.checked_sub(outlet.taken);
        let Some(slot) = slot
            .filter(|&i| i < self.in_flight)
            .and_then(|i| usize::try_from(i).ok())
        else {
            drop(outlet);
            return self.stop(Stop::Panic);
        };
        if outlet.pending.len() <= slot {
            outlet.pending.resize_with(slot + 1, || None);
        }
        if let Some(place) = outlet.pending.get_mut(slot) {
            *place = Some(done);
        }
        let Some(mut write) = outlet.write.take() else {
            // The thread writing writes this too, when its turn comes.
            return;
        };
        let mut ready = Vec::new();
        loop {
            while let Some(Some(_)) = outlet.pending.front() {
                ready.extend(outlet.pending.pop_front().flatten());
                outlet.taken += 1;
            }
            if ready.is_empty() {
                outlet.write = Some(write);
                return;
            }
            drop(outlet);
            let mut stop = None;
            let (mut bytes, mut newlines, count) = (0, 0, ready.len());
            for answer in &mut ready {
                bytes += answer.input.len;
                newlines += answer.newlines;
                if stop.is_none() {
                    stop = match catch_unwind(AssertUnwindSafe(|| write(&answer.out))) {
                        Ok(Ok(())) => answer.stop.take(),
                        Ok(Err(e)) => Some(Stop::Write(e)),
                        Err(_) => Some(Stop::Panic),
                    };
                }
            }
            outlet = lock(&self.outlet);
            outlet.written += count as u64;
            outlet.bytes = outlet.bytes.saturating_sub(bytes);
            outlet.newlines = outlet.newlines.saturating_add(newlines);
            for mut answer in ready.drain(..) {
                answer.out.clear();
                outlet.spare.push((answer.input.buf, answer.out));
            }
            if outlet.waiting {
                self.room.notify_all();
            }
            if let Some(stop) = stop {
                outlet.write = Some(write);
                outlet.pending.clear();
                // Under the same lock that gives the writer back: no thread may write after it.
                return self.stop_in(&mut outlet, stop);
            }
        }
    }

    /// Stops the run (the first reason stays): readers waiting for room, and threads waiting for
    /// a line number, give up.
    fn stop(&self, why: Stop) {
        self.stop_in(&mut lock(&self.outlet), why);
    }

    /// [`Shared::stop`] with the outlet's lock held. (Lock order: outlet, then the line numbering.)
    fn stop_in(&self, outlet: &mut Outlet<W>, why: Stop) {
        outlet.stop.get_or_insert(why);
        self.room.notify_all();
        self.bases.give_up();
    }
}

/// Stops the run if its thread unwinds (a bug outside `work` and `write`, which are caught), so no
/// other thread waits for a block that will never be handed in.
struct StopOnPanic<'a, R: Read, W: FnMut(&[u8]) -> io::Result<()>>(&'a Shared<R, W>);

impl<R: Read, W: FnMut(&[u8]) -> io::Result<()>> Drop for StopOnPanic<'_, R, W> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.stop(Stop::Panic);
        }
    }
}

/// The first line number of each block, handed on in input order by the threads themselves: the
/// thread of block `seq` counts its newlines as soon as it takes the block, waits until block
/// `seq - 1` is counted (read just before, by a thread that counts it at once, so the wait is
/// short and always ends), and passes on the number after its own lines.
struct LineBase {
    turn: Mutex<Turn>,
    counted: Condvar,
}

struct Turn {
    /// The next block to be numbered, and its first line.
    seq: u64,
    line: usize,
    /// Threads waiting for their turn: only then is there anyone to wake (a wake is a syscall).
    waiting: usize,
    stopped: bool,
}

impl Default for LineBase {
    fn default() -> LineBase {
        LineBase {
            turn: Mutex::new(Turn {
                seq: 0,
                line: 1,
                waiting: 0,
                stopped: false,
            }),
            counted: Condvar::new(),
        }
    }
}

impl LineBase {
    /// Block `seq`'s first line number, once every block before it is counted; `None` once the
    /// run has stopped.
    fn first_line(&self, seq: u64, newlines: usize) -> Option<usize> {
        let mut turn = lock(&self.turn);
        while turn.seq != seq && !turn.stopped {
            turn.waiting += 1;
            turn = self
                .counted
                .wait(turn)
                .unwrap_or_else(PoisonError::into_inner);
            turn.waiting -= 1;
        }
        if turn.stopped {
            return None;
        }
        let line = turn.line;
        turn.seq = seq + 1;
        turn.line = line.saturating_add(newlines);
        if turn.waiting > 0 {
            self.counted.notify_all();
        }
        Some(line)
    }

    fn give_up(&self) {
        lock(&self.turn).stopped = true;
        self.counted.notify_all();
    }
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

/// A block: the first `len` bytes of `buf`, whole lines. The bytes after them are initialized too
/// (left from earlier blocks), so the buffer can be read into again without zeroing it.
#[derive(Debug)]
struct Chunk {
    buf: Vec<u8>,
    len: usize,
}

impl Chunk {
    fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// Cuts a stream into blocks of whole lines. A line is cut as [`crate::ndjson::Lines`] cuts it:
/// the workers' reader refuses a line over the limit, and here a line with no newline within the
/// limit (+ 2) stops the stream unread, so memory stays bounded. Only the last newline of a block
/// is looked for (from its end); the threads count the lines.
struct Blocks<R> {
    reader: R,
    block: usize,
    limit: usize,
    /// `current[..filled]` is read but not yet handed out, and starts at the beginning of a line;
    /// the rest of `current` is initialized room for the next reads.
    current: Vec<u8>,
    filled: usize,
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
            filled: 0,
            eof: false,
            failed: None,
            done: false,
        }
    }

    /// The next block; `spare` is a buffer of a block handed out before (or empty), to reuse
    /// whatever its bytes. The problem of a refused line is that of the line after the blocks
    /// handed out.
    fn next(&mut self, mut spare: Vec<u8>) -> Result<Option<Chunk>, LineProblem> {
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
                if self.filled == 0 {
                    return Ok(None);
                }
                let len = std::mem::take(&mut self.filled);
                let buf = std::mem::take(&mut self.current);
                return Ok(Some(Chunk { buf, len }));
            }
            let data = self.current.get(..self.filled).unwrap_or_default();
            let unsearched = data.get(searched..).unwrap_or_default();
            if let Some(at) = memchr::memrchr(b'\n', unsearched).map(|at| searched + at) {
                // The rest begins the next block, at the front of the spare buffer.
                let rest = data.get(at + 1..).unwrap_or_default();
                if spare.len() < rest.len() {
                    spare.resize(rest.len(), 0);
                }
                if let Some(front) = spare.get_mut(..rest.len()) {
                    front.copy_from_slice(rest);
                }
                let filled = rest.len();
                let buf = std::mem::replace(&mut self.current, spare);
                self.filled = filled;
                return Ok(Some(Chunk { buf, len: at + 1 }));
            }
            // No whole line: the line that `current` begins.
            if let Some(error) = self.failed.take() {
                self.done = true;
                return Err(LineProblem::Read(error));
            }
            if self.filled >= window {
                self.done = true;
                return Err(LineProblem::TooLong);
            }
            searched = self.filled;
            // Grow geometrically up to the limit, so a long line takes few reads.
            want = searched
                .saturating_mul(2)
                .max(searched + self.block)
                .min(window);
        }
    }

    /// Reads until `current` holds `want` bytes, the stream ends, or a read fails: straight into
    /// the buffer, one read a block from a file (`read_to_end` would start at 8 KiB and double,
    /// six reads a block), and without zeroing it each time (a buffer is zeroed only as it grows,
    /// once in its life: the memset was ~2 % of a run).
    fn fill(&mut self, want: usize) {
        if self.eof || self.failed.is_some() || self.filled >= want {
            return;
        }
        if self.current.len() < want {
            self.current.resize(want, 0);
        }
        while let Some(space) = self
            .current
            .get_mut(self.filled..want)
            .filter(|s| !s.is_empty())
        {
            match self.reader.read(space) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.filled = self.filled.saturating_add(n).min(want),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.failed = Some(e.to_string());
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ndjson::tests::Trickle;

    /// Every block's text and first line number, or the error with the number of the line after
    /// the blocks (as [`run`] numbers it), reading `text` in pieces of `chunk`.
    fn blocks(
        text: &[u8],
        block: usize,
        limit: usize,
        chunk: usize,
    ) -> Vec<Result<(usize, String), String>> {
        let mut b = Blocks::new(Trickle(text, chunk), block, limit);
        let mut out = Vec::new();
        let mut line = 1;
        // Buffers come back with their old bytes in them, as in a run: none may show.
        let mut spare = b"\n\n\nstale\n".repeat(3);
        loop {
            match b.next(std::mem::take(&mut spare)) {
                Ok(None) => return out,
                Ok(Some(chunk)) => {
                    let n = line;
                    let bytes = chunk.bytes();
                    line += bytes.iter().filter(|&&b| b == b'\n').count();
                    out.push(Ok((n, String::from_utf8(bytes.to_vec()).unwrap())));
                    spare = chunk.buf;
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
        let first = b.next(Vec::new()).unwrap().unwrap();
        assert_eq!(first.bytes(), b"a\nb\n");
        let e = b.next(Vec::new()).unwrap_err();
        assert_eq!(e.to_string(), "cannot read: disk on fire");
        assert!(b.next(Vec::new()).unwrap().is_none());
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
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        /// Counts the bytes read.
        struct Counted<'a>(&'a [u8], &'a AtomicUsize);
        impl Read for Counted<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.read(out)?;
                self.1.fetch_add(n, SeqCst);
                Ok(n)
            }
        }
        // 50 requests of 1 MiB each, one block each: all could be out at once, but only ~32 MiB.
        // The first block is slow: it waits until the other threads have read up to the budget
        // (they must, and must go no further), then a moment more for any read past it to show.
        let line = format!("{REQUEST}{}\n", " ".repeat((1 << 20) - REQUEST.len() - 1));
        let text = line.repeat(50);
        let read = AtomicUsize::new(0);
        let read_while_stuck = AtomicUsize::new(0);
        let mut written = 0;
        let mut ahead = 0;
        let options = Options {
            jobs: NonZeroUsize::new(32).unwrap(),
            block: 1,
        };
        let stuck = |_: &mut (), number: usize, _: Request, out: &mut Vec<u8>| {
            if number == 1 {
                let budget = MAX_BYTES_IN_FLIGHT - line.len();
                let start = std::time::Instant::now();
                while read.load(SeqCst) < budget && start.elapsed().as_secs() < 60 {
                    thread::sleep(std::time::Duration::from_millis(5));
                }
                thread::sleep(std::time::Duration::from_millis(200));
                read_while_stuck.store(read.load(SeqCst), SeqCst);
            }
            out.push(b'.');
        };
        run(
            Counted(text.as_bytes(), &read),
            options,
            || (),
            stuck,
            |bytes| {
                written += bytes.len() * line.len();
                ahead = ahead.max(read.load(SeqCst) - written);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(written, text.len());
        let read_while_stuck = read_while_stuck.load(SeqCst);
        assert!(
            read_while_stuck >= MAX_BYTES_IN_FLIGHT - line.len(),
            "{read_while_stuck}"
        );
        assert!(ahead > MAX_BYTES_IN_FLIGHT / 2, "{ahead}");
        for bytes in [ahead, read_while_stuck] {
            assert!(bytes <= MAX_BYTES_IN_FLIGHT + 2 * line.len(), "{bytes}");
        }
    }

    #[test]
    fn a_failing_or_panicking_write_stops_the_run_with_the_blocks_before_it_written() {
        let text = format!("{REQUEST}\n").repeat(200);
        for jobs in [1, 2, 4] {
            for panics in [false, true] {
                let options = Options {
                    jobs: NonZeroUsize::new(jobs).unwrap(),
                    block: 70,
                };
                let (mut calls, mut written) = (0, Vec::new());
                let result = run(
                    text.as_bytes(),
                    options,
                    || (),
                    |_, line, _, out| out.extend_from_slice(format!("{line}\n").as_bytes()),
                    |bytes| {
                        calls += 1;
                        if calls == 3 {
                            assert!(!panics, "a bug in the writer");
                            return Err(io::Error::other("disk full"));
                        }
                        written.extend_from_slice(bytes);
                        Ok(())
                    },
                );
                match result {
                    Err(Stop::Panic) if panics => {}
                    Err(Stop::Write(e)) if !panics => assert_eq!(e.to_string(), "disk full"),
                    other => panic!("jobs {jobs}: {other:?}"),
                }
                // One request a block (70 bytes): the first two blocks, then nothing more.
                assert_eq!(written, b"1\n2\n", "jobs {jobs}");
                assert_eq!(calls, 3, "jobs {jobs}");
            }
        }
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
