// The caseworker's preview of Mit Overblik. Plain ES module, no framework, no build step: the engine
// is the borgerblik WebAssembly package (pkg/web, copied to generated/pkg by scripts/prepare-page.sh)
// and every computation happens here in the browser.
//
// Flow: inputs (citizen file, viewer, date, municipality settings) → one evaluation per change
// (typing is debounced) → render the citizen's view, the decisions list and the what-if diff.
// Invalid settings never reach the engine: the last valid ones stay in effect until fixed.
//
// For tests and the curious, <body> carries data-state ("loading" | "ready" | "error"),
// data-evaluations (a counter), data-eval-ms and data-render-ms.

import { h, replace, message, debounce } from './lib/dom.js';
import { longDate, shortDate, count, dayBefore, isIsoDate, megabytes } from './element/format.js';
import { REASON_LABELS, REASON_ORDER, problemMessage, pathLabel } from './element/danish.js';
import { decisionCard, recordTitle, badge } from './element/cards.js';
import './element/index.js'; // defines <borgerblik-overview>, the citizen's view
import { kleCombobox } from './lib/combobox.js';
import { municipalityEditor, kleContains } from './lib/editor.js';
import { scenarioText, scenarioFileName, download } from './lib/scenario-export.js';
import { XML_SAMPLE, isXml, readXmlFiles, fetchXmlSample, importXml, reimport, showXmlProblems } from './lib/xml-import.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024; // the engine's own document limit (10 MiB)
const PAGE = 200; // rows rendered at a time in long lists
const SAMPLE_LABELS = {
  'adult-sygedagpenge.json': 'Mette, 44 år – sygedagpenge og kontanthjælp',
  'building-case.json': 'Lars, 51 år – byggesag som ejer',
  'jobcenter-hoi.json': 'Emil, 27 år – jobcenter og helhedsorienteret indsats',
  'minor-14.json': '14-årig – hjælpemidler og skole',
  'minor-16.json': '16-årig – kørestol og efterskole',
  'parent-child.json': 'Forælder ser sin 10-årige søns sager',
};
const DEFAULT_SAMPLE = 'adult-sygedagpenge.json';

const $ = (id) => document.getElementById(id);
const clone = (v) => JSON.parse(JSON.stringify(v));

const S = {
  wasm: null,
  builtinCentral: null,
  customCentral: null, // central rules from an imported policy file
  custodyOverride: false,
  sampleMunicipality: null,
  draft: null, // the municipality being edited
  engine: null, // built from the last valid settings
  effectiveCentral: null, // the central rules of `engine`, built-in sections filled in
  validDoc: null, // the policy document of `engine`
  settingsProblems: [],
  citizen: null, // { label, raw, records, recordsJson, search, fileAsOf }
  xml: null, // index data: { files, problems, module, asOf } (lib/xml-import.js)
  viewer: null,
  asOf: '',
  requestProblems: [],
  overview: null,
  compare: null, // { doc, draft, customCentral, engine, at }
  diff: null,
  filters: { visibility: 'all', reason: '', text: '' },
  shown: { decisions: PAGE, changes: PAGE },
  evaluations: 0,
  stops: [],
};

// ------------------------------------------------------------------------------------ start-up

function fatal(text, detail) {
  document.body.dataset.state = 'error';
  const el = $('fatal');
  el.hidden = false;
  replace(el,
    h('h2', null, 'Forhåndsvisningen kan ikke bruges lige nu'),
    h('p', null, text),
    detail ? h('p', { class: 'muted' }, `Teknisk detalje: ${detail}`) : null);
  $('summary').textContent = 'Beregningsmotoren er ikke indlæst.';
  for (const el2 of document.querySelectorAll('aside input, aside select, aside button, aside textarea')) el2.disabled = true;
}

async function start() {
  try {
    const wasm = await import('./generated/pkg/borgerblik.js');
    await wasm.default();
    S.wasm = wasm;
    // A call proves the module really works (a corrupt module may instantiate and still fail).
    if (typeof wasm.kleTitle('32') !== 'string') throw new Error('kleTitle("32") gav intet svar');
    // The engine's own built-in central rules: the etape dates of the slider, the mandatory areas
    // and the custody section the preview override starts from.
    S.builtinCentral = wasm.builtinCentral();
  } catch (e) {
    fatal('Beregningsmotoren (WebAssembly-modulet borgerblik_bg.wasm) kunne ikke indlæses. '
      + 'Byg pakken og start siden igen med scripts/preview.sh.', e?.message ?? String(e));
    return;
  }
  $('engine-version').textContent = S.wasm.version();

  wireInputs();

  // The sample municipality; an empty one if it cannot be fetched.
  try {
    S.sampleMunicipality = await fetchJson('generated/samples/municipality.json');
  } catch (e) {
    S.sampleMunicipality = { code: '', name: '', areas: [] };
    message($('settings-message'), `Eksemplets indstillinger kunne ikke hentes (${e.message}); der startes uden områder.`, 'error');
  }
  S.draft = clone(S.sampleMunicipality);
  editor.render();
  fillMunicipalityHeader();
  applySettings();

  // The sample citizens.
  let samples = [];
  try {
    samples = await fetchJson('generated/samples/citizens/index.json');
  } catch (e) {
    message($('citizen-message'), `Eksempelborgerne kunne ikke hentes (${e.message}). Indlæs en fil i stedet.`, 'error');
  }
  const select = $('sample-select');
  replace(select,
    h('option', { value: '' }, samples.length ? '– Vælg en eksempelborger –' : 'Ingen eksempler'),
    samples.map((f) => h('option', { value: f }, SAMPLE_LABELS[f] ?? f.replace(/\.json$/, ''))),
    h('option', { value: XML_SAMPLE.value }, XML_SAMPLE.label));
  select.disabled = samples.length === 0;
  // ?borger=minor-14.json preselects another sample (scripts/preview.sh samples/citizens/minor-14.json).
  const wanted = new URLSearchParams(window.location.search).get('borger');
  const first = samples.includes(wanted) ? wanted : DEFAULT_SAMPLE;
  if (samples.includes(first)) {
    select.value = first;
    await loadSample(first);
  }
  if (S.overview || !samples.length) document.body.dataset.state = 'ready';
  else fatal('Eksempelborgeren kunne ikke beregnes.');
}

async function fetchJson(url) {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

// ------------------------------------------------------------------------------------ policy

function effectiveCentral() {
  let central = S.customCentral ? clone(S.customCentral) : null;
  if (S.custodyOverride) {
    const base = central?.custody ?? S.builtinCentral.custody;
    central = { ...(central ?? {}), custody: { ...clone(base), enabled: true } };
  }
  return central;
}

function policyDoc(municipality) {
  const central = effectiveCentral();
  return central ? { central, municipality } : { municipality };
}

/** The effective central rules of the engine in use. */
function central() {
  return S.effectiveCentral ?? S.builtinCentral;
}

function etaper() {
  return central().etaper;
}

const editor = municipalityEditor({
  list: $('areas'),
  countEl: $('areas-count'),
  draft: () => S.draft,
  kleTitle: (n) => S.wasm.kleTitle(n),
  etaper: () => etaper(),
  onChange: ({ debounce: later }) => (later ? applySettingsSoon() : applySettingsNow()),
  onRemove: (index) => {
    const [removed] = S.draft.areas.splice(index, 1);
    editor.render();
    applySettingsNow();
    $('settings-message').hidden = false;
    message($('settings-message'), `Området ${removed?.kle ?? ''} er fjernet.`, 'ok');
    $('kle-input').focus();
  },
});

/** Validates the draft; a valid draft becomes the engine and everything is re-evaluated. */
function applySettings() {
  const doc = policyDoc(S.draft);
  const v = S.wasm.Engine.validatePolicy(doc);
  const rest = editor.showProblems(v.problems, v.warnings);
  S.settingsProblems = v.problems;
  showGeneralSettingsProblems(rest);
  if (v.valid) {
    try {
      const engine = new S.wasm.Engine(doc);
      const old = S.engine;
      S.engine = engine;
      S.effectiveCentral = { ...S.builtinCentral, ...(doc.central ?? {}) };
      S.validDoc = clone(doc);
      old?.free?.();
    } catch (e) {
      S.settingsProblems = e.problems ?? [{ path: '', message: e.message }];
      showGeneralSettingsProblems(S.settingsProblems.map((p) => `${pathLabel(p.path)}: ${problemMessage(p.message)}`));
    }
  }
  updateStatusLine();
  updateCustodyNote();
  refreshStops();
  if (S.settingsProblems.length) {
    // Invalid: the last valid settings stay in effect, so there is nothing new to evaluate.
    if (S.overview) renderWhatIf();
    return;
  }
  evaluate();
}
const applySettingsSoon = debounce(applySettings, 250);
function applySettingsNow() {
  applySettingsSoon.cancel();
  applySettings();
}

function showGeneralSettingsProblems(lines) {
  const el = $('settings-problems');
  if (!lines.length) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.hidden = false;
  replace(el, h('p', null, 'Indstillingerne har fejl:'), h('ul', null, lines.map((l) => h('li', null, l))));
}

function fillMunicipalityHeader() {
  $('m-code').value = S.draft.code ?? '';
  $('m-name').value = S.draft.name ?? '';
  const note = $('central-note');
  if (S.customCentral) {
    note.hidden = false;
    replace(note, 'Egne centrale regler fra den importerede fil bruges i stedet for de indbyggede. ',
      h('button', {
        type: 'button', class: 'button button--small button--secondary', onclick: () => {
          S.customCentral = null;
          fillMunicipalityHeader();
          applySettingsNow();
        },
      }, 'Brug de indbyggede centrale regler'));
  } else {
    note.hidden = true;
    note.replaceChildren();
  }
}

function updateStatusLine() {
  const lines = [];
  if (S.settingsProblems.length) {
    lines.push(`Kommunens indstillinger har ${S.settingsProblems.length === 1 ? 'en fejl' : `${S.settingsProblems.length} fejl`} – `
      + 'visningen bruger de senest gyldige indstillinger, indtil fejlen er rettet (se feltet markeret med rødt).');
  }
  if (S.requestProblems.length) {
    lines.push('Visningen er ikke opdateret: ret det markerede felt under "Hvem kigger?" eller "Beregningsdato".');
  }
  const el = $('settings-state');
  el.hidden = lines.length === 0;
  el.textContent = lines.join(' ');
  document.body.dataset.settingsValid = S.settingsProblems.length ? 'false' : 'true';
}

// ------------------------------------------------------------------------------------ the request

function normCpr(cpr) {
  return String(cpr ?? '').replace('-', '');
}

/** The birth date in a CPR number (SPEC §3 rule 6), or '' when it has none. */
function birthFromCpr(cpr) {
  const c = normCpr(cpr);
  if (!/^\d{10}$/.test(c)) return '';
  const dd = c.slice(0, 2);
  const mm = c.slice(2, 4);
  const yy = Number(c.slice(4, 6));
  const d7 = Number(c[6]);
  let century = 1900;
  if (d7 === 4 || d7 === 9) century = yy <= 36 ? 2000 : 1900;
  else if (d7 >= 5 && d7 <= 8) century = yy <= 57 ? 2000 : 1800;
  const iso = `${century + yy}-${mm}-${dd}`;
  return isIsoDate(iso) ? iso : '';
}

function maskCpr(cpr) {
  const c = normCpr(cpr);
  return /^\d{10}$/.test(c) ? `${c.slice(0, 6)}-xxxx` : String(cpr ?? '');
}

function viewerFromRequest(raw) {
  const viewer = raw.viewer ?? {};
  const subject = raw.subject;
  const parent = !!subject && normCpr(subject.cpr) !== normCpr(viewer.cpr);
  const citizen = parent ? subject : viewer;
  const relations = raw.custody?.relations ?? [];
  const idx = relations.findIndex((r) => normCpr(r?.childCpr) === normCpr(citizen.cpr));
  const rel = idx >= 0 ? relations[idx] : null;
  return {
    mode: parent ? 'parent' : 'self',
    citizenCpr: citizen.cpr ?? '',
    citizenBirth: citizen.birthDate ?? null,
    parentCpr: parent ? viewer.cpr ?? '' : '',
    parentBirth: parent ? viewer.birthDate ?? null : null,
    verifiedAt: raw.custody?.verifiedAt ?? '',
    type: rel?.type ?? '0003',
    validFrom: rel?.validFrom ?? '',
    validTo: rel?.validTo ?? '',
    otherRelations: relations.filter((_, i) => i !== idx),
  };
}

function envelope() {
  const v = S.viewer;
  const person = (cpr, birthDate) => (birthDate ? { cpr, birthDate } : { cpr });
  if (v.mode === 'self') return { asOf: S.asOf, viewer: person(v.citizenCpr, v.citizenBirth) };
  const rel = { childCpr: v.citizenCpr, type: v.type };
  if (v.validFrom) rel.validFrom = v.validFrom;
  rel.validTo = v.validTo || null;
  const custody = {};
  if (v.verifiedAt) custody.verifiedAt = v.verifiedAt;
  custody.relations = [rel, ...v.otherRelations];
  return {
    asOf: S.asOf,
    viewer: person(v.parentCpr, v.parentBirth),
    subject: person(v.citizenCpr, v.citizenBirth),
    custody,
  };
}

/** The request as JSON text: the envelope plus the records' JSON, which is built once per file. */
function requestText(env, recordsJson) {
  return `${JSON.stringify(env).slice(0, -1)},"records":${recordsJson}}`;
}

function fillViewerForm() {
  const v = S.viewer;
  $('viewer-self').checked = v.mode === 'self';
  $('viewer-parent').checked = v.mode === 'parent';
  $('parent-fields').hidden = v.mode !== 'parent';
  $('citizen-cpr').value = v.citizenCpr;
  $('parent-cpr').value = v.parentCpr;
  $('custody-verified').value = v.verifiedAt;
  $('custody-type').value = v.type;
  if ($('custody-type').value !== v.type) {
    $('custody-type').append(h('option', { value: v.type }, `${v.type} (fra filen)`));
    $('custody-type').value = v.type;
  }
  $('custody-from').value = v.validFrom;
  $('custody-to').value = v.validTo ?? '';
  $('asof').value = S.asOf;
}

function updateCustodyNote() {
  const enabled = !!central().custody?.enabled;
  const override = S.custodyOverride;
  $('custody-override').checked = override;
  $('custody-note').classList.toggle('note--warning', override);
  $('custody-note-text').textContent = enabled
    ? (override
      ? 'Forældreadgang er slået til med en central tilsidesættelse – kun til forhåndsvisning, det er ikke de gældende regler.'
      : 'Forældreadgang er slået til i de centrale regler, der bruges nu.')
    : 'Bemærk: Under de indbyggede centrale regler er forældreadgang (etape 4) slået fra. '
      + 'Derfor skjules alt for en forælder (CUSTODY_DISABLED), medmindre centrale regler slår den til.';
}

const REQUEST_FIELDS = {
  asOf: 'asof',
  'subject.cpr': 'citizen-cpr',
  'subject.birthDate': 'citizen-cpr',
  'custody.verifiedAt': 'custody-verified',
  'custody.relations[0].type': 'custody-type',
  'custody.relations[0].validFrom': 'custody-from',
  'custody.relations[0].validTo': 'custody-to',
  'custody.relations[0].childCpr': 'citizen-cpr',
};

function requestField(path) {
  if (path === 'viewer.cpr' || path === 'viewer.birthDate') {
    return S.viewer.mode === 'self' ? 'citizen-cpr' : 'parent-cpr';
  }
  return REQUEST_FIELDS[path] ?? null;
}

function showRequestProblems(problems) {
  const ids = ['asof', 'citizen-cpr', 'parent-cpr', 'custody-verified', 'custody-type', 'custody-from', 'custody-to'];
  const texts = new Map();
  const rest = [];
  for (const p of problems) {
    const id = requestField(p.path);
    const text = p.danish ?? problemMessage(p.message);
    if (id) texts.set(id, [...(texts.get(id) ?? []), text]);
    else rest.push(`${pathLabel(p.path)}: ${text}`);
  }
  for (const id of ids) {
    const lines = texts.get(id);
    const el = $(`${id}-error`);
    el.hidden = !lines;
    el.textContent = lines ? lines.join(' ') : '';
    if (lines) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
  S.requestProblems = problems;
  if (rest.length) {
    message($('citizen-message'), [h('p', null, 'Forespørgslen kan ikke beregnes:'), h('ul', null, rest.map((r) => h('li', null, r)))], 'error');
    S.requestMessage = true;
  } else if (S.requestMessage) {
    message($('citizen-message'), '');
    S.requestMessage = false;
  }
  updateStatusLine();
}

// ------------------------------------------------------------------------------------ evaluation

function evaluate() {
  if (!S.engine || !S.citizen || !S.viewer) return;
  // Index data: the records depend on the date, so a new date imports again.
  if (S.xml && S.xml.asOf !== S.asOf && isIsoDate(S.asOf)) refreshXml();
  if (S.viewer.mode === 'parent' && !S.viewer.parentCpr) {
    showRequestProblems([{ path: 'viewer.cpr', danish: 'Skriv forælderens CPR-nummer for at se barnets oversigt med forælderens øjne.' }]);
    return;
  }
  const text = requestText(envelope(), S.citizen.recordsJson);
  const t0 = performance.now();
  let overview;
  let reused = 0;
  const reuse = S.accepted;
  S.accepted = null;
  try {
    // A file just accepted was evaluated as it is; that answer stands when the form says the same.
    if (reuse && reuse.engine === S.engine && reuse.text === text) {
      overview = reuse.overview;
      reused = reuse.ms;
    } else {
      overview = JSON.parse(S.engine.evaluateJson(text));
    }
  } catch (e) {
    showRequestProblems(e.problems ?? [{ path: '', message: e.message }]);
    return;
  }
  let diff = null;
  if (S.compare) {
    try {
      diff = S.compare.engine.diff(S.engine, text);
    } catch (e) {
      diff = { error: e.message };
    }
  }
  const t1 = performance.now();
  if (S.requestProblems.length) showRequestProblems([]);
  S.overview = overview;
  S.diff = diff;
  S.shown.changes = PAGE;
  renderAll();
  const t2 = performance.now();
  S.evaluations += 1;
  const ds = document.body.dataset;
  ds.evaluations = String(S.evaluations);
  ds.evalMs = (t1 - t0 + reused).toFixed(1);
  ds.renderMs = (t2 - t1).toFixed(1);
  $('timing').textContent = `${count(overview.summary.records)} poster beregnet på ${Math.round(t1 - t0 + reused)} ms, vist på ${Math.round(t2 - t1)} ms`;
}
const evaluateSoon = debounce(evaluate, 150);

// ------------------------------------------------------------------------------------ rendering

function renderAll() {
  renderSummary();
  renderCitizenView();
  renderReasonFilter();
  renderDecisions();
  renderWhatIf();
}

function renderSummary() {
  const s = S.overview.summary;
  const el = $('summary');
  el.dataset.records = String(s.records);
  el.dataset.visible = String(s.visible);
  el.dataset.hidden = String(s.hidden);
  replace(el,
    h('span', { class: 'summary__date' }, `Den ${longDate(S.overview.asOf)}: `),
    h('strong', { id: 'summary-visible', class: 'summary__visible' }, count(s.visible)),
    ` ${s.visible === 1 ? 'post vises' : 'poster vises'} for borgeren, `,
    h('strong', { id: 'summary-hidden', class: 'summary__hidden' }, count(s.hidden)),
    ` ${s.hidden === 1 ? 'er' : 'er'} skjult (i alt `,
    h('strong', { id: 'summary-records' }, count(s.records)),
    ').');
}

function caption() {
  const v = S.viewer;
  if (v.mode === 'parent') {
    return `Sådan ser forælderen (${maskCpr(v.parentCpr)}) barnets (${maskCpr(v.citizenCpr)}) oversigt den ${longDate(S.overview.asOf)}.`;
  }
  return `Sådan ser borgeren (${maskCpr(v.citizenCpr)}) sit overblik den ${longDate(S.overview.asOf)}.`;
}

/** The citizen's view: <borgerblik-overview> (www/element/), as every embedder shows it. */
function renderCitizenView() {
  $('mo-caption').textContent = caption();
  $('citizen-view').overview = S.overview;
}

function renderReasonFilter() {
  const select = $('filter-reason');
  const current = S.filters.reason;
  const by = S.overview.summary.byReason;
  const codes = REASON_ORDER.filter((c) => by[c] || c === current);
  replace(select,
    h('option', { value: '' }, 'Alle begrundelser'),
    codes.map((c) => h('option', { value: c }, `${REASON_LABELS[c] ?? c} (${c}) – ${count(by[c] ?? 0)}`)));
  select.value = current;
}

/** The municipality entry whose settings apply to a KLE emne: the most specific matching one. */
function settingEntry(kle) {
  let best = null;
  for (const a of S.validDoc?.municipality?.areas ?? []) {
    if (typeof kle === 'string' && kleContains(a.kle, kle) && (!best || a.kle.length > best.kle.length)) best = a;
  }
  return best;
}

/** The municipality entry that decides open/closed for a KLE emne: the most specific stating `open`. */
function openEntry(kle) {
  let best = null;
  for (const a of S.validDoc?.municipality?.areas ?? []) {
    if (a.open == null) continue;
    if (typeof kle === 'string' && kleContains(a.kle, kle) && (!best || a.kle.length > best.kle.length)) best = a;
  }
  return best;
}

function areaName(selector) {
  const t = S.wasm.kleTitle(selector);
  return t ? `${selector} ${t}` : selector;
}

/** The setting that decided a reason, in Danish, and the municipality area to jump to (if any). */
function decidedBy(reason, decision, record) {
  const kle = typeof record?.kle === 'string' ? record.kle : null;
  const entry = kle ? settingEntry(kle) : null;
  const inArea = entry ? ` (kommunens område ${areaName(entry.kle)})` : '';
  const central = 'De centrale regler';
  switch (reason.code) {
    case 'MANDATORY_AREA': {
      const e = etaper().find((x) => x.id === reason.detail);
      const when = e ? `, obligatorisk fra ${shortDate(e.mandatoryFrom)}` : '';
      return [`${reason.detail}${e ? ` "${e.name}"` : ''}${when}; etapens område ${decision.area ?? ''}`, null];
    }
    case 'OPENED_AREA':
      return [`Kommunen har åbnet ${areaName(reason.detail)}`, reason.detail];
    case 'AREA_NOT_OPEN': {
      const closed = kle ? openEntry(kle) : null;
      if (closed && closed.open === false) return [`Lukket af kommunens område ${areaName(closed.kle)}`, closed.kle];
      return [`Ingen etape og intet åbent kommunalt område dækker KLE ${kle ?? '?'}`, null];
    }
    case 'FACET_FILTERED': {
      const f = entry?.facets;
      const list = f?.allow ? `tillader kun ${f.allow.join(', ')}` : f?.deny ? `skjuler ${f.deny.join(', ')}` : '';
      return [`Sagens facet: ${reason.detail ?? 'ingen'}; facetfilteret ${list}${inArea}`, entry?.kle];
    }
    case 'SOURCE_SYSTEM_FILTERED':
      return [`Fagsystem: ${reason.detail ?? 'intet'}; tilladt: ${(entry?.sourceSystems ?? []).join(', ')}${inArea}`, entry?.kle];
    case 'TARGET_GROUP_FILTERED':
      return [`Målgruppe: ${record?.targetGroup ?? 'ingen'}; tilladt: ${(entry?.targetGroups ?? []).join(', ')}${inArea}`, entry?.kle];
    case 'BEFORE_FROM_DATE':
      return [`Fradato ${shortDate(reason.detail)}${inArea}`, entry?.kle];
    case 'ACTIVE_BEFORE_FROM_DATE':
      return [`"Vis aktive sager fra før fradatoen"${inArea}`, entry?.kle];
    case 'UNDER_MINIMUM_AGE':
      return [`Minimumsalder ${reason.detail} år${entry?.minimumAge ? inArea : ' (centrale regler)'}`, entry?.minimumAge ? entry.kle : null];
    case 'RELEASED_TO_MINOR':
      return ['Sagsbehandleren har frigivet posten til den unge (releasedToMinor)', null];
    case 'BEFORE_ACCESS_AGE':
      return [`Adgangsdato ${shortDate(reason.detail)}: poster oprettet før den skjules, indtil den unge fylder 18`, null];
    case 'CUSTODY_DISABLED':
      return [`${central}: forældreadgang er slået fra`, null];
    case 'CUSTODY_STALE':
      return [`Slået op i CPR: ${reason.detail ? shortDate(reason.detail) : 'aldrig'}`, null];
    case 'CUSTODY_EXCLUDED_AREA':
    case 'CHILD_OF_AGE':
    case 'CUSTODY_NOT_HELD':
      return [`${central} for forældreadgang`, null];
    case 'SENSITIVITY_HIDDEN':
      return [`Følsomhed: ${record?.sensitivity ?? ''} (centrale regler)`, null];
    case 'NON_ECONOMIC_BENEFIT':
      return [`"Vis ikke-økonomiske ydelser" er ikke slået til${inArea || ' (intet kommunalt område)'}`, entry?.kle];
    case 'DOCUMENTS_NOT_SHOWN':
      if (record?.hoi) return ['Helhedsorienteret indsats: kun planens eksistens vises', null];
      if (entry?.showDocuments) return ['Et eller flere dokumenter er undtaget for visning til borger', null];
      return [`"Vis dokumenttitler" er ikke slået til${inArea || ' (intet kommunalt område)'}`, entry?.kle];
    case 'INVALID_RECORD':
      return [`Felt: ${reason.detail ?? '?'}`, null];
    default:
      return [reason.detail ? `Detalje: ${reason.detail}` : null, null];
  }
}

/** One decision, as the element's `show-reasons` shows it, plus the setting that decided each reason. */
function decisionRow(index) {
  return decisionCard(S.overview.decisions[index], {
    record: S.citizen.records[index],
    kleTitle: (n) => S.wasm.kleTitle(n),
    extra: (r, d, record) => {
      const [setting, jump] = decidedBy(r, d, record);
      return [
        setting ? h('span', { class: 'reason__setting' }, 'Afgjort af: ', setting) : null,
        jump && S.draft.areas.some((a) => a.kle === jump)
          ? h('button', { type: 'button', class: 'link-button', onclick: () => editor.focusArea(jump) }, `Gå til indstillingen ${jump}`)
          : null,
      ];
    },
  });
}

function filteredIndexes() {
  const { visibility, reason, text } = S.filters;
  const q = text.trim().toLowerCase();
  const out = [];
  const decisions = S.overview.decisions;
  for (let i = 0; i < decisions.length; i += 1) {
    const d = decisions[i];
    if (visibility === 'visible' && !d.visible) continue;
    if (visibility === 'hidden' && d.visible) continue;
    if (reason && !d.reasons.some((r) => r.code === reason)) continue;
    if (q && !S.citizen.search[i].includes(q) && !d.id.toLowerCase().includes(q)) continue;
    out.push(i);
  }
  return out;
}

function renderDecisions() {
  const idx = filteredIndexes();
  const shown = Math.min(S.shown.decisions, idx.length);
  replace($('decisions'), idx.slice(0, shown).map(decisionRow));
  const total = S.overview.decisions.length;
  $('decisions-count').textContent = idx.length === total
    ? `Viser ${count(shown)} af ${count(total)} poster.`
    : `${count(idx.length)} af ${count(total)} poster passer på filteret; viser ${count(shown)}.`;
  const more = $('decisions-more');
  more.hidden = idx.length <= shown;
  more.textContent = `Vis flere poster (${count(idx.length - shown)} tilbage)`;
}

function appendDecisions() {
  const idx = filteredIndexes();
  const from = S.shown.decisions;
  S.shown.decisions += PAGE;
  const list = $('decisions');
  const added = idx.slice(from, S.shown.decisions).map(decisionRow);
  for (const li of added) list.appendChild(li);
  const shown = Math.min(S.shown.decisions, idx.length);
  $('decisions-count').textContent = `${count(idx.length)} af ${count(S.overview.decisions.length)} poster passer på filteret; viser ${count(shown)}.`;
  const more = $('decisions-more');
  more.hidden = idx.length <= shown;
  more.textContent = `Vis flere poster (${count(idx.length - shown)} tilbage)`;
  if (more.hidden && added[0]) {
    added[0].tabIndex = -1;
    added[0].focus();
  }
}

// ------------------------------------------------------------------------------------ what-if

function renderWhatIf() {
  const out = $('whatif-result');
  const on = !!S.compare;
  $('whatif-restore').hidden = !on;
  $('whatif-clear').hidden = !on;
  $('whatif-snapshot').textContent = on ? 'Gem nuværende indstillinger som nyt A' : 'Gem nuværende indstillinger som A';
  if (!on) {
    replace(out);
    return;
  }
  const head = h('p', { class: 'whatif-a' },
    `A er gemt kl. ${S.compare.at} (${S.compare.draft.areas.length} områder). B er de nuværende indstillinger`,
    S.settingsProblems.length ? ' – de har fejl, så de senest gyldige bruges.' : '.');
  if (!S.diff || S.diff.error) {
    replace(out, head, h('p', { class: 'message message--error' }, `Sammenligningen kunne ikke beregnes: ${S.diff?.error ?? ''}`));
    return;
  }
  const { changes, summary } = S.diff;
  out.dataset.changed = String(summary.changed);
  if (!changes.length) {
    replace(out, head, h('p', { class: 'whatif-summary', id: 'whatif-summary' }, 'Ingen poster ændrer sig mellem A og B.'));
    return;
  }
  const codes = REASON_ORDER.filter((c) => summary.byReason[c]);
  const table = h('table', { class: 'whatif-counts' },
    h('caption', null, 'Antal poster pr. begrundelse'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Begrundelse'), h('th', { scope: 'col', class: 'num' }, 'A'), h('th', { scope: 'col', class: 'num' }, 'B'))),
    h('tbody', null, codes.map((c) => h('tr', { dataset: { code: c } },
      h('th', { scope: 'row' }, `${REASON_LABELS[c] ?? c} `, h('span', { class: 'reason__code' }, c)),
      h('td', { class: 'num' }, count(summary.byReason[c].before)),
      h('td', { class: 'num' }, count(summary.byReason[c].after))))));
  const shown = S.shown.changes;
  const list = h('ol', { class: 'changes' }, changes.slice(0, shown).map((c) => {
    const record = S.citizen.records[c.index];
    const codesOf = (d) => d.reasons.map((r) => r.code).join(', ');
    return h('li', { class: 'change', dataset: { id: c.id } },
      h('div', { class: 'decision__head' },
        h('strong', { class: 'decision__id' }, c.id), ' ',
        h('span', { class: 'decision__title' }, recordTitle(record))),
      h('p', { class: 'change__flip' }, 'A: ', badge(c.before.visible), ' → B: ', badge(c.after.visible)),
      h('p', { class: 'change__reasons' }, `A: ${codesOf(c.before)}`, h('br'), `B: ${codesOf(c.after)}`));
  }));
  const more = changes.length > shown
    ? h('button', {
      type: 'button', class: 'button button--secondary more', onclick: () => {
        S.shown.changes += PAGE;
        renderWhatIf();
        $('whatif-result').querySelector('.more')?.focus();
      },
    }, `Vis flere ændringer (${count(changes.length - shown)} tilbage)`)
    : null;
  replace(out, head,
    h('p', { class: 'whatif-summary', id: 'whatif-summary' },
      `${count(summary.changed)} ${summary.changed === 1 ? 'post ændrer sig' : 'poster ændrer sig'}: `,
      h('strong', null, count(summary.becameVisible)), ' bliver vist, ',
      h('strong', null, count(summary.becameHidden)), ' bliver skjult',
      summary.changed - summary.becameVisible - summary.becameHidden > 0
        ? `, ${count(summary.changed - summary.becameVisible - summary.becameHidden)} får andre begrundelser`
        : '',
      '.'),
    table, list, more);
}

function snapshotA() {
  if (!S.validDoc) return;
  const doc = clone(S.validDoc);
  let engine;
  try {
    engine = new S.wasm.Engine(doc);
  } catch (e) {
    return;
  }
  S.compare?.engine?.free?.();
  const now = new Date();
  S.compare = {
    doc,
    draft: clone(doc.municipality),
    customCentral: S.customCentral ? clone(S.customCentral) : null,
    custodyOverride: S.custodyOverride,
    engine,
    at: `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}:${String(now.getSeconds()).padStart(2, '0')}`,
  };
  evaluate();
}

// ------------------------------------------------------------------------------------ files

/** Reads a user's file as text, refusing it before reading when it is over the limit. */
async function readFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(`Filen "${file.name}" fylder ${megabytes(file.size)}. Siden kan højst læse filer på 10 MiB (samme grænse som beregningsmotoren), så filen er ikke indlæst.`);
  }
  return file.text();
}

function parseJson(text, name) {
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = /position (\d+)/.exec(e.message);
    let at = '';
    if (where) {
      const pos = Number(where[1]);
      const line = text.slice(0, pos).split('\n').length;
      at = ` (fejl i linje ${line})`;
    }
    throw new Error(`Filen "${name}" er ikke gyldig JSON${at}. Gem den som JSON og prøv igen.`);
  }
}

function problemList(lead, problems) {
  const lines = problems.slice(0, 20).map((p) => `${pathLabel(p.path)}: ${problemMessage(p.message)}`);
  if (problems.length > 20) lines.push(`… og ${problems.length - 20} fejl mere.`);
  return [h('p', null, lead), h('ul', null, lines.map((l) => h('li', null, l)))];
}

/** Checks and evaluates a citizen file; only a file the engine accepts replaces the current one. */
function acceptCitizen(text, label, xml = null) {
  const raw = parseJson(text, label);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`Filen "${label}" indeholder ikke et JSON-objekt med borgerens sager (fandt ${Array.isArray(raw) ? 'en liste' : 'en enkelt værdi'}).`);
  }
  if (!('records' in raw) && ('areas' in raw || 'municipality' in raw || 'central' in raw)) {
    throw new Error(`Filen "${label}" ligner kommunens indstillinger, ikke en borgers sager. `
      + 'Indlæs den under "4. Kommunens indstillinger" med "Importér indstillinger".');
  }
  if (!Array.isArray(raw.records)) {
    throw new Error(`Filen "${label}" er ikke en borgers sager: feltet "records" (listen over sager og ydelser) ${'records' in raw ? 'er ikke en liste' : 'mangler'}.`);
  }
  const recordsJson = JSON.stringify(raw.records);
  const env = { ...raw };
  delete env.records;
  const trial = requestText(env, recordsJson);
  let overview;
  const started = performance.now();
  try {
    overview = JSON.parse(S.engine.evaluateJson(trial));
  } catch (e) {
    const err = new Error('invalid');
    err.content = problemList(`Filen "${label}" kan ikke beregnes, så den er ikke indlæst:`, e.problems ?? [{ path: '', message: e.message }]);
    throw err;
  }
  // Accepted: commit.
  const records = raw.records;
  S.citizen = {
    label,
    raw: env,
    records,
    recordsJson,
    fileAsOf: raw.asOf,
    search: searchTexts(records),
  };
  S.xml = xml;
  showXmlProblems($('citizen-loaded'), xml?.files ?? null, xml?.problems ?? []);
  S.viewer = viewerFromRequest(raw);
  S.asOf = raw.asOf;
  S.accepted = { engine: S.engine, text: trial, overview, ms: performance.now() - started };
  S.filters = { visibility: 'all', reason: '', text: '' };
  $('filter-visibility').value = 'all';
  $('filter-text').value = '';
  S.shown.decisions = PAGE;
  fillViewerForm();
  showRequestProblems([]);
  refreshStops();
  message($('citizen-message'), '');
  $('citizen-loaded').textContent = `Indlæst: ${label} – ${count(overview.summary.records)} sager og ydelser, beregningsdato ${longDate(raw.asOf)}.`;
  evaluate();
}

function searchTexts(records) {
  return records.map((r) => (r && typeof r === 'object'
    ? `${r.id ?? ''} ${recordTitle(r)} ${r.kle ?? ''}`.toLowerCase() : ''));
}

/** Imports XML files (lib/xml-import.js) at the current date and shows them as the citizen. */
async function loadXml(getFiles, label) {
  try {
    const files = await getFiles();
    const asOf = isIsoDate(S.asOf) ? S.asOf : new Date().toISOString().slice(0, 10);
    const { request, problems, module } = await importXml(files, asOf);
    acceptCitizen(JSON.stringify(request), label, { files, problems, module, asOf });
    return true;
  } catch (e) {
    message($('citizen-message'), e.content ?? [h('strong', null, 'Filerne er ikke indlæst. '), e.message, ' Den hidtidige borger vises stadig.'], 'error');
    return false;
  }
}

/** The same XML files imported again for the current date (synchronous: the module is loaded). */
function refreshXml() {
  const x = S.xml;
  x.asOf = S.asOf;
  try {
    const { request, problems } = reimport(x.module, x.files, S.asOf, null);
    x.problems = problems;
    S.citizen.records = request.records;
    S.citizen.recordsJson = JSON.stringify(request.records);
    S.citizen.search = searchTexts(request.records);
  } catch (e) {
    message($('citizen-message'), e.content ?? e.message, 'error');
  }
  showXmlProblems($('citizen-loaded'), x.files, x.problems);
}

/** Files picked or dropped together: XML files are imported as index data, else the first is a JSON request. */
async function loadCitizenFiles(list) {
  const files = [...(list ?? [])];
  if (files.length && files.some(isXml)) {
    if (await loadXml(() => readXmlFiles(files), files.map((f) => f.name).join(' + '))) $('sample-select').value = '';
  } else {
    await loadCitizenFile(files[0]);
  }
}

async function loadSample(file) {
  if (file === XML_SAMPLE.value) {
    await loadXml(fetchXmlSample, XML_SAMPLE.label);
    return;
  }
  try {
    const res = await fetch(`generated/samples/citizens/${encodeURIComponent(file)}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`Eksemplet "${file}" kunne ikke hentes (HTTP ${res.status}).`);
    acceptCitizen(await res.text(), SAMPLE_LABELS[file] ?? file);
  } catch (e) {
    message($('citizen-message'), e.content ?? e.message, 'error');
  }
}

async function loadCitizenFile(file) {
  if (!file) return;
  try {
    const text = await readFile(file);
    acceptCitizen(text, file.name);
    $('sample-select').value = '';
  } catch (e) {
    message($('citizen-message'), e.content ?? [h('strong', null, 'Filen er ikke indlæst. '), e.message, ' Den hidtidige borger vises stadig.'], 'error');
  }
}

async function importSettings(file) {
  if (!file) return;
  const out = $('settings-message');
  try {
    const raw = parseJson(await readFile(file), file.name);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new Error(`Filen "${file.name}" indeholder ikke et JSON-objekt med kommunens indstillinger.`);
    }
    if ('records' in raw) {
      throw new Error(`Filen "${file.name}" ligner en borgers sager, ikke kommunens indstillinger. Indlæs den under "1. Borgerens sager".`);
    }
    let central = null;
    let municipality;
    if ('municipality' in raw) {
      central = raw.central ?? null;
      municipality = raw.municipality;
    } else if ('areas' in raw) {
      municipality = raw;
    } else {
      throw new Error(`Filen "${file.name}" er ikke kommunens indstillinger: der er hverken "areas" eller "municipality".`);
    }
    const doc = central ? { central, municipality } : { municipality };
    const v = S.wasm.Engine.validatePolicy(doc);
    if (!v.valid) {
      const err = new Error('invalid');
      err.content = problemList(`Indstillingerne i "${file.name}" er ugyldige og er ikke indlæst (de hidtidige gælder stadig):`, v.problems);
      throw err;
    }
    S.customCentral = central;
    S.draft = clone(municipality);
    editor.render();
    fillMunicipalityHeader();
    applySettingsNow();
    message(out, `Indstillingerne fra "${file.name}" er indlæst (${S.draft.areas.length} områder)${central ? ' med egne centrale regler' : ''}.`, 'ok');
  } catch (e) {
    message(out, e.content ?? [h('strong', null, 'Indstillingerne er ikke indlæst. '), e.message], 'error');
  }
}

function exportSettings() {
  const text = `${JSON.stringify(S.draft, null, 2)}\n`;
  const blob = new Blob([text], { type: 'application/json' });
  const a = h('a', { href: URL.createObjectURL(blob), download: `kommune-${S.draft.code || 'indstillinger'}.json` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  message($('settings-message'), S.settingsProblems.length
    ? 'Indstillingerne er gemt som fil – bemærk, at de har fejl, som skal rettes, før de kan bruges.'
    : 'Indstillingerne er gemt som fil.', S.settingsProblems.length ? 'warning' : 'ok');
}

/**
 * "Gem som testscenarie": evaluates what the form says now (pending edits first) and downloads it as a
 * scenario for `borgerblik test`, with the engine's answer as its expectation (www/lib/scenario-export.js).
 */
function saveScenario() {
  applySettingsSoon.now();
  evaluateSoon.now();
  const out = $('scenario-message');
  if (!S.engine || !S.citizen || !S.viewer) return;
  const text = requestText(envelope(), S.citizen.recordsJson);
  let overview;
  try {
    overview = JSON.parse(S.engine.evaluateJson(text));
  } catch (e) {
    message(out, 'Scenariet kan ikke gemmes, før forespørgslen kan beregnes (se fejlene ovenfor).', 'error');
    return;
  }
  const who = S.viewer.mode === 'parent' ? 'set af en forælder' : 'set af borgeren selv';
  const note = `Gemt fra forhåndsvisningen: ${S.citizen.label}, ${who}, pr. ${S.asOf}. `
    + 'Forventningen er motorens svar, da scenariet blev gemt.';
  download(scenarioText({ note, policy: S.validDoc, requestText: text, overview }), scenarioFileName(S.citizen.label, S.asOf));
  message(out, S.settingsProblems.length
    ? 'Scenariet er gemt med de sidst gyldige indstillinger – de nuværende har fejl.'
    : 'Scenariet er gemt. Kør det med: borgerblik test <fil>', S.settingsProblems.length ? 'warning' : 'ok');
}

// ------------------------------------------------------------------------------------ the date

function refreshStops() {
  const stops = new Map();
  const list = [...etaper()].sort((a, b) => a.mandatoryFrom.localeCompare(b.mandatoryFrom));
  if (list.length) stops.set(dayBefore(list[0].mandatoryFrom), `Før ${list[0].id}`);
  for (const e of list) stops.set(e.mandatoryFrom, `${e.id} bliver obligatorisk`);
  if (S.citizen?.fileAsOf && isIsoDate(S.citizen.fileAsOf)) {
    const prev = stops.get(S.citizen.fileAsOf);
    stops.set(S.citizen.fileAsOf, prev ? `${prev} · filens dato` : 'Filens dato');
  }
  S.stops = [...stops.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([date, label]) => ({ date, label }));
  const slider = $('asof-slider');
  slider.max = String(Math.max(0, S.stops.length - 1));
  replace($('asof-stops'), S.stops.map((s, i) => h('option', { value: String(i), label: shortDate(s.date) })));
  replace($('asof-stop-labels'), S.stops.map((s, i) => h('li', { dataset: { index: String(i) } },
    h('button', {
      type: 'button', class: 'link-button', onclick: () => { setStop(i); evaluate(); },
    }, h('span', { class: 'stop-date' }, shortDate(s.date)), ' ', h('span', { class: 'stop-label' }, s.label)))));
  syncSlider();
}

function syncSlider() {
  const slider = $('asof-slider');
  let i = S.stops.findIndex((s) => s.date === S.asOf);
  if (i < 0) {
    // Between stops: the last stop before the date.
    i = Math.max(0, S.stops.findLastIndex((s) => s.date < S.asOf));
  }
  slider.value = String(i);
  const exact = S.stops[i]?.date === S.asOf;
  slider.setAttribute('aria-valuetext', exact
    ? `${longDate(S.stops[i].date)}: ${S.stops[i].label}`
    : `${longDate(S.asOf)} (egen dato)`);
  for (const li of $('asof-stop-labels').children) {
    li.classList.toggle('current', exact && li.dataset.index === String(i));
  }
}

function setStop(i) {
  const stop = S.stops[i];
  if (!stop) return;
  S.asOf = stop.date;
  $('asof').value = stop.date;
  syncSlider();
}

// ------------------------------------------------------------------------------------ wiring

function wireInputs() {
  // Citizen
  $('sample-select').addEventListener('change', (e) => {
    if (e.target.value) loadSample(e.target.value);
  });
  $('citizen-file').addEventListener('change', async (e) => {
    await loadCitizenFiles(e.target.files);
    e.target.value = '';
  });
  const zone = $('dropzone');
  // A file dropped anywhere else must not replace the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  zone.addEventListener('dragenter', (e) => { e.preventDefault(); zone.classList.add('dropzone--over'); });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('dropzone--over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('dropzone--over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    zone.classList.remove('dropzone--over');
    const files = e.dataTransfer?.files;
    if (!files || files.length === 0) {
      message($('citizen-message'), 'Det, der blev sluppet, var ikke en fil. Træk en JSON-fil hertil.', 'error');
      return;
    }
    loadCitizenFiles(files);
  });

  // Viewer
  for (const id of ['viewer-self', 'viewer-parent']) {
    $(id).addEventListener('change', () => {
      const parent = $('viewer-parent').checked;
      S.viewer.mode = parent ? 'parent' : 'self';
      $('parent-fields').hidden = !parent;
      if (parent) {
        if (!S.viewer.validFrom) S.viewer.validFrom = birthFromCpr(S.viewer.citizenCpr);
        if (!S.viewer.verifiedAt) S.viewer.verifiedAt = S.asOf;
        fillViewerForm();
      }
      evaluate();
    });
  }
  const text = (id, key) => $(id).addEventListener('input', () => {
    S.viewer[key] = $(id).value.trim();
    evaluateSoon();
  });
  text('citizen-cpr', 'citizenCpr');
  text('parent-cpr', 'parentCpr');
  text('custody-verified', 'verifiedAt');
  text('custody-from', 'validFrom');
  text('custody-to', 'validTo');
  $('custody-type').addEventListener('change', () => { S.viewer.type = $('custody-type').value; evaluate(); });
  $('custody-override').addEventListener('change', () => {
    S.custodyOverride = $('custody-override').checked;
    applySettingsNow();
  });

  // Date
  $('asof').addEventListener('input', () => {
    S.asOf = $('asof').value;
    syncSlider();
    evaluateSoon();
  });
  $('asof-slider').addEventListener('input', () => {
    setStop(Number($('asof-slider').value));
    evaluateSoon();
  });

  // Municipality header fields
  for (const [id, key] of [['m-code', 'code'], ['m-name', 'name']]) {
    $(id).addEventListener('input', () => {
      const v = $(id).value;
      if (v === '') delete S.draft[key];
      else S.draft[key] = v;
      applySettingsSoon();
    });
  }

  // Add area
  const combo = kleCombobox({
    input: $('kle-input'),
    listbox: $('kle-listbox'),
    hint: $('kle-input-hint'),
    search: (q, n) => S.wasm.kleSearch(q, n),
    title: (n) => S.wasm.kleTitle(n),
    onSubmit: addArea,
  });
  function addArea() {
    const input = $('kle-input');
    const err = $('kle-input-error');
    const kle = input.value.trim();
    if (!/^\d{2}(\.\d{2}){0,2}$/.test(kle)) {
      err.hidden = false;
      err.textContent = kle
        ? `"${kle}" er ikke et KLE-nummer. Skriv NN, NN.NN eller NN.NN.NN, eller søg og vælg et forslag.`
        : 'Skriv et KLE-nummer eller søg efter et emne.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    if (S.draft.areas.some((a) => a.kle === kle)) {
      err.hidden = false;
      err.textContent = `Området ${kle} findes allerede; dets indstillinger er åbnet herover.`;
      editor.focusArea(kle);
      return;
    }
    err.hidden = true;
    input.removeAttribute('aria-invalid');
    S.draft.areas.push({ kle, open: true });
    editor.render();
    combo.reset();
    applySettingsNow();
    editor.focusArea(kle);
    message($('settings-message'), `Området ${areaName(kle)} er tilføjet og åbnet.`, 'ok');
  }
  $('add-area').addEventListener('click', addArea);

  $('export-settings').addEventListener('click', exportSettings);
  $('save-scenario').addEventListener('click', saveScenario);
  $('import-settings').addEventListener('change', async (e) => {
    await importSettings(e.target.files?.[0]);
    e.target.value = '';
  });
  $('reset-settings').addEventListener('click', () => {
    S.customCentral = null;
    S.draft = clone(S.sampleMunicipality);
    editor.render();
    fillMunicipalityHeader();
    applySettingsNow();
    message($('settings-message'), 'Indstillingerne er sat tilbage til eksemplets.', 'ok');
  });

  // What-if
  $('whatif-snapshot').addEventListener('click', snapshotA);
  $('whatif-restore').addEventListener('click', () => {
    if (!S.compare) return;
    S.draft = clone(S.compare.draft);
    S.customCentral = S.compare.customCentral ? clone(S.compare.customCentral) : null;
    S.custodyOverride = S.compare.custodyOverride;
    editor.render();
    fillMunicipalityHeader();
    applySettingsNow();
  });
  $('whatif-clear').addEventListener('click', () => {
    S.compare?.engine?.free?.();
    S.compare = null;
    S.diff = null;
    renderWhatIf();
    $('whatif-snapshot').focus();
  });

  // Filters
  $('filter-visibility').addEventListener('change', (e) => {
    S.filters.visibility = e.target.value;
    S.shown.decisions = PAGE;
    renderDecisions();
  });
  $('filter-reason').addEventListener('change', (e) => {
    S.filters.reason = e.target.value;
    S.shown.decisions = PAGE;
    renderDecisions();
  });
  const filterText = debounce(() => {
    S.filters.text = $('filter-text').value;
    S.shown.decisions = PAGE;
    renderDecisions();
  }, 200);
  $('filter-text').addEventListener('input', filterText);
  $('decisions-more').addEventListener('click', appendDecisions);
}

start().catch((e) => fatal('Der opstod en uventet fejl under opstarten.', e?.message ?? String(e)));
