// The cards of the citizen's view (a case, a benefit) and of a decision with its reasons, as DOM
// nodes. Used inside <borgerblik-overview> and by the preview page's list of decisions, so both
// render the same way. Text goes in as text nodes only (never HTML), so record data can never
// become markup. Each node carries a `part` name, which a host page styles with ::part() when the
// card is inside the element.

import { longDate, kroner } from './format.js';
import { REASON_LABELS } from './danish.js';

/**
 * h('p', { class: 'x', part: 'y', dataset: {...}, onclick: fn }, 'text', child, [more]): an element
 * with attributes and children; strings become text nodes, null/undefined/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, '');
      else node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === 'object' && 'nodeType' in child) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** A heading level 1–6 (anything else gives the default). */
function level(n, fallback) {
  const v = Number(n);
  return Number.isInteger(v) && v >= 1 && v <= 6 ? v : fallback;
}

/** The status badge's class: the engine shows "Under behandling" or "Afsluttet". */
export function statusClass(status) {
  return status === 'Afsluttet' ? 'status status--closed' : 'status status--open';
}

/** A case of the citizen's view (`overview.view.cases[i]`), as on borger.dk. */
export function caseCard(c, { headingLevel = 3 } = {}) {
  const hl = level(headingLevel, 3);
  const closed = c.status === 'Afsluttet';
  const docs = Array.isArray(c.documents) ? c.documents : [];
  return h('li', { class: 'mo-card', part: 'card case', dataset: { id: c.id } },
    h('div', { class: 'mo-card__head' },
      h(`h${hl}`, { class: 'mo-card__title', part: 'title' }, c.title),
      h('span', { class: statusClass(c.status), part: closed ? 'status status-closed' : 'status status-open' }, c.status)),
    h('dl', { class: 'mo-facts', part: 'facts' },
      h('div', null, h('dt', null, 'Oprettet'), h('dd', null, longDate(c.createdDate))),
      c.closedDate ? h('div', null, h('dt', null, 'Afsluttet'), h('dd', null, longDate(c.closedDate))) : null,
      c.provider ? h('div', null, h('dt', null, 'Myndighed'), h('dd', null, c.provider)) : null),
    docs.length
      ? h('div', { class: 'mo-docs', part: 'documents' },
        h(`h${Math.min(hl + 1, 6)}`, null, `Dokumenter (${docs.length})`),
        h('ul', null, docs.map((d) => h('li', { part: 'document' },
          h('span', { class: 'mo-doc__title' }, d.title ?? 'Dokument uden titel'),
          d.date ? h('span', { class: 'mo-doc__date' }, longDate(d.date)) : null))))
      : null);
}

/** How many payments a benefit card shows before "Vis N ældre udbetalinger". */
export const PAYMENTS_SHOWN = 6;

/** A benefit of the citizen's view (`overview.view.benefits[i]`), payments in kroner. */
export function benefitCard(b, { headingLevel = 3 } = {}) {
  const hl = level(headingLevel, 3);
  const period = b.endDate ? `${longDate(b.startDate)} – ${longDate(b.endDate)}` : `Fra ${longDate(b.startDate)}`;
  const payments = Array.isArray(b.payments) ? b.payments : [];
  const first = payments.slice(0, PAYMENTS_SHOWN);
  const rest = payments.slice(PAYMENTS_SHOWN);
  const table = (rows) => h('table', { class: 'mo-payments', part: 'payments' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Dato'), h('th', { scope: 'col', class: 'num' }, 'Beløb før skat'))),
    h('tbody', null, rows.map((p) => h('tr', null, h('td', null, longDate(p.date)), h('td', { class: 'num' }, kroner(p.grossAmountOre))))));
  return h('li', { class: 'mo-card', part: 'card benefit', dataset: { id: b.id } },
    h('div', { class: 'mo-card__head' }, h(`h${hl}`, { class: 'mo-card__title', part: 'title' }, b.name)),
    h('dl', { class: 'mo-facts', part: 'facts' },
      h('div', null, h('dt', null, 'Periode'), h('dd', null, period)),
      b.provider ? h('div', null, h('dt', null, 'Myndighed'), h('dd', null, b.provider)) : null),
    payments.length
      ? h('div', { class: 'mo-docs' },
        h(`h${Math.min(hl + 1, 6)}`, null, `Udbetalinger (${payments.length})`),
        table(first),
        rest.length ? h('details', null, h('summary', null, `Vis ${rest.length} ældre udbetalinger`), table(rest)) : null)
      : h('p', { class: 'muted' }, 'Ingen udbetalinger.'));
}

/** Reason codes that show a record (the rest hide it, but DOCUMENTS_NOT_SHOWN only informs). */
const SHOWING = new Set(['MANDATORY_AREA', 'OPENED_AREA', 'ACTIVE_BEFORE_FROM_DATE', 'RELEASED_TO_MINOR']);

/** What a reason does to its record: "visible", "hidden" or "info". */
export function reasonEffect(code) {
  if (SHOWING.has(code)) return 'visible';
  if (code === 'DOCUMENTS_NOT_SHOWN') return 'info';
  return 'hidden';
}

/** "Sag", "Ydelse" (or "Ukendt" for a record the engine could not read). */
export function kindLabel(kind) {
  return kind === 'case' ? 'Sag' : kind === 'benefit' ? 'Ydelse' : 'Ukendt';
}

/** A record's own title (a case's `title`, a benefit's `name`), or "". */
export function recordTitle(record) {
  if (!record || typeof record !== 'object') return '';
  const t = record.kind === 'benefit' ? record.name : record.title;
  return typeof t === 'string' ? t : '';
}

/** The "Vises"/"Skjult" badge of a decision. */
export function badge(visible) {
  return h('span', { class: visible ? 'badge badge--visible' : 'badge badge--hidden', part: visible ? 'badge badge-visible' : 'badge badge-hidden' },
    visible ? 'Vises' : 'Skjult');
}

/**
 * One decision (`overview.decisions[i]`) with its reasons: the engine's Danish message, the short
 * Danish label of the code, and the code itself.
 * Options: `record` (the request's record, for its title and KLE number; leave it out when the
 * records are not known), `kleTitle(number)` (names
 * KLE numbers; the engine's `kleTitle`), `extra(reason, decision, record)` (nodes to add to a
 * reason, such as the preview page's "Afgjort af").
 */
export function decisionCard(d, { record, kleTitle = null, extra = null } = {}) {
  // `record` undefined: the records are not known (only the overview was given).
  const known = record !== undefined;
  const kle = typeof record?.kle === 'string' ? record.kle : null;
  const name = (n) => {
    const t = typeof kleTitle === 'function' ? kleTitle(n) : null;
    return t ? `${n} ${t}` : n;
  };
  const reasons = Array.isArray(d.reasons) ? d.reasons : [];
  return h('li', { class: `decision ${d.visible ? 'decision--visible' : 'decision--hidden'}`, part: 'decision', dataset: { id: d.id, visible: String(d.visible) } },
    h('div', { class: 'decision__head' },
      badge(d.visible),
      h('span', { class: 'decision__kind' }, kindLabel(d.kind)),
      h('strong', { class: 'decision__id' }, d.id),
      h('span', { class: 'decision__title' }, recordTitle(record))),
    h('p', { class: 'decision__area' },
      known ? (kle ? `KLE ${name(kle)}` : 'Intet gyldigt KLE-nummer') : null,
      known ? ' · ' : null,
      d.area ? `i visningen via ${name(d.area)}` : 'uden for visningens områder'),
    h('ul', { class: 'reasons' }, reasons.map((r) => h('li', { class: `reason reason--${reasonEffect(r.code)}`, part: 'reason', dataset: { code: r.code } },
      h('span', { class: 'reason__code', title: REASON_LABELS[r.code] ?? null }, r.code),
      ' ',
      h('span', { class: 'reason__message' }, r.message),
      typeof extra === 'function' ? extra(r, d, record) : null))));
}
