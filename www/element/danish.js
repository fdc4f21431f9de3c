// Danish texts the engine does not give: short labels for the reason codes (the engine's own reason
// messages are already Danish and are shown as they are), and Danish versions of the engine's
// problem messages (which are English, for developers). Pure functions, no DOM.

import { shortDate } from './format.js';

/** A short Danish label per reason code, for filters and counts. */
export const REASON_LABELS = {
  NO_CPR: 'Ikke registreret på et CPR-nummer',
  NOT_PARTY: 'Borgeren er ikke part',
  MANDATORY_AREA: 'Obligatorisk område',
  OPENED_AREA: 'Åbnet af kommunen',
  AREA_NOT_OPEN: 'Området er ikke åbnet',
  FACET_FILTERED: 'Frasorteret på handlingsfacet',
  SOURCE_SYSTEM_FILTERED: 'Frasorteret på fagsystem',
  TARGET_GROUP_FILTERED: 'Frasorteret på målgruppe',
  BEFORE_FROM_DATE: 'Oprettet før fradato',
  ACTIVE_BEFORE_FROM_DATE: 'Aktiv sag fra før fradato',
  UNDER_MINIMUM_AGE: 'Under minimumsalderen',
  RELEASED_TO_MINOR: 'Frigivet til den unge',
  BEFORE_ACCESS_AGE: 'Oprettet før adgangsalderen',
  AGE_UNKNOWN: 'Alderen er ukendt',
  CUSTODY_DISABLED: 'Forældreadgang er slået fra',
  CUSTODY_NOT_HELD: 'Ingen forældremyndighed',
  CUSTODY_STALE: 'Forældremyndighed ikke slået op for nylig',
  CHILD_OF_AGE: 'Barnet er for gammelt',
  CUSTODY_EXCLUDED_AREA: 'Område undtaget for forældre',
  SENSITIVITY_HIDDEN: 'Skjult på grund af følsomhed',
  EXCLUDED_FROM_CITIZEN: 'Undtaget for visning til borger',
  CASE_HIDDEN: 'Sagen er skjult',
  NON_ECONOMIC_BENEFIT: 'Ikke-økonomisk ydelse',
  DOCUMENTS_NOT_SHOWN: 'Dokumenter vises ikke',
  INVALID_RECORD: 'Ugyldig post',
};

/** Rule order (the order of the engine's ReasonCode), for sorting codes the same way as the engine. */
export const REASON_ORDER = Object.keys(REASON_LABELS);

/** The Danish name of a field of the municipality settings, for messages without a field to sit by. */
export const FIELD_NAMES = {
  kle: 'KLE-nummer',
  open: 'Åben/lukket',
  fromDate: 'Fradato',
  showActiveBeforeFromDate: 'Vis aktive sager fra før fradato',
  facets: 'Facetfilter',
  sourceSystems: 'Fagsystemer',
  targetGroups: 'Målgrupper',
  showDocuments: 'Vis dokumenttitler',
  title: 'Titel',
  showNonEconomicBenefits: 'Vis ikke-økonomiske ydelser',
  minimumAge: 'Minimumsalder',
  code: 'Kommunekode',
  name: 'Kommunens navn',
  areas: 'Områder',
  asOf: 'Beregningsdato',
  viewer: 'Seer',
  subject: 'Borger',
  custody: 'Forældremyndighed',
  records: 'Poster',
  cpr: 'CPR-nummer',
  birthDate: 'Fødselsdato',
  verifiedAt: 'Slået op i CPR',
  relations: 'Relationer',
  childCpr: 'Barnets CPR-nummer',
  type: 'Relationstype',
  validFrom: 'Gyldig fra',
  validTo: 'Gyldig til',
  central: 'Centrale regler',
  municipality: 'Kommunens indstillinger',
};

const EXPECTED = {
  'an object': 'et JSON-objekt',
  'an array': 'en liste',
  'a string': 'en tekst',
  'true or false': 'sand eller falsk (true/false)',
  'a whole number of 0 or more': 'et helt tal på 0 eller mere',
  'a whole number': 'et helt tal',
  'a date YYYY-MM-DD': 'en dato ÅÅÅÅ-MM-DD',
  'a non-empty string': 'en tekst, der ikke er tom',
};

const GOT = {
  null: 'null',
  'a boolean': 'en sand/falsk-værdi',
  'a number': 'et tal',
  'a string': 'en tekst',
  'an array': 'en liste',
  'an object': 'et objekt',
};

/** Danish for a date inside a message ("2020-12-31" → "31.12.2020"). */
const d = (iso) => shortDate(iso);

const RULES = [
  [/^fromDate "([^"]*)" is after (\S+), the last fradato allowed for the mandatory area (\S+) of (.+)$/,
    (m) => `Fradatoen ${d(m[1])} ligger efter ${d(m[2])}, som er den seneste fradato, der er tilladt for det obligatoriske område ${m[3]} (${m[4]}).`],
  [/^"([^"]*)" may not be closed: it contains the mandatory area\(s\) (.+)$/,
    (m) => `Området ${m[1]} kan ikke lukkes, fordi det indeholder obligatoriske områder: ${m[2]}.`],
  [/^minimumAge (\d+) is below the central minimum age (\d+) for "([^"]*)"$/,
    (m) => `Minimumsalderen ${m[1]} er lavere end den centrale minimumsalder ${m[2]} for ${m[3]}. Kommunen må kun hæve den.`],
  [/^facets may have "allow" or "deny", not both$/,
    () => 'Facetfilteret kan enten tillade eller skjule bestemte facetter – ikke begge dele.'],
  [/^duplicate selector "([^"]*)" \(first at index (\d+)\)$/,
    (m) => `Området ${m[1]} står der allerede (som nr. ${Number(m[2]) + 1}). Hvert KLE-nummer må kun stå én gang.`],
  [/^duplicate etape id "([^"]*)" \(first at index (\d+)\)$/,
    (m) => `Etapen ${m[1]} står der allerede (som nr. ${Number(m[2]) + 1}).`],
  [/^KLE (\S+) "(.*)" is retired \(udgår (\d+)\)$/,
    (m) => `KLE ${m[1]} "${m[2]}" udgår i ${m[3]}.`],
  [/^KLE (\S+) is not in the embedded KLE catalogue$/,
    (m) => `KLE ${m[1]} findes ikke i KLE-kataloget.`],
  [/^malformed KLE selector (.*); expected NN, NN\.NN or NN\.NN\.NN$/,
    (m) => `Ugyldigt KLE-nummer ${m[1]}. Skriv en hovedgruppe, gruppe eller et emne som NN, NN.NN eller NN.NN.NN (fx 32.30).`],
  [/^malformed facet code (.*); expected .*$/,
    (m) => `Ugyldig facetkode ${m[1]}. Skriv et stort bogstav og to cifre (G01) eller et bogstav alene (K).`],
  [/^malformed duration (.*); expected .*$/,
    (m) => `Ugyldig varighed ${m[1]}. Skriv hele dage som P<antal>D (fx P1D).`],
  [/^expected "kle" or "source", got (.*)$/,
    (m) => `Titlen skal være "kle" (KLE-titel) eller "source" (fagsystemets titel), ikke ${m[1]}.`],
  [/^unknown field "([^"]*)"; did you mean "([^"]*)"\?$/,
    (m) => `Ukendt felt "${m[1]}" – mente du "${m[2]}"?`],
  [/^unknown field "([^"]*)"; expected one of: (.*)$/,
    (m) => `Ukendt felt "${m[1]}". Tilladte felter: ${m[2]}.`],
  [/^missing required field "([^"]*)"$/,
    (m) => `Feltet "${m[1]}" mangler.`],
  [/^expected a real calendar date YYYY-MM-DD$/,
    () => 'Værdien er ikke en gyldig dato. Brug formatet ÅÅÅÅ-MM-DD.'],
  [/^malformed CPR number; expected .*$/,
    () => 'Ugyldigt CPR-nummer. Skriv 10 cifre, evt. som DDMMÅÅ-LLLL.'],
  [/^expected a real calendar date YYYY-MM-DD, got (.*)$/,
    (m) => `${m[1]} er ikke en gyldig dato. Brug formatet ÅÅÅÅ-MM-DD.`],
  [/^malformed CPR number (.*); expected .*$/,
    (m) => `Ugyldigt CPR-nummer ${m[1]}. Skriv 10 cifre, evt. som DDMMÅÅ-LLLL.`],
  [/^the document is over the limit of (\d+) bytes \(10 MiB\)$/,
    () => 'Dokumentet er større end grænsen på 10 MiB.'],
  [/^the document is empty; expected a JSON object$/,
    () => 'Dokumentet er tomt; der forventes et JSON-objekt.'],
  [/^not valid JSON: (.*)$/,
    (m) => `Ikke gyldig JSON (${m[1]}).`],
  [/^expected (.+?), got (null|a boolean|a number|a string|an array|an object)\b ?(.*)$/,
    (m) => `Forventede ${EXPECTED[m[1]] ?? m[1]}, men fik ${GOT[m[2]] ?? m[2]}${m[3] && m[2] !== 'null' ? ` ${m[3]}` : ''}.`],
];

/**
 * A Danish version of one of the engine's problem messages. Messages the page does not know are
 * given as they are, after a Danish lead, so nothing is lost.
 */
export function problemMessage(message) {
  const text = String(message ?? '');
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) return make(m);
  }
  return `Beregningsmotoren melder: ${text}`;
}

/**
 * A Danish description of a JSON path for a message without a field of its own:
 * "municipality.areas[3].fromDate" → "Område nr. 4 › Fradato".
 */
export function pathLabel(path) {
  if (!path) return 'Hele dokumentet';
  const parts = [];
  for (const piece of String(path).split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(piece);
    if (!m) { parts.push(piece); continue; }
    const [, key, indexes] = m;
    const nums = [...indexes.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]) + 1);
    if (key === 'municipality' && nums.length === 0) continue;
    if (key === 'areas' && nums.length) { parts.push(`Område nr. ${nums[0]}`); continue; }
    if (key === 'records' && nums.length) { parts.push(`Post nr. ${nums[0]}`); continue; }
    if (key === 'relations' && nums.length) { parts.push(`Relation nr. ${nums[0]}`); continue; }
    const name = FIELD_NAMES[key] ?? key;
    parts.push(nums.length ? `${name} nr. ${nums.join(', ')}` : name);
  }
  return parts.join(' › ') || 'Hele dokumentet';
}
