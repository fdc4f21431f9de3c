//! The engine's documented limits (README "Limits"). Each is enforced with a clear error naming the
//! JSON path, never by truncation, and identically in native and wasm (both read through the same
//! readers).

/// A policy or request document (in NDJSON: one line) larger than this is refused (SPEC §8 "Size").
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The one wording of the size-limit refusal, for every entry point (CLI, wasm text, bytes and
/// objects, NDJSON lines): the size itself is left out, since each measures it differently (bytes,
/// UTF-16 units) and a stream is not read past the limit.
pub fn document_too_large() -> String {
    format!("the document is over the limit of {MAX_DOCUMENT_BYTES} bytes (10 MiB)")
}

/// What one `evaluateNdjson` call may produce (wasm): each overview's size is bounded before it
/// is written (`size::overview_json_bound`), and a call that would go past this is refused. Below
/// V8's longest string (2^29 - 24 characters), so the text form can always be handed to JS.
pub const MAX_NDJSON_OUTPUT_BYTES: usize = 384 * 1024 * 1024;

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
