// SPDX-License-Identifier: MIT
// The dashboard's filters: read from the page's URL query, written back to it (so a wall screen
// can be bookmarked) and turned into the query of GET /v1/analysis. Pure functions, no DOM, so
// the Node tests check them.
//
// Page query: survey, period (none | day | week | month), by (comma-separated breakdowns:
// channel, step, journey_id, segment.<name>; repeatable), segments (comma-separated segment
// names, what the form without script sends), tz, refresh (seconds between polls, 2-3600,
// default 5); from, to, level, method, p_adjust, min_n are passed through to the server.

export const PERIODS = ['none', 'day', 'week', 'month'];
export const PASS_THROUGH = ['from', 'to', 'level', 'method', 'p_adjust', 'min_n'];
export const DEFAULT_REFRESH_S = 5;

const list = (values) => values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);

/** The filters of a URL query string ("?survey=a&by=channel,week"). */
export function readFilters(search) {
  const q = new URLSearchParams(search);
  const by = [];
  let period = PERIODS.includes(q.get('period')) ? q.get('period') : null;
  for (const d of list(q.getAll('by'))) {
    // A period given inside `by` (as the API takes it) is the period.
    if (PERIODS.includes(d) && d !== 'none') period ??= d;
    else if (!by.includes(d)) by.push(d);
  }
  for (const s of list(q.getAll('segments'))) {
    const d = s.startsWith('segment.') ? s : `segment.${s}`;
    if (!by.includes(d)) by.push(d);
  }
  const refresh = Number(q.get('refresh'));
  const extra = {};
  for (const k of PASS_THROUGH) if (q.get(k)) extra[k] = q.get(k);
  return {
    survey: q.get('survey') ?? '',
    period: period ?? 'none',
    by,
    tz: (q.get('tz') ?? '').trim(),
    refresh: Number.isFinite(refresh) && refresh >= 2 && refresh <= 3600 ? refresh : DEFAULT_REFRESH_S,
    extra,
  };
}

/** The page's URL query for `filters` (only what differs from the defaults). */
export function pageQuery(filters) {
  const q = new URLSearchParams();
  if (filters.survey) q.set('survey', filters.survey);
  if (filters.period && filters.period !== 'none') q.set('period', filters.period);
  if (filters.by.length) q.set('by', filters.by.join(','));
  if (filters.tz) q.set('tz', filters.tz);
  if (filters.refresh !== DEFAULT_REFRESH_S) q.set('refresh', String(filters.refresh));
  for (const [k, v] of Object.entries(filters.extra ?? {})) q.set(k, v);
  return q.toString();
}

/** The query of GET /v1/analysis for `filters`: the breakdowns and the period in `by`. */
export function analysisQuery(filters) {
  const q = new URLSearchParams();
  if (filters.survey) q.set('survey', filters.survey);
  const by = [...filters.by, ...(filters.period && filters.period !== 'none' ? [filters.period] : [])];
  if (by.length) q.set('by', by.join(','));
  if (filters.tz) q.set('tz', filters.tz);
  for (const [k, v] of Object.entries(filters.extra ?? {})) q.set(k, v);
  return q.toString();
}

/** A wall-clock time as HH:MM:SS (24 hours, the screen's own zone). */
export function clock(date) {
  const two = (n) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
