// The municipality settings editor: one collapsible card per area, every setting a form field.
// The draft municipality object is the single source of truth; fields write into it and call
// onChange. The editor is re-rendered only on structural changes (add, remove, import), so typing
// never loses focus. Problems from Engine.validatePolicy are placed next to the field they concern.

import { h, replace } from './dom.js';
import { problemMessage, pathLabel, FIELD_NAMES } from '../element/danish.js';
import { shortDate } from '../element/format.js';

const KLE_SELECTOR = /^\d{2}(\.\d{2}){0,2}$/;

/** Whether selector `a` contains selector `b` (on KLE boundaries: 27.36 contains 27.36.04). */
export function kleContains(a, b) {
  return a === b || (b.startsWith(a) && b[a.length] === '.');
}

function listFromText(text) {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

function codesFromText(text) {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/**
 * @param {object} o
 * @param {HTMLElement} o.list          the <ul> of areas
 * @param {() => object} o.draft        the municipality being edited
 * @param {(n: string) => string|undefined} o.kleTitle
 * @param {() => Array} o.etaper        the effective central etaper
 * @param {(how: {debounce: boolean}) => void} o.onChange
 * @param {(index: number) => void} o.onRemove
 */
export function municipalityEditor({ list, draft, kleTitle, etaper, onChange, onRemove, countEl }) {
  let uid = 0;

  function etapeRelation(selector) {
    const hits = [];
    if (!KLE_SELECTOR.test(selector ?? '')) return hits;
    for (const e of etaper()) {
      for (const a of e.areas) {
        if (kleContains(selector, a.kle) || kleContains(a.kle, selector)) {
          if (!hits.includes(e.id)) hits.push(e.id);
        }
      }
    }
    return hits;
  }

  function tags(area) {
    const out = [];
    const etapes = etapeRelation(area.kle);
    if (etapes.length) out.push(h('span', { class: 'tag tag--mandatory' }, `Obligatorisk: ${etapes.join(', ')}`));
    if (area.open === true) out.push(h('span', { class: 'tag tag--open' }, 'Åben'));
    else if (area.open === false) out.push(h('span', { class: 'tag tag--closed' }, 'Lukket'));
    else out.push(h('span', { class: 'tag' }, 'Arver åben/lukket'));
    if (area.fromDate) out.push(h('span', { class: 'tag' }, `Fradato ${shortDate(area.fromDate)}`));
    if (area.showDocuments) out.push(h('span', { class: 'tag' }, 'Dokumenter'));
    return out;
  }

  function titleOf(selector) {
    if (!KLE_SELECTOR.test(selector ?? '')) return 'Ugyldigt KLE-nummer';
    return kleTitle(selector) ?? 'Ikke i KLE-kataloget';
  }

  function refreshSummary(li, area) {
    const s = li.querySelector('.area__summary-text');
    replace(s,
      h('span', { class: 'kle-number' }, area.kle ?? ''), ' ',
      h('span', { class: 'area__title' }, titleOf(area.kle)), ' ',
      h('span', { class: 'tags' }, tags(area)));
    li.dataset.kle = area.kle ?? '';
    const legend = li.querySelector('legend');
    if (legend) legend.textContent = `Område ${area.kle ?? ''} – ${titleOf(area.kle)}`;
  }

  function field(id, label, control, { hint, errorId } = {}) {
    const errId = errorId ?? `${id}-error`;
    control.id = id;
    const describedBy = [hint ? `${id}-hint` : null, errId].filter(Boolean).join(' ');
    control.setAttribute('aria-describedby', describedBy);
    return h('div', { class: 'field' },
      h('label', { for: id }, label),
      control,
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      h('p', { class: 'field-error', id: errId, hidden: true }));
  }

  function checkbox(id, label, checked, onInput) {
    const input = h('input', { type: 'checkbox', id, checked: !!checked, 'aria-describedby': `${id}-error` });
    input.addEventListener('change', () => onInput(input.checked));
    return h('div', { class: 'field' },
      h('div', { class: 'checkbox' }, input, h('label', { for: id }, label)),
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  }

  function renderArea(area, index) {
    const id = `area-${uid}-${index}`;
    const li = h('li', { class: 'area', dataset: { index: String(index), kle: area.kle ?? '' } });
    const set = (key, value, debounce) => {
      if (value === undefined || value === '' || value === null) delete area[key];
      else area[key] = value;
      refreshSummary(li, area);
      onChange({ debounce });
    };

    // KLE
    const kle = h('input', { type: 'text', value: area.kle ?? '', autocomplete: 'off', spellcheck: 'false', dataset: { field: 'kle' } });
    const kleTitleEl = h('span', { class: 'kle-title', 'aria-live': 'polite' }, titleOf(area.kle));
    kle.addEventListener('input', () => {
      area.kle = kle.value.trim();
      kleTitleEl.textContent = titleOf(area.kle);
      refreshSummary(li, area);
      onChange({ debounce: true });
    });
    const kleField = field(`${id}-kle`, 'KLE-nummer', kle);
    kleField.insertBefore(kleTitleEl, kleField.querySelector('.field-error'));

    // open
    const open = h('select', { dataset: { field: 'open' } },
      h('option', { value: '', selected: area.open == null }, 'Arv fra bredere område (standard: lukket)'),
      h('option', { value: 'true', selected: area.open === true }, 'Åben – vis området'),
      h('option', { value: 'false', selected: area.open === false }, 'Lukket – vis ikke området'));
    open.addEventListener('change', () => set('open', open.value === '' ? undefined : open.value === 'true', false));

    // fromDate
    const from = h('input', { type: 'date', value: area.fromDate ?? '', dataset: { field: 'fromDate' } });
    from.addEventListener('input', () => set('fromDate', from.value || undefined, true));

    // facets
    const facets = area.facets ?? {};
    const mode = facets.allow ? 'allow' : facets.deny ? 'deny' : '';
    const facetMode = h('select', { dataset: { field: 'facetMode' } },
      h('option', { value: '', selected: mode === '' }, 'Intet facetfilter'),
      h('option', { value: 'allow', selected: mode === 'allow' }, 'Vis kun sager med disse facetter'),
      h('option', { value: 'deny', selected: mode === 'deny' }, 'Skjul sager med disse facetter'));
    const facetCodes = h('input', {
      type: 'text', autocomplete: 'off', spellcheck: 'false', dataset: { field: 'facets' },
      value: (facets.allow ?? facets.deny ?? []).join(', '),
    });
    const writeFacets = (debounce) => {
      const codes = codesFromText(facetCodes.value);
      facetCodes.disabled = facetMode.value === '';
      if (facetMode.value === '') delete area.facets;
      else area.facets = { [facetMode.value]: codes };
      refreshSummary(li, area);
      onChange({ debounce });
    };
    facetCodes.disabled = mode === '';
    facetMode.addEventListener('change', () => writeFacets(false));
    facetCodes.addEventListener('input', () => writeFacets(true));

    // lists
    const sources = h('textarea', { rows: '2', spellcheck: 'false', dataset: { field: 'sourceSystems' } });
    sources.value = (area.sourceSystems ?? []).join('\n');
    sources.addEventListener('input', () => {
      const l = listFromText(sources.value);
      set('sourceSystems', l.length ? l : undefined, true);
    });
    const groups = h('textarea', { rows: '2', spellcheck: 'false', dataset: { field: 'targetGroups' } });
    groups.value = (area.targetGroups ?? []).join('\n');
    groups.addEventListener('input', () => {
      const l = listFromText(groups.value);
      set('targetGroups', l.length ? l : undefined, true);
    });

    // title
    const title = h('select', { dataset: { field: 'title' } },
      h('option', { value: '', selected: area.title == null || area.title === 'kle' }, 'KLE-emnets titel (standard)'),
      h('option', { value: 'source', selected: area.title === 'source' }, 'Fagsystemets egen sagstitel'));
    title.addEventListener('change', () => set('title', title.value || undefined, false));

    // minimum age
    const age = h('input', { type: 'number', min: '0', max: '130', step: '1', inputmode: 'numeric', value: area.minimumAge ?? '', dataset: { field: 'minimumAge' } });
    age.addEventListener('input', () => {
      const v = age.value.trim();
      set('minimumAge', v === '' ? undefined : Number(v), true);
    });

    const remove = h('button', { type: 'button', class: 'button button--danger button--small' }, 'Fjern område');
    remove.addEventListener('click', () => onRemove(index));

    const details = h('details', { class: 'area__details' },
      h('summary', { class: 'area__summary' },
        h('span', { class: 'area__summary-text' }),
        h('span', { class: 'area__flag', hidden: true }, 'Fejl')),
      h('fieldset', { class: 'area__body' },
        h('legend', { class: 'visually-hidden' }),
        kleField,
        field(`${id}-open`, 'Åben eller lukket', open),
        field(`${id}-fromDate`, 'Fradato (sager oprettet før datoen skjules)', from),
        checkbox(`${id}-showActiveBeforeFromDate`, 'Vis alligevel aktive sager fra før fradatoen og deres ydelser',
          area.showActiveBeforeFromDate, (v) => set('showActiveBeforeFromDate', v || undefined, false)),
        field(`${id}-facetMode`, 'Facetfilter', facetMode, { errorId: `${id}-facetMode-error` }),
        field(`${id}-facets`, 'Facetkoder (fx G01, K – et bogstav alene vælger alle facetter med det bogstav)', facetCodes),
        field(`${id}-sourceSystems`, 'Fagsystemer (ét pr. linje; tom = alle)', sources),
        field(`${id}-targetGroups`, 'Målgrupper for jobcentersager (ét pr. linje; tom = alle)', groups),
        checkbox(`${id}-showDocuments`, 'Vis dokumenttitler', area.showDocuments, (v) => set('showDocuments', v || undefined, false)),
        field(`${id}-title`, 'Sagstitel', title),
        checkbox(`${id}-showNonEconomicBenefits`, 'Vis ikke-økonomiske ydelser (fx udlån af hjælpemidler)',
          area.showNonEconomicBenefits, (v) => set('showNonEconomicBenefits', v || undefined, false)),
        field(`${id}-minimumAge`, 'Minimumsalder (kan kun hæve den centrale; tom = den centrale)', age),
        h('p', { class: 'field-error', id: `${id}--error`, hidden: true }),
        remove));
    li.appendChild(details);
    li.dataset.prefix = id;
    refreshSummary(li, area);
    return li;
  }

  function render() {
    uid += 1;
    const areas = draft().areas ?? [];
    replace(list, areas.map(renderArea));
    if (countEl) countEl.textContent = `(${areas.length})`;
  }

  function setError(el, text, kind = 'error') {
    if (!el) return false;
    if (!text) {
      el.hidden = true;
      el.textContent = '';
      el.classList.remove('field-warning');
      return true;
    }
    el.hidden = false;
    el.classList.toggle('field-warning', kind === 'warning');
    el.textContent = text;
    return true;
  }

  /**
   * Places problems (and warnings) next to their fields. Returns the problems that have no field
   * here (central rules, the document itself), for the caller to show in a general box.
   */
  function showProblems(problems, warnings) {
    for (const el of list.querySelectorAll('.field-error')) setError(el, '');
    for (const el of list.querySelectorAll('.area__flag')) el.hidden = true;
    for (const el of list.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const id of ['m-code', 'm-name']) {
      setError(document.getElementById(`${id}-error`), '');
      document.getElementById(id).removeAttribute('aria-invalid');
    }
    const rest = [];
    const texts = new Map();
    const place = (p, kind) => {
      const path = String(p.path ?? '').replace(/^municipality\./, '');
      const text = kind === 'warning' ? `Advarsel: ${problemMessage(p.message)}` : problemMessage(p.message);
      let target = null;
      let input = null;
      const m = /^areas\[(\d+)\](?:\.(\w+))?/.exec(path);
      if (m) {
        const li = list.querySelector(`li[data-index="${m[1]}"]`);
        if (li) {
          const prefix = li.dataset.prefix;
          const fieldName = m[2] ?? '';
          target = document.getElementById(`${prefix}-${fieldName}-error`) ?? document.getElementById(`${prefix}--error`);
          input = document.getElementById(`${prefix}-${fieldName}`);
          if (fieldName === 'facets' && !/\.(allow|deny)/.test(path)) input = document.getElementById(`${prefix}-facetMode`);
          if (kind === 'error') {
            li.querySelector('.area__flag').hidden = false;
            li.querySelector('details').open = true;
          }
          if (!document.getElementById(`${prefix}-${fieldName}-error`) && fieldName) {
            // A field the editor has no input for (an unknown field from an imported file).
            texts.set(target, [...(texts.get(target) ?? []), `${FIELD_NAMES[fieldName] ?? fieldName}: ${text}`]);
            return;
          }
        }
      } else if (path === 'code' || path === 'name') {
        target = document.getElementById(`m-${path}-error`);
        input = document.getElementById(`m-${path}`);
      }
      if (!target) {
        if (kind === 'error') rest.push({ path: p.path, text });
        return;
      }
      texts.set(target, [...(texts.get(target) ?? []), text]);
      if (input && kind === 'error') input.setAttribute('aria-invalid', 'true');
    };
    for (const p of problems) place(p, 'error');
    for (const w of warnings) place(w, 'warning');
    for (const [el, lines] of texts) {
      const onlyWarnings = lines.every((l) => l.startsWith('Advarsel: '));
      setError(el, lines.join(' '), onlyWarnings ? 'warning' : 'error');
    }
    return rest.map((r) => `${pathLabel(r.path)}: ${r.text}`);
  }

  /** Opens the card of the area with this selector, scrolls to it and focuses its KLE field. */
  function focusArea(selector) {
    const li = [...list.children].find((el) => el.dataset.kle === selector);
    if (!li) return false;
    const details = li.querySelector('details');
    details.open = true;
    li.scrollIntoView({ block: 'start', behavior: 'smooth' });
    li.querySelector('input[data-field="kle"]').focus({ preventScroll: true });
    return true;
  }

  return { render, showProblems, focusArea, etapeRelation };
}
