//! The scenario suite: every file in `tests/scenarios/` is a readable case (note, policy, request,
//! expected outcome). `expectations` checks the hand-written expectations of every file and reports
//! all mismatches at once; `snapshots` pins each scenario's full output with insta.

mod common;

use common::{check, load_scenarios, run_scenario, Scenario};

#[test]
fn at_least_sixty_scenarios_each_with_a_note() {
    let all = load_scenarios();
    assert!(all.len() >= 60, "only {} scenarios", all.len());
    for s in &all {
        assert!(!s.note.trim().is_empty(), "{} has no note", s.name);
    }
}

#[test]
fn expectations() {
    let mut failures = Vec::new();
    for s in load_scenarios() {
        let outcome = run_scenario(&s);
        failures.extend(
            check(&s, &outcome)
                .into_iter()
                .map(|f| format!("{}: {f}", s.name)),
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn snapshots() {
    insta::glob!("scenarios/*.json", |path| {
        let s = Scenario::load(path);
        let outcome = run_scenario(&s);
        insta::assert_json_snapshot!(outcome.snapshot(), {
            ".overview.policyFingerprint" => "[fingerprint]"
        });
    });
}
