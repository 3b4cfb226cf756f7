// SPDX-License-Identifier: MIT
// Number and label formatting of the report page (cxm.report v1): pure functions, no DOM, so
// the Node tests check them and the page, the dashboard and the tests format alike.

const MINUS = '\u2212';
const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const signed = (text, x) => (x > 0 ? '+' + text : x < 0 ? MINUS + text.replace('-', '') : text);

/** A count: 3,027; "–" when missing. */
export function count(x) {
  return isNum(x) ? counts.format(x) : '\u2013';
}

/** An NPS score or difference in points, signed, one decimal: +22.2, −8.3, 0.0. */
export function points(x) {
  return isNum(x) ? signed(Math.abs(x).toFixed(1), Math.round(x * 10)) : '\u2013';
}

/** Kish's effective n: one decimal (812.6); "–" when missing. */
export function effectiveN(x) {
  return isNum(x) ? new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x) : '\u2013';
}

/** A mean (CES, CSAT): two decimals. */
export function mean(x) {
  return isNum(x) ? (x < 0 ? MINUS : '') + Math.abs(x).toFixed(2) : '\u2013';
}

/** A difference of means, signed, two decimals. */
export function meanDifference(x) {
  return isNum(x) ? signed(Math.abs(x).toFixed(2), Math.round(x * 100)) : '\u2013';
}

/** A share in [0, 1] as a percentage with one decimal: 71.0%. */
export function share(x) {
  return isNum(x) ? (x * 100).toFixed(1) + '%' : '\u2013';
}

/** A confidence level (0.95) as 95%. */
export function level(x) {
  return isNum(x) ? `${Number((x * 100).toFixed(2))}%` : '\u2013';
}

/** An interval [lower, upper] formatted with `f`: "18.9 to 25.4". */
export function interval(lower, upper, f = points) {
  return isNum(lower) && isNum(upper) ? `${f(lower)} to ${f(upper)}` : '\u2013';
}

/** A p-value: "< 0.001" below 0.001, else two significant digits (0.19, 0.054). */
export function pValue(p) {
  if (!isNum(p)) return '\u2013';
  if (p < 0.001) return '< 0.001';
  return String(Number(p.toPrecision(2)));
}

/** Names of settings values, for people. */
const METHODS = {
  adjusted_wald: 'adjusted Wald', wald: 'Wald', score: 'Tango score', t: 't', student_t: 'Student t', hall_t: 'Hall skew-corrected t', wilson: 'Wilson', welch_t: 'Welch t',
};
const ADJUST = {
  BH: 'Benjamini\u2013Hochberg', holm: 'Holm', bonferroni: 'Bonferroni', none: 'no adjustment',
};
export const methodName = (m) => METHODS[m] ?? String(m ?? '\u2013');
export const adjustName = (m) => ADJUST[m] ?? String(m ?? '\u2013');

/** Question type names for headings. */
export function questionTitle(q) {
  const t = { nps: 'NPS', ces: 'CES', csat: 'CSAT' }[q?.type] ?? String(q?.type ?? '');
  return q?.id && q.id !== q.type ? `${t} (${q.id})` : t;
}

/** An RFC 3339 time as its date (2026-10-05); the text itself when it is not one. */
export function date(t) {
  if (typeof t !== 'string') return '\u2013';
  const m = /^(\d{4}-\d{2}-\d{2})T/.exec(t);
  return m ? m[1] : t;
}

/**
 * A data label for a canvas: first-strong isolated (U+2068 … U+2069), the canvas twin of
 * dir="auto", so a Hebrew name with digits or brackets keeps its order in a left-to-right chart;
 * cut to `max` characters.
 */
export function isolate(text, max = 40) {
  let s = String(text ?? '');
  if ([...s].length > max) s = [...s].slice(0, max - 1).join('') + '\u2026';
  return '\u2068' + s + '\u2069';
}

/** A duration in ms at the precision a reader needs: 850 ms, 12.3 s, 4.5 min, 3.2 h, 2.1 d. */
export function duration(ms) {
  if (!isNum(ms)) return '\u2013';
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 60e3) return `${(ms / 1e3).toFixed(1)} s`;
  if (ms < 3600e3) return `${(ms / 60e3).toFixed(1)} min`;
  if (ms < 86400e3) return `${(ms / 3600e3).toFixed(1)} h`;
  return `${(ms / 86400e3).toFixed(1)} d`;
}

/** A journey step's duration band (docs/report.md, journey): "≤ 50.5 s", "50.5 s – 1.5 min", "> 1.5 min". */
export function durationBand(b) {
  const lo = isNum(b?.lower_ms) ? duration(b.lower_ms) : null;
  const hi = isNum(b?.upper_ms) ? duration(b.upper_ms) : null;
  if (lo && hi) return `${lo} \u2013 ${hi}`;
  if (hi) return `\u2264 ${hi}`;
  if (lo) return `> ${lo}`;
  return '\u2013';
}
