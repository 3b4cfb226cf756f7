// SPDX-License-Identifier: MIT
// The parts every chart of the report page is made of (render.mjs, journey.mjs): colours,
// elements built with createElement/textContent only (nothing from the JSON is parsed as
// HTML), the numbers tables under the charts, and Chart.js canvases with the page's defaults.

import * as f from './format.mjs';

// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies); flags and
// categories also carry a symbol or a word, never colour alone.
export const COLORS = {
  detractor: '#D55E00', passive: '#9A9A9A', promoter: '#0072B2', ink: '#1f2328', muted: '#59636e',
  band: 'rgba(0, 114, 178, 0.16)', line: '#0072B2', n: 'rgba(89, 99, 110, 0.22)', grid: '#e6e8eb',
  higher: '#0072B2', lower: '#D55E00', neutral: '#59636e', top: '#009E73', rest: '#b9c0c8',
};
export const FLAG_TEXT = { higher: '\u25B2 higher', lower: '\u25BC lower' };
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Hebrew", Arial, sans-serif';

export const arr = (x) => (Array.isArray(x) ? x : []);
export const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Builds an element. attrs: class, dir, id, role, aria-*, data-*, open, scope, colspan; children: nodes or text. */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'style' || k.startsWith('on')) throw new Error(`report: attribute ${k} is not allowed`);
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}
/** Numbers and English fragments keep left-to-right order inside a right-to-left page. */
export const ltr = (text) => h('span', { dir: 'ltr' }, text);
/** Text from the JSON (a group name, a period label): its own direction. */
export const data = (tag, text, attrs = {}) => h(tag, { dir: 'auto', ...attrs }, String(text ?? ''));

/** A table: head row of strings, body rows of cells (strings or nodes, data text in its own dir=auto element); the first cell of a row is a row header. */
export function table(caption, head, rows) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => {
      const cell = typeof c === 'string' ? ltr(c) : c;
      return i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell);
    })))));
}

/** The numbers under a chart: a closed <details> on screen, open in print. */
export const numbers = (tbl) => h('details', { class: 'numbers' }, h('summary', {}, 'Numbers'), tbl);

/** A section with a heading; null when it has nothing in it. */
export function section(id, title, ...body) {
  const parts = body.flat().filter(Boolean);
  if (!parts.length) return null;
  return h('section', { class: 'section', 'aria-labelledby': id }, h('h2', { id }, title), parts);
}

/** A canvas in a box of the given CSS class; the chart is made once the canvas is in the document. */
export function canvas(ctx, cls, label, config, heightPx = null) {
  // Canvas text runs left to right (numbers, axis labels); data labels are isolated (f.isolate).
  const c = h('canvas', { role: 'img', 'aria-label': label, dir: 'ltr' });
  c.append(document.createTextNode(label));
  const box = h('div', { class: `chart ${cls}` }, c);
  if (heightPx) box.style.height = `${heightPx}px`;
  (ctx.pending ??= []).push(() => {
    if (!ctx.Chart) return;
    ctx.charts.push(new ctx.Chart(c, withDefaults(config, ctx.rtl)));
  });
  return box;
}

export function withDefaults(config, rtl) {
  const o = config.options ?? {};
  return {
    ...config,
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, locale: 'en-US',
      devicePixelRatio: Math.max(2, globalThis.devicePixelRatio || 1),
      font: { family: FONT },
      ...o,
      plugins: {
        ...o.plugins,
        legend: { rtl, textDirection: 'ltr', labels: { font: { family: FONT, size: 12 }, color: COLORS.ink, boxWidth: 14 }, ...o.plugins?.legend },
        tooltip: { rtl, textDirection: 'ltr', ...o.plugins?.tooltip },
      },
    },
  };
}

export const tick = (size = 12) => ({ color: COLORS.muted, font: { family: FONT, size } });
export const grid = { color: COLORS.grid };
/** Axis tick labels: NPS points signed (+10, 0, −20), means with the decimals the step needs. */
export const npsTick = (v) => (Number.isInteger(v) ? f.points(v).replace(/\.0$/, '') : f.points(v));
export const meanTick = (v) => (Number.isInteger(v) ? String(v) : f.mean(v));


/**
 * A horizontal interval chart: per row, the interval as a floating bar and the estimate as a
 * point (the breakdowns and the journey's NPS draw with it). es: [{v, lo, hi}]; colour(i) the
 * row's colour, pointStyle(i) its point, hollow(i) a white point (a small sample); nps: an NPS
 * axis (0 kept in view: the sign matters) or a mean's; what and fmt name and format the estimate.
 */
export function whiskerConfig(ctx, labels, es, { nps, what, fmt, colour, pointStyle, hollow = () => false }) {
  const level = f.level(ctx.settings.level);
  return {
    data: {
      labels,
      datasets: [
        { type: 'bar', label: `${level} interval`, data: es.map((e) => (e.lo === null || e.hi === null ? null : [e.lo, e.hi])),
          backgroundColor: es.map((_, i) => colour(i) + '55'), borderColor: es.map((_, i) => colour(i)), borderWidth: 1,
          borderSkipped: false, barThickness: 10, indexAxis: 'y', order: 2 },
        { type: 'line', label: what, data: es.map((e) => e.v), showLine: false, indexAxis: 'y', order: 1,
          pointStyle: es.map((_, i) => pointStyle(i)), pointRadius: 7, pointHoverRadius: 8,
          pointBackgroundColor: es.map((_, i) => (hollow(i) ? '#ffffff' : colour(i))),
          pointBorderColor: es.map((_, i) => (hollow(i) ? colour(i) : '#ffffff')), pointBorderWidth: 1.5 },
      ],
    },
    options: {
      indexAxis: 'y',
      interaction: { mode: 'nearest', axis: 'y', intersect: false },
      scales: {
        y: { position: ctx.rtl ? 'right' : 'left', ticks: { ...tick(12), color: COLORS.ink }, grid: { display: false } },
        // NPS keeps 0 in view (the sign matters); a mean is read against its neighbours.
        x: { reverse: ctx.rtl, beginAtZero: nps, grace: '4%', ticks: { ...tick(), callback: (v) => (nps ? npsTick(v) : meanTick(v)) }, grid,
          title: { display: true, text: `${what} with its ${level} interval`, color: COLORS.muted } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => (c.datasetIndex === 1 ? `${what} ${fmt(c.parsed.x)}` : `${level} interval ${f.interval(es[c.dataIndex].lo, es[c.dataIndex].hi, fmt)}`) } },
      },
    },
  };
}
