// Index data on the preview page (docs/import.md): SF1470 v6 Sag/Dokument and Ydelsesindeks v6 XML
// files, picked or dropped together, are imported in the browser by the second wasm module
// (generated/pkg-import/: the engine plus the importer), which is fetched only on the first XML
// file, so the page's evaluating module keeps its size budget. The records depend on the evaluation
// date, so the page imports again when the date changes (`reimport`, synchronous once loaded).
// Nothing leaves the machine.

import { h, replace } from './dom.js';

/** The importer's file limit (src/limits.rs MAX_XML_BYTES). */
const MAX_XML_BYTES = 16 * 1024 * 1024;

/** Any valid CPR for the import call: the records do not depend on the viewer. */
const ANY_VIEWER = '0101010000';

/** The sample citizen made of XML files (samples/xml/), offered beside the JSON samples. */
export const XML_SAMPLE = {
  value: 'xml:indeksdata',
  label: 'Borger fra indeksdata – SF1470- og Ydelsesindeks-XML (3 filer)',
  files: ['fremsoeg-sag.xml', 'ydelse-bevilling.xml', 'ydelse-udbetalinger.xml'],
};

let loading = null;

/** The importing module, loaded and initialised once (on the first XML file). */
export function loadImporter() {
  loading ??= import('../generated/pkg-import/borgerblik.js').then(async (m) => {
    await m.default();
    return m;
  });
  return loading;
}

export function isXml(file) {
  return /\.xml$/i.test(file.name) || /\bxml\b/.test(file.type ?? '');
}

/** The files as `{ name, data }` for importIndex, refusing one over the limit before reading it. */
export async function readXmlFiles(list) {
  const out = [];
  for (const f of list) {
    if (f.size > MAX_XML_BYTES) {
      throw new Error(`Filen "${f.name}" fylder mere end 16 MiB, som er grænsen for en XML-fil. Den er ikke indlæst.`);
    }
    out.push({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) });
  }
  return out;
}

/** The sample's files, fetched from generated/samples/xml/. */
export async function fetchXmlSample() {
  return Promise.all(XML_SAMPLE.files.map(async (name) => {
    const res = await fetch(`generated/samples/xml/${encodeURIComponent(name)}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`Eksempelfilen "${name}" kunne ikke hentes (HTTP ${res.status}).`);
    return { name, data: new Uint8Array(await res.arrayBuffer()) };
  }));
}

/** The citizen of the records: the CPR that is party to most of them (cases' primary party, benefits' recipient). */
function citizenOf(records) {
  const counts = new Map();
  for (const r of records) {
    const cpr = r.kind === 'benefit' ? r.recipient : r.primaryParty;
    if (cpr) counts.set(cpr, (counts.get(cpr) ?? 0) + 1);
  }
  let best = null;
  for (const [cpr, n] of counts) if (!best || n > best[1]) best = [cpr, n];
  return best?.[0] ?? ANY_VIEWER;
}

/**
 * Imports the files for `asOf`: `{ request, problems, module }`. `request` has the citizen as viewer.
 * A refused file throws an Error whose `content` lists every refused file in Danish.
 */
export async function importXml(files, asOf) {
  const module = await loadImporter();
  const result = run(module, files, asOf);
  result.request.viewer = { cpr: citizenOf(result.request.records) };
  return { ...result, module };
}

function run(module, files, asOf) {
  try {
    return module.importIndex(files, { asOf, viewer: ANY_VIEWER });
  } catch (e) {
    const err = new Error(e.message);
    const refusals = e.refusals ?? [];
    err.content = [
      h('p', null, refusals.length
        ? 'Filerne er ikke indlæst, fordi disse ikke kan læses (den hidtidige borger vises stadig):'
        : `Filerne er ikke indlæst: ${e.message}`),
      h('ul', null, refusals.map((r) => h('li', { class: 'xml-refusal' },
        h('strong', null, r.file), ` (linje ${r.line}, kolonne ${r.column}): ${danishRefusal(r.message)}`))),
    ];
    throw err;
  }
}

/** The records again for a new date (the module is loaded by then): `{ request, problems }`. */
export function reimport(module, files, asOf, viewer) {
  const result = run(module, files, asOf);
  result.request.viewer = viewer;
  return result;
}

/** A refusal in Danish (the English original stays in the element's title for developers). */
export function danishRefusal(message) {
  const rules = [
    [/DOCTYPE/, 'Filen indeholder en DOCTYPE (DTD). Den læses aldrig, af sikkerhedshensyn.'],
    [/partial update/, 'Filen er en delvis opdatering (opdater/fjern), som ikke kan vises alene. Brug et importer-kald eller et fremsoeg-svar.'],
    [/1\.2 schemas/, 'Filen bruger SF1470 version 1.2; kun version 6 kan læses.'],
    [/refused root/, 'Filen er ikke et importer-kald eller fremsoeg-svar fra Sags- og Dokumentindekset eller Ydelsesindekset (version 6).'],
    [/not well-formed/, 'Filen er ikke gyldig XML.'],
    [/not UTF-8|encoding other than UTF-8/, 'Filen er ikke UTF-8-tekst.'],
    [/over the limit|more than/, 'Filen er for stor.'],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? `Filen kan ikke læses (${message}).`;
}

/** A per-object problem in Danish: the object's UUID, then what it means for the citizen. */
export function danishProblem(message) {
  const at = message.indexOf(': ');
  const uuid = at > 0 ? message.slice(0, at) : '';
  const text = at > 0 ? message.slice(at + 2) : message;
  const rules = [
    [/not a CPR number/, 'parten er ikke et CPR-nummer (fx en virksomhed), så posten vises ikke for nogen borger.'],
    [/different .* values in force at once/, 'flere forskellige parter gælder samtidig. Der gættes aldrig, så posten vises ikke.'],
    [/more than two decimals/, 'beløbet har mere end to decimaler (1.500 kan være 1,5 kr. eller 1.500 kr.). Udbetalingen er udeladt.'],
    [/not an amount|beyond 2\^53|no Ydelsesbeloeb/, 'udbetalingens beløb kan ikke læses. Udbetalingen er udeladt.'],
    [/Dispositionsdato/, 'udbetalingens dato kan ikke læses. Udbetalingen er udeladt.'],
    [/created after the evaluation date/, 'sagen er oprettet efter beregningsdatoen og er ikke med.'],
    [/LivscyklusKode/, 'objektet er slettet eller passiveret og er ikke med.'],
    [/slices in force at once/, 'flere udgaver gælder samtidig; den nyeste er brugt.'],
    [/Registrering/, 'registreringerne kan ikke ordnes entydigt; den første er brugt.'],
    [/Virkning|FraTidspunkt|TilTidspunkt/, 'en tidsperiode (virkning) kan ikke læses og regnes for ikke gældende.'],
    [/passed through so the engine refuses/, 'en værdi er ugyldig, så posten skjules (ugyldig post).'],
    [/no Fremdrift in force/, 'ingen status gælder på datoen, så sagen skjules (ugyldig post).'],
    [/no Primær klasse|kle is null/, 'sagen har ingen KLE-emne på datoen, så den skjules (ugyldig post).'],
    [/createdDate is null|startDate is null/, 'oprettelsesdatoen mangler, så posten skjules (ugyldig post).'],
    [/duplicate Dokument/, 'dokumentet findes to gange; det første er brugt.'],
    [/UUID/, 'objektets UUID mangler eller er ugyldigt.'],
  ];
  const danish = rules.find(([re]) => re.test(text))?.[1] ?? `indlæsningsproblem (${text})`;
  return { uuid, danish };
}

/**
 * Shows the import problems next to the file names (one list per file; files without problems
 * say so). The list lives right after `anchor`.
 */
export function showXmlProblems(anchor, files, problems) {
  let box = document.getElementById('xml-problems');
  if (!box) {
    box = h('div', { id: 'xml-problems', class: 'xml-problems', 'aria-live': 'polite' });
    anchor.after(box);
  }
  if (!files) {
    box.hidden = true;
    replace(box);
    return;
  }
  box.hidden = false;
  replace(box,
    h('p', null, `Indlæst fra indeksdata (${files.length} XML-fil${files.length === 1 ? '' : 'er'}); problemer pr. fil:`),
    h('ul', null, files.map((f) => {
      const mine = problems.filter((p) => p.file === f.name);
      return h('li', { class: 'xml-file', dataset: { file: f.name, problems: String(mine.length) } },
        h('strong', null, f.name), mine.length ? `: ${mine.length} problem${mine.length === 1 ? '' : 'er'}` : ': ingen problemer',
        mine.length ? h('ul', null, mine.map((p) => {
          const { uuid, danish } = danishProblem(p.message);
          return h('li', { class: 'xml-problem', title: `${p.path}\n${p.message}` },
            uuid ? h('code', null, uuid) : null, uuid ? ': ' : null, danish);
        })) : null);
    })));
}
