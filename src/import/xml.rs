//! Reading the XML: refusals before and while parsing (IMPORT.md §5), and small helpers that find
//! elements by namespace URI and local name, never by prefix (IMPORT.md §2).
//!
//! The tree comes from roxmltree (see Cargo.toml for why). It never expands an entity beyond XML's
//! five predefined ones and character references, and refuses a DTD with an internal subset; an
//! empty `<!DOCTYPE x>` it would accept, so every DOCTYPE is refused here first.

use std::borrow::Cow;
use std::fmt::Write as _;

use roxmltree::{Document, Node, ParsingOptions};

use crate::limits::{MAX_XML_BYTES, MAX_XML_DEPTH, MAX_XML_NODES};

pub const SDI: &str = "urn:oio:sts:sagdok:sagdokumentindeks:6";
pub const SAG: &str = "urn:oio:sts:sagdok:sag:6";
pub const SI: &str = "urn:oio:sts:sagdok:sagindeks:6";
pub const DI: &str = "urn:oio:sts:sagdok:dokumentindeks:6";
pub const GD: &str = "urn:oio:sts:generelledefinitioner:6";
pub const SD: &str = "urn:oio:sagdok:3.0.0";
pub const YI: &str = "urn:oio:sts:ydelse:ydelseindeks:6";
pub const BI: &str = "urn:oio:sts:ydelse:bevillingindeks:6";
pub const OEF: &str = "urn:oio:sts:ydelse:oekonomiskeffektueringindeks:6";
const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The prefixes problem paths use (sf1470-mapping §1); other namespaces are written `{uri}local`.
const PREFIXES: [(&str, &str); 9] = [
    (SDI, "sdi"),
    (SAG, "sag"),
    (SI, "si"),
    (DI, "di"),
    (GD, "gd"),
    (SD, "sd"),
    (YI, "yi"),
    (BI, "bi"),
    (OEF, "oef"),
];

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
/// depth limits.
pub fn parse(text: &str) -> Result<Document<'_>, Refusal> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        use roxmltree::Error as E;
        let message = match &e {
            E::NodesLimitReached => format!("more than {MAX_XML_NODES} XML nodes"),
            E::DtdDetected => {
                "a DOCTYPE (DTD) is refused: the importer never reads DTDs".to_owned()
            }
            E::UnknownEntityReference(..) | E::EntityReferenceLoop(..) => {
                format!("not well-formed XML: {e} (entities are never expanded)")
            }
            _ => format!("not well-formed XML: {e}"),
        };
        let pos = e.pos();
        let (line, column) = match e {
            E::UnclosedRootNode | E::UnexpectedEndOfStream => position(text.as_bytes(), text.len()),
            _ => (pos.row, pos.col),
        };
        // roxmltree ends its messages with " at L:C"; the position is reported on its own.
        let suffix = format!(" at {}:{}", pos.row, pos.col);
        let message = message.replace(&suffix, "");
        Refusal {
            line,
            column,
            message,
        }
    })?;
    // Depth: the open elements on a stack, popped back to each element's parent (elements come in
    // document order). One walk, and memory bounded by the depth limit rather than a per-node
    // table (BENCHMARKS.md "Import").
    let mut open: Vec<roxmltree::NodeId> = Vec::with_capacity(MAX_XML_DEPTH + 1);
    for node in doc.descendants().filter(Node::is_element) {
        let parent = node.parent().map(|p| p.id());
        while open.last().is_some_and(|&top| Some(top) != parent) {
            open.pop();
        }
        if open.len() >= MAX_XML_DEPTH {
            return Err(refuse_node(
                &doc,
                node,
                format!("elements nested deeper than {MAX_XML_DEPTH} levels"),
            ));
        }
        open.push(node.id());
    }
    Ok(doc)
}

/// A refusal at an element.
pub fn refuse_node(doc: &Document<'_>, node: Node<'_, '_>, message: String) -> Refusal {
    let pos = doc.text_pos_at(node.range().start);
    Refusal {
        line: pos.row,
        column: pos.col,
        message,
    }
}

/// `{uri}local`, or `prefix:local` for the index's own namespaces: how a name appears in paths and
/// messages, whatever prefix the sender chose.
pub fn name(node: Node<'_, '_>) -> String {
    let tag = node.tag_name();
    match tag.namespace() {
        Some(ns) => match PREFIXES.iter().find(|(uri, _)| *uri == ns) {
            Some((_, p)) => format!("{p}:{}", tag.name()),
            None => format!("{{{ns}}}{}", tag.name()),
        },
        None => tag.name().to_owned(),
    }
}

/// The document's root object and its kind, unwrapping a SOAP 1.1 or 1.2 envelope; any other root
/// is refused, naming what was found.
pub fn root<'a, 'i>(doc: &'a Document<'i>) -> Result<(Node<'a, 'i>, Kind), Refusal> {
    let mut node = doc.root_element();
    if is_in(node, &[SOAP11, SOAP12], "Envelope") {
        let ns = node.tag_name().namespace().unwrap_or_default();
        let body = node
            .children()
            .find(|c| is(*c, ns, "Body"))
            .ok_or_else(|| refuse_node(doc, node, "a SOAP Envelope without a Body".to_owned()))?;
        let mut parts = body.children().filter(Node::is_element);
        node = match (parts.next(), parts.next()) {
            (Some(part), None) => part,
            _ => {
                return Err(refuse_node(
                    doc,
                    body,
                    "the SOAP Body must hold exactly one element".to_owned(),
                ))
            }
        };
    }
    let tag = node.tag_name();
    let local = tag.name();
    let kind = match (tag.namespace(), local) {
        (Some(SDI), "ImporterSagDokumentIndeksInput" | "FremsoegSagDokumentIndeksOutput") => {
            Kind::SagDokument
        }
        (Some(YI), "ImporterYdelseIndeksInput" | "FremsoegYdelseIndeksOutput") => Kind::Ydelse,
        (ns, _) => {
            let found = name(node);
            let why = if local.starts_with("Opdater") || local.starts_with("Fjern") {
                "a partial update (opdater/fjern) cannot be imported: it needs a store the engine does not keep; send an importer body or a fremsoeg answer".to_owned()
            } else if ns.is_some_and(|n| n.contains(":1.2.")) {
                "the SF1470 1.2 schemas are not read; only the v6 namespaces are".to_owned()
            } else {
                "not an SF1470 v6 Sags- og Dokumentindeks or Ydelsesindeks importer body or fremsoeg answer".to_owned()
            };
            return Err(refuse_node(
                doc,
                node,
                format!("refused root {found}: {why}"),
            ));
        }
    };
    Ok((node, kind))
}

pub fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

pub fn is_in(node: Node<'_, '_>, nss: &[&str], local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && node
            .tag_name()
            .namespace()
            .is_some_and(|n| nss.contains(&n))
}

/// The first child element `{ns}local`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, local))
}

/// Every child element `{ns}local`, in document order.
pub fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    ns: &'static str,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, ns, local))
}

/// Follows a path of `(ns, local)` steps, first match at each step.
pub fn at<'a, 'i>(node: Node<'a, 'i>, steps: &[(&str, &str)]) -> Option<Node<'a, 'i>> {
    steps
        .iter()
        .try_fold(node, |n, (ns, local)| child(n, ns, local))
}

/// The element's text content (every text child joined), trimmed as XML schema's `collapse` would
/// trim it at the ends.
pub fn text_of<'a>(node: Node<'a, '_>) -> Cow<'a, str> {
    let mut texts = node
        .children()
        .filter(Node::is_text)
        .filter_map(|t| t.text());
    let first = texts.next().unwrap_or_default();
    match texts.next() {
        None => Cow::Borrowed(first.trim()),
        Some(second) => {
            let mut all = String::from(first);
            all.push_str(second);
            texts.for_each(|t| all.push_str(t));
            Cow::Owned(all.trim().to_owned())
        }
    }
}

/// The text of a child element, `None` when the child is absent.
pub fn child_text<'a>(node: Node<'a, '_>, ns: &str, local: &str) -> Option<Cow<'a, str>> {
    child(node, ns, local).map(text_of)
}

/// The problem path of an element: `/sdi:ImporterSagDokumentIndeksInput/sdi:SagIndeks[2]/…`, with a
/// 1-based `[n]` on a step that has siblings of the same name.
pub fn path(node: Node<'_, '_>) -> String {
    let mut steps: Vec<Node<'_, '_>> = node.ancestors().filter(Node::is_element).collect();
    steps.reverse();
    let mut out = String::new();
    for n in steps {
        let tag = n.tag_name();
        let same = |s: &Node<'_, '_>| s.is_element() && s.tag_name() == tag;
        let before = n.prev_siblings().skip(1).filter(same).count();
        let after = n.next_siblings().skip(1).filter(same).count();
        out.push('/');
        out.push_str(&name(n));
        if before + after > 0 {
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
        let doc = Document::parse(
            "<a:R xmlns:a='urn:oio:sts:sagdok:sagdokumentindeks:6' xmlns='urn:x'><a:S/><a:S><b/></a:S></a:R>",
        )
        .unwrap();
        let b = doc
            .descendants()
            .find(|n| n.tag_name().name() == "b")
            .unwrap();
        assert_eq!(path(b), "/sdi:R/sdi:S[2]/{urn:x}b");
    }
}
