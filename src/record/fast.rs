//! A reader for the common request, tried before the general one on every NDJSON line (the CLI's
//! `evaluate --ndjson` and `diff`, the wasm `evaluateNdjson`). It knows the request's shape: it
//! reads the bytes in one pass, matches each key by its text once, borrows every string, and skips
//! the values of unknown record fields by checking their syntax only (serde_json's reader, with
//! its visitor and key types, costs ~30 % more instructions per record; BENCHMARKS.md).
//!
//! It only ever answers for a request the general reader ([`Request::from_json_str`]) reads
//! without a problem, and then with the same request: anything it does not read exactly as that
//! reader would (a `\u` escape, a fraction, a duplicate key, a `null` list element, an
//! envelope key it does not know, JSON that is not JSON) makes it give up (`None`), and the line
//! is read again by the general reader, which words every problem. A record it cannot take (one
//! with a problem: an `INVALID_RECORD`, or an escape such as `\"` in its text) is read by the
//! general record reader from its own text. The
//! values are converted by the record reader's own functions ([`Fields::scalar`],
//! [`RecordReader::build`], ...), so a record means the same whichever reader read it. The tests
//! below read generated municipalities, and thousands of mutated lines, both ways.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::{
    date, flag, owned_text, party, whole_number, Fields, Key, RecordReader, Scalar, SeenKeys,
};
use crate::cpr::Cpr;
use crate::json::parse_date;
use crate::limits;
use crate::types::{
    CustodyFacts, CustodyRelation, Document, Payment, Person, RecordInput, Request,
};

/// Unknown record fields nested deeper than this are left to the general reader (whose own
/// nesting limit is far above it: a request's records sit at depth 3).
const MAX_SKIP_DEPTH: usize = 16;

/// Custody relations read here; more (never seen in practice) go to the general reader.
const MAX_RELATIONS: usize = 64;

/// The request `text` holds, when it is one this reader reads exactly as
/// [`Request::from_json_str`] does; `None` otherwise (then ask that reader).
pub fn request(text: &str) -> Option<Request> {
    if text.len() > limits::MAX_DOCUMENT_BYTES {
        return None;
    }
    let mut c = Cursor {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let (mut as_of, mut viewer, mut subject, mut custody, mut records) =
        (None, None, None, None, None);
    let mut seen = 0u8;
    c.object(|c, key| {
        let bit: u8 = match key {
            "asOf" => 0,
            "viewer" => 1,
            "subject" => 2,
            "custody" => 3,
            "records" => 4,
            _ => return None,
        };
        once(&mut seen, 1 << bit)?;
        match bit {
            0 => as_of = Some(c.date()?),
            1 => viewer = Some(c.person()?),
            2 => subject = c.or_null(Cursor::person)?,
            3 => custody = c.or_null(Cursor::custody)?,
            _ => records = Some(c.records()?),
        }
        Some(())
    })?;
    c.space();
    if c.at != c.bytes.len() {
        return None;
    }
    Some(Request {
        as_of: as_of?,
        viewer: viewer?,
        subject,
        custody,
        records: records?,
    })
}

/// Marks the key of `bit` seen; `None` (give up) when it was seen before: a duplicate key.
fn once(seen: &mut u8, bit: u8) -> Option<()> {
    let first = *seen & bit == 0;
    *seen |= bit;
    first.then_some(())
}

/// The text and how far it is read.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// Skips JSON whitespace.
    #[inline]
    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.bytes.get(self.at).copied()
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A string without escapes or control characters (either gives up), borrowed. Looks at 8
    /// bytes at a time for the first `"`, `\\` or control character, as serde_json does.
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        const ONES: u64 = u64::MAX / 255;
        const HIGH: u64 = ONES << 7;
        while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
            let w = u64::from_le_bytes(chunk.try_into().ok()?);
            let quote = w ^ (ONES * u64::from(b'"'));
            let backslash = w ^ (ONES * u64::from(b'\\'));
            // A byte's high bit is set where it is zero: a quote, a backslash, or below 0x20. A
            // borrow can only mark bytes after the first true one, which are never looked at.
            let found = (quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash)
                | (w.wrapping_sub(ONES * 0x20) & !w);
            let found = found & HIGH;
            if found != 0 {
                self.at += found.trailing_zeros() as usize / 8;
                break;
            }
            self.at += 8;
        }
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let s = self.text.get(start..self.at)?;
        self.at += 1;
        Some(s)
    }

    /// `true`, `false` or `null`, spelt out; gives up on anything else.
    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// An integer as serde_json hands it over: `UInt` unless negative. Fractions, exponents,
    /// `-0` and numbers of more than 18 digits give up (serde_json reads them as floats or may
    /// overflow).
    fn integer(&mut self) -> Option<Scalar<'a>> {
        let negative = self.bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = self.bytes.get(start..self.at)?;
        match digits {
            [] | [b'0', _, ..] => return None,
            _ if digits.len() > 18 => return None,
            _ => {}
        }
        if let Some(b'.' | b'e' | b'E') = self.bytes.get(self.at) {
            return None;
        }
        let n = digits
            .iter()
            .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
        Some(match (negative, n) {
            (false, n) => Scalar::UInt(n.unsigned_abs()),
            (true, 0) => return None,
            (true, n) => Scalar::Int(-n),
        })
    }

    /// A value the record reader converts: a string, `true`, `false`, `null` or an integer.
    /// Lists and objects give up (the general reader reports or ignores them).
    fn scalar(&mut self) -> Option<Scalar<'a>> {
        Some(match self.peek()? {
            b'"' => Scalar::Str(Cow::Borrowed(self.string()?)),
            b't' => self.word(b"true").map(|()| Scalar::Bool(true))?,
            b'f' => self.word(b"false").map(|()| Scalar::Bool(false))?,
            b'n' => self.word(b"null").map(|()| Scalar::Null)?,
            b'-' | b'0'..=b'9' => self.integer()?,
            _ => return None,
        })
    }

    /// Skips any value, checking its syntax (as serde_json's `IgnoredAny` does: keys of a
    /// skipped object may repeat).
    fn skip(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' if depth < MAX_SKIP_DEPTH => self.object(|c, _| c.skip(depth + 1)),
            b'[' if depth < MAX_SKIP_DEPTH => self.array(|c| c.skip(depth + 1)),
            b'{' | b'[' => None,
            _ => self.scalar().map(drop),
        }
    }

    /// Skips a string, escapes included (free text such as a title may carry `\"` or `\n`, and a
    /// record with one is then read by the general record reader): `\u` escapes give up, as a
    /// lone surrogate is not JSON every reader takes (src/unreadable.rs).
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => match *self.bytes.get(self.at + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 2,
                    _ => return None,
                },
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
    }

    /// An object: `field(cursor, key)` reads each value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An array: `element(cursor)` reads each element.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            element(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `null` (as `None`) or what `read` reads.
    fn or_null<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.word(b"null")?;
            return Some(None);
        }
        read(self).map(Some)
    }

    /// A list of objects read by `item`, at most `limit` long: `null` is empty (as the general
    /// reader has it); a `null` element gives up.
    fn list<T>(
        &mut self,
        limit: usize,
        mut item: impl FnMut(&mut Self, usize) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut out = Vec::new();
        let read = self.or_null(|c| {
            c.array(|c| {
                if out.len() >= limit || c.peek()? != b'{' {
                    return None;
                }
                out.push(item(c, out.len())?);
                Some(())
            })
        })?;
        read.map(|()| out).or(Some(Vec::new()))
    }

    // ------------------------------------------------------------ the envelope, strictly

    fn date(&mut self) -> Option<NaiveDate> {
        parse_date(self.string()?)
    }

    fn optional_date(&mut self) -> Option<Option<NaiveDate>> {
        self.or_null(Cursor::date)
    }

    fn cpr(&mut self) -> Option<Cpr> {
        Cpr::parse(self.string()?)
    }

    /// `{"cpr": ..., "birthDate": ...}`, nothing else.
    fn person(&mut self) -> Option<Person> {
        let (mut cpr, mut birth_date, mut seen) = (None, None, 0u8);
        self.object(|c, key| {
            let bit = match key {
                "cpr" => 1,
                "birthDate" => 2,
                _ => return None,
            };
            once(&mut seen, bit)?;
            match bit {
                1 => cpr = Some(c.cpr()?),
                _ => birth_date = c.optional_date()?,
            }
            Some(())
        })?;
        Some(Person {
            cpr: cpr?,
            birth_date,
        })
    }

    /// `{"verifiedAt": ..., "relations": [...]}`, nothing else.
    fn custody(&mut self) -> Option<CustodyFacts> {
        let (mut verified_at, mut relations, mut seen) = (None, Vec::new(), 0u8);
        self.object(|c, key| {
            let bit = match key {
                "verifiedAt" => 1,
                "relations" => 2,
                _ => return None,
            };
            once(&mut seen, bit)?;
            match bit {
                1 => verified_at = c.optional_date()?,
                _ => relations = c.list(MAX_RELATIONS, |c, _| c.relation())?,
            }
            Some(())
        })?;
        Some(CustodyFacts {
            verified_at,
            relations,
        })
    }

    fn relation(&mut self) -> Option<CustodyRelation> {
        let (mut child, mut kind, mut from, mut to, mut seen) = (None, None, None, None, 0u8);
        self.object(|c, key| {
            let bit = match key {
                "childCpr" => 1,
                "type" => 2,
                "validFrom" => 4,
                "validTo" => 8,
                _ => return None,
            };
            once(&mut seen, bit)?;
            match bit {
                1 => child = Some(c.cpr()?),
                2 => {
                    let s = c.string()?;
                    if s.len() > limits::MAX_TEXT_BYTES {
                        return None;
                    }
                    kind = Some(s.to_owned());
                }
                4 => from = Some(c.date()?),
                _ => to = c.optional_date()?,
            }
            Some(())
        })?;
        Some(CustodyRelation {
            child_cpr: child?,
            relation_type: kind?,
            valid_from: from?,
            valid_to: to,
        })
    }

    // ------------------------------------------------------------ records, as record.rs reads them

    /// `records`: a list (not `null`, which the general reader reports as missing); a `null`
    /// record is absent, but counts for its successors' index and the limit (as `ListSeed`).
    fn records(&mut self) -> Option<Vec<RecordInput>> {
        let mut out = Vec::new();
        let mut count = 0;
        self.array(|c| {
            let index = count;
            count += 1;
            if count > limits::MAX_RECORDS {
                return None;
            }
            if c.peek()? == b'n' {
                return c.word(b"null");
            }
            out.push(c.record(index)?);
            Some(())
        })?;
        Some(out)
    }

    /// A record: one with no problem read here, any other (an invalid record, a field this
    /// reader does not take) by the general record reader from its own text, which is the same
    /// reading as within the request: a record's reading depends on nothing outside it.
    fn record(&mut self, index: usize) -> Option<RecordInput> {
        let start = self.at;
        if let Some(record) = self.valid_record(index) {
            return Some(record);
        }
        self.at = start;
        self.skip(0)?;
        super::read_one(self.text.get(start..self.at)?, index)
    }

    /// A record with no problem at all, as [`RecordReader`] builds it.
    fn valid_record(&mut self, index: usize) -> Option<RecordInput> {
        let mut fields = Fields::default();
        let mut seen = SeenKeys::default();
        self.object(|c, key| {
            let field = Key::parse(key);
            if seen.repeated(field.map(|k| k as u32), &Cow::Borrowed(key)) {
                return None;
            }
            match field {
                None => c.skip(0),
                Some(Key::Documents) => {
                    let limit = limits::MAX_DOCUMENTS_PER_CASE;
                    fields.documents = c.list(limit, |c, _| c.document())?;
                    Some(())
                }
                Some(Key::Payments) => {
                    let limit = limits::MAX_PAYMENTS_PER_BENEFIT;
                    fields.payments = c.list(limit, |c, _| c.payment())?;
                    Some(())
                }
                Some(Key::PropertyOwners) => {
                    fields.property_owners = c.owners()?;
                    Some(())
                }
                Some(field) => match c.scalar()? {
                    // `null` means absent everywhere.
                    Scalar::Null => Some(()),
                    v => fields.scalar(field, &v).ok(),
                },
            }
        })?;
        RecordReader::build(fields, index)
            .ok()
            .map(RecordInput::Valid)
    }

    /// As `DocumentReader`: `id`, `title`, `date`, `excludedFromCitizen`; others skipped.
    fn document(&mut self) -> Option<Document> {
        let mut d = Document {
            id: None,
            title: None,
            date: None,
            excluded_from_citizen: false,
        };
        let mut seen = SeenKeys::default();
        self.object(|c, key| {
            let bit = match key {
                "id" => 0,
                "title" => 1,
                "date" => 2,
                "excludedFromCitizen" => 3,
                _ => 4,
            };
            let known = (bit < 4).then_some(bit);
            if seen.repeated(known, &Cow::Borrowed(key)) {
                return None;
            }
            if known.is_none() {
                return c.skip(0);
            }
            let v = c.scalar()?;
            match (bit, &v) {
                (_, Scalar::Null) => {}
                (0, v) => d.id = Some(owned_text(v).ok()?),
                (1, v) => d.title = Some(owned_text(v).ok()?),
                (2, v) => d.date = Some(date(v).ok()?),
                (_, v) => d.excluded_from_citizen = flag(v).ok()?,
            }
            Some(())
        })?;
        Some(d)
    }

    /// As `PaymentReader`: `date` and `grossAmountOre`, both required; others skipped.
    fn payment(&mut self) -> Option<Payment> {
        let (mut day, mut amount) = (None, None);
        let mut seen = SeenKeys::default();
        self.object(|c, key| {
            let bit = match key {
                "date" => 0,
                "grossAmountOre" => 1,
                _ => 2,
            };
            let known = (bit < 2).then_some(bit);
            if seen.repeated(known, &Cow::Borrowed(key)) {
                return None;
            }
            if known.is_none() {
                return c.skip(0);
            }
            match (bit, c.scalar()?) {
                (_, Scalar::Null) => {}
                (0, v) => day = Some(date(&v).ok()?),
                (_, v) => amount = Some(whole_number(&v).ok()?),
            }
            Some(())
        })?;
        Some(Payment {
            date: day?,
            gross_amount_ore: amount?,
        })
    }

    /// `propertyOwners`: `null` or a list of strings and `null`s; a value that is not a CPR
    /// number counts as none, as the general reader has it. Anything else gives up.
    fn owners(&mut self) -> Option<Vec<Cpr>> {
        let mut out = Vec::new();
        let mut count = 0;
        let read = self.or_null(|c| {
            c.array(|c| {
                count += 1;
                if count > limits::MAX_LIST_ENTRIES {
                    return None;
                }
                match c.scalar()? {
                    Scalar::Null => {}
                    v @ Scalar::Str(_) => out.extend(party(&v).ok()?),
                    _ => return None,
                }
                Some(())
            })
        })?;
        read.map(|()| out).or(Some(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated municipality's requests, as `borgerblik generate` writes them.
    fn generated(citizens: u64, seed: u64) -> Vec<String> {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        crate::generate::requests(citizens, seed, as_of)
            .map(|r| crate::to_json(&r))
            .collect()
    }

    /// What the general reader makes of `text`, and whether this reader agrees: it answers only
    /// for a request the general reader reads, and then with the same request.
    fn agrees(text: &str) -> bool {
        let general = Request::from_json_str(text);
        match request(text) {
            None => false,
            Some(fast) => {
                assert_eq!(general.as_ref().ok(), Some(&fast), "{text}");
                true
            }
        }
    }

    #[test]
    fn generated_requests_are_read_here_and_as_the_general_reader_reads_them() {
        let lines = generated(400, 7);
        let missed: Vec<&String> = lines.iter().filter(|l| !agrees(l)).collect();
        assert!(
            missed.is_empty(),
            "{} given up, first: {}",
            missed.len(),
            missed[0]
        );
    }

    /// Values at the edges of what this reader takes: each read as the general reader reads it,
    /// or left to it.
    #[test]
    fn edge_values_are_read_as_the_general_reader_reads_them_or_left_to_it() {
        let benefit = |payments: &str| {
            format!(
                r#"{{"asOf":"2024-05-01","viewer":{{"cpr":"0101801234"}},"records":[{{"kind":"benefit","id":"b","kle":"32.18.02","startDate":"2024-01-01","payments":[{payments}]}}]}}"#
            )
        };
        let case = |extra: &str| {
            format!(
                r#"{{"asOf":"2024-05-01","viewer":{{"cpr":"0101801234"}},"records":[null,{{"kind":"case","id":"c","kle":"32.18.02","createdDate":"2024-01-01","status":"Oplyst"{extra}}}]}}"#
            )
        };
        let mut texts = Vec::new();
        for amount in [
            "0",
            "-0",
            "-5",
            "1.5",
            "1e2",
            "01",
            "-",
            "9223372036854775807",
            "999999999999999999",
            "-999999999999999999",
            "true",
            "\"7\"",
            "null",
        ] {
            texts.push(benefit(&format!(
                r#"{{"date":"2024-02-01","grossAmountOre":{amount}}}"#
            )));
        }
        let owner = r#""0101801234","#.repeat(limits::MAX_LIST_ENTRIES);
        let document = r#"{"id":"d","date":"2024-02-02"},"#.repeat(limits::MAX_DOCUMENTS_PER_CASE);
        for extra in [
            String::new(),
            format!(r#","propertyOwners":[{owner}"0202801234"]"#),
            format!(r#","propertyOwners":[{owner}null]"#),
            format!(r#","documents":[{document}{{"id":"e"}}]"#),
            r#","documents":[null]"#.into(),
            r#","propertyOwners":"x""#.into(),
            r#","title":"a\"b""#.into(),
            r#","\u0074itle":"x""#.into(),
            r#","x":{"a":1,"a":2}"#.into(),
            r#","x":[1,2,]"#.into(),
            r#","status":"Oplyst""#.into(),
            r#","sensitivity":"vip_sager""#.into(),
            r#","hoi":1"#.into(),
        ] {
            texts.push(case(&extra));
        }
        for text in &texts {
            agrees(text);
            agrees(&format!("{text} x"));
            agrees(text.trim_end_matches('}'));
        }
        // Whitespace anywhere is read here.
        let general = Request::from_json_str(&texts[0]).unwrap();
        let value: serde_json::Value = serde_json::from_str(&texts[0]).unwrap();
        let pretty = format!(" {} \t", serde_json::to_string_pretty(&value).unwrap());
        assert_eq!(request(&pretty), Some(general));
        // A record with a problem is left to the record reader, the rest of the request read here.
        assert!(agrees(&benefit(
            r#"{"date":"2024-02-01","grossAmountOre":"7"}"#
        )));
        assert!(agrees(&case(r#","sensitivity":"vip_sager""#)));
        // An escape in a record's text: the record by the record reader, the request here.
        assert!(agrees(&case(r#","title":"a \"b\"\n""#)));
        assert!(agrees(&case(r#","note":"a\tb\/c""#)));
        assert!(!agrees(&case(r#","note":"\ud800""#)));
    }

    /// xorshift: the mutations are the same on every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Bytes that change what JSON means, and pieces of requests.
    const PIECES: [&str; 40] = [
        "\"",
        "\\",
        "\\u0069",
        "\\n",
        "\u{1}",
        "\t",
        " ",
        ",",
        ":",
        "{",
        "}",
        "[",
        "]",
        "-",
        "0",
        "1",
        "9",
        ".",
        "e",
        "E",
        "+",
        "null",
        "true",
        "false",
        "\"id\":\"x\",",
        "\"kind\":",
        "\"case\"",
        "\"benefit\"",
        "\"VIP_SAGER\"",
        "\"2024-02-30\"",
        "\"2024-02-29\"",
        "1e400",
        "-0",
        "01",
        "18446744073709551616",
        "9223372036854775808",
        "\"x\":[[[{}]]],",
        "\"documents\":null,",
        "\"propertyOwners\":[null,\"0101801234\",5],",
        "\u{2028}",
    ];

    /// One random edit: insert, replace or delete a piece, or repeat a slice (a key twice).
    fn mutate(text: &str, rng: &mut Rng) -> String {
        let mut out = text.to_owned();
        let at = |rng: &mut Rng, s: &str| {
            let mut i = rng.below(s.len() + 1);
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let i = at(rng, &out);
        match rng.below(4) {
            0 => out.insert_str(i, PIECES[rng.below(PIECES.len())]),
            1 => {
                let j = at(rng, &out[i..]) + i;
                let j = (i + (j - i) % 8).min(out.len());
                let j = (j..=out.len()).find(|&j| out.is_char_boundary(j)).unwrap();
                out.replace_range(i..j, PIECES[rng.below(PIECES.len())]);
            }
            2 => {
                let j = (i + 1 + rng.below(6)).min(out.len());
                let j = (j..=out.len()).find(|&j| out.is_char_boundary(j)).unwrap();
                out.replace_range(i..j, "");
            }
            _ => {
                // Repeats `,"key":value` after itself: a duplicate key.
                if let Some(k) = out[i..].find(",\"").map(|k| k + i) {
                    let end = out[k + 1..]
                        .find([',', '}'])
                        .map_or(out.len(), |e| e + k + 1);
                    let piece = out[k..end].to_owned();
                    out.insert_str(end, &piece);
                }
            }
        }
        out
    }

    #[test]
    fn mutated_requests_are_read_as_the_general_reader_reads_them_or_left_to_it() {
        let lines: Vec<String> = generated(60, 11)
            .into_iter()
            .filter(|l| l.len() < 6_000)
            .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut read, mut left) = (0, 0);
        for _ in 0..20_000 {
            let mut text = lines[rng.below(lines.len())].clone();
            for _ in 0..=rng.below(3) {
                text = mutate(&text, &mut rng);
            }
            if agrees(&text) {
                read += 1;
            } else {
                left += 1;
            }
        }
        // Both kinds seen plenty: many edits keep the request readable (a changed value, space).
        eprintln!("mutated requests: {read} read here, {left} left to the general reader");
        assert!(read > 2_000 && left > 2_000, "read {read}, left {left}");
    }
}
