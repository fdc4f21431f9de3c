//! The sample municipality and citizens are used by the docs, the preview and the page: they must
//! stay valid, and each must show what `samples/README.md` says it shows.

use borgerblik::{Engine, Policy, ReasonCode, Request};

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

fn outcome(citizen: &str) -> (usize, usize, Vec<ReasonCode>) {
    let request =
        Request::from_json_str(&read(&format!("samples/citizens/{citizen}.json"))).unwrap();
    let o = engine().evaluate(&request);
    let codes = o
        .decisions
        .iter()
        .flat_map(|d| d.reasons.iter().map(|r| r.code))
        .collect();
    (o.summary.visible, o.summary.hidden, codes)
}

#[test]
fn adult_sees_sygedagpenge_and_kontanthjaelp_but_not_vip_or_old_cases() {
    let (visible, hidden, codes) = outcome("adult-sygedagpenge");
    assert!(visible >= 3 && hidden >= 3);
    for c in [
        ReasonCode::SensitivityHidden,
        ReasonCode::BeforeFromDate,
        ReasonCode::AreaNotOpen,
    ] {
        assert!(codes.contains(&c), "{c}");
    }
}

#[test]
fn minors_see_only_what_their_age_allows() {
    let (_, hidden, codes) = outcome("minor-14");
    assert!(
        hidden > 0
            && codes.contains(&ReasonCode::UnderMinimumAge)
            && codes.contains(&ReasonCode::ReleasedToMinor)
    );
    let (visible, _, codes) = outcome("minor-16");
    assert!(visible > 0 && codes.contains(&ReasonCode::BeforeAccessAge));
}

#[test]
fn parent_sees_nothing_while_custody_is_disabled() {
    let (visible, hidden, codes) = outcome("parent-child");
    assert_eq!(visible, 0);
    assert!(hidden > 0 && codes.contains(&ReasonCode::CustodyDisabled));
}

#[test]
fn property_owner_sees_the_building_case() {
    let (visible, _, _) = outcome("building-case");
    assert!(visible > 0);
}

#[test]
fn every_sample_citizen_is_a_valid_request() {
    for entry in
        std::fs::read_dir(format!("{}/samples/citizens", env!("CARGO_MANIFEST_DIR"))).unwrap()
    {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let request =
            Request::from_json_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!request.records.is_empty(), "{}", path.display());
    }
}
