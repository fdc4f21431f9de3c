//! The hand-written overview writer (src/writer.rs) writes exactly what serde_json writes for the
//! derived `Serialize`: on every scenario, on a generated municipality, and on overviews with
//! arbitrary text in every string field (escapes, control characters, non-ASCII).

mod common;

use std::borrow::Cow;
use std::collections::BTreeMap;

use borgerblik::writer::overview_json;
use borgerblik::{
    Decision, Engine, Overview, Payment, Policy, Reason, ReasonCode, RecordKind, Request, Summary,
    View, ViewBenefit, ViewCase, ViewDocument,
};
use chrono::NaiveDate;
use common::{load_scenarios, run_scenario, Outcome};
use proptest::prelude::*;

fn serde(o: &Overview) -> String {
    serde_json::to_string(o).unwrap()
}

#[test]
fn every_scenario_overview_is_written_as_serde_writes_it() {
    let mut compared = 0;
    for s in load_scenarios() {
        if let Outcome::Evaluated { overview, .. } = run_scenario(&s) {
            assert_eq!(overview_json(&overview), serde(&overview), "{}", s.name);
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} scenarios evaluated");
}

#[test]
fn a_generated_municipality_is_written_as_serde_writes_it() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/municipality.json"
    ))
    .unwrap();
    let engine = Engine::new(Policy::from_municipality_json_str(&text).unwrap()).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let (mut visible, mut hidden) = (0, 0);
    for request in borgerblik::generate::requests(1500, 7, as_of) {
        let request = Request::from_value(&request).unwrap();
        let overview = engine.evaluate(&request);
        visible += overview.summary.visible;
        hidden += overview.summary.hidden;
        assert_eq!(overview_json(&overview), serde(&overview));
    }
    assert!(
        visible > 1000 && hidden > 1000,
        "{visible} visible, {hidden} hidden"
    );
}

// ---------------------------------------------------------------- arbitrary overviews

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Every escape serde_json knows, quotes, backslashes, DEL and multi-byte characters.
        proptest::collection::vec(
            prop_oneof![
                (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
                Just('"'),
                Just('\\'),
                Just('\u{7f}'),
                Just('æ'),
                Just('€'),
                Just('😀'),
                proptest::char::range('a', 'z'),
            ],
            0..24
        )
        .prop_map(|cs| cs.into_iter().collect()),
        any::<String>(),
        "[a-zA-Z0-9 .-]{0,40}",
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (-300_000i32..400_000).prop_map(|d| {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(i64::from(d))
    })
}

fn code() -> impl Strategy<Value = ReasonCode> {
    proptest::sample::select(ReasonCode::ALL.to_vec())
}

fn reason() -> impl Strategy<Value = Reason> {
    (code(), proptest::option::of(text()), text()).prop_map(|(code, detail, message)| Reason {
        code,
        detail,
        message: Cow::Owned(message),
    })
}

fn decision() -> impl Strategy<Value = Decision> {
    (
        text(),
        proptest::option::of(prop_oneof![
            Just(RecordKind::Case),
            Just(RecordKind::Benefit)
        ]),
        any::<bool>(),
        proptest::option::of(text()),
        proptest::collection::vec(reason(), 0..4),
    )
        .prop_map(|(id, kind, visible, area, reasons)| Decision {
            id,
            kind,
            visible,
            area,
            reasons,
        })
}

fn case() -> impl Strategy<Value = ViewCase> {
    (
        (text(), text(), text(), text()),
        (date(), proptest::option::of(date())),
        proptest::option::of(text()),
        proptest::collection::vec(
            (proptest::option::of(text()), proptest::option::of(date()))
                .prop_map(|(title, date)| ViewDocument { title, date }),
            0..3,
        ),
    )
        .prop_map(
            |((id, title, kle, status), (created_date, closed_date), provider, documents)| {
                ViewCase {
                    id,
                    title: Cow::Owned(title),
                    kle,
                    status: Cow::Owned(status),
                    created_date,
                    closed_date,
                    provider,
                    documents,
                }
            },
        )
}

fn benefit() -> impl Strategy<Value = ViewBenefit> {
    (
        (text(), text(), text()),
        (date(), proptest::option::of(date())),
        proptest::option::of(text()),
        proptest::collection::vec(
            (date(), any::<i64>()).prop_map(|(date, gross_amount_ore)| Payment {
                date,
                gross_amount_ore,
            }),
            0..4,
        ),
    )
        .prop_map(
            |((id, name, kle), (start_date, end_date), provider, payments)| ViewBenefit {
                id,
                name: Cow::Owned(name),
                kle,
                start_date,
                end_date,
                provider,
                payments,
            },
        )
}

fn overview() -> impl Strategy<Value = Overview> {
    (
        date(),
        text(),
        proptest::collection::vec(case(), 0..3),
        proptest::collection::vec(benefit(), 0..3),
        proptest::collection::vec(decision(), 0..4),
        (
            any::<usize>(),
            any::<usize>(),
            any::<usize>(),
            proptest::collection::btree_map(code(), any::<usize>(), 0..5),
        ),
    )
        .prop_map(
            |(as_of, policy_fingerprint, cases, benefits, decisions, (r, v, h, by_reason))| {
                Overview {
                    as_of,
                    policy_fingerprint,
                    view: View { cases, benefits },
                    decisions,
                    summary: Summary {
                        records: r,
                        visible: v,
                        hidden: h,
                        by_reason: by_reason.into_iter().collect::<BTreeMap<_, _>>(),
                    },
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_overview_is_written_as_serde_writes_it(o in overview()) {
        prop_assert_eq!(overview_json(&o), serde(&o));
    }
}
