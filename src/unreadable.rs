//! Values no JSON reader can take, inside a record, cost only that record (SPEC §8, issue 11).
//!
//! serde_json refuses a whole document for a string escape that is no character (a lone surrogate,
//! `"\ud800"`) or a number beyond `f64` (`1e400`), wherever it stands. When a request cannot be
//! parsed, [`stand_in`] scans its text once and replaces each such value *inside a record* with a
//! stand-in string the record reader refuses ([`UNREADABLE`]), so the record becomes
//! `INVALID_RECORD` naming the field, and the text is read once more. Such a value anywhere else
//! (the envelope), or any other error, leaves the request refused as before. Only requests that
//! failed the normal reading pay for the scan; no JSON tree is built.

/// The stand-in: two control characters no index field holds. A record field holding exactly this
/// text is unreadable too (fail closed).
pub(crate) const UNREADABLE: &str = "\u{0}\u{1}";

const UNREADABLE_JSON: &str = r#""\u0000\u0001""#;

/// The problem of a record field whose value cannot be read (the value is not quoted).
pub(crate) const MESSAGE: &str =
    "the value cannot be read: a string escape that is no character (a lone surrogate), or a number out of range";

#[derive(Clone, Copy)]
struct Frame {
    object: bool,
    /// In an object: the next string is a key.
    key_next: bool,
}

/// Whether serde_json refuses this string or number token for its value (not its syntax).
fn unreadable(token: &str) -> bool {
    match serde_json::from_str::<crate::record::Scalar>(token) {
        Ok(_) => false,
        Err(e) => {
            let m = e.to_string();
            m.contains("out of range") || m.contains("surrogate") || m.contains("hex escape")
        }
    }
}

/// The end (exclusive) of the string token starting at `start` (its opening quote).
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// `text` with every unreadable value inside a record replaced by the stand-in, or `None` when
/// there is none, or one stands outside the records (the request is then refused as it was).
pub(crate) fn stand_in(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut in_records = false;
    let mut owners = false;
    let mut copied = 0;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let start = i;
        let (end, is_key) = match c {
            b'{' | b'[' => {
                stack.push(Frame {
                    object: c == b'{',
                    key_next: c == b'{',
                });
                i += 1;
                continue;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                continue;
            }
            b',' | b':' => {
                if let Some(f) = stack.last_mut() {
                    f.key_next = f.object && c == b',';
                }
                i += 1;
                continue;
            }
            b'"' => {
                let end = string_end(b, i)?;
                let is_key = stack.last().is_some_and(|f| f.object && f.key_next);
                if is_key {
                    let key = text.get(start..end)?;
                    match stack.len() {
                        1 => in_records = key == "\"records\"",
                        3 => owners = key == "\"propertyOwners\"",
                        _ => {}
                    }
                }
                (end, is_key)
            }
            b'-' | b'0'..=b'9' => {
                let len = b
                    .get(i..)?
                    .iter()
                    .take_while(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .count();
                (i + len, false)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        i = end;
        let token = text.get(start..end)?;
        let suspect = if c == b'"' {
            token.contains("\\u")
        } else {
            token.len() > 300 || token.contains(['e', 'E'])
        };
        if !suspect || !unreadable(token) {
            continue;
        }
        // Inside a record: the root's `records` list (depth 2) or deeper.
        if !(in_records && stack.len() >= 2) {
            return None;
        }
        out.push_str(text.get(copied..start)?);
        let owners_value = !is_key && owners && stack.len() == 3;
        if owners_value {
            // `propertyOwners` that is not a list counts as none: the stand-in goes in a list.
            out.push('[');
            out.push_str(UNREADABLE_JSON);
            out.push(']');
        } else {
            out.push_str(UNREADABLE_JSON);
        }
        copied = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(text.get(copied..)?);
    Some(out)
}
