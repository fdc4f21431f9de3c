// The KLE search box: an ARIA 1.2 combobox over the engine's embedded catalogue (kleSearch).
// Typing shows up to 12 suggestions; ArrowDown/ArrowUp move, Enter picks (or submits when none is
// active), Escape closes. A picked suggestion puts its number in the input.

import { h, replace } from './dom.js';

export function kleCombobox({ input, listbox, hint, search, title, onSubmit }) {
  let items = [];
  let active = -1;
  const defaultHint = hint.textContent;

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(i) {
    active = i;
    for (const [j, li] of [...listbox.children].entries()) {
      li.setAttribute('aria-selected', j === i ? 'true' : 'false');
      li.classList.toggle('active', j === i);
    }
    if (i >= 0) {
      const li = listbox.children[i];
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function describe() {
    const q = input.value.trim();
    if (!q) {
      hint.textContent = defaultHint;
      return;
    }
    const t = /^\d{2}(\.\d{2}){0,2}$/.test(q) ? title(q) : undefined;
    hint.textContent = t
      ? `${q}: ${t}`
      : items.length
        ? `${items.length} forslag fra KLE-kataloget; brug piletasterne.`
        : 'Ingen forslag i KLE-kataloget.';
  }

  function update() {
    const q = input.value.trim();
    items = q ? search(q, 12) : [];
    replace(listbox, items.map((entry, i) => h('li', {
      id: `kle-option-${i}`,
      role: 'option',
      'aria-selected': 'false',
      dataset: { number: entry.number },
      onmousedown: (e) => e.preventDefault(), // keep focus in the input
      onclick: () => pick(i),
    }, h('span', { class: 'kle-number' }, entry.number), ' ', entry.title,
    entry.retired ? h('span', { class: 'muted' }, ` (udgår ${entry.retired})`) : null)));
    if (items.length) {
      listbox.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      active = -1;
      input.removeAttribute('aria-activedescendant');
    } else {
      close();
    }
    describe();
  }

  function pick(i) {
    const entry = items[i];
    if (!entry) return;
    input.value = entry.number;
    close();
    describe();
    input.focus();
  }

  input.addEventListener('input', update);
  input.addEventListener('keydown', (e) => {
    const open = !listbox.hidden && items.length > 0;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) update();
        if (items.length) setActive(active < items.length - 1 ? active + 1 : 0);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (open) setActive(active > 0 ? active - 1 : items.length - 1);
        break;
      case 'Enter':
        e.preventDefault();
        if (open && active >= 0) pick(active);
        else { close(); onSubmit(); }
        break;
      case 'Escape':
        if (open) { e.preventDefault(); close(); }
        break;
      default:
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));

  return {
    reset() {
      input.value = '';
      items = [];
      close();
      describe();
    },
  };
}
