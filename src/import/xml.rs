//! Reading the XML: refusals before and while parsing (IMPORT.md §5), and small helpers that find
//! elements by namespace URI and local name, never by prefix (IMPORT.md §2).
//!
//! The tree is `tree.rs`'s, read with quick-xml (see Cargo.toml for why). It never expands an entity
//! beyond XML's five predefined ones and character references, and refuses any DOCTYPE; the prolog
//! is checked here first, so a DOCTYPE is refused at its own position.

use std::borrow::Cow;
use std::fmt::Write as _;

pub use super::tree::{Node, Ns, Tree};
use super::tree::{SOAP11, SOAP12};
use crate::limits::MAX_XML_BYTES;

pub const SDI: Ns = Ns(0);
pub const SAG: Ns = Ns(1);
pub const SI: Ns = Ns(2);
pub const DI: Ns = Ns(3);
pub const GD: Ns = Ns(4);
pub const SD: Ns = Ns(5);
pub const YI: Ns = Ns(6);
pub const BI: Ns = Ns(7);
pub const OEF: Ns = Ns(8);

/// The prefixes problem paths use (sf1470-mapping §1), by `Ns` index; other namespaces are written
/// `{uri}local`.
const PREFIXES: [&str; 9] = ["sdi", "sag", "si", "di", "gd", "sd", "yi", "bi", "oef"];

/// A file that cannot be imported at all: where (1-based line and column) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The kind of index document a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SagDokument,
    Ydelse,
}

/// 1-based line and column (in characters) of byte `at` in `bytes`.
fn position(bytes: &[u8], at: usize) -> (u32, u32) {
    let head = bytes.get(..at.min(bytes.len())).unwrap_or_default();
    let line = head.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = head
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

fn refuse_at(bytes: &[u8], at: usize, message: impl Into<String>) -> Refusal {
    let (line, column) = position(bytes, at);
    Refusal {
        line,
        column,
        message: message.into(),
    }
}

/// The bytes as UTF-8 text without a BOM, refusing what §5 refuses before parsing: an over-size
/// file, bytes that are not UTF-8, an encoding other than UTF-8 declared, and any DOCTYPE.
pub fn text(bytes: &[u8]) -> Result<&str, Refusal> {
    if bytes.len() > MAX_XML_BYTES {
        return Err(refuse_at(
            bytes,
            MAX_XML_BYTES,
            format!(
                "the file is over the limit of {MAX_XML_BYTES} bytes ({} MiB)",
                MAX_XML_BYTES >> 20
            ),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| refuse_at(bytes, e.valid_up_to(), "not UTF-8 text"))?;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = text.get(bom..).unwrap_or_default();
    check_prolog(text).map_err(|(at, m)| refuse_at(bytes, at + bom, m))?;
    Ok(text)
}

/// Walks the prolog (XML declaration, comments, processing instructions, white space) and refuses a
/// DOCTYPE or a declared encoding other than UTF-8. Returns the offset of the root element.
fn check_prolog(text: &str) -> Result<usize, (usize, String)> {
    let mut at = 0;
    if text.starts_with("<?xml") && text.as_bytes().get(5).is_some_and(u8::is_ascii_whitespace) {
        let end = text
            .find("?>")
            .ok_or((0, "unterminated XML declaration".to_owned()))?;
        let decl = text.get(..end).unwrap_or_default();
        if let Some(i) = decl.find("encoding") {
            let value = decl
                .get(i + "encoding".len()..)
                .unwrap_or_default()
                .trim_start()
                .trim_start_matches('=')
                .trim_start();
            let quote = value.chars().next().unwrap_or('"');
            let name = value
                .get(1..)
                .unwrap_or_default()
                .split(quote)
                .next()
                .unwrap_or_default();
            if !name.eq_ignore_ascii_case("utf-8") && !name.eq_ignore_ascii_case("utf8") {
                return Err((
                    i,
                    "the XML declaration names an encoding other than UTF-8".to_owned(),
                ));
            }
        }
        at = end + 2;
    }
    loop {
        let rest = text.get(at..).unwrap_or_default();
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("<!--") {
            at += trimmed.find("-->").map_or(trimmed.len(), |i| i + 3);
        } else if trimmed.starts_with("<?") {
            at += trimmed.find("?>").map_or(trimmed.len(), |i| i + 2);
        } else if trimmed.starts_with("<!DOCTYPE") || trimmed.starts_with("<!doctype") {
            return Err((
                at,
                "a DOCTYPE (DTD) is refused: the importer never reads DTDs or entity declarations"
                    .to_owned(),
            ));
        } else {
            return Ok(at);
        }
    }
}

/// Parses the text into a tree, refusing what is not well-formed and what is over the node and
/// depth limits (counted while reading, tree.rs).
pub fn parse(text: &str) -> Result<Tree<'_>, Refusal> {
    super::tree::parse(text).map_err(|e| refuse_at(text.as_bytes(), e.at, e.message))
}

/// A refusal at an element.
pub fn refuse_node(node: Node<'_, '_>, message: String) -> Refusal {
    refuse_at(node.tree().input().as_bytes(), node.pos(), message)
}

/// `{uri}local`, or `prefix:local` for the index's own namespaces: how a name appears in paths and
/// messages, whatever prefix the sender chose.
pub fn name(node: Node<'_, '_>) -> String {
    let ns = node.ns();
    match PREFIXES.get(usize::from(ns.0)) {
        Some(p) => format!("{p}:{}", node.local()),
        None => match node.tree().uri(ns) {
            Some(uri) => format!("{{{uri}}}{}", node.local()),
            None => node.local().to_owned(),
        },
    }
}

/// The document's root object and its kind, unwrapping a SOAP 1.1 or 1.2 envelope; any other root
/// is refused, naming what was found.
pub fn root<'a, 'i>(doc: &'a Tree<'i>) -> Result<(Node<'a, 'i>, Kind), Refusal> {
    let mut node = doc.root();
    if is_in(node, &[SOAP11, SOAP12], "Envelope") {
        let ns = node.ns();
        let body = node
            .children()
            .find(|c| is(*c, ns, "Body"))
            .ok_or_else(|| refuse_node(node, "a SOAP Envelope without a Body".to_owned()))?;
        let mut parts = body.children();
        node = match (parts.next(), parts.next()) {
            (Some(part), None) => part,
            _ => {
                return Err(refuse_node(
                    body,
                    "the SOAP Body must hold exactly one element".to_owned(),
                ))
            }
        };
    }
    let local = node.local();
    let kind = match (node.ns(), local) {
        (SDI, "ImporterSagDokumentIndeksInput" | "FremsoegSagDokumentIndeksOutput") => {
            Kind::SagDokument
        }
        (YI, "ImporterYdelseIndeksInput" | "FremsoegYdelseIndeksOutput") => Kind::Ydelse,
        (ns, _) => {
            let found = name(node);
            let why = if local.starts_with("Opdater") || local.starts_with("Fjern") {
                "a partial update (opdater/fjern) cannot be imported: it needs a store the engine does not keep; send an importer body or a fremsoeg answer".to_owned()
            } else if doc.uri(ns).is_some_and(|n| n.contains(":1.2.")) {
                "the SF1470 1.2 schemas are not read; only the v6 namespaces are".to_owned()
            } else {
                "not an SF1470 v6 Sags- og Dokumentindeks or Ydelsesindeks importer body or fremsoeg answer".to_owned()
            };
            return Err(refuse_node(node, format!("refused root {found}: {why}")));
        }
    };
    Ok((node, kind))
}

/// In debug builds: the name asked for is one the tree stores (tree.rs `KEEP`).
fn asked(local: &str) {
    debug_assert!(
        super::tree::keeps(local.as_bytes()),
        "{local} is read by the importer but not in tree.rs KEEP"
    );
}

pub fn is(node: Node<'_, '_>, ns: Ns, local: &str) -> bool {
    asked(local);
    node.ns() == ns && super::tree::same(node.local().as_bytes(), local.as_bytes())
}

pub fn is_in(node: Node<'_, '_>, nss: &[Ns], local: &str) -> bool {
    asked(local);
    super::tree::same(node.local().as_bytes(), local.as_bytes()) && nss.contains(&node.ns())
}

/// The first child element `{ns}local`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, ns: Ns, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, local))
}

/// Every child element `{ns}local`, in document order.
pub fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    ns: Ns,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, ns, local))
}

/// Follows a path of `(ns, local)` steps, first match at each step.
pub fn at<'a, 'i>(node: Node<'a, 'i>, steps: &[(Ns, &str)]) -> Option<Node<'a, 'i>> {
    steps
        .iter()
        .try_fold(node, |n, (ns, local)| child(n, *ns, local))
}

/// The element's text content (every text piece joined), trimmed as XML schema's `collapse` would
/// trim it at the ends.
pub fn text_of<'a>(node: Node<'a, '_>) -> Cow<'a, str> {
    Cow::Borrowed(node.text().trim())
}

/// The text of a child element, `None` when the child is absent.
pub fn child_text<'a>(node: Node<'a, '_>, ns: Ns, local: &str) -> Option<Cow<'a, str>> {
    child(node, ns, local).map(text_of)
}

/// The problem path of an element: `/sdi:ImporterSagDokumentIndeksInput/sdi:SagIndeks[2]/…`, with a
/// 1-based `[n]` on a step that has siblings of the same name.
pub fn path(node: Node<'_, '_>) -> String {
    let mut steps: Vec<Node<'_, '_>> = std::iter::successors(Some(node), |n| n.parent()).collect();
    steps.reverse();
    let mut out = String::new();
    for n in steps {
        let (mut before, mut same) = (0usize, 0usize);
        if let Some(parent) = n.parent() {
            for s in parent.children().filter(|s| s.same_name(n)) {
                if s.id() < n.id() {
                    before += 1;
                }
                same += 1;
            }
        }
        out.push('/');
        out.push_str(&name(n));
        if same > 1 {
            let _ = write!(out, "[{}]", before + 1);
        }
    }
    out
}

/// Whether `s` is a UUID (8-4-4-4-12 hex digits, either case).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The `sd:UUIDIdentifikator` of a reference element, lower-cased, when it is a UUID.
pub fn uuid_of(node: Node<'_, '_>) -> Option<String> {
    let text = child_text(node, SD, "UUIDIdentifikator")?;
    is_uuid(&text).then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_XML_DEPTH;

    #[test]
    fn prolog_refusals_name_the_position() {
        let t = "<?xml version=\"1.0\"?>\n<!DOCTYPE x>\n<x/>";
        assert_eq!(text(t.as_bytes()).unwrap_err().line, 2);
        let t = "<?xml version='1.0' encoding='ISO-8859-1'?><x/>";
        assert!(text(t.as_bytes()).unwrap_err().message.contains("encoding"));
        let t = "\u{feff}<?xml version='1.0' encoding='utf-8'?><x/>";
        assert_eq!(
            text(t.as_bytes()).unwrap(),
            "<?xml version='1.0' encoding='utf-8'?><x/>"
        );
        let bad = b"<x>\n\xff</x>";
        let r = text(bad).unwrap_err();
        assert_eq!((r.line, r.column), (2, 1));
    }

    #[test]
    fn depth_over_the_limit_is_refused_at_the_element() {
        let deep = format!(
            "{}{}",
            "<a>\n".repeat(MAX_XML_DEPTH + 1),
            "</a>".repeat(MAX_XML_DEPTH + 1)
        );
        let r = parse(&deep).unwrap_err();
        assert!(r.message.contains("nested deeper than 64"), "{}", r.message);
        assert_eq!(r.line, MAX_XML_DEPTH as u32 + 1);
        let ok = format!(
            "{}{}",
            "<a>".repeat(MAX_XML_DEPTH),
            "</a>".repeat(MAX_XML_DEPTH)
        );
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn paths_use_fixed_prefixes_and_count_repeated_steps() {
        let doc = parse(
            "<a:R xmlns:a='urn:oio:sts:sagdok:sagdokumentindeks:6' xmlns='urn:x'><a:Titel/><a:Titel><Id/></a:Titel></a:R>",
        )
        .unwrap();
        let b = doc
            .root()
            .children()
            .nth(1)
            .unwrap()
            .children()
            .next()
            .unwrap();
        assert_eq!(path(b), "/sdi:R/sdi:Titel[2]/{urn:x}Id");
    }
}
