// <borgerblik-overview>: what the citizen sees in Mit Overblik, as on borger.dk: tabs "Sager" and
// "Ydelser", statuses, Danish dates, document titles and payments in kroner; with `show-reasons`
// also every record's decision with its Danish reason. Framework-free; no network; record data goes
// into the DOM as text only.
//
// Given either `overview` (what `engine.evaluate(request)` returned), or `engine` and `request`
// (evaluated here; `as-of` replaces the request's `asOf`). Attributes and their properties:
//   show-reasons ↔ showReasons   tab ↔ tab ("cases" | "benefits")   as-of ↔ asOf
//   page-size ↔ pageSize (cards per "Vis flere", default 200)   heading-level ↔ headingLevel (3)
//   label ↔ label (the tab list's accessible name, default "Mit Overblik")
// Events: "borgerblik-tab" (detail { tab }) when the user changes tab; "borgerblik-error"
// (detail { error }) when the engine refuses the request: then nothing is shown (fail closed).

import { h, caseCard, benefitCard, decisionCard } from './cards.js';
import { count } from './format.js';
import { adoptStyles } from './styles.js';

/** In Node (server rendering, tests of the labels) there is no HTMLElement: the class still loads. */
const Base = globalThis.HTMLElement ?? class {};

const TABS = ['cases', 'benefits'];
const DEFAULT_PAGE = 200;

export class BorgerblikOverview extends Base {
  static observedAttributes = ['show-reasons', 'tab', 'as-of', 'page-size', 'heading-level', 'label'];

  #overview = null;
  #engine = null;
  #request = null;
  #records = null;
  #kleTitle = null;
  #error = null;
  #evaluated = null; // the overview evaluated from engine + request
  #shown = { cases: DEFAULT_PAGE, benefits: DEFAULT_PAGE };
  #pending = false;
  #root = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    adoptStyles(this.#root);
  }

  connectedCallback() {
    this.render();
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === 'as-of') this.#evaluateSoon();
    else if (name === 'tab') this.#selectTab(TABS.includes(value) ? value : 'cases', false);
    else this.#renderSoon();
  }

  // ------------------------------------------------------------------ properties

  /** The overview to show (`engine.evaluate(request)`); setting it renders at once. */
  get overview() { return this.#overview ?? this.#evaluated; }
  set overview(value) {
    this.#overview = value ?? null;
    this.#error = null;
    this.#shown = { cases: this.pageSize, benefits: this.pageSize };
    if (this.isConnected) this.render();
  }

  /** An `Engine` (anything with `evaluate(request)`), used with `request` when no `overview` is set. */
  get engine() { return this.#engine; }
  set engine(value) { this.#engine = value ?? null; this.#evaluateSoon(); }

  /** The request to evaluate with `engine`; its records also give the decisions their titles. */
  get request() { return this.#request; }
  set request(value) { this.#request = value ?? null; this.#evaluateSoon(); }

  /** The request's records, for the titles of decisions when only `overview` is given. */
  get records() { return this.#records ?? (Array.isArray(this.#request?.records) ? this.#request.records : null); }
  set records(value) { this.#records = Array.isArray(value) ? value : null; this.#renderSoon(); }

  /** Names KLE numbers in the decisions (pass the engine module's `kleTitle`). */
  get kleTitle() { return this.#kleTitle; }
  set kleTitle(fn) { this.#kleTitle = typeof fn === 'function' ? fn : null; this.#renderSoon(); }

  /** The error of the last evaluation (a BorgerblikError), or null. */
  get error() { return this.#error; }

  get showReasons() { return this.hasAttribute('show-reasons'); }
  set showReasons(on) { this.toggleAttribute('show-reasons', !!on); }

  get tab() { return this.getAttribute('tab') === 'benefits' ? 'benefits' : 'cases'; }
  set tab(value) { this.setAttribute('tab', value === 'benefits' ? 'benefits' : 'cases'); }

  get asOf() { return this.getAttribute('as-of'); }
  set asOf(value) {
    if (value == null || value === '') this.removeAttribute('as-of');
    else this.setAttribute('as-of', String(value));
  }

  get pageSize() {
    const n = Number(this.getAttribute('page-size'));
    return Number.isInteger(n) && n > 0 ? n : DEFAULT_PAGE;
  }
  set pageSize(n) { this.setAttribute('page-size', String(n)); }

  get headingLevel() {
    const n = Number(this.getAttribute('heading-level'));
    return Number.isInteger(n) && n >= 1 && n <= 6 ? n : 3;
  }
  set headingLevel(n) { this.setAttribute('heading-level', String(n)); }

  get label() { return this.getAttribute('label') ?? 'Mit Overblik'; }
  set label(value) {
    if (value == null) this.removeAttribute('label');
    else this.setAttribute('label', String(value));
  }

  // ------------------------------------------------------------------ evaluation and rendering

  #renderSoon() {
    if (!this.#pending) {
      this.#pending = true;
      queueMicrotask(() => {
        this.#pending = false;
        if (this.isConnected) this.render();
      });
    }
  }

  /** Engine, request and date are often set together: evaluated once, after the last of them. */
  #evaluateSoon() {
    this.#evaluated = null;
    this.#renderSoon();
  }

  #evaluate() {
    if (this.#overview || this.#evaluated || !this.#engine || !this.#request) return;
    const asOf = this.asOf;
    const request = asOf ? { ...this.#request, asOf } : this.#request;
    try {
      this.#evaluated = this.#engine.evaluate(request);
      this.#error = null;
    } catch (error) {
      // Fail closed: nothing of the citizen's records is shown; the host decides what to tell.
      this.#evaluated = null;
      this.#error = error;
      this.dispatchEvent(new CustomEvent('borgerblik-error', { detail: { error }, bubbles: true, composed: true }));
    }
    this.#shown = { cases: this.pageSize, benefits: this.pageSize };
  }

  /** Renders now (setting a property renders by itself; this is for a host that changed data in place). */
  render() {
    this.#evaluate();
    const root = this.#root;
    const o = this.overview;
    const tab = this.tab;
    const cases = Array.isArray(o?.view?.cases) ? o.view.cases : [];
    const benefits = Array.isArray(o?.view?.benefits) ? o.view.benefits : [];
    const keep = [...root.childNodes].filter((n) => n.nodeName === 'STYLE');
    const tabButton = (which, text, items) => h('button', {
      type: 'button', role: 'tab', id: `tab-${which}`, 'aria-controls': `panel-${which}`,
      'aria-selected': String(tab === which), tabindex: tab === which ? '0' : '-1',
      part: tab === which ? 'tab tab-selected' : 'tab',
      onclick: () => this.#selectTab(which, true, true),
      onkeydown: (e) => this.#tabKey(e, which),
    }, `${text} `, h('span', { class: 'count' }, o ? `(${count(items.length)})` : ''));
    const panel = (which, items, card, empty, noun) => h('div', {
      role: 'tabpanel', id: `panel-${which}`, 'aria-labelledby': `tab-${which}`, tabindex: '0',
      class: 'mo-panel', part: 'panel', hidden: tab !== which,
    }, this.#list(which, items, card, empty, noun));
    root.replaceChildren(...keep,
      h('div', { class: 'mo-tabs', role: 'tablist', 'aria-label': this.label, part: 'tablist' },
        tabButton('cases', 'Sager', cases),
        tabButton('benefits', 'Ydelser', benefits)),
      this.#error
        ? h('p', { class: 'mo-error', role: 'alert', part: 'error' },
          'Oversigten kan ikke vises, fordi forespørgslen ikke kunne læses.')
        : null,
      panel('cases', cases, caseCard, o ? 'Borgeren ser ingen sager.' : 'Ingen oversigt endnu.', 'sager'),
      panel('benefits', benefits, benefitCard, o ? 'Borgeren ser ingen ydelser.' : 'Ingen oversigt endnu.', 'ydelser'),
      this.showReasons && o ? this.#reasons(o) : null);
  }

  #list(which, items, card, empty, noun) {
    if (!items.length) return h('p', { class: 'mo-empty', part: 'empty' }, empty);
    const shown = this.#shown[which];
    const opts = { headingLevel: this.headingLevel };
    const list = h('ul', { class: 'mo-list', part: 'list' }, items.slice(0, shown).map((x) => card(x, opts)));
    if (items.length <= shown) return list;
    const more = h('button', {
      type: 'button', class: 'button button--secondary more', part: 'more',
      onclick: () => {
        this.#shown[which] += this.pageSize;
        this.render();
        (this.#root.querySelector(`#panel-${which} .more`) ?? this.#root.getElementById(`panel-${which}`))?.focus();
      },
    }, `Vis flere ${noun} (${count(items.length - shown)} tilbage)`);
    return [list, more];
  }

  #reasons(o) {
    const decisions = Array.isArray(o.decisions) ? o.decisions : [];
    const records = this.records;
    const hl = Math.min(this.headingLevel, 6);
    return h('section', { class: 'mo-reasons', part: 'reasons', 'aria-labelledby': 'reasons-heading' },
      h(`h${hl}`, { id: 'reasons-heading' }, 'Alle poster og begrundelser'),
      h('ol', { class: 'decisions', part: 'decisions' }, decisions.map((d, i) => decisionCard(d, {
        // Decisions are in request order, one per record (SPEC §4).
        record: records ? records[i] : undefined,
        kleTitle: this.#kleTitle,
      }))));
  }

  #selectTab(which, focus, fromUser = false) {
    // attributeChangedCallback comes back here with the same tab, which then changes nothing.
    if (this.getAttribute('tab') !== which) this.setAttribute('tab', which);
    for (const t of TABS) {
      const on = t === which;
      const button = this.#root.getElementById(`tab-${t}`);
      const panel = this.#root.getElementById(`panel-${t}`);
      if (!button || !panel) continue;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      button.setAttribute('part', on ? 'tab tab-selected' : 'tab');
      panel.hidden = !on;
    }
    if (focus) this.#root.getElementById(`tab-${which}`)?.focus();
    if (fromUser) this.dispatchEvent(new CustomEvent('borgerblik-tab', { detail: { tab: which }, bubbles: true, composed: true }));
  }

  /** WAI-ARIA tabs: arrows move between the tabs (and select them), Home and End to the ends. */
  #tabKey(e, which) {
    const keys = { ArrowLeft: -1, ArrowRight: 1, Home: 'first', End: 'last' };
    if (!(e.key in keys)) return;
    e.preventDefault();
    const step = keys[e.key];
    const i = TABS.indexOf(which);
    const next = step === 'first' ? TABS[0] : step === 'last' ? TABS[TABS.length - 1]
      : TABS[(i + step + TABS.length) % TABS.length];
    this.#selectTab(next, true, true);
  }
}
