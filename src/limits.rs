//! The engine's documented limits (README "Limits"). They are enforced with errors, never by truncation.

/// A policy or request document (in NDJSON: one line) larger than this is refused (SPEC §8 "Size").
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
