//! The sample municipality and citizens are used by the docs, the preview and the page: they must
//! stay valid, and each must show exactly what `samples/README.md` says it shows: the visible
//! records by id, and for the records it names the reasons (and details) it names.

use borgerblik::{Decision, Engine, Overview, Policy, ReasonCode, Request};
use ReasonCode::*;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn engine() -> Engine {
    let engine = Engine::new(
        Policy::from_municipality_json_str(&read("samples/municipality.json")).unwrap(),
    )
    .unwrap();
    assert!(engine.warnings().is_empty(), "{:?}", engine.warnings());
    engine
}

fn overview(citizen: &str) -> Overview {
    let request =
        Request::from_json_str(&read(&format!("samples/citizens/{citizen}.json"))).unwrap();
    engine().evaluate(&request)
}

fn decision<'a>(o: &'a Overview, id: &str) -> &'a Decision {
    o.decisions
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no decision for {id}"))
}

/// Reason codes a record must carry, each with its expected detail where one is given.
type Codes<'a> = &'a [(ReasonCode, Option<&'a str>)];

/// The ids of the visible records, in input order, are exactly `visible`; each record of `reasons`
/// carries (at least) the codes listed, with the detail given where one is.
fn expect(o: &Overview, visible: &[&str], reasons: &[(&str, Codes)]) {
    let shown: Vec<&str> = o
        .decisions
        .iter()
        .filter(|d| d.visible)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(shown, visible, "visible records");
    for (id, codes) in reasons {
        let d = decision(o, id);
        for (code, detail) in *codes {
            let r = d
                .reasons
                .iter()
                .find(|r| r.code == *code)
                .unwrap_or_else(|| panic!("{id}: no {code} in {:?}", d.reasons));
            if let Some(detail) = detail {
                assert_eq!(r.detail.as_deref(), Some(*detail), "{id}: detail of {code}");
            }
        }
    }
}

/// The document titles a visible case shows, in view order.
fn documents(o: &Overview, id: &str) -> Vec<String> {
    let case = o
        .view
        .cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} not in the view"));
    case.documents
        .iter()
        .map(|d| d.title.clone().unwrap_or_default())
        .collect()
}

#[test]
fn adult_sees_sygedagpenge_and_kontanthjaelp_but_not_vip_or_old_cases() {
    let o = overview("adult-sygedagpenge");
    expect(
        &o,
        &["S-1", "Y-1", "S-2", "S-3", "Y-2", "Y-3"],
        &[
            ("S-1", &[(DocumentsNotShown, None)]),
            ("S-4", &[(FacetFiltered, Some("K02"))]),
            ("S-5", &[(BeforeFromDate, Some("2020-12-01"))]),
            ("S-6", &[(AreaNotOpen, None)]),
            ("S-7", &[(SensitivityHidden, None)]),
        ],
    );
    // Three titles, the undated lægeerklæring last; the excluded internal note left out.
    let titles = documents(&o, "S-1");
    assert_eq!(titles.len(), 3, "{titles:?}");
    let view = serde_json::to_string(&o.view).unwrap();
    assert!(
        view.contains("Opfølgning – sygemeldt fra Vordingborg Tømrer ApS"),
        "{view}"
    );
}

#[test]
fn minors_see_only_what_their_age_allows() {
    let o = overview("minor-14");
    expect(
        &o,
        &["S-1", "S-3"],
        &[
            ("S-1", &[(ReleasedToMinor, None)]),
            ("S-3", &[(ReleasedToMinor, None)]),
            ("S-2", &[(UnderMinimumAge, Some("15"))]),
            ("S-4", &[(UnderMinimumAge, Some("15"))]),
            ("S-5", &[(AreaNotOpen, None), (ReleasedToMinor, None)]),
            ("S-6", &[(BeforeAccessAge, Some("2025-08-14"))]),
        ],
    );
    assert_eq!(documents(&o, "S-1"), ["Bevilling af høreapparater"]);

    let o = overview("minor-16");
    expect(
        &o,
        &["S-2", "S-3", "S-5", "Y-1"],
        &[
            ("S-1", &[(BeforeAccessAge, Some("2025-03-10"))]),
            ("S-6", &[(BeforeAccessAge, Some("2025-03-10"))]),
            ("S-4", &[(AreaNotOpen, None), (UnderMinimumAge, Some("18"))]),
        ],
    );
}

#[test]
fn parent_sees_nothing_while_custody_is_disabled() {
    let o = overview("parent-child");
    expect(
        &o,
        &[],
        &[
            ("S-3", &[(CustodyExcludedArea, None), (AreaNotOpen, None)]),
            ("Y-1", &[(CaseHidden, None)]),
            ("S-5", &[(NotParty, None)]),
        ],
    );
    for d in &o.decisions {
        assert!(
            d.reasons.iter().any(|r| r.code == CustodyDisabled),
            "{}: {:?}",
            d.id,
            d.reasons
        );
    }
}

#[test]
fn property_owner_sees_the_building_case() {
    let o = overview("building-case");
    expect(
        &o,
        &["S-1", "S-5", "Y-1"],
        &[
            ("S-2", &[(BeforeFromDate, Some("2022-01-01"))]),
            ("S-3", &[(AreaNotOpen, None)]),
            ("S-4", &[(NotParty, None)]),
        ],
    );
    let mut titles = documents(&o, "S-1");
    titles.sort();
    assert_eq!(
        titles,
        [
            "Byggetilladelse",
            "Kvittering for ansøgning",
            "Naboorientering"
        ]
    );
}

#[test]
fn jobcenter_hoi_plan_shows_only_that_it_exists() {
    let o = overview("jobcenter-hoi");
    let hoi = o
        .view
        .cases
        .iter()
        .find(|c| c.id == "S-1")
        .expect("S-1 shown");
    assert_eq!(hoi.title, "Helhedsorienteret indsats");
    assert!(hoi.documents.is_empty());
    expect(
        &o,
        &["S-1", "S-2", "S-4", "Y-2"],
        &[
            ("S-1", &[(DocumentsNotShown, None)]),
            ("S-3", &[(AreaNotOpen, None)]),
            ("Y-1", &[(AreaNotOpen, None)]),
            ("S-5", &[(FacetFiltered, Some("A53"))]),
            ("S-6", &[(InvalidRecord, Some("records[7].createdDate"))]),
        ],
    );
}

#[test]
fn every_sample_citizen_is_a_valid_request() {
    let mut read = 0;
    for entry in
        std::fs::read_dir(format!("{}/samples/citizens", env!("CARGO_MANIFEST_DIR"))).unwrap()
    {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let request =
            Request::from_json_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!request.records.is_empty(), "{}", path.display());
        read += 1;
    }
    // The six citizens samples/README.md describes (each has its own test above).
    assert_eq!(read, 6, "sample citizens read");
}
