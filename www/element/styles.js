// The stylesheet of <borgerblik-overview>'s shadow root. Every colour, the font, the radius and the
// focus ring come from CSS custom properties with these defaults (borger.dk's dark blue), so a host
// page themes the element from outside; ::part() reaches the named parts (see index.d.ts).
// Given as a constructed stylesheet (adoptedStyleSheets), which a strict Content-Security-Policy
// without 'unsafe-inline' in style-src allows.

export const CSS = `
:host {
  --_accent: var(--borgerblik-accent, #002d54);
  --_accent-ink: var(--borgerblik-accent-ink, #ffffff);
  --_ink: var(--borgerblik-ink, #1a1a1a);
  --_muted: var(--borgerblik-muted, #4d5560);
  --_line: var(--borgerblik-line, #c9d1d9);
  --_card-bg: var(--borgerblik-card-bg, #ffffff);
  --_tab-bg: var(--borgerblik-tab-bg, #e8edf2);
  --_open-bg: var(--borgerblik-open-bg, #fff4d6);
  --_open-ink: var(--borgerblik-open-ink, #6b4a00);
  --_closed-bg: var(--borgerblik-closed-bg, #e6eaee);
  --_closed-ink: var(--borgerblik-closed-ink, #2b333b);
  --_visible: var(--borgerblik-visible, #1d7a3e);
  --_visible-bg: var(--borgerblik-visible-bg, #dcf1e2);
  --_hidden: var(--borgerblik-hidden, #8f1919);
  --_hidden-bg: var(--borgerblik-hidden-bg, #fbe2e2);
  --_focus: var(--borgerblik-focus, #ffbf47);
  --_radius: var(--borgerblik-radius, 6px);
  display: block;
  color: var(--_ink);
  font-family: var(--borgerblik-font, inherit);
  line-height: 1.45;
  overflow-wrap: anywhere;
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
:focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--_ink); }
h2, h3, h4, h5, h6 { line-height: 1.2; margin: 0 0 .5rem; }
p { margin: 0 0 .5rem; }
.muted { color: var(--_muted); }

.mo-tabs { display: flex; gap: .25rem; padding: .5rem 1rem 0; border-bottom: 2px solid var(--_accent); }
.mo-tabs [role="tab"] {
  font: inherit; font-weight: 600;
  padding: .5rem 1rem;
  border: 2px solid transparent; border-bottom: 0;
  border-radius: 4px 4px 0 0;
  background: var(--_tab-bg); color: var(--_accent); cursor: pointer;
}
.mo-tabs [role="tab"][aria-selected="true"] { background: var(--_accent); color: var(--_accent-ink); }
.mo-panel { padding: 1rem; }
.mo-list { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
.mo-card { border: 1px solid var(--_line); border-radius: var(--_radius); padding: .75rem 1rem; background: var(--_card-bg); }
.mo-card__head { display: flex; justify-content: space-between; align-items: flex-start; gap: .5rem; flex-wrap: wrap; }
.mo-card__title { font-size: 1.05rem; margin: 0; color: var(--_accent); }
.status { font-size: .8rem; font-weight: 700; padding: .1rem .5rem; border-radius: 999px; white-space: nowrap; }
.status--open { background: var(--_open-bg); color: var(--_open-ink); }
.status--closed { background: var(--_closed-bg); color: var(--_closed-ink); }
.mo-facts { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: .4rem 0 0; font-size: .9rem; }
.mo-facts div { display: flex; gap: .3rem; }
.mo-facts dt { color: var(--_muted); }
.mo-facts dd { margin: 0; }
.mo-docs { margin-top: .6rem; }
.mo-docs :is(h3, h4, h5, h6) { font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--_muted); margin-bottom: .25rem; }
.mo-docs ul { list-style: none; margin: 0; padding: 0; }
.mo-docs li { display: flex; justify-content: space-between; gap: .75rem; padding: .2rem 0; border-top: 1px solid var(--_line); flex-wrap: wrap; }
.mo-doc__date { color: var(--_muted); font-size: .875rem; white-space: nowrap; }
.mo-payments { width: 100%; font-size: .9rem; border-collapse: collapse; }
.mo-payments th, .mo-payments td { text-align: left; padding: .2rem .25rem; border-top: 1px solid var(--_line); }
.mo-payments .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.mo-empty { color: var(--_muted); font-style: italic; }
.mo-error { margin: 1rem; padding: .5rem .75rem; border-left: 5px solid var(--_hidden); background: var(--_hidden-bg); color: var(--_hidden); }
.more {
  margin-top: .75rem; font: inherit; font-weight: 600; padding: .45rem .9rem; border-radius: 4px;
  border: 2px solid var(--_accent); background: var(--_card-bg); color: var(--_accent); cursor: pointer;
}

.mo-reasons { padding: 0 1rem 1rem; }
.decisions { list-style: none; margin: 0; padding: 0; display: grid; gap: .6rem; }
.decision { border: 1px solid var(--_line); border-left-width: 6px; border-radius: 4px; padding: .55rem .75rem; background: var(--_card-bg); }
.decision--visible { border-left-color: var(--_visible); }
.decision--hidden { border-left-color: var(--_hidden); }
.decision__head { display: flex; flex-wrap: wrap; gap: .4rem; align-items: baseline; }
.decision__kind { font-size: .8rem; color: var(--_muted); text-transform: uppercase; letter-spacing: .04em; }
.decision__area { font-size: .875rem; color: var(--_muted); margin: .2rem 0 .3rem; }
.badge { font-size: .8rem; font-weight: 700; padding: .05rem .5rem; border-radius: 3px; }
.badge--visible { background: var(--_visible-bg); color: var(--_visible); }
.badge--hidden { background: var(--_hidden-bg); color: var(--_hidden); }
.reasons { list-style: none; margin: 0; padding: 0; display: grid; gap: .3rem; }
.reason { font-size: .9rem; padding-left: .5rem; border-left: 3px solid var(--_line); }
.reason--visible { border-left-color: var(--_visible); }
.reason--hidden { border-left-color: var(--_hidden); }
.reason--info { border-left-color: var(--_accent); }
.reason__code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .78rem; background: var(--_closed-bg); color: var(--_closed-ink); padding: 0 .3rem; border-radius: 3px; }
`;

let shared = null;

/** The stylesheet for a shadow root: one constructed sheet shared by every element of the page. */
export function adoptStyles(root) {
  if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root) {
    try {
      if (!shared) {
        shared = new CSSStyleSheet();
        shared.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [shared];
      return;
    } catch {
      // Older engines without constructable stylesheets: a <style> element below.
    }
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  root.appendChild(style);
}
