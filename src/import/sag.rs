//! Sag and Dokument objects of the Sags- og Dokumentindeks → case records (IMPORT.md §4, §4a;
//! sf1470-mapping §3). Roles decide, never position; only the fields the engine reads are emitted.

use std::collections::HashMap;

use serde::Serialize;

use super::slice::{self, latest_registration, party, pick, slices, Ctx, Party, Slice};
use super::time::{parse_date, parse_date_time, Instant};
use super::xml::{
    self, at, child, child_text, children, text_of, Node, Ns, DI, GD, SAG, SD, SDI, SI,
};
use super::{ImportOptions, Problem, Record};
use crate::kle::{Facet, Kle};
use crate::types::CaseStatus;

/// Role UUIDs (sf1470-mapping §2; the Journalpost roles are from its unverified source S5).
const PRIMAER_KLASSE: &str = "a86c6581-ec85-412d-a655-31a1f1d5b14f";
const HANDLINGSKLASSE: &str = "05ef7011-11a7-4e4c-a46b-3de6aa457fc3";
const EJER: &str = "9e979b84-b846-4472-8622-58007dc63c7e";
const PRIMAER_PART: &str = "d839f26a-d4d1-4441-b2d6-3dbbb12a9404";
const MASTER: &str = "251c24fd-57b0-4afc-9d73-b063d1957eb3";
const TILAKTERET: &str = "69a0a697-0a77-4916-bea3-226594fa6627";
const VEDLAGT: &str = "b21faed9-c4a2-49d3-aa15-35f5181d7735";

// The statuses and sensitivities the engine reads are the engine's own lists (`CaseStatus::NAMES`,
// `record::SENSITIVITIES`); anything else is passed through with a problem so the engine fails closed.
pub(crate) use crate::record::SENSITIVITIES;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseRecord {
    pub kind: &'static str,
    pub id: Option<String>,
    pub kle: Option<String>,
    pub facet: Option<String>,
    pub title: Option<String>,
    pub source_system: Option<String>,
    pub provider: Option<&'static str>,
    pub created_date: Option<String>,
    pub status: Option<String>,
    pub closed_date: Option<String>,
    pub primary_party: Option<String>,
    pub sensitivity: Option<String>,
    pub excluded_from_citizen: bool,
    pub documents: Vec<Document>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property_owners: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub excluded_from_citizen: bool,
}

/// What a case needs from a Dokument object (read in the first pass, from any file).
pub(crate) struct DokumentInfo {
    title: Option<String>,
    date: Option<String>,
    excluded: bool,
}

/// The object UUID, lower-cased: `sd:UUIDIdentifikator`, or under the `ObjektType` in a fremsoeg
/// answer. A value that is not a UUID is passed through (lower-cased) with a problem.
pub(crate) fn object_uuid(object: Node<'_, '_>, ns: Ns) -> Option<String> {
    child_text(object, SD, "UUIDIdentifikator")
        .or_else(|| at(object, &[(ns, "ObjektType"), (SD, "UUIDIdentifikator")]).map(text_of))
        .map(|u| u.to_ascii_lowercase())
}

pub(crate) fn ctx<'p>(
    object: Node<'_, '_>,
    ns: Ns,
    file: &'p str,
    t: Instant,
    problems: &'p mut Vec<Problem>,
) -> (Option<String>, Ctx<'p>) {
    let uuid = object_uuid(object, ns);
    let mut ctx = Ctx {
        t,
        file,
        uuid: uuid.clone().unwrap_or_else(|| "(no UUID)".to_owned()),
        problems,
    };
    match &uuid {
        None => ctx.problem(object, "no object UUID (sd:UUIDIdentifikator)"),
        Some(u) if !xml::is_uuid(u) => ctx.problem(object, "the object UUID is not a UUID"),
        Some(_) => {}
    }
    (uuid, ctx)
}

/// A registration that says the object is gone (IMPORT.md §4a): a problem, and no record.
pub(crate) fn gone(reg: Node<'_, '_>, ctx: &mut Ctx<'_>) -> bool {
    let code = child_text(reg, SD, "LivscyklusKode");
    let gone = code
        .as_deref()
        .is_some_and(|c| c == "Slettet" || c == "Passiveret");
    if gone {
        ctx.problem(
            reg,
            format_args!(
                "the latest Registrering has LivscyklusKode {}; the object is not imported",
                code.unwrap_or_default()
            ),
        );
    }
    gone
}

/// A date field's value: the Copenhagen date of a dateTime; a malformed value is passed through as
/// read with a problem, so the engine refuses the record (fail closed, IMPORT.md §4a).
pub(crate) fn local_date(node: Node<'_, '_>, what: &str, ctx: &mut Ctx<'_>) -> Option<String> {
    let raw = text_of(node);
    match parse_date_time(&raw).and_then(Instant::copenhagen_date) {
        Some(d) => Some(d.to_string()),
        None => {
            ctx.problem(
                node,
                format_args!("{what} is not an xs:dateTime with a time; passed through so the engine refuses the record"),
            );
            Some(raw.into_owned())
        }
    }
}

fn date_of(i: Instant) -> Option<String> {
    i.copenhagen_date().map(|d| d.to_string())
}

/// The Visningsklasse rule of IMPORT.md §4: a class relation in force under a profile role (and,
/// when the profile lists classes, pointing at one of them), or whose class key or title says the
/// record is excluded from display to citizens ("undtaget" and "borger", any case).
fn excludes(
    rel: Node<'_, '_>,
    extension: Option<Node<'_, '_>>,
    ext_ns: Ns,
    options: &ImportOptions,
) -> bool {
    let p = &options.profile;
    let by_role = slice::role_of(rel, GD).is_some_and(|r| p.visningsklasse_roles.contains(&r))
        && match &p.visningsklasse_classes {
            None => true,
            Some(classes) => child(rel, GD, "ReferenceID")
                .and_then(xml::uuid_of)
                .is_some_and(|c| classes.contains(&c)),
        };
    let by_text = extension.is_some_and(|e| {
        ["BrugervendtNoegle", "Klassetitel"].iter().any(|local| {
            child_text(e, ext_ns, local).is_some_and(|s| {
                let s = s.to_lowercase();
                s.contains("undtaget") && s.contains("borger")
            })
        })
    });
    by_role || by_text
}

/// First pass: every Dokument object of a file (the first of a duplicate UUID is used).
pub(crate) fn read_dokumenter(
    root: Node<'_, '_>,
    file: &str,
    t: Instant,
    options: &ImportOptions,
    into: &mut HashMap<String, DokumentInfo>,
    problems: &mut Vec<Problem>,
) {
    let objects = root.children().filter(|c| {
        xml::is(*c, SDI, "DokumentIndeks") || xml::is(*c, SDI, "DokumentFiltreretOejebliksbillede")
    });
    for object in objects {
        let (uuid, mut ctx) = ctx(object, DI, file, t, problems);
        let Some(uuid) = uuid else { continue };
        if into.contains_key(&uuid) {
            ctx.problem(object, "a duplicate Dokument UUID; the first is used");
            continue;
        }
        let Some(reg) = latest_registration(object, DI, &mut ctx) else {
            continue;
        };
        if gone(reg, &mut ctx) {
            continue;
        }
        let egenskaber = slice::egenskaber(reg, DI, &mut ctx);
        let carrying = |local: &'static str| {
            egenskaber
                .iter()
                .filter(move |(n, _)| child(*n, DI, local).is_some())
        };
        let title = pick(carrying("Titel"), "Egenskaber (Titel)", &mut ctx)
            .and_then(|(n, _)| child_text(n, DI, "Titel"))
            .filter(|s| !s.is_empty())
            .map(|s| s.into_owned());
        let date = match pick(carrying("BrevDato"), "Egenskaber (BrevDato)", &mut ctx)
            .and_then(|(n, _)| child(n, DI, "BrevDato"))
        {
            Some(node) => {
                let raw = text_of(node);
                match parse_date(&raw) {
                    Some(d) => Some(d.to_string()),
                    None => {
                        ctx.problem(node, "BrevDato is not an xs:date; passed through so the engine refuses the case");
                        Some(raw.into_owned())
                    }
                }
            }
            None => None,
        };
        let classes = slices(
            at(reg, &[(DI, "RelationListe")])
                .into_iter()
                .flat_map(|r| children(r, DI, "Dokumentklasse")),
            &mut ctx,
        );
        let excluded = classes.iter().any(|&(rel, v)| {
            v.is_some_and(|v| v.in_force(t))
                && excludes(
                    rel,
                    at(
                        rel,
                        &[
                            (GD, "LokalUdvidelseListe"),
                            (DI, "DokumentklasseLokalUdvidelse"),
                        ],
                    ),
                    DI,
                    options,
                )
        });
        into.insert(
            uuid,
            DokumentInfo {
                title,
                date,
                excluded,
            },
        );
    }
}

/// Second pass: one case record per Sag object, in document order.
pub(crate) fn read_sager(
    root: Node<'_, '_>,
    file: &str,
    t: Instant,
    options: &ImportOptions,
    dokumenter: &HashMap<String, DokumentInfo>,
    records: &mut Vec<Record>,
    problems: &mut Vec<Problem>,
) {
    let objects = root.children().filter(|c| {
        xml::is(*c, SDI, "SagIndeks") || xml::is(*c, SDI, "SagFiltreretOejebliksbillede")
    });
    for object in objects {
        let (uuid, mut ctx) = ctx(object, SAG, file, t, problems);
        if let Some(case) = read_sag(object, uuid, &mut ctx, options, dokumenter) {
            records.push(Record::Case(case));
        }
    }
}

fn empty_case(id: Option<String>) -> CaseRecord {
    CaseRecord {
        kind: "case",
        id,
        kle: None,
        facet: None,
        title: None,
        source_system: None,
        provider: None,
        created_date: None,
        status: None,
        closed_date: None,
        primary_party: None,
        sensitivity: None,
        excluded_from_citizen: false,
        documents: Vec::new(),
        property_owners: None,
    }
}

fn read_sag(
    object: Node<'_, '_>,
    id: Option<String>,
    ctx: &mut Ctx<'_>,
    options: &ImportOptions,
    dokumenter: &HashMap<String, DokumentInfo>,
) -> Option<CaseRecord> {
    let t = ctx.t;
    let mut case = empty_case(id);
    let Some(reg) = latest_registration(object, SAG, ctx) else {
        return Some(case);
    };
    if gone(reg, ctx) {
        return None;
    }
    let attributes = child(reg, SAG, "AttributListe");
    let egenskaber = slice::egenskaber(reg, SAG, ctx);
    let index_egenskaber = slices(
        attributes
            .and_then(|a| child(a, GD, "LokalUdvidelseListe"))
            .into_iter()
            .flat_map(|l| children(l, SI, "SagIndeksEgenskaber")),
        ctx,
    );
    let fremdrift = slices(
        at(reg, &[(SAG, "TilstandListe")])
            .into_iter()
            .flat_map(|l| children(l, SAG, "Fremdrift")),
        ctx,
    );

    // Created: OprettetTidspunkt in force, else the earliest Fra of an Opstaaet slice before t.
    let oprettet = pick(
        &carrying(&index_egenskaber, SI, "OprettetTidspunkt"),
        "SagIndeksEgenskaber (OprettetTidspunkt)",
        ctx,
    )
    .and_then(|(n, _)| child(n, SI, "OprettetTidspunkt"));
    let is_opstaaet = |n: &Node<'_, '_>| {
        child_text(*n, SAG, "FremdriftStatusKode").is_some_and(|c| c == "Opstaaet")
    };
    let first_opstaaet = fremdrift
        .iter()
        .filter(|(n, _)| is_opstaaet(n))
        .filter_map(|(_, v)| v.map(|v| v.fra))
        .min();
    // Whether the case exists yet: its OprettetTidspunkt in force, else the earliest one of any
    // slice (a case whose index slices all start later is not created yet), else its first Opstaaet.
    let any_oprettet = index_egenskaber
        .iter()
        .filter_map(|(n, _)| child(*n, SI, "OprettetTidspunkt"))
        .filter_map(|n| parse_date_time(&text_of(n)))
        .min();
    let created_at = match oprettet {
        Some(node) => parse_date_time(&text_of(node)),
        None => any_oprettet.or(first_opstaaet),
    };
    if created_at.is_some_and(|c| c >= t) {
        ctx.problem(
            object,
            "the case is created after the evaluation date; no record",
        );
        return None;
    }
    case.created_date = match (oprettet, first_opstaaet) {
        (Some(node), _) => local_date(node, "OprettetTidspunkt", ctx),
        (None, Some(fra)) => date_of(fra),
        (None, None) => {
            ctx.problem(
                object,
                "no OprettetTidspunkt in force and no Opstaaet Fremdrift; createdDate is null",
            );
            None
        }
    };

    case.title = pick(
        &carrying(&egenskaber, SAG, "Titel"),
        "Egenskaber (Titel)",
        ctx,
    )
    .and_then(|(n, _)| child_text(n, SAG, "Titel"))
    .map(|s| s.into_owned());
    case.sensitivity = pick(
        &carrying(&index_egenskaber, SI, "Foelsomhed"),
        "SagIndeksEgenskaber (Foelsomhed)",
        ctx,
    )
    .and_then(|(n, _)| child(n, SI, "Foelsomhed"))
    .map(|n| {
        checked(
            n,
            text_of(n).into_owned(),
            &SENSITIVITIES,
            "Foelsomhed",
            ctx,
        )
    });

    match pick(
        &carrying(&fremdrift, SAG, "FremdriftStatusKode"),
        "Fremdrift",
        ctx,
    ) {
        Some((n, v)) => {
            let code = child(n, SAG, "FremdriftStatusKode");
            let status = code.map(|c| {
                checked(
                    c,
                    text_of(c).into_owned(),
                    &CaseStatus::NAMES,
                    "FremdriftStatusKode",
                    ctx,
                )
            });
            if status.as_deref() == Some("Afsluttet") {
                case.closed_date = date_of(v.fra);
            }
            case.status = status;
        }
        None => ctx.problem(reg, "no Fremdrift in force; status is null"),
    }

    let relations = child(reg, SAG, "RelationListe");
    let rel = |local: &'static str| {
        relations
            .into_iter()
            .flat_map(move |r| children(r, SAG, local))
    };
    let klasser = slices(rel("Sagsklasse"), ctx);
    case.kle = pick(&klasse_key(&klasser, PRIMAER_KLASSE), "Primær klasse", ctx)
        .and_then(|(n, _)| klasse_ext(n).and_then(|e| child(e, SI, "BrugervendtNoegle")))
        .map(|n| {
            let kle = text_of(n).into_owned();
            if Kle::parse_emne(&kle).is_none() {
                ctx.problem(n, "the Primær klasse is not a KLE emne (NN.NN.NN); passed through so the engine refuses the record");
            }
            kle
        });
    if case.kle.is_none() {
        ctx.problem(reg, "no Primær klasse (KLE emne) in force; kle is null");
    }
    case.facet = pick(&klasse_key(&klasser, HANDLINGSKLASSE), "Handlingsklasse", ctx)
        .and_then(|(n, _)| klasse_ext(n).and_then(|e| child(e, SI, "BrugervendtNoegle")))
        .map(|n| {
            let facet = text_of(n).into_owned();
            if Facet::parse_code(&facet).is_none() {
                ctx.problem(n, "the Handlingsklasse is not a KLE facet code; passed through so the engine refuses the record");
            }
            facet
        });
    case.excluded_from_citizen = klasser
        .iter()
        .any(|&(n, v)| v.is_some_and(|v| v.in_force(t)) && excludes(n, klasse_ext(n), SI, options));

    let aktoerer = slices(rel("Sagsaktoer"), ctx);
    let ejere: Vec<_> = aktoerer
        .iter()
        .filter(|(n, _)| slice::has_role(*n, GD, EJER) && cvr_of(*n).is_some())
        .copied()
        .collect();
    let cvr = pick(&ejere, "Ejer", ctx)
        .and_then(|(n, _)| cvr_of(n))
        .map(text_of);
    case.provider = options.profile.provider(cvr.as_deref());

    let parter = slices(rel("Sagspart"), ctx);
    let primaer: Vec<_> = parter
        .iter()
        .filter(|(n, _)| slice::has_role(*n, GD, PRIMAER_PART))
        .copied()
        .collect();
    if let Party::Cpr(cpr) = party(&primaer, "Primær part", ctx) {
        case.primary_party = Some(cpr);
    }

    let systems = slices(
        relations
            .and_then(|r| child(r, GD, "LokalUdvidelseListe"))
            .into_iter()
            .flat_map(|l| children(l, SI, "SagsitsystemRelation"))
            .filter(|n| slice::has_role(*n, GD, MASTER)),
        ctx,
    );
    case.source_system = pick(&systems, "Master IT-system", ctx).and_then(|(n, _)| {
        let named = child(n, GD, "ReferenceID")
            .and_then(xml::uuid_of)
            .and_then(|u| options.profile.it_systems.get(&u).cloned());
        named.or_else(|| child_text(n, SI, "SystemNavn").map(|s| s.into_owned()))
    });

    if let Some(owners) = &options.profile.property_owners {
        let genstande = slices(rel("Sagsgenstande").chain(rel("Sagsgenstand")), ctx);
        let mut found: Vec<String> = Vec::new();
        for &(n, v) in &genstande {
            if !v.is_some_and(|v| v.in_force(t)) {
                continue;
            }
            let urn =
                child(n, GD, "ReferenceID").and_then(|r| child_text(r, SD, "URNIdentifikator"));
            for cpr in urn
                .and_then(|u| owners.get(u.as_ref()))
                .into_iter()
                .flatten()
            {
                if !found.contains(cpr) {
                    found.push(cpr.clone());
                }
            }
        }
        case.property_owners = Some(found);
    }

    let journalposter = slices(rel("Journalpost"), ctx);
    for &(n, v) in &journalposter {
        let Some(v) = v.filter(|v| v.in_force(t)) else {
            continue;
        };
        let is_document = slice::has_role(n, GD, TILAKTERET) || slice::has_role(n, GD, VEDLAGT);
        if !is_document {
            continue; // Journalnotat and unknown roles are never documents; a note is never read.
        }
        let Some(id) = child(n, GD, "ReferenceID").and_then(xml::uuid_of) else {
            continue; // URN:Empty and other non-UUID references.
        };
        let info = dokumenter.get(&id);
        let own_title = at(n, &[(SAG, "JournalpostEgenskaber"), (SAG, "Dokumenttitel")])
            .map(text_of)
            .filter(|s| !s.is_empty())
            .map(|s| s.into_owned());
        case.documents.push(Document {
            title: own_title.or_else(|| info.and_then(|i| i.title.clone())),
            date: info.and_then(|i| i.date.clone()).or_else(|| date_of(v.fra)),
            excluded_from_citizen: info.is_some_and(|i| i.excluded),
            id,
        });
    }
    Some(case)
}

/// The slices that carry a field: only those compete for it (IMPORT.md §4a).
fn carrying<'a, 'i>(s: &[Slice<'a, 'i>], ns: Ns, local: &str) -> Vec<Slice<'a, 'i>> {
    s.iter()
        .filter(|(n, _)| child(*n, ns, local).is_some())
        .copied()
        .collect()
}

fn klasse_ext<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    at(
        n,
        &[
            (GD, "LokalUdvidelseListe"),
            (SI, "SagsklasseLokalUdvidelse"),
        ],
    )
}

/// The Sagsklasse relations of `role` that carry a `BrugervendtNoegle`.
fn klasse_key<'a, 'i>(s: &[Slice<'a, 'i>], role: &str) -> Vec<Slice<'a, 'i>> {
    s.iter()
        .filter(|(n, _)| {
            slice::has_role(*n, GD, role)
                && klasse_ext(*n)
                    .and_then(|e| child(e, SI, "BrugervendtNoegle"))
                    .is_some()
        })
        .copied()
        .collect()
}

fn cvr_of<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    at(
        n,
        &[
            (GD, "LokalUdvidelseListe"),
            (SI, "SagsaktoerLokalUdvidelse"),
            (SI, "CVR-Nummer"),
        ],
    )
}

/// A code the engine reads as one of a few values: passed through as read; a problem when it is
/// not one of them, so the engine's refusal is explained.
pub(crate) fn checked(
    node: Node<'_, '_>,
    value: String,
    allowed: &[&str],
    what: &str,
    ctx: &mut Ctx<'_>,
) -> String {
    if !allowed.contains(&value.as_str()) {
        ctx.problem(
            node,
            format_args!(
                "{what} is not one of {}; passed through so the engine refuses the record",
                allowed.join(", ")
            ),
        );
    }
    value
}
