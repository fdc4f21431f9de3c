// borgerblik/element: the <borgerblik-overview> custom element, defined on import (once, however
// often this module is loaded), with the card builders and the Danish labels and formatters it uses.

import { BorgerblikOverview } from './borgerblik-overview.js';

export { BorgerblikOverview };
export { caseCard, benefitCard, decisionCard, reasonEffect, kindLabel, recordTitle, statusClass, badge } from './cards.js';
export { longDate, shortDate, kroner, count, dayBefore, isIsoDate } from './format.js';
export { REASON_LABELS, REASON_ORDER, FIELD_NAMES, problemMessage, pathLabel } from './danish.js';

/** The element's tag name. */
export const TAG = 'borgerblik-overview';

/** Defines <borgerblik-overview> unless it is defined already (or there is no DOM, as in Node). */
export function defineBorgerblikOverview(registry = globalThis.customElements) {
  if (registry && !registry.get(TAG)) registry.define(TAG, BorgerblikOverview);
}

defineBorgerblikOverview();
