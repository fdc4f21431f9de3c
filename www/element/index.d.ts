// Types of borgerblik/element (www/element/index.js): the <borgerblik-overview> custom element, the
// card builders and the Danish labels and formatters.

import type { Decision, Overview, ReasonCode, Request, RequestRecord, ViewBenefit, ViewCase } from "../bundler/borgerblik.js";

/** What the element needs of an engine: any build's `Engine` has it. */
export interface OverviewEngine {
  evaluate(request: Request | string | Uint8Array): Overview;
}

/**
 * `<borgerblik-overview>`: what the citizen sees in Mit Overblik, as on borger.dk (tabs "Sager" and
 * "Ydelser"), and with `show-reasons` every record's decision with its Danish reason.
 *
 * Theming: the custom properties `--borgerblik-accent`, `--borgerblik-accent-ink`, `--borgerblik-ink`,
 * `--borgerblik-muted`, `--borgerblik-line`, `--borgerblik-card-bg`, `--borgerblik-tab-bg`,
 * `--borgerblik-open-bg`/`-ink`, `--borgerblik-closed-bg`/`-ink`, `--borgerblik-visible`/`-bg`,
 * `--borgerblik-hidden`/`-bg`, `--borgerblik-focus`, `--borgerblik-radius`, `--borgerblik-font`;
 * and the parts `tablist`, `tab`, `tab-selected`, `panel`, `list`, `card`, `case`, `benefit`,
 * `title`, `status`, `status-open`, `status-closed`, `facts`, `documents`, `document`, `payments`,
 * `empty`, `more`, `error`, `reasons`, `decisions`, `decision`, `badge`, `badge-visible`,
 * `badge-hidden`, `reason`.
 *
 * Events: `borgerblik-tab` (`detail.tab`) when the user changes tab; `borgerblik-error`
 * (`detail.error`) when the engine refuses the request (nothing is shown then).
 */
export class BorgerblikOverview extends HTMLElement {
  static observedAttributes: string[];
  /** The overview to show; setting it renders at once. Wins over `engine` + `request`. */
  overview: Overview | null;
  /** Evaluates `request` (with `asOf` in place of its date, when set) when no `overview` is given. */
  engine: OverviewEngine | null;
  request: Request | null;
  /** The request's records, for the titles of decisions when only `overview` is given. */
  records: RequestRecord[] | null;
  /** Names KLE numbers in the decisions (the engine module's `kleTitle`). */
  kleTitle: ((kle: string) => string | undefined) | null;
  /** The error of the last evaluation, or null. */
  readonly error: unknown;
  /** `show-reasons`: list every record's decision and reasons below the view. */
  showReasons: boolean;
  /** `tab`: the selected tab. */
  tab: "cases" | "benefits";
  /** `as-of`: the evaluation date `YYYY-MM-DD` used with `engine` + `request`. */
  asOf: string | null;
  /** `page-size`: cards shown before "Vis flere" (default 200). */
  pageSize: number;
  /** `heading-level`: the level of the cards' headings (default 3). */
  headingLevel: number;
  /** `label`: the tab list's accessible name (default "Mit Overblik"). */
  label: string;
  /** Renders now (setting a property renders by itself). */
  render(): void;
  connectedCallback(): void;
  attributeChangedCallback(name: string, old: string | null, value: string | null): void;
}

export interface BorgerblikTabEvent extends CustomEvent<{ tab: "cases" | "benefits" }> {}
export interface BorgerblikErrorEvent extends CustomEvent<{ error: unknown }> {}

declare global {
  interface HTMLElementTagNameMap {
    "borgerblik-overview": BorgerblikOverview;
  }
  interface HTMLElementEventMap {
    "borgerblik-tab": BorgerblikTabEvent;
    "borgerblik-error": BorgerblikErrorEvent;
  }
}

/** The element's tag name, "borgerblik-overview". */
export const TAG: "borgerblik-overview";
/** Defines the element in `registry` (default: `customElements`) unless it is defined already. */
export function defineBorgerblikOverview(registry?: CustomElementRegistry): void;

export function caseCard(c: ViewCase, options?: { headingLevel?: number }): HTMLLIElement;
export function benefitCard(b: ViewBenefit, options?: { headingLevel?: number }): HTMLLIElement;
export function decisionCard(
  d: Decision,
  options?: {
    record?: RequestRecord | Record<string, unknown> | null;
    kleTitle?: ((kle: string) => string | undefined | null) | null;
    extra?: ((reason: Decision["reasons"][number], decision: Decision, record: unknown) => Node | string | null | (Node | string | null)[]) | null;
  },
): HTMLLIElement;
export function reasonEffect(code: ReasonCode | string): "visible" | "hidden" | "info";
export function kindLabel(kind: string | null | undefined): "Sag" | "Ydelse" | "Ukendt";
export function recordTitle(record: unknown): string;
export function statusClass(status: string): string;
export function badge(visible: boolean): HTMLSpanElement;

/** "2021-02-03" → "3. februar 2021"; anything else as given (null → ""). */
export function longDate(iso: string | null | undefined): string;
/** "2021-02-03" → "03.02.2021". */
export function shortDate(iso: string | null | undefined): string;
/** Øre as Danish kroner: 123450 → "1.234,50 kr." ("" for anything but a finite number). */
export function kroner(ore: number): string;
/** A count with Danish thousands separators: 10000 → "10.000". */
export function count(n: number): string;
/** The day before an ISO date, as an ISO date. */
export function dayBefore(iso: string): string;
/** Whether a string is a real calendar date YYYY-MM-DD. */
export function isIsoDate(s: string | null | undefined): boolean;

/** A short Danish label per reason code. */
export const REASON_LABELS: Readonly<Record<ReasonCode, string>>;
/** The reason codes in the engine's rule order. */
export const REASON_ORDER: readonly ReasonCode[];
/** Danish names of the fields of the policy and request documents. */
export const FIELD_NAMES: Readonly<Record<string, string>>;
/** A Danish version of one of the engine's problem messages (which are English, for developers). */
export function problemMessage(message: string): string;
/** A Danish description of a JSON path: "municipality.areas[3].fromDate" → "Område nr. 4 › Fradato". */
export function pathLabel(path: string): string;
