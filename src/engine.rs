//! `Engine`: a validated, indexed policy, and the one pure function `evaluate`.

use std::collections::{BTreeMap, HashMap};

use crate::error::{InputError, InputKind};
use crate::json::Problem;
use crate::kle::SelectorMap;
use crate::policy::{fingerprint, validate};
use crate::reason::ReasonCode;
use crate::rules::{
    age, area, custody, facets, fromdate, links, party, sensitivity, source, Detail, Facts,
    Finding, Findings,
};
use crate::types::{
    AreaSettings, Decision, InvalidRecord, Overview, Policy, Reason, Record, RecordInput,
    RecordKind, Request, Summary, View,
};
use crate::view;

/// A policy validated and indexed once; `evaluate` is then pure, deterministic and cheap.
#[derive(Debug, Clone)]
pub struct Engine {
    policy: Policy,
    fingerprint: String,
    warnings: Vec<Problem>,
    settings: SelectorMap<usize>,
    opens: SelectorMap<bool>,
    etape_areas: SelectorMap<Vec<area::EtapeAreaRef>>,
    minors: SelectorMap<u32>,
    custody_excluded: SelectorMap<()>,
    /// Each etape's `MANDATORY_AREA` reason, by etape index.
    mandatory_reasons: Vec<Reason>,
    defaults: AreaSettings,
}

/// The outcome of validating a policy: refused with problems, or accepted with warnings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    pub valid: bool,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Engine {
    /// Validates the policy (SPEC §6) and indexes it. Refused with every problem found.
    pub fn new(policy: Policy) -> Result<Engine, InputError> {
        let findings = validate::validate(&policy);
        if !findings.errors.is_empty() {
            return Err(InputError::new(InputKind::Policy, findings.errors));
        }
        let areas = &policy.municipality.areas;
        let settings = areas.iter().enumerate().map(|(i, a)| (a.kle, i)).collect();
        let opens = areas
            .iter()
            .filter_map(|a| a.open.map(|o| (a.kle, o)))
            .collect();
        let mut etape_areas: HashMap<_, Vec<area::EtapeAreaRef>> = HashMap::new();
        for (i, e) in policy.central.etaper.iter().enumerate() {
            for a in &e.areas {
                etape_areas
                    .entry(a.kle)
                    .or_default()
                    .push(area::EtapeAreaRef {
                        etape: i,
                        target_groups: a.target_groups.clone(),
                    });
            }
        }
        let c = &policy.central;
        let minors = age::minor_areas(&c.minors);
        let custody_excluded = c
            .custody
            .excluded_areas
            .iter()
            .map(|a| (a.kle, ()))
            .collect();
        let defaults = AreaSettings::default_for(crate::kle::Kle::PLACEHOLDER);
        Ok(Engine {
            fingerprint: fingerprint(&policy),
            warnings: findings.warnings,
            settings,
            opens,
            etape_areas: etape_areas.into_iter().collect(),
            minors,
            custody_excluded,
            mandatory_reasons: c
                .etaper
                .iter()
                .map(|e| Reason::new(ReasonCode::MandatoryArea, Some(e.id.clone())))
                .collect(),
            defaults,
            policy,
        })
    }

    /// Reads and validates a policy document in one step.
    pub fn from_json(text: &str) -> Result<Engine, InputError> {
        Engine::new(Policy::from_json_str(text)?)
    }

    /// Validates a policy without keeping an engine: every problem, and the warnings.
    pub fn validate(policy: &Policy) -> Validation {
        let f = validate::validate(policy);
        Validation {
            valid: f.errors.is_empty(),
            problems: f.errors,
            warnings: f.warnings,
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// `"sha256:<hex>"` of the effective policy as canonical JSON.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Unknown or retired KLE numbers in the municipality's selectors; they never change a decision.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// The settings of the most specific municipality entry matching `kle` (defaults when none).
    fn settings_for(&self, kle: &crate::kle::Kle) -> &AreaSettings {
        self.settings
            .most_specific(kle)
            .and_then(|(_, &i)| self.policy.municipality.areas.get(i))
            .unwrap_or(&self.defaults)
    }

    /// Reads a request document and evaluates it.
    pub fn evaluate_json(&self, text: &str) -> Result<String, InputError> {
        let request = Request::from_json_str(text)?;
        Ok(crate::writer::overview_json(&self.evaluate(&request)))
    }

    /// Decides every record of the request and builds the overview. Pure: the date is
    /// `request.asOf`, never the clock.
    pub fn evaluate(&self, request: &Request) -> Overview {
        let verdicts = self.decide(request);
        let mut cases = Vec::new();
        let mut benefits = Vec::new();
        let decisions: Vec<Decision> = request
            .records
            .iter()
            .zip(&verdicts)
            .map(|(record, verdict)| {
                match record {
                    RecordInput::Valid(Record::Case(c)) if verdict.visible => {
                        let settings = self.settings_for(&c.kle);
                        let documents = links::documents(c, settings);
                        cases.push(view::case(c, settings.title, documents));
                    }
                    RecordInput::Valid(Record::Benefit(b)) if verdict.visible => {
                        benefits.push(view::benefit(b));
                    }
                    _ => {}
                }
                self.decision(record, verdict)
            })
            .collect();
        view::sort(&mut cases, &mut benefits);
        let summary = summarise(&decisions);
        Overview {
            as_of: request.as_of,
            policy_fingerprint: self.fingerprint.clone(),
            view: View { cases, benefits },
            decisions,
            summary,
        }
    }

    /// Decides every record without building the overview: visibility, scope and findings as
    /// compact values, in input order. Allocates per request, never per record; this is what
    /// what-if runs over a whole municipality use.
    pub fn decide<'a>(&'a self, request: &'a Request) -> Vec<Verdict<'a>> {
        let ctx = Ctx::new(self, request);
        let records = &request.records;

        // A benefit's `caseId` names the first case record with that id, or the first record
        // with that id that could not be read, whatever its kind (it might be the case: SPEC §8,
        // fail closed). Only a record's own id links, never the `#<index>` label of a record
        // without one. Sorted, not hashed: ids come from untrusted input, and sorting has no bad
        // worst case.
        let mut first_case: Vec<(&str, usize)> = Vec::new();
        for (i, r) in records.iter().enumerate() {
            match r {
                RecordInput::Valid(Record::Case(c)) => first_case.push((c.id.as_str(), i)),
                RecordInput::Invalid(inv) => {
                    if inv.has_id {
                        first_case.push((inv.id.as_str(), i));
                    }
                    first_case.extend(inv.other_ids.iter().map(|id| (id.as_str(), i)));
                }
                RecordInput::Valid(Record::Benefit(_)) => {}
            }
        }
        crate::order::sort_by(&mut first_case, |a, b| a.cmp(b));
        first_case.dedup_by_key(|(id, _)| *id);
        let case_index = |id: &str| {
            first_case
                .binary_search_by(|(k, _)| (*k).cmp(id))
                .ok()
                .and_then(|i| first_case.get(i))
                .map(|(_, index)| *index)
        };

        // Cases first, since a benefit's decision depends on its case's.
        let mut verdicts = vec![Verdict::default(); records.len()];
        for (slot, r) in verdicts.iter_mut().zip(records) {
            match r {
                RecordInput::Invalid(inv) => {
                    let mut findings = Findings::default();
                    findings.push(ReasonCode::InvalidRecord, Detail::Text(&inv.path));
                    *slot = Verdict {
                        visible: false,
                        area: None,
                        findings,
                    };
                }
                RecordInput::Valid(Record::Case(c)) => {
                    let parties: &[crate::cpr::Cpr] = if c.kle.hovedgruppe() == party::BUILDING {
                        &c.property_owners
                    } else {
                        c.primary_party.as_slice()
                    };
                    let facts = Facts {
                        kind: RecordKind::Case,
                        kle: c.kle,
                        parties,
                        source_system: c.source_system.as_deref(),
                        sensitivity: c.sensitivity.as_deref(),
                        released_to_minor: c.released_to_minor,
                        excluded_from_citizen: c.excluded_from_citizen,
                        created: c.created_date,
                        active: Facts::is_active(c.status),
                        case: Some(c),
                    };
                    let settings = self.settings_for(&c.kle);
                    let mut v = self.gates(&ctx, &facts, settings, |_| {});
                    if v.visible && links::withheld(c, settings) {
                        v.findings.push(ReasonCode::DocumentsNotShown, Detail::None);
                    }
                    *slot = v;
                }
                RecordInput::Valid(Record::Benefit(_)) => {}
            }
        }

        let case_visibility: Vec<bool> = verdicts.iter().map(|v| v.visible).collect();
        for (slot, r) in verdicts.iter_mut().zip(records) {
            let RecordInput::Valid(Record::Benefit(b)) = r else {
                continue;
            };
            let linked = b.case_id.as_deref().and_then(case_index);
            let case_visible = linked.and_then(|j| case_visibility.get(j).copied());
            let case = linked.and_then(|j| match records.get(j) {
                Some(RecordInput::Valid(Record::Case(c))) => Some(c),
                _ => None,
            });
            let facts = Facts {
                kind: RecordKind::Benefit,
                kle: b.kle,
                parties: b.recipient.as_slice(),
                source_system: b.source_system.as_deref(),
                sensitivity: b.sensitivity.as_deref(),
                released_to_minor: b.released_to_minor,
                excluded_from_citizen: b.excluded_from_citizen,
                created: case.map_or(b.start_date, |c| c.created_date),
                active: case.is_some_and(|c| Facts::is_active(c.status)),
                case: None,
            };
            let settings = self.settings_for(&b.kle);
            *slot = self.gates(&ctx, &facts, settings, |out| {
                links::check_benefit(b, case_visible, settings, out)
            });
        }
        verdicts
    }

    /// The decision of one record from its verdict, with the Danish reasons.
    pub fn decision(&self, record: &RecordInput, verdict: &Verdict<'_>) -> Decision {
        let (id, kind) = match record {
            RecordInput::Invalid(inv) => return invalid(inv),
            RecordInput::Valid(Record::Case(c)) => (&c.id, RecordKind::Case),
            RecordInput::Valid(Record::Benefit(b)) => (&b.id, RecordKind::Benefit),
        };
        Decision {
            id: id.clone(),
            kind: Some(kind),
            visible: verdict.visible,
            area: verdict.area.map(|k| k.as_text().to_owned_string()),
            reasons: verdict.findings.iter().map(|f| self.reason(f)).collect(),
        }
    }

    fn reason(&self, f: &Finding<'_>) -> Reason {
        if let Detail::Etape(i) = f.detail {
            if let Some(r) = self.mandatory_reasons.get(i) {
                return r.clone();
            }
        }
        Reason::new(f.code, f.detail.to_text(&self.policy.central.etaper))
    }

    /// Runs every gate on one record; `extra` adds the kind-specific link checks of rule 9.
    fn gates<'a>(
        &self,
        ctx: &Ctx,
        facts: &Facts<'a>,
        settings: &AreaSettings,
        extra: impl FnOnce(&mut Findings<'a>),
    ) -> Verdict<'a> {
        let c = &self.policy.central;
        let mut out = Findings::default();
        party::check(facts, &ctx.subject, &mut out);
        let scope = area::scope(facts, ctx.as_of, &c.etaper, &self.etape_areas, &self.opens);
        let (code, detail) = scope.finding();
        out.push(code, detail);
        if let Some(case) = facts.case {
            facets::check(case, settings.facets.as_ref(), &mut out);
        }
        source::check(facts, settings, &mut out);
        fromdate::check(facts, settings, &mut out);
        if ctx.own {
            let central = age::central_minimum_age(&c.minors, &self.minors, &facts.kle);
            let minimum = central.max(settings.minimum_age.unwrap_or(0));
            age::check(facts, ctx.viewer, &c.minors, minimum, &mut out);
        } else {
            out.extend(&ctx.custody);
            custody::check_area(&facts.kle, &self.custody_excluded, &mut out);
        }
        sensitivity::check(facts, &c.sensitivity.hidden, &mut out);
        extra(&mut out);
        out.sort();
        Verdict {
            visible: out.visible(),
            area: scope.area(),
            findings: out,
        }
    }
}

/// How one record was decided, compactly: visibility, the selector that put it in scope, and what
/// the gates found. Nothing in it is allocated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict<'a> {
    pub visible: bool,
    pub area: Option<crate::kle::Kle>,
    pub findings: Findings<'a>,
}

/// What every record of one request shares, worked out once.
struct Ctx {
    as_of: chrono::NaiveDate,
    subject: crate::cpr::Cpr,
    /// The viewer sees their own overview (rule 6 applies) rather than a child's (rule 7).
    own: bool,
    viewer: Option<age::Viewer>,
    custody: Findings<'static>,
}

impl Ctx {
    fn new(engine: &Engine, r: &Request) -> Ctx {
        let subject = r.subject.as_ref().unwrap_or(&r.viewer);
        let own = subject.cpr == r.viewer.cpr;
        let viewer = r.viewer.birth().and_then(|birth| {
            crate::dates::age_on(birth, r.as_of).map(|age| age::Viewer { birth, age })
        });
        let custody = if own {
            Findings::default()
        } else {
            custody::request_reasons(
                &engine.policy.central.custody,
                r.custody.as_ref(),
                subject,
                r.as_of,
            )
        };
        Ctx {
            as_of: r.as_of,
            subject: subject.cpr,
            own,
            viewer,
            custody,
        }
    }
}

fn invalid(inv: &InvalidRecord) -> Decision {
    let mut reason = Reason::new(ReasonCode::InvalidRecord, Some(inv.path.clone()));
    reason.message = format!("{} ({})", reason.message, inv.message).into();
    Decision {
        id: inv.id.clone(),
        kind: inv.kind,
        visible: false,
        area: None,
        reasons: vec![reason],
    }
}

fn summarise(decisions: &[Decision]) -> Summary {
    // Counted in a fixed array, each code once per record, then listed in code order.
    let mut counts = [0usize; ReasonCode::ALL.len()];
    for d in decisions {
        let mut seen = 0u64;
        for r in &d.reasons {
            let bit = 1u64 << (r.code as u32);
            if seen & bit == 0 {
                seen |= bit;
                if let Some(n) = counts.get_mut(r.code as usize) {
                    *n += 1;
                }
            }
        }
    }
    // Inserted one by one: `collect` into a BTreeMap sorts first, which adds a sort to the wasm.
    let mut by_reason = BTreeMap::new();
    for (code, n) in ReasonCode::ALL.into_iter().zip(counts) {
        if n > 0 {
            by_reason.insert(code, n);
        }
    }
    let visible = decisions.iter().filter(|d| d.visible).count();
    Summary {
        records: decisions.len(),
        visible,
        hidden: decisions.len() - visible,
        by_reason,
    }
}
