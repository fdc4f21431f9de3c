//! Reason codes and the Danish messages a caseworker reads.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::types::Reason;

/// Every reason code of SPEC §4. Declaration order is rule order, which is also the order of
/// `summary.byReason` and of a decision's reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
    NoCpr,
    NotParty,
    MandatoryArea,
    OpenedArea,
    AreaNotOpen,
    FacetFiltered,
    SourceSystemFiltered,
    TargetGroupFiltered,
    BeforeFromDate,
    ActiveBeforeFromDate,
    UnderMinimumAge,
    ReleasedToMinor,
    BeforeAccessAge,
    AgeUnknown,
    CustodyDisabled,
    CustodyNotHeld,
    CustodyStale,
    ChildOfAge,
    CustodyExcludedArea,
    SensitivityHidden,
    ExcludedFromCitizen,
    CaseHidden,
    NonEconomicBenefit,
    DocumentsNotShown,
    InvalidRecord,
}

/// How a code bears on visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Says why a record is shown (or would be).
    Visible,
    /// Hides the record.
    Hidden,
    /// Informs, on a visible case.
    Info,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 25] = [
        ReasonCode::NoCpr,
        ReasonCode::NotParty,
        ReasonCode::MandatoryArea,
        ReasonCode::OpenedArea,
        ReasonCode::AreaNotOpen,
        ReasonCode::FacetFiltered,
        ReasonCode::SourceSystemFiltered,
        ReasonCode::TargetGroupFiltered,
        ReasonCode::BeforeFromDate,
        ReasonCode::ActiveBeforeFromDate,
        ReasonCode::UnderMinimumAge,
        ReasonCode::ReleasedToMinor,
        ReasonCode::BeforeAccessAge,
        ReasonCode::AgeUnknown,
        ReasonCode::CustodyDisabled,
        ReasonCode::CustodyNotHeld,
        ReasonCode::CustodyStale,
        ReasonCode::ChildOfAge,
        ReasonCode::CustodyExcludedArea,
        ReasonCode::SensitivityHidden,
        ReasonCode::ExcludedFromCitizen,
        ReasonCode::CaseHidden,
        ReasonCode::NonEconomicBenefit,
        ReasonCode::DocumentsNotShown,
        ReasonCode::InvalidRecord,
    ];

    pub fn effect(self) -> Effect {
        use ReasonCode::*;
        match self {
            MandatoryArea | OpenedArea | ActiveBeforeFromDate | ReleasedToMinor => Effect::Visible,
            DocumentsNotShown => Effect::Info,
            _ => Effect::Hidden,
        }
    }

    pub fn as_str(self) -> &'static str {
        use ReasonCode::*;
        match self {
            NoCpr => "NO_CPR",
            NotParty => "NOT_PARTY",
            MandatoryArea => "MANDATORY_AREA",
            OpenedArea => "OPENED_AREA",
            AreaNotOpen => "AREA_NOT_OPEN",
            FacetFiltered => "FACET_FILTERED",
            SourceSystemFiltered => "SOURCE_SYSTEM_FILTERED",
            TargetGroupFiltered => "TARGET_GROUP_FILTERED",
            BeforeFromDate => "BEFORE_FROM_DATE",
            ActiveBeforeFromDate => "ACTIVE_BEFORE_FROM_DATE",
            UnderMinimumAge => "UNDER_MINIMUM_AGE",
            ReleasedToMinor => "RELEASED_TO_MINOR",
            BeforeAccessAge => "BEFORE_ACCESS_AGE",
            AgeUnknown => "AGE_UNKNOWN",
            CustodyDisabled => "CUSTODY_DISABLED",
            CustodyNotHeld => "CUSTODY_NOT_HELD",
            CustodyStale => "CUSTODY_STALE",
            ChildOfAge => "CHILD_OF_AGE",
            CustodyExcludedArea => "CUSTODY_EXCLUDED_AREA",
            SensitivityHidden => "SENSITIVITY_HIDDEN",
            ExcludedFromCitizen => "EXCLUDED_FROM_CITIZEN",
            CaseHidden => "CASE_HIDDEN",
            NonEconomicBenefit => "NON_ECONOMIC_BENEFIT",
            DocumentsNotShown => "DOCUMENTS_NOT_SHOWN",
            InvalidRecord => "INVALID_RECORD",
        }
    }

    pub fn parse(s: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Danish message, with the detail worked in where it helps. Static text where there is no
    /// detail, so most reasons allocate nothing.
    pub fn message(self, detail: Option<&str>) -> Cow<'static, str> {
        use ReasonCode::*;
        let d = detail.unwrap_or("");
        let text: &'static str = match self {
            NoCpr => "Posten er ikke registreret på et CPR-nummer og vises aldrig.",
            NotParty => "Borgeren er ikke part i sagen (eller modtager af ydelsen).",
            MandatoryArea => return around("Området er obligatorisk i Borgerblikket (", d, ")."),
            OpenedArea => return around("Kommunen har åbnet området ", d, " for visning."),
            AreaNotOpen => "Området er hverken obligatorisk eller åbnet af kommunen.",
            FacetFiltered => match detail {
                Some(f) => {
                    return around(
                        "Handlingsfacetten ",
                        f,
                        " er frasorteret i kommunens opsætning.",
                    )
                }
                None => "Sagen har ingen handlingsfacet, og området viser kun udvalgte facetter.",
            },
            SourceSystemFiltered => match detail {
                Some(s) => {
                    return around(
                        "Fagsystemet ",
                        s,
                        " er ikke valgt i kommunens fagsystemfilter.",
                    )
                }
                None => "Posten har intet fagsystem, og området har et fagsystemfilter.",
            },
            TargetGroupFiltered => "Sagens målgruppe er ikke blandt områdets valgte målgrupper.",
            BeforeFromDate => return around("Posten er oprettet før områdets fradato ", d, "."),
            ActiveBeforeFromDate => {
                "Sagen er oprettet før fradatoen, men vises, fordi den stadig er aktiv."
            }
            UnderMinimumAge => {
                return around(
                    "Borgeren er under minimumsalderen på ",
                    d,
                    " år for området.",
                )
            }
            ReleasedToMinor => "En sagsbehandler har vurderet, at posten kan vises for den unge.",
            BeforeAccessAge => {
                return around(
                    "Posten er oprettet før ",
                    d,
                    ", den dag borgeren nåede den alder, der giver indsigt.",
                )
            }
            AgeUnknown => "Alderen kan ikke fastslås ud fra fødselsdato eller CPR-nummer.",
            CustodyDisabled => "Forældres indsigt i børns sager er ikke slået til.",
            CustodyNotHeld => "Der er ingen gyldig forældremyndighed over barnet på datoen.",
            CustodyStale => match detail {
                Some(at) => {
                    return around(
                        "Forældremyndigheden er senest kontrolleret i CPR ",
                        at,
                        "; det er for længe siden.",
                    )
                }
                None => "Forældremyndigheden er ikke kontrolleret i CPR.",
            },
            ChildOfAge => "Barnet har nået aldersgrænsen for forældres indsigt.",
            CustodyExcludedArea => "Området vises aldrig for forældremyndighedsindehavere.",
            SensitivityHidden => "Postens følsomhedsniveau vises ikke for borgeren.",
            ExcludedFromCitizen => {
                "Fagsystemet har markeret posten \"Visning undtaget for borger\"."
            }
            CaseHidden => "Ydelsens sag vises ikke, så ydelsen vises heller ikke.",
            NonEconomicBenefit => "Ikke-økonomiske ydelser er ikke slået til for området.",
            DocumentsNotShown => "Sagen vises, men et eller flere dokumenter vises ikke.",
            InvalidRecord => return around("Posten kan ikke læses: feltet ", d, " er ugyldigt."),
        };
        Cow::Borrowed(text)
    }
}

/// `before`, the detail, `after`: one allocation, without the formatting machinery (a batch run
/// makes a message for most hidden records).
fn around(before: &str, detail: &str, after: &str) -> Cow<'static, str> {
    let mut s = String::with_capacity(before.len() + detail.len() + after.len());
    s.push_str(before);
    s.push_str(detail);
    s.push_str(after);
    Cow::Owned(s)
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Reason {
    pub fn new(code: ReasonCode, detail: Option<String>) -> Reason {
        let message = code.message(detail.as_deref());
        Reason {
            code,
            detail,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary counts reasons in an array indexed by code (engine.rs).
    #[test]
    fn all_lists_every_code_in_declaration_order() {
        for (i, code) in ReasonCode::ALL.into_iter().enumerate() {
            assert_eq!(code as usize, i);
            assert_eq!(ReasonCode::parse(code.as_str()), Some(code));
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{code}\""));
        }
        assert!(ReasonCode::ALL.len() <= 64);
    }
}
