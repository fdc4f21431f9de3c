// A tiny element builder. Text always goes in as text nodes (never as HTML), so data from a file can
// never become markup.

/**
 * h('p', { class: 'x', 'aria-live': 'polite', onclick: fn }, 'text', child, [more])
 * Attributes: `class`, `dataset` (object), `on<event>` (listener), booleans (set when true),
 * everything else via setAttribute. null/undefined/false children are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Shows a message in an element (hidden when empty). */
export function message(el, text, kind) {
  if (!text || (Array.isArray(text) && text.length === 0)) {
    el.hidden = true;
    el.replaceChildren();
    el.classList.remove('message--error', 'message--ok', 'message--warning');
    return;
  }
  el.hidden = false;
  el.classList.remove('message--error', 'message--ok', 'message--warning');
  if (kind) el.classList.add(`message--${kind}`);
  replace(el, text);
}

/** Calls `fn` `ms` after the last call; `.now()` runs a pending call at once, `.cancel()` drops it. */
export function debounce(fn, ms) {
  let timer = null;
  let pending = null;
  const run = () => {
    timer = null;
    const args = pending;
    pending = null;
    if (args) fn(...args);
  };
  const debounced = (...args) => {
    pending = args;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  debounced.now = () => { clearTimeout(timer); run(); };
  debounced.cancel = () => { clearTimeout(timer); timer = null; pending = null; };
  return debounced;
}
