//! The rules of SPEC §3, one module per family. Each gate appends what it finds to the record's
//! findings; none stops at the first failure, so a hidden record lists every gate it fails.
//!
//! A finding is a reason code and a cheap `Copy` detail (an etape, a selector, a date, an age, …),
//! kept on the stack: deciding a record allocates nothing. Reasons with Danish text are made from
//! findings only when an overview is built.

pub mod age;
pub mod area;
pub mod custody;
pub mod facets;
pub mod fromdate;
pub mod links;
pub mod party;
pub mod sensitivity;
pub mod source;

use chrono::NaiveDate;

use crate::cpr::Cpr;
use crate::kle::{Facet, Kle};
use crate::reason::{Effect, ReasonCode};
use crate::types::{Case, CaseStatus, RecordKind};

/// What the gates need to know about one record, whatever its kind.
pub struct Facts<'a> {
    pub kind: RecordKind,
    pub kle: Kle,
    /// The CPR numbers that may see the record (empty: none on the record).
    pub parties: &'a [Cpr],
    pub source_system: Option<&'a str>,
    pub sensitivity: Option<&'a str>,
    pub released_to_minor: bool,
    pub excluded_from_citizen: bool,
    /// A case's `createdDate`; a benefit's case's `createdDate`, else its `startDate`.
    pub created: NaiveDate,
    /// For fradato: a case not `Afsluttet`, or a benefit of such a case.
    pub active: bool,
    /// The case itself, for the gates that apply to cases only.
    pub case: Option<&'a Case>,
}

impl Facts<'_> {
    pub fn is_active(status: CaseStatus) -> bool {
        status != CaseStatus::Afsluttet
    }
}

/// The detail of a finding, as the value it came from (SPEC §8 "detail of a reason").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail<'a> {
    None,
    /// An etape, by its index in `central.etaper`.
    Etape(usize),
    Selector(Kle),
    Date(NaiveDate),
    Age(u32),
    Facet(Facet),
    Text(&'a str),
}

impl Detail<'_> {
    /// The detail as the overview writes it; an etape's id comes from `etaper`.
    pub fn to_text(&self, etaper: &[crate::types::Etape]) -> Option<String> {
        match self {
            Detail::None => None,
            Detail::Etape(i) => etaper.get(*i).map(|e| e.id.clone()),
            Detail::Selector(k) => Some(k.as_text().to_owned_string()),
            Detail::Date(d) => Some(crate::dates::iso::text(*d)),
            Detail::Age(a) => Some(itoa::Buffer::new().format(*a).to_owned()),
            Detail::Facet(f) => Some(f.to_string()),
            Detail::Text(t) => Some((*t).to_owned()),
        }
    }
}

/// One thing a gate found about a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding<'a> {
    pub code: ReasonCode,
    pub detail: Detail<'a>,
}

/// Room for a record's findings. The gates make at most 15 for one record (a benefit seen through
/// custody: party, scope, source, fradato, five custody findings, two sensitivity, two links).
const ROOM: usize = 16;

/// A record's findings, on the stack.
#[derive(Debug, Clone, Copy)]
pub struct Findings<'a> {
    items: [Finding<'a>; ROOM],
    len: usize,
    /// Set if a finding did not fit; the record is then hidden (fail closed), never shown short of
    /// a reason.
    overflow: bool,
}

/// Equal when the same findings were made (the unused room does not count).
impl PartialEq for Findings<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.overflow == other.overflow && self.iter().eq(other.iter())
    }
}

impl Eq for Findings<'_> {}

impl Default for Findings<'_> {
    fn default() -> Self {
        Findings {
            items: [Finding {
                code: ReasonCode::NoCpr,
                detail: Detail::None,
            }; ROOM],
            len: 0,
            overflow: false,
        }
    }
}

impl<'a> Findings<'a> {
    pub fn push(&mut self, code: ReasonCode, detail: Detail<'a>) {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = Finding { code, detail };
                self.len += 1;
            }
            None => self.overflow = true,
        }
    }

    pub fn extend(&mut self, other: &Findings<'a>) {
        for f in other.iter() {
            self.push(f.code, f.detail);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Finding<'a>> {
        self.items.iter().take(self.len)
    }

    /// Orders the findings by code (rule order), as decisions list them. Insertion sort: a record
    /// has a handful of findings.
    pub fn sort(&mut self) {
        let len = self.len.min(self.items.len());
        for i in 1..len {
            let mut j = i;
            while j > 0 {
                let (Some(a), Some(b)) = (self.items.get(j - 1), self.items.get(j)) else {
                    break;
                };
                if a.code <= b.code {
                    break;
                }
                self.items.swap(j - 1, j);
                j -= 1;
            }
        }
    }

    /// A record is visible exactly when no finding hides it (and all its findings fitted).
    pub fn visible(&self) -> bool {
        !self.overflow && !self.iter().any(|f| f.code.effect() == Effect::Hidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_sort_by_code_and_fail_closed_when_full() {
        let mut f = Findings::default();
        f.push(ReasonCode::SensitivityHidden, Detail::None);
        f.push(ReasonCode::MandatoryArea, Detail::Etape(0));
        f.sort();
        let codes: Vec<ReasonCode> = f.iter().map(|x| x.code).collect();
        assert_eq!(
            codes,
            [ReasonCode::MandatoryArea, ReasonCode::SensitivityHidden]
        );

        let mut full = Findings::default();
        for _ in 0..ROOM {
            full.push(ReasonCode::MandatoryArea, Detail::None);
        }
        assert!(full.visible());
        full.push(ReasonCode::OpenedArea, Detail::None);
        assert!(
            !full.visible(),
            "a finding that does not fit must hide the record"
        );
    }
}
