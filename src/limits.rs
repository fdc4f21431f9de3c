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

/// One XML file given to the importer (`borgerblik import`, `importIndex`); larger is refused
/// (exit 2). A citizen's fremsoeg answer is a few hundred KB; a vendor's importer body can be split.
pub const MAX_XML_BYTES: usize = 16 * 1024 * 1024;

/// All XML files of one import together: the parsed trees of every file are kept for the joins
/// across files (documents, payments), so the run is bounded as a whole.
pub const MAX_XML_TOTAL_BYTES: usize = 64 * 1024 * 1024;

/// Files in one import.
pub const MAX_XML_FILES: usize = 1_000;

/// XML nodes (elements, text, comments …) in one file, checked while parsing before the memory is
/// spent; 16 MiB of SF1470 XML holds well under 2 million.
pub const MAX_XML_NODES: u32 = 4_000_000;

/// Element nesting in one file; SF1470 v6 documents nest about 12 deep (20 in a SOAP envelope).
pub const MAX_XML_DEPTH: usize = 64;
