//! Time slices (IMPORT.md §3): the latest Registrering of an object, the Virkning of a slice, the
//! single slice in force for a field, and parties that are never guessed.

use std::fmt::Display;

use super::time::{parse_date_time, Instant};
use super::xml::{self, child, child_text, children, Node, Ns, GD, SD};
use super::Problem;

/// Reading one object: the evaluation instant, where problems go, and the object's UUID, which leads
/// every problem message about it.
pub(crate) struct Ctx<'p> {
    pub t: Instant,
    pub file: &'p str,
    pub uuid: String,
    pub problems: &'p mut Vec<Problem>,
}

impl Ctx<'_> {
    pub fn problem(&mut self, node: Node<'_, '_>, message: impl Display) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            path: xml::path(node),
            message: format!("{}: {message}", self.uuid),
        });
    }
}

/// A slice's Virkning `[fra, til)`; `til` `None` is `GraenseIndikator` true (open-ended).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Virkning {
    pub fra: Instant,
    pub til: Option<Instant>,
}

impl Virkning {
    /// In force at t: `Fra < t` and (`Til` open or `Til ≥ t`).
    pub fn in_force(&self, t: Instant) -> bool {
        self.fra < t && self.til.is_none_or(|til| til >= t)
    }
}

/// The namespaces a `Virkning` element is declared in (`sag:`, `gd:`, `di:`, `bi:`, `oef:`).
const VIRKNING_NS: [Ns; 5] = [xml::SAG, GD, xml::DI, xml::BI, xml::OEF];

/// One end of a Virkning: `Ok(Some(t))` a time, `Ok(None)` `GraenseIndikator` true.
fn end(node: Node<'_, '_>) -> Result<Option<Instant>, &'static str> {
    let time = child_text(node, SD, "TidsstempelDatoTid");
    let bound = child_text(node, SD, "GraenseIndikator");
    match (time, bound) {
        (Some(t), None) => parse_date_time(&t)
            .map(Some)
            .ok_or("a malformed TidsstempelDatoTid"),
        (None, Some(b)) if b == "true" || b == "1" => Ok(None),
        (None, Some(_)) => Err("a GraenseIndikator that is not true"),
        (Some(_), Some(_)) => Err("both a TidsstempelDatoTid and a GraenseIndikator"),
        (None, None) => Err("neither a TidsstempelDatoTid nor a GraenseIndikator"),
    }
}

/// The Virkning of a slice, or `None` with a problem: a slice without a readable Virkning, or with
/// an infinite `Fra`, counts as not in force (IMPORT.md §3.4, §4a).
pub(crate) fn virkning(slice: Node<'_, '_>, ctx: &mut Ctx<'_>) -> Option<Virkning> {
    let Some(v) = slice
        .children()
        .find(|c| xml::is_in(*c, &VIRKNING_NS, "Virkning"))
    else {
        ctx.problem(slice, "no Virkning; the slice counts as not in force");
        return None;
    };
    let fra = match child(v, SD, "FraTidspunkt").map(end) {
        Some(Ok(Some(fra))) => fra,
        Some(Ok(None)) => {
            ctx.problem(
                v,
                "an infinite FraTidspunkt; the slice counts as not in force",
            );
            return None;
        }
        Some(Err(why)) => {
            ctx.problem(
                v,
                format_args!("FraTidspunkt has {why}; the slice counts as not in force"),
            );
            return None;
        }
        None => {
            ctx.problem(v, "no FraTidspunkt; the slice counts as not in force");
            return None;
        }
    };
    let til = match child(v, SD, "TilTidspunkt").map(end) {
        Some(Ok(til)) => til,
        Some(Err(why)) => {
            ctx.problem(
                v,
                format_args!("TilTidspunkt has {why}; the slice counts as not in force"),
            );
            return None;
        }
        None => {
            ctx.problem(v, "no TilTidspunkt; the slice counts as not in force");
            return None;
        }
    };
    Some(Virkning { fra, til })
}

/// A slice and its Virkning, read once (`None`: unreadable, already reported).
pub(crate) type Slice<'a, 'i> = (Node<'a, 'i>, Option<Virkning>);

/// Reads the Virkning of each slice once, so a problem is reported once however often the slice is
/// looked at.
pub(crate) fn slices<'a, 'i: 'a>(
    nodes: impl IntoIterator<Item = Node<'a, 'i>>,
    ctx: &mut Ctx<'_>,
) -> Vec<Slice<'a, 'i>> {
    nodes.into_iter().map(|n| (n, virkning(n, ctx))).collect()
}

/// The `Egenskaber` of a Registrering's `AttributListe` in namespace `ns`, each with its Virkning:
/// every index object (Sag, Dokument, effektuering) keeps its properties there.
pub(crate) fn egenskaber<'a, 'i: 'a>(
    reg: Node<'a, 'i>,
    ns: Ns,
    ctx: &mut Ctx<'_>,
) -> Vec<Slice<'a, 'i>> {
    slices(
        child(reg, ns, "AttributListe")
            .into_iter()
            .flat_map(|a| children(a, ns, "Egenskaber")),
        ctx,
    )
}

/// Of the slices that carry a field, the one in force at t: none → `None`; several → the one with
/// the latest `Fra` (the first of a tie), with a problem naming `what`.
pub(crate) fn pick<'s, 'a: 's, 'i: 'a>(
    slices: impl IntoIterator<Item = &'s Slice<'a, 'i>>,
    what: &str,
    ctx: &mut Ctx<'_>,
) -> Option<(Node<'a, 'i>, Virkning)> {
    let mut best: Option<(Node<'a, 'i>, Virkning)> = None;
    let mut count = 0usize;
    let mut tie = false;
    for &(slice, v) in slices {
        let Some(v) = v.filter(|v| v.in_force(ctx.t)) else {
            continue;
        };
        count += 1;
        match best {
            Some((_, b)) if v.fra > b.fra => {
                best = Some((slice, v));
                tie = false;
            }
            Some((_, b)) if v.fra == b.fra => tie = true,
            Some(_) => {}
            None => best = Some((slice, v)),
        }
    }
    if count > 1 {
        if let Some((node, _)) = best {
            let how = if tie {
                "several share the latest FraTidspunkt; the first is used"
            } else {
                "the one with the latest FraTidspunkt is used"
            };
            ctx.problem(
                node,
                format_args!("{count} {what} slices in force at once; {how}"),
            );
        }
    }
    best
}

/// The latest Registrering of an object (IMPORT.md §3.3): the maximum `gd:StsTidspunkt` when every
/// Registrering has a readable one, else the maximum `sd:Tidspunkt`; a tie takes the first, with a
/// problem. `None` (with a problem) when the object has none.
pub(crate) fn latest_registration<'a, 'i>(
    object: Node<'a, 'i>,
    ns: Ns,
    ctx: &mut Ctx<'_>,
) -> Option<Node<'a, 'i>> {
    let regs: Vec<Node<'a, 'i>> = xml::children(object, ns, "Registrering").collect();
    if regs.len() <= 1 {
        if regs.is_empty() {
            ctx.problem(object, "no Registrering; the object is not imported");
        }
        return regs.first().copied();
    }
    let time = |r: &Node<'_, '_>, ns: Ns, local: &str| {
        child_text(*r, ns, local).and_then(|t| parse_date_time(&t))
    };
    let sts: Vec<Option<Instant>> = regs.iter().map(|r| time(r, GD, "StsTidspunkt")).collect();
    let times: Vec<Option<Instant>> = if sts.iter().all(Option::is_some) {
        sts
    } else {
        regs.iter().map(|r| time(r, SD, "Tidspunkt")).collect()
    };
    let mut best: Option<(usize, Instant)> = None;
    let mut tie = false;
    for (i, t) in times.iter().enumerate() {
        let Some(t) = *t else { continue };
        match best {
            Some((_, b)) if t > b => {
                best = Some((i, t));
                tie = false;
            }
            Some((_, b)) if t == b => tie = true,
            Some(_) => {}
            None => best = Some((i, t)),
        }
    }
    let Some((i, _)) = best else {
        ctx.problem(
            object,
            "no Registrering has a readable Tidspunkt; the first is used",
        );
        return regs.first().copied();
    };
    let chosen = regs.get(i).copied();
    if tie {
        if let Some(r) = chosen {
            ctx.problem(
                r,
                "several Registreringer share the latest time; the first is used",
            );
        }
    }
    chosen
}

/// Whether a relation's `gd:Rolle` is `role` (UUIDs compared case-insensitively).
pub(crate) fn has_role(relation: Node<'_, '_>, ns: Ns, role: &str) -> bool {
    child(relation, ns, "Rolle")
        .and_then(|r| child_text(r, SD, "UUIDIdentifikator"))
        .is_some_and(|r| r.eq_ignore_ascii_case(role))
}

/// The role UUID of a relation, lower-cased.
pub(crate) fn role_of(relation: Node<'_, '_>, ns: Ns) -> Option<String> {
    child(relation, ns, "Rolle")
        .and_then(|r| child_text(r, SD, "UUIDIdentifikator"))
        .map(|r| r.to_ascii_lowercase())
}

/// The CPR number of a party reference's value: exactly `urn:oio:cpr-nr:` and ten digits, else
/// `None` (a CVR, a person id, a hyphenated CPR, a UUID are no CPR).
pub(crate) fn cpr_of_urn(raw: &str) -> Option<String> {
    let digits = raw.strip_prefix("urn:oio:cpr-nr:")?;
    (digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_owned())
}

/// What a party role gives: a CPR, no CPR, or no relation of that role at all.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Party {
    Cpr(String),
    /// The role is present but gives no CPR (not in force, unreadable, not a CPR, ambiguous).
    NoCpr,
    /// No relation of the role at all (only then may a fallback role apply).
    Absent,
}

/// A party role (IMPORT.md §3.4, §4a): the values of its relations in force; one CPR → that CPR;
/// two different values at once, or a non-CPR value, → no CPR, never a guess.
pub(crate) fn party<'s, 'a: 's, 'i: 'a>(
    relations: impl IntoIterator<Item = &'s Slice<'a, 'i>>,
    role_name: &str,
    ctx: &mut Ctx<'_>,
) -> Party {
    let mut values: Vec<Option<String>> = Vec::new();
    let mut last = None;
    for &(rel, v) in relations {
        last = Some(rel);
        if !v.is_some_and(|v| v.in_force(ctx.t)) {
            continue;
        }
        let reference = child(rel, GD, "ReferenceID");
        // The whole reference text decides "the same value", so a CPR and a CVR never merge.
        let raw = reference.map(|r| {
            r.children()
                .map(|c| xml::text_of(c).into_owned())
                .collect::<Vec<_>>()
                .join("|")
        });
        if !values.contains(&raw) {
            values.push(raw);
        }
    }
    let Some(node) = last else {
        return Party::Absent;
    };
    match values.as_slice() {
        [] => Party::NoCpr,
        [one] => match one.as_deref().and_then(cpr_of_urn) {
            Some(c) => Party::Cpr(c),
            None => {
                ctx.problem(
                        node,
                        format_args!("the {role_name} is not a CPR number (urn:oio:cpr-nr: and ten digits); the record has no CPR"),
                    );
                Party::NoCpr
            }
        },
        _ => {
            ctx.problem(
                node,
                format_args!(
                    "{} different {role_name} values in force at once; the record has no CPR (never a guess)",
                    values.len()
                ),
            );
            Party::NoCpr
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_is_in_force_on_the_half_open_interval_up_to_t() {
        let t = parse_date_time("2021-06-15T22:00:00Z").unwrap(); // the end of 15 June in Copenhagen
        let at = |s: &str| parse_date_time(s).unwrap();
        let v = |fra: &str, til: Option<&str>| Virkning {
            fra: at(fra),
            til: til.map(at),
        };
        // Starting exactly at t: not yet in force. Ending exactly at t: still in force.
        assert!(!v("2021-06-16T00:00:00+02:00", None).in_force(t));
        assert!(v("2021-06-15T23:59:59+02:00", None).in_force(t));
        assert!(v("2021-01-01T00:00:00Z", Some("2021-06-16T00:00:00+02:00")).in_force(t));
        assert!(!v("2021-01-01T00:00:00Z", Some("2021-06-15T23:59:59+02:00")).in_force(t));
    }

    #[test]
    fn only_a_cpr_urn_with_ten_digits_is_a_cpr() {
        assert_eq!(
            cpr_of_urn("urn:oio:cpr-nr:0101900000").as_deref(),
            Some("0101900000")
        );
        for no in [
            "urn:oio:cpr-nr:010190-0000",
            "urn:oio:cpr-nr:010190000",
            "urn:oio:cpr-nr:01019000001",
            "urn:oio:cvr-nr:29189919",
            "URN:OIO:CPR-NR:0101900000",
            "urn:oio:udk:borgerid:0101900000",
            "0101900000",
        ] {
            assert_eq!(cpr_of_urn(no), None, "{no}");
        }
    }
}
