//! The engine's documented limits (README "Limits"). Each is enforced with a clear error naming the
//! JSON path, never by truncation, and identically in native and wasm (both read through the same
//! readers).

/// A policy or request document (in NDJSON: one line) larger than this is refused (SPEC §8 "Size").
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// Records in one request; more refuse the request (path `records`).
pub const MAX_RECORDS: usize = 100_000;

/// Documents of one case; more make the case `INVALID_RECORD`.
pub const MAX_DOCUMENTS_PER_CASE: usize = 1_000;

/// Payments of one benefit; more make the benefit `INVALID_RECORD`.
pub const MAX_PAYMENTS_PER_BENEFIT: usize = 5_000;

/// Any text the engine reads (ids, titles, names, settings); longer refuses the policy or request,
/// or makes the record `INVALID_RECORD`. Fields the engine never reads are not limited.
pub const MAX_TEXT_BYTES: usize = 4_096;

/// Entries of any list in a policy (areas, facets, source systems, …) and custody relations.
pub const MAX_LIST_ENTRIES: usize = 10_000;

/// Problems listed for one document (policy validation, a request envelope); past this they are
/// counted ("and N more problems"), so the list cannot grow with a hostile document.
pub const MAX_PROBLEMS: usize = 1_000;

/// Mandatory areas named in one "may not be closed" problem; past this, "and N more".
pub const MAX_AREAS_NAMED: usize = 20;
