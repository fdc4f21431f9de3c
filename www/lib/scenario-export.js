// "Gem som testscenarie": the citizen, viewer, date and settings on screen as one scenario file for
// `borgerblik test` (docs/scenarios.md), whose `expect` pins what the engine answers now: the visible
// ids and every record's reasons in rule order. Running `borgerblik test` on the file passes until
// the rules, the settings or the data change.

/**
 * The `expect` of an overview: visible ids in input order, and each record's reason codes, keyed by
 * its id, or by `#<index>` when the id is empty or repeated (the format's key for such records).
 */
export function expectOf(overview) {
  const seen = new Map();
  for (const d of overview.decisions) seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
  const reasons = {};
  overview.decisions.forEach((d, i) => {
    const key = d.id && seen.get(d.id) === 1 && !d.id.startsWith('#') ? d.id : `#${i}`;
    reasons[key] = d.reasons.map((r) => r.code);
  });
  return {
    visible: overview.decisions.filter((d) => d.visible).map((d) => d.id),
    reasons,
    summary: {
      records: overview.summary.records,
      visible: overview.summary.visible,
      hidden: overview.summary.hidden,
    },
  };
}

const indent = (text) => text.replace(/\n/g, '\n  ');

/**
 * The scenario file's text. `policy` is the policy document in effect ({ central?, municipality });
 * `requestText` the request exactly as the engine read it (kept as text, so large numbers and the
 * records' own fields reach `borgerblik test` unchanged); `overview` the engine's answer to it.
 */
export function scenarioText({ note, policy, requestText, overview }) {
  const own = policy.central
    ? ['policy', policy]
    : ['municipality', policy.municipality];
  const parts = [
    `  "note": ${JSON.stringify(note)}`,
    `  ${JSON.stringify(own[0])}: ${indent(JSON.stringify(own[1], null, 2))}`,
    `  "request": ${requestText}`,
    `  "expect": ${indent(JSON.stringify(expectOf(overview), null, 2))}`,
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** A file name for the download: testscenarie-<label>-<asOf>.json, in safe characters. */
export function scenarioFileName(label, asOf) {
  const slug = String(label ?? '')
    .toLowerCase()
    .replace(/\.json$/, '')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `testscenarie-${slug ? `${slug}-` : ''}${asOf}.json`;
}

/** Hands `text` to the browser as a download named `name`. */
export function download(text, name) {
  const blob = new Blob([text], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
