//! A synthetic citizen's fremsoeg answer for the import benchmarks (benches/import.rs,
//! benches/import.mjs via `cargo run --example import-synthetic`): `cases` Sager with `documents`
//! Journalposter and Dokumenter each, shaped like a real answer (several slices per field, every
//! relation the mapping lists). Deterministic; fictitious data.

use std::fmt::Write as _;

const OPEN: &str =
    "<sd:TilTidspunkt><sd:GraenseIndikator>true</sd:GraenseIndikator></sd:TilTidspunkt>";

fn virkning(out: &mut String, ns: &str, from: &str, to: Option<&str>) {
    let _ = write!(
        out,
        "<{ns}:Virkning><sd:FraTidspunkt><sd:TidsstempelDatoTid>{from}</sd:TidsstempelDatoTid></sd:FraTidspunkt>"
    );
    match to {
        Some(to) => {
            let _ = write!(
                out,
                "<sd:TilTidspunkt><sd:TidsstempelDatoTid>{to}</sd:TidsstempelDatoTid></sd:TilTidspunkt>"
            );
        }
        None => out.push_str(OPEN),
    }
    let _ = write!(
        out,
        "<sd:AktoerRef><sd:UUIDIdentifikator>e0000000-0000-4000-8000-0000000000b1</sd:UUIDIdentifikator></sd:AktoerRef><sd:AktoerTypeKode>Bruger</sd:AktoerTypeKode></{ns}:Virkning>"
    );
}

fn relation(out: &mut String, element: &str, from: &str, role: &str, reference: &str, extra: &str) {
    let _ = write!(out, "<{element}>");
    virkning(out, "gd", from, None);
    let _ = write!(
        out,
        "<gd:Rolle><sd:UUIDIdentifikator>{role}</sd:UUIDIdentifikator></gd:Rolle><gd:Type><sd:UUIDIdentifikator>267235ea-526d-4a18-8001-f2a0e563eba1</sd:UUIDIdentifikator></gd:Type>{reference}{extra}</{element}>"
    );
}

fn uuid_ref(id: &str) -> String {
    format!("<gd:ReferenceID><sd:UUIDIdentifikator>{id}</sd:UUIDIdentifikator></gd:ReferenceID>")
}

/// The answer as XML text: `cases` Sager of the citizen `cpr`, `documents` documents each.
pub fn fremsoeg_citizen(cpr: &str, cases: usize, documents: usize) -> String {
    let mut out = String::with_capacity(cases * (8_000 + documents * 3_000) + 1_000);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><sdi:FremsoegSagDokumentIndeksOutput xmlns:sdi="urn:oio:sts:sagdok:sagdokumentindeks:6" xmlns:sag="urn:oio:sts:sagdok:sag:6" xmlns:si="urn:oio:sts:sagdok:sagindeks:6" xmlns:di="urn:oio:sts:sagdok:dokumentindeks:6" xmlns:gd="urn:oio:sts:generelledefinitioner:6" xmlns:sd="urn:oio:sagdok:3.0.0"><sd:StandardRetur><sd:StatusKode>20</sd:StatusKode><sd:FejlbeskedTekst>OK</sd:FejlbeskedTekst></sd:StandardRetur>"#);
    let kles = ["32.30.04", "32.24.04", "27.36.04", "27.60.12", "15.17.06"];
    let t0 = "2021-02-01T09:30:00.000+01:00";
    let t1 = "2021-02-22T10:00:00.000+01:00";
    let t2 = "2021-03-05T14:00:00.000+01:00";
    for c in 0..cases {
        let id = format!("e1000000-0000-4000-8000-{c:012x}");
        let kle = kles.get(c % kles.len()).copied().unwrap_or("32.30.04");
        let _ = write!(out, "<sdi:SagFiltreretOejebliksbillede><sag:ObjektType><sd:UUIDIdentifikator>{id}</sd:UUIDIdentifikator></sag:ObjektType><sag:Registrering><sd:Tidspunkt>2021-06-30T15:02:11.000+02:00</sd:Tidspunkt><sd:LivscyklusKode>Importeret</sd:LivscyklusKode><gd:StsTidspunkt>2021-06-30T15:02:12.000+02:00</gd:StsTidspunkt><sag:AttributListe>");
        for (from, to, title) in [(t0, Some(t2), "Ansøgning"), (t2, None, "Sag")] {
            out.push_str("<sag:Egenskaber>");
            virkning(&mut out, "sag", from, to);
            let _ = write!(out, "<sag:BrugervendtNoegle>2021-{c}</sag:BrugervendtNoegle><sag:Beskrivelse>Beskrivelse af sag {c}, som borgeren aldrig ser.</sag:Beskrivelse><sag:Sagsnummer>2021-{c}</sag:Sagsnummer><sag:Titel>{title} {c}</sag:Titel></sag:Egenskaber>");
        }
        out.push_str("<gd:LokalUdvidelseListe><si:SagIndeksEgenskaber>");
        virkning(&mut out, "gd", t0, None);
        let _ = write!(out, "<si:Foelsomhed>FORTROLIGE_PERSONOPLYSNINGER</si:Foelsomhed><si:OprettetTidspunkt>{t0}</si:OprettetTidspunkt></si:SagIndeksEgenskaber></gd:LokalUdvidelseListe></sag:AttributListe><sag:TilstandListe>");
        for (from, to, status) in [
            (t0, Some(t1), "Opstaaet"),
            (t1, Some(t2), "Oplyst"),
            (t2, None, "Afgjort"),
        ] {
            out.push_str("<sag:Fremdrift>");
            virkning(&mut out, "sag", from, to);
            let _ = write!(
                out,
                "<sag:FremdriftStatusKode>{status}</sag:FremdriftStatusKode></sag:Fremdrift>"
            );
        }
        out.push_str("</sag:TilstandListe><sag:RelationListe>");
        let aktoer = |navn: &str, cvr: &str| {
            format!("<gd:LokalUdvidelseListe><si:SagsaktoerLokalUdvidelse><si:FuldtNavn>{navn}</si:FuldtNavn>{cvr}</si:SagsaktoerLokalUdvidelse></gd:LokalUdvidelseListe>")
        };
        relation(
            &mut out,
            "sag:Sagsaktoer",
            t0,
            "9e979b84-b846-4472-8622-58007dc63c7e",
            &uuid_ref("e0000000-0000-4000-8000-0000000000a0"),
            &aktoer("Demo Kommune", "<si:CVR-Nummer>29189919</si:CVR-Nummer>"),
        );
        relation(
            &mut out,
            "sag:Sagsaktoer",
            t0,
            "a1263342-d348-44ba-a566-233f37c4cb67",
            &uuid_ref("e0000000-0000-4000-8000-0000000000e1"),
            &aktoer("Team", ""),
        );
        relation(
            &mut out,
            "sag:Sagsaktoer",
            t0,
            "bf1f93ed-9441-4af4-835b-baeb201f3076",
            &uuid_ref("e0000000-0000-4000-8000-0000000000b1"),
            &aktoer("Sagsbehandler", ""),
        );
        let klasse = |key: &str| {
            format!("<gd:LokalUdvidelseListe><si:SagsklasseLokalUdvidelse><si:Klassetitel>Klasse</si:Klassetitel><si:BrugervendtNoegle>{key}</si:BrugervendtNoegle></si:SagsklasseLokalUdvidelse></gd:LokalUdvidelseListe>")
        };
        relation(
            &mut out,
            "sag:Sagsklasse",
            t0,
            "a86c6581-ec85-412d-a655-31a1f1d5b14f",
            &uuid_ref("e0000000-0000-4000-8000-0000000000c1"),
            &klasse(kle),
        );
        relation(
            &mut out,
            "sag:Sagsklasse",
            t0,
            "05ef7011-11a7-4e4c-a46b-3de6aa457fc3",
            &uuid_ref("e0000000-0000-4000-8000-0000000000c2"),
            &klasse("G01"),
        );
        let party = format!("<gd:ReferenceID><sd:URNIdentifikator>urn:oio:cpr-nr:{cpr}</sd:URNIdentifikator></gd:ReferenceID>");
        relation(
            &mut out,
            "sag:Sagspart",
            t0,
            "d839f26a-d4d1-4441-b2d6-3dbbb12a9404",
            &party,
            "",
        );
        for d in 0..documents {
            let doc = format!("e2000000-0000-4000-{c:04x}-{d:012x}");
            let title = if d % 2 == 0 {
                format!("<sag:JournalpostEgenskaber><sag:Dokumenttitel>Dokument {d}</sag:Dokumenttitel></sag:JournalpostEgenskaber>")
            } else {
                String::new()
            };
            relation(
                &mut out,
                "sag:Journalpost",
                t1,
                "69a0a697-0a77-4916-bea3-226594fa6627",
                &uuid_ref(&doc),
                &title,
            );
        }
        out.push_str("<gd:LokalUdvidelseListe>");
        for role in [
            "251c24fd-57b0-4afc-9d73-b063d1957eb3",
            "1b3c6a6d-e977-4491-9bf8-b41ee6999f39",
        ] {
            relation(
                &mut out,
                "si:SagsitsystemRelation",
                t0,
                role,
                &uuid_ref("e0000000-0000-4000-8000-0000000000f1"),
                "<si:SystemNavn>KMD Sygedagpenge</si:SystemNavn>",
            );
        }
        out.push_str("</gd:LokalUdvidelseListe></sag:RelationListe></sag:Registrering></sdi:SagFiltreretOejebliksbillede>");
    }
    for c in 0..cases {
        for d in 0..documents {
            let doc = format!("e2000000-0000-4000-{c:04x}-{d:012x}");
            let _ = write!(out, "<sdi:DokumentFiltreretOejebliksbillede><di:ObjektType><sd:UUIDIdentifikator>{doc}</sd:UUIDIdentifikator></di:ObjektType><di:Registrering><sd:Tidspunkt>2021-06-30T15:02:11.000+02:00</sd:Tidspunkt><sd:LivscyklusKode>Importeret</sd:LivscyklusKode><di:AttributListe><di:Egenskaber>");
            virkning(&mut out, "di", t1, None);
            let _ = write!(out, "<di:BrugervendtNoegle>2021-{c}-{d}</di:BrugervendtNoegle><di:Titel>Brev {d}</di:Titel><di:BrevDato>2021-02-2{}</di:BrevDato><di:Foelsomhed>FORTROLIGE_PERSONOPLYSNINGER</di:Foelsomhed><di:Type>Brev, udgaaende</di:Type></di:Egenskaber></di:AttributListe><di:RelationListe>", d % 8 + 1);
            relation(&mut out, "di:Dokumentklasse", t1, "ffffffff-ffff-4fff-8fff-000000000005", &uuid_ref("e0000000-0000-4000-8000-0000000000c1"), "<gd:LokalUdvidelseListe><di:DokumentklasseLokalUdvidelse><di:Klassetitel>Sygedagpenge</di:Klassetitel><di:BrugervendtNoegle>32.30.04</di:BrugervendtNoegle></di:DokumentklasseLokalUdvidelse></gd:LokalUdvidelseListe>");
            out.push_str(
                "</di:RelationListe></di:Registrering></sdi:DokumentFiltreretOejebliksbillede>",
            );
        }
    }
    out.push_str("</sdi:FremsoegSagDokumentIndeksOutput></soap:Body></soap:Envelope>");
    out
}
