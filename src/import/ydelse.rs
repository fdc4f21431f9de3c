//! Bevilling and økonomisk effektuering objects of the Ydelsesindeks → benefit records (IMPORT.md
//! §4, §4a; sf1470-mapping §4). One benefit per `bi:Id` with a BevilgetYdelse in force; payments
//! joined from effektueringer in any file of the run.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::money::{kroner_to_ore, MoneyError};
use super::sag::{checked, ctx, gone, local_date, SENSITIVITIES};
use super::slice::{self, latest_registration, party, pick, slices, Ctx, Party, Slice};
use super::time::{parse_date_time, Instant};
use super::xml::{self, at, child, child_text, children, text_of, Node, Ns, BI, GD, OEF, SD, YI};
use super::{ImportOptions, Problem, Record};
use crate::kle::Kle;

/// Role UUIDs (sf1470-mapping §2, from KOMBIT's Ydelsesindeks sample client.properties).
const YDELSESMODTAGER: &str = "93af57a7-7658-4fac-98da-9e5ac7a7d9a5";
const BEVILLINGSMODTAGER: &str = "3102fa7e-f56e-4510-b0d4-1650c590dc3b";
const TILKNYTTET_SAG: &str = "31237487-787a-424f-8819-56aaedf00643";
const EJER: &str = "abdf4d3e-f113-4282-b13e-6cd32a82621c";
const MASTER: &str = "251c24fd-57b0-4afc-9d73-b063d1957eb3";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BenefitRecord {
    pub kind: &'static str,
    pub id: Option<String>,
    pub kle: Option<String>,
    pub case_id: Option<String>,
    pub name: Option<String>,
    pub recipient: Option<String>,
    pub economic: bool,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub source_system: Option<String>,
    pub provider: Option<&'static str>,
    pub sensitivity: Option<String>,
    pub payments: Vec<Payment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub date: String,
    pub gross_amount_ore: i64,
}

/// `(lower(Bevilling UUID), bi:Id)`: what a payment relation points at.
type Key = (String, String);

/// The payments of every effektuering of the run, by the BevilgetYdelse they pay, in document order.
#[derive(Default)]
pub(crate) struct Payments {
    by_ydelse: HashMap<Key, Vec<Payment>>,
    /// Every BevilgetYdelse a relation in force points at, also when its payment was left out: it
    /// is evidence of an economic benefit.
    referenced: HashSet<Key>,
}

/// The objects of a Ydelse document: `yi:X/…:X` (importer body, the doubled name), a bare `…:X`,
/// or `yi:…FiltreretOejebliksbillede` (fremsoeg answer).
fn objects<'a, 'i: 'a>(
    root: Node<'a, 'i>,
    name: &'static str,
    ns: Ns,
    fremsoeg: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    root.children().filter_map(move |c| {
        if xml::is(c, YI, name) {
            Some(child(c, ns, name).unwrap_or(c))
        } else if xml::is(c, ns, name) || xml::is(c, YI, fremsoeg) {
            Some(c)
        } else {
            None
        }
    })
}

/// First pass: the payments of every effektuering in a Ydelse document.
pub(crate) fn read_payments(
    root: Node<'_, '_>,
    file: &str,
    t: Instant,
    into: &mut Payments,
    problems: &mut Vec<Problem>,
) {
    let list = objects(
        root,
        "OekonomiskEffektueringIndeks",
        OEF,
        "OekonomiskEffektueringFiltreretOejebliksbillede",
    );
    for object in list {
        let (_, mut ctx) = ctx(object, OEF, file, t, problems);
        let Some(reg) = latest_registration(object, OEF, &mut ctx) else {
            continue;
        };
        if gone(reg, &mut ctx) {
            continue;
        }
        let egenskaber = slice::egenskaber(reg, OEF, &mut ctx);
        let carrying = |local: &'static str| -> Vec<Slice<'_, '_>> {
            egenskaber
                .iter()
                .filter(|(n, _)| child(*n, OEF, local).is_some())
                .copied()
                .collect()
        };
        let date_node = pick(
            &carrying("Dispositionsdato"),
            "Egenskaber (Dispositionsdato)",
            &mut ctx,
        )
        .and_then(|(n, _)| child(n, OEF, "Dispositionsdato"));
        let total_node = pick(
            &carrying("SamletBruttobeloeb"),
            "Egenskaber (SamletBruttobeloeb)",
            &mut ctx,
        )
        .and_then(|(n, _)| child(n, OEF, "SamletBruttobeloeb"));
        let relations = slices(
            at(reg, &[(OEF, "RelationListe")])
                .into_iter()
                .flat_map(|r| children(r, OEF, "OekonomiskYdelseEffektueringRelation")),
            &mut ctx,
        );
        for &(rel, v) in &relations {
            if !v.is_some_and(|v| v.in_force(t)) {
                continue;
            }
            let reference = child(rel, OEF, "BevilgetYdelseRef");
            let bevilling = reference.and_then(|r| child_text(r, SD, "UUIDIdentifikator"));
            let id = reference.and_then(|r| child_text(r, OEF, "BevilgetYdelseId"));
            let (Some(bevilling), Some(id)) = (bevilling, id) else {
                ctx.problem(rel, "a payment relation without a BevilgetYdelseRef (UUID and BevilgetYdelseId); left out");
                continue;
            };
            let key = (bevilling.to_ascii_lowercase(), id.into_owned());
            into.referenced.insert(key.clone());
            if let Some(payment) = payment(rel, date_node, total_node, &mut ctx) {
                into.by_ydelse.entry(key).or_default().push(payment);
            }
        }
    }
}

/// One payment, or `None` with a problem: no Dispositionsdato in force, a malformed date, no
/// readable amount; a present but malformed `Ydelsesbeloeb` never falls back to the total.
fn payment(
    rel: Node<'_, '_>,
    date: Option<Node<'_, '_>>,
    total: Option<Node<'_, '_>>,
    ctx: &mut Ctx<'_>,
) -> Option<Payment> {
    let Some(date_node) = date else {
        ctx.problem(
            rel,
            "no Egenskaber with a Dispositionsdato in force; the payment is left out",
        );
        return None;
    };
    let Some(date) = parse_date_time(&text_of(date_node)).and_then(Instant::copenhagen_date) else {
        ctx.problem(
            date_node,
            "Dispositionsdato is not an xs:dateTime; the payment is left out",
        );
        return None;
    };
    let amount = child(rel, OEF, "Ydelsesbeloeb").or(total);
    let Some(amount) = amount else {
        ctx.problem(
            rel,
            "no Ydelsesbeloeb and no SamletBruttobeloeb; the payment is left out",
        );
        return None;
    };
    match kroner_to_ore(&text_of(amount)) {
        Ok(ore) => Some(Payment {
            date: date.to_string(),
            gross_amount_ore: ore,
        }),
        Err(e) => {
            let why = match e {
                MoneyError::Malformed => "not an amount in kroner (-?digits(.digits)?)",
                MoneyError::TooManyDecimals => {
                    "more than two decimals (1.500 could be 1.5 kr or 1,500 kr)"
                }
                MoneyError::TooLarge => "beyond 2^53 øre",
            };
            ctx.problem(
                amount,
                format_args!("the amount is {why}; the payment is left out"),
            );
            None
        }
    }
}

/// Second pass: one benefit per `bi:Id` with a BevilgetYdelse in force, Bevillinger in document
/// order, Ids in order of first appearance.
pub(crate) fn read_bevillinger(
    root: Node<'_, '_>,
    file: &str,
    t: Instant,
    options: &ImportOptions,
    payments: &Payments,
    records: &mut Vec<Record>,
    problems: &mut Vec<Problem>,
) {
    let list = objects(
        root,
        "BevillingIndeks",
        BI,
        "BevillingFiltreretOejebliksbillede",
    );
    for object in list {
        let (uuid, mut ctx) = ctx(object, BI, file, t, problems);
        read_bevilling(object, uuid, &mut ctx, options, payments, records);
    }
}

fn read_bevilling(
    object: Node<'_, '_>,
    uuid: Option<String>,
    ctx: &mut Ctx<'_>,
    options: &ImportOptions,
    payments: &Payments,
    records: &mut Vec<Record>,
) {
    let Some(reg) = latest_registration(object, BI, ctx) else {
        return;
    };
    if gone(reg, ctx) {
        return;
    }
    let attributes = child(reg, BI, "AttributListe");
    let egenskaber: Vec<_> = slices(
        attributes
            .into_iter()
            .flat_map(|a| children(a, BI, "Egenskaber"))
            .filter(|n| child(*n, BI, "Foelsomhed").is_some()),
        ctx,
    );
    let sensitivity = pick(&egenskaber, "Egenskaber (Foelsomhed)", ctx)
        .and_then(|(n, _)| child(n, BI, "Foelsomhed"))
        .map(|n| {
            checked(
                n,
                text_of(n).into_owned(),
                &SENSITIVITIES,
                "Foelsomhed",
                ctx,
            )
        });

    let relations = child(reg, BI, "RelationListe");
    let rel = |local: &'static str, role: &'static str| {
        relations
            .into_iter()
            .flat_map(move |r| children(r, BI, local))
            .filter(move |n| slice::has_role(*n, GD, role))
    };
    let sager = slices(rel("Bevillingssag", TILKNYTTET_SAG), ctx);
    let case_id = pick(&sager, "Bevillingssag", ctx).and_then(|(n, _)| {
        let id = child(n, GD, "ReferenceID").and_then(|r| child_text(r, SD, "UUIDIdentifikator"));
        id.map(|s| s.to_ascii_lowercase())
    });
    let modtagere = slices(rel("Bevillingspart", YDELSESMODTAGER), ctx);
    let recipient = match party(&modtagere, "Ydelsesmodtager", ctx) {
        Party::Cpr(c) => Some(c),
        Party::NoCpr => None,
        Party::Absent => {
            let fallback = slices(rel("Bevillingspart", BEVILLINGSMODTAGER), ctx);
            match party(&fallback, "Bevillingsmodtager", ctx) {
                Party::Cpr(c) => Some(c),
                _ => None,
            }
        }
    };
    let ejere: Vec<_> = slices(
        rel("Bevillingsaktoer", EJER).filter(|n| child(*n, BI, "CVR-nr").is_some()),
        ctx,
    );
    let cvr = pick(&ejere, "Ejer", ctx).and_then(|(n, _)| child_text(n, BI, "CVR-nr"));
    let provider = options.profile.provider(cvr.as_deref());

    // Each Id's BevilgetYdelse slices, Ids in order of first appearance.
    let ydelser = slices(
        attributes
            .into_iter()
            .flat_map(|a| children(a, BI, "BevilgetYdelse")),
        ctx,
    );
    let mut ids: Vec<String> = Vec::new();
    for &(n, _) in &ydelser {
        match child_text(n, BI, "Id") {
            Some(id) if !id.is_empty() => {
                if !ids.iter().any(|s| *s == id) {
                    ids.push(id.into_owned());
                }
            }
            _ => ctx.problem(n, "a BevilgetYdelse without an Id; left out"),
        }
    }
    for id in ids {
        let mine: Vec<_> = ydelser
            .iter()
            .filter(|(n, _)| child_text(*n, BI, "Id").is_some_and(|i| i == id.as_str()))
            .copied()
            .collect();
        let Some((y, _)) = pick(&mine, "BevilgetYdelse", ctx) else {
            continue; // no BevilgetYdelse in force: no benefit (yet, or any more)
        };
        let key = (uuid.clone().unwrap_or_default(), id.clone());
        let kle = at(y, &[(BI, "Ydelse"), (BI, "Klassifikation"), (BI, "BrugervendtNoegle")]).map(|n| {
            let kle = text_of(n).into_owned();
            if Kle::parse_emne(&kle).is_none() {
                ctx.problem(n, "the Klassifikation is not a KLE emne (NN.NN.NN); passed through so the engine refuses the record");
            }
            kle
        });
        if kle.is_none() {
            ctx.problem(
                y,
                "no Ydelse/Klassifikation/BrugervendtNoegle (KLE emne); kle is null",
            );
        }
        let name = child_text(y, BI, "Navn")
            .filter(|s| !s.is_empty())
            .or_else(|| {
                at(y, &[(BI, "Ydelse"), (BI, "Ydelsesnavn")])
                    .map(text_of)
                    .filter(|s| !s.is_empty())
            })
            .map(|s| s.into_owned());
        let start_date = match child(y, BI, "BevilgetYdelseStartdato") {
            Some(n) => local_date(n, "BevilgetYdelseStartdato", ctx),
            None => {
                ctx.problem(y, "no BevilgetYdelseStartdato; startDate is null");
                None
            }
        };
        let end_date = child(y, BI, "BevilgetYdelseSlutdato")
            .and_then(|n| local_date(n, "BevilgetYdelseSlutdato", ctx));
        let source_system = children(y, BI, "ItSystem")
            .find(|n| slice::has_role(*n, BI, MASTER))
            .and_then(|n| {
                let named = child(n, BI, "ReferenceID")
                    .and_then(xml::uuid_of)
                    .and_then(|u| options.profile.it_systems.get(&u).cloned());
                named.or_else(|| child_text(n, BI, "SystemNavn").map(|s| s.into_owned()))
            });
        let economic = child(y, BI, "OekonomiskEffektueringsplan").is_some()
            || payments.referenced.contains(&key);
        records.push(Record::Benefit(BenefitRecord {
            kind: "benefit",
            id: uuid.as_ref().map(|u| format!("{u}:{id}")),
            kle,
            case_id: case_id.clone(),
            name,
            recipient: recipient.clone(),
            economic,
            start_date,
            end_date,
            source_system,
            provider,
            sensitivity: sensitivity.clone(),
            payments: payments.by_ydelse.get(&key).cloned().unwrap_or_default(),
        }));
    }
}
