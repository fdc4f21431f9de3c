// Danish formatting of dates and amounts. Pure functions, no DOM.

const MONTHS = [
  'januar', 'februar', 'marts', 'april', 'maj', 'juni',
  'juli', 'august', 'september', 'oktober', 'november', 'december',
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2021-02-03" → "3. februar 2021"; anything else is returned as given (null → ""). */
export function longDate(iso) {
  if (iso == null) return '';
  const m = ISO_DATE.exec(iso);
  if (!m) return String(iso);
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return String(iso);
  return `${Number(m[3])}. ${month} ${m[1]}`;
}

/** "2021-02-03" → "03.02.2021" (the short Danish form). */
export function shortDate(iso) {
  if (iso == null) return '';
  const m = ISO_DATE.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : String(iso);
}

/** Groups the digits of a non-negative integer string with "." every three digits. */
function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** An amount in øre as Danish kroner: 123450 → "1.234,50 kr.", -5 → "-0,05 kr.". */
export function kroner(ore) {
  if (typeof ore !== 'number' || !Number.isFinite(ore)) return '';
  const negative = ore < 0;
  // Integer arithmetic on the absolute value: exact for every amount JSON can carry as a safe integer.
  const abs = Math.abs(Math.trunc(ore));
  const kr = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${negative ? '-' : ''}${groupThousands(String(kr))},${String(rest).padStart(2, '0')} kr.`;
}

/** A count with Danish thousands separators: 10000 → "10.000". */
export function count(n) {
  return groupThousands(String(n));
}

/** The day before an ISO date, as an ISO date. */
export function dayBefore(iso) {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Whether a string is a real calendar date YYYY-MM-DD. */
export function isIsoDate(s) {
  const m = ISO_DATE.exec(s ?? '');
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Bytes as a Danish size: 20971520 → "20,0 MB". */
export function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
