//! The well-formedness checks quick-xml leaves to its caller (`tree.rs` applies them as it reads):
//! names, characters, entity and character references, attribute values and spacing, the XML
//! declaration. Nothing is ever declared or expanded: XML's five entities and character references
//! are all a document may use.

use super::tree::{ill, Error};

/// XML's white space (S), the only text allowed outside the root element.
pub(super) fn is_xml_space(b: &[u8]) -> bool {
    b.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Name characters by byte: 1 may start a name, 2 may only follow (digits, `-`, `.`); 0 never
/// (the colon is handled apart). Non-ASCII bytes count as name characters (`is_qname`). Built at
/// compile time: an index out of range fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const NAME: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            1
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            2
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Whether `b` is a namespace-well-formed name: an NCName, or two joined by one colon. Non-ASCII
/// letters are taken as name characters without consulting Unicode's tables (the importer's names
/// are ASCII; a document that relies on the difference is read, not misread).
pub(super) fn is_qname(b: &[u8]) -> bool {
    split_qname(b).is_some()
}

/// A valid name's prefix (empty when none) and local part; `None` when `b` is not one (`is_qname`).
pub(super) fn split_qname(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut colon = None;
    let mut start = true;
    for (i, &c) in b.iter().enumerate() {
        if c == b':' {
            if start || colon.is_some() {
                return None;
            }
            colon = Some(i);
            start = true;
            continue;
        }
        let class = NAME.get(usize::from(c)).copied().unwrap_or(0);
        if class == 0 || (start && class != 1) {
            return None;
        }
        start = false;
    }
    if start {
        return None;
    }
    Some(match colon {
        Some(i) => (b.get(..i)?, b.get(i + 1..)?),
        None => (&b""[..], b),
    })
}

/// Whether `c` is an XML 1.0 character.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The character an entity or character reference (`name` between `&` and `;`) stands for: XML's
/// five predefined entities and character references only; nothing is ever declared or expanded.
pub(super) fn reference(name: &[u8]) -> Result<char, String> {
    let code = match name {
        b"lt" => return Ok('<'),
        b"gt" => return Ok('>'),
        b"amp" => return Ok('&'),
        b"apos" => return Ok('\''),
        b"quot" => return Ok('"'),
        [b'#', b'x', hex @ ..] if !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit) => {
            std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok())
        }
        [b'#', dec @ ..] if !dec.is_empty() && dec.iter().all(u8::is_ascii_digit) => {
            std::str::from_utf8(dec).ok().and_then(|d| d.parse().ok())
        }
        [b'#', ..] => return Err("a malformed character reference".to_owned()),
        _ => {
            let shown = String::from_utf8_lossy(name.get(..name.len().min(40)).unwrap_or_default())
                .into_owned();
            return Err(format!(
                "unknown entity reference &{shown}; (entities are never expanded)"
            ));
        }
    };
    code.and_then(char::from_u32)
        .filter(|&c| is_xml_char(c))
        .ok_or_else(|| "a character reference to a character XML does not allow".to_owned())
}

/// Checks an attribute value: no `<`, and every `&` a reference `reference` accepts.
pub(super) fn check_value(value: &[u8]) -> Result<(), String> {
    if memchr::memchr(b'<', value).is_some() {
        return Err("'<' in an attribute value".to_owned());
    }
    let mut rest = value;
    while let Some(i) = memchr::memchr(b'&', rest) {
        let after = rest.get(i + 1..).unwrap_or_default();
        let Some(end) = memchr::memchr(b';', after) else {
            return Err("an '&' that starts no reference in an attribute value".to_owned());
        };
        reference(after.get(..end).unwrap_or_default())?;
        rest = after.get(end + 1..).unwrap_or_default();
    }
    Ok(())
}

/// Refuses a character XML does not allow anywhere in a document: a C0 control other than tab,
/// line feed and carriage return, U+FFFE or U+FFFF (the input is UTF-8, so no surrogates). One
/// pass over the bytes, which the compiler vectorises.
pub(super) fn check_chars(input: &str) -> Result<(), Error> {
    let bytes = input.as_bytes();
    // Branch-free over 64-byte blocks, so the compiler vectorises it; the exact check (with the
    // position) runs only when a block has a suspect byte.
    let bad =
        |b: u8| u8::from(b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | u8::from(b == 0xEF);
    let suspect = bytes
        .chunks(64)
        .any(|block| block.iter().fold(0u8, |acc, &b| acc | bad(b)) != 0);
    if !suspect {
        return Ok(());
    }
    for (i, c) in input.char_indices() {
        if !is_xml_char(c) {
            return Err(ill(i, "a character XML does not allow"));
        }
    }
    Ok(())
}

/// Whether every quoted attribute value is followed by white space or the end of the tag
/// (quick-xml reads `a="1"b="2"` as two attributes; XML requires the space).
pub(super) fn spaced(raw: &[u8]) -> bool {
    let mut quote = None;
    let mut bytes = raw.iter().peekable();
    while let Some(&b) = bytes.next() {
        match quote {
            None if b == b'"' || b == b'\'' => quote = Some(b),
            Some(q) if b == q => {
                quote = None;
                if bytes
                    .peek()
                    .is_some_and(|n| !matches!(n, b' ' | b'\t' | b'\r' | b'\n' | b'/'))
                {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// The XML declaration's grammar (XML 1.0 §2.8, [23]–[32]): `xml`, a version `1.x`, then an
/// optional encoding and standalone, in that order. quick-xml hands the declaration over unread.
pub(super) fn check_decl(content: &[u8]) -> Result<(), &'static str> {
    fn space(s: &mut &[u8]) -> bool {
        let n = s
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .count();
        *s = s.get(n..).unwrap_or_default();
        n > 0
    }
    /// `name Eq quoted-value`, the value returned.
    fn pseudo<'s>(s: &mut &'s [u8], name: &[u8]) -> Option<&'s [u8]> {
        *s = s.strip_prefix(name)?;
        space(s);
        *s = s.strip_prefix(b"=")?;
        space(s);
        let (&q, rest) = s.split_first()?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let end = rest.iter().position(|&b| b == q)?;
        *s = rest.get(end + 1..)?;
        rest.get(..end)
    }
    let mut s = content
        .strip_prefix(b"xml")
        .ok_or("a malformed XML declaration")?;
    if !space(&mut s) {
        return Err("a malformed XML declaration");
    }
    let version = pseudo(&mut s, b"version").ok_or("an XML declaration without a version")?;
    let ok = matches!(version, [b'1', b'.', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit));
    if !ok {
        return Err("an XML version other than 1.x");
    }
    let mut spaced = space(&mut s);
    if spaced && s.starts_with(b"encoding") {
        let name =
            pseudo(&mut s, b"encoding").ok_or("a malformed encoding in the XML declaration")?;
        let ok = name.first().is_some_and(u8::is_ascii_alphabetic)
            && name
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !ok {
            return Err("a malformed encoding in the XML declaration");
        }
        spaced = space(&mut s);
    }
    if spaced && s.starts_with(b"standalone") {
        let value =
            pseudo(&mut s, b"standalone").ok_or("a malformed standalone in the XML declaration")?;
        if value != b"yes" && value != b"no" {
            return Err("a malformed standalone in the XML declaration");
        }
        space(&mut s);
    }
    if s.is_empty() {
        Ok(())
    } else {
        Err("a malformed XML declaration")
    }
}

/// An attribute value as XML 1.0 §3.3.3 normalises it: line ends and white-space characters
/// become spaces, references are replaced (already checked by `check_value`). Used for namespace
/// URIs, the only attribute values the importer reads.
pub(super) fn attribute_value(raw: &[u8]) -> String {
    let raw = String::from_utf8_lossy(raw).replace("\r\n", " ");
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    while let Some(i) = rest.find(['&', '\t', '\r', '\n']) {
        out.push_str(rest.get(..i).unwrap_or_default());
        let tail = rest.get(i..).unwrap_or_default();
        if tail.starts_with('&') {
            let end = tail.find(';').unwrap_or(tail.len());
            if let Ok(c) = reference(tail.get(1..end).unwrap_or_default().as_bytes()) {
                out.push(c);
            }
            rest = tail.get(end + 1..).unwrap_or_default();
        } else {
            out.push(' ');
            rest = tail.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

/// `s` with XML's line-end normalisation (`\r\n` and a lone `\r` become `\n`).
pub(super) fn normalise_line_ends(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}
