// SPDX-License-Identifier: MIT
// Draws a cxm.report v1 document (docs/report.md) into an element: header, totals, trend,
// distributions, breakdowns and the journey (journey.mjs), each chart with its numbers in a table. The page of
// `cxm report --html` and the dashboard of `cxm serve` share it. Everything from the JSON
// becomes text nodes or attribute values (createElement/textContent): nothing is parsed as
// HTML. Charts are Chart.js 4 canvases; the caller passes the Chart class (options.Chart) or
// loads it as globalThis.Chart.
import * as f from './format.mjs';
import { COLORS, FLAG_TEXT, arr, num, h, ltr, data, table, numbers, section, canvas, tick, grid, npsTick, meanTick, whiskerConfig } from './parts.mjs';
import { journeySection } from './journey.mjs';

export { COLORS, FLAG_TEXT };

/**
 * Draws `report` (the parsed cxm.report v1 object) into `root`, replacing its content.
 * options: {dir: 'ltr' | 'rtl' (the page's direction; default the root's), Chart (the
 * Chart.js 4 class; default globalThis.Chart)}. Returns {charts, destroy()}.
 */
export function renderReport(root, report, options = {}) {
  const Chart = options.Chart ?? globalThis.Chart;
  const dir = options.dir === 'rtl' || options.dir === 'ltr' ? options.dir : (root.closest('[dir]')?.getAttribute('dir') === 'rtl' ? 'rtl' : 'ltr');
  const rtl = dir === 'rtl';
  const charts = [];
  root.replaceChildren();
  root.setAttribute('dir', dir);
  root.classList.add('cxm-report');

  if (!report || report.format !== 'cxm.report' || report.version !== 1) {
    root.append(h('p', { class: 'error', role: 'alert' },
      `Not a cxm.report version 1 document (format ${JSON.stringify(report?.format ?? null)}, version ${JSON.stringify(report?.version ?? null)}).`));
    return { charts, destroy() {} };
  }
  const questions = arr(report.questions);
  const settings = report.settings ?? {};
  const narrow = (root.clientWidth || 1024) < 600;
  // A weighted report compares the weighted estimates (docs/report.md), so the charts show those;
  // the unweighted numbers stay beside them in the cards and tables.
  const weighted = settings.weighted === true;
  const ctx = { Chart, charts, rtl, narrow, settings, questions, weighted, scaleOf: (id) => questions.find((q) => q?.id === id)?.scale ?? null };

  const trendSections = [];
  for (const [i, q] of questions.entries()) trendSections.push(trendChart(ctx, report.trend, q, i));
  const distSections = arr(report.totals).map((m) => distributionChart(ctx, m));
  const breakdownSections = arr(report.breakdowns).flatMap((b, bi) => questions.map((q, qi) => breakdownChart(ctx, b, bi, q, qi)));

  root.append(...[
    header(report),
    kpis(report.totals, ctx),
    section('cxm-trend', `Trend by ${String(report.trend?.period ?? settings.period ?? 'period')}`, trendSections),
    section('cxm-distributions', 'Answers', distSections),
    section('cxm-breakdowns', 'Breakdowns', breakdownSections),
    journeySection(ctx, report.journey),
    h('footer', { class: 'foot' },
      `Intervals: ${f.level(settings.level)} confidence. Groups and periods with fewer than ${f.count(settings.min_n)} answers are marked small samples. `,
      `Breakdown flags compare each group with the rest of its breakdown after ${f.adjustName(settings.p_adjust)} adjustment of the p-values.`,
      weighted ? ' Weighted: each response counts 1/\u03c0 (\u03c0 its inclusion probability); estimates are H\u00e1jek ratios with linearization standard errors, and small samples are judged by the effective n (Kish). Answer distributions are unweighted counts.' : ''),
  ].filter(Boolean));
  // Charts are created once their canvases are in the document (Chart.js measures the parent).
  for (const make of ctx.pending ?? []) make();
  ctx.pending = [];
  return { charts, destroy() { for (const c of charts) c.destroy(); charts.length = 0; } };
}

function header(report) {
  const s = report.settings ?? {};
  const inp = report.input ?? {};
  const ts = inp.timestamps ?? {};
  const facts = [
    ['Responses', f.count(inp.responses)], ['Duplicates', f.count(inp.duplicates)],
    ['Rejected lines', f.count(inp.rejected_lines)], ['Answer problems', f.count(inp.answer_problems)],
    ['No timestamp', f.count(ts.missing)], ['Outside the dates', f.count(ts.out_of_range)],
  ];
  const set = [
    ['Confidence', f.level(s.level)], ['NPS interval', f.methodName(s.nps_method)],
    ['Flags adjusted by', f.adjustName(s.p_adjust)], ['Small sample below', `n = ${f.count(s.min_n)}`],
    ['Period', s.period ? String(s.period) : 'none'], ['Time zone', String(s.time_zone ?? 'UTC')],
    ['Weighting', s.weighted === true ? '1/\u03c0 (H\u00e1jek)' : 'none'],
  ];
  const unweighed = s.weighted === true && num(inp.without_probability)
    ? h('p', { class: 'warning', role: 'note' }, `${f.count(inp.without_probability)} responses carry no inclusion probability and count as \u03c0 = 1.`)
    : null;
  const span = ts.first || ts.last ? `${f.date(ts.first)} \u2013 ${f.date(ts.last)}` : null;
  const limits = [s.since ? `since ${f.date(s.since)}` : null, s.until ? `until ${f.date(s.until)}` : null].filter(Boolean).join(', ');
  const dl = (pairs, cls) => h('dl', { class: cls }, pairs.map(([k, v]) => h('div', {}, h('dt', {}, k), data('dd', v))));
  return h('header', { class: 'head' },
    h('p', { class: 'kicker' }, 'Customer experience report'),
    h('h1', {}, span ? `Responses ${span}` : 'All responses'),
    h('p', { class: 'sub' }, [limits ? `Filter: ${limits}. ` : '', `Made by ${String(report.generator ?? 'cxm')}.`].join('')),
    dl(facts, 'facts'),
    dl(set, 'settings'),
    unweighed);
}

/** One card per total: the headline number, its interval and n. */
function kpis(totals, ctx) {
  const cards = arr(totals).map((m) => {
    const q = ctx.questions.find((x) => x?.id === m?.question) ?? m;
    let big; let sub;
    const w = ctx.weighted ? m?.weighted : null;
    if (w) {
      const e = estimate(m, ctx);
      big = e.fmt(e.v);
      sub = `weighted ${f.interval(e.lo, e.hi, e.fmt)} \u00b7 unweighted ${m?.type === 'nps' ? f.points(m.score) : f.mean(m?.mean)}`;
    } else if (m?.type === 'nps') {
      big = f.points(m.score);
      sub = `${f.interval(m.interval?.lower, m.interval?.upper)} \u00b7 ${f.methodName(m.interval?.method)}`;
    } else {
      big = f.mean(m?.mean);
      sub = `top box ${f.share(m?.top_box?.share)} \u00b7 mean ${f.interval(m?.mean_interval?.lower, m?.mean_interval?.upper, f.mean)}`;
    }
    return h('div', { class: 'kpi', role: 'group', 'aria-label': f.questionTitle(q) },
      h('p', { class: 'kpi-title' }, f.questionTitle(q)),
      h('p', { class: 'kpi-value', 'data-metric': `${m?.question}.${w ? 'weighted.' : ''}${m?.type === 'nps' ? 'score' : 'mean'}` }, ltr(big)),
      h('p', { class: 'kpi-sub' }, ltr(sub)),
      h('p', { class: 'kpi-n' }, `n = ${f.count(m?.n)}`, w ? ` \u00b7 effective n = ${f.effectiveN(w.n_effective)}` : '',
        isSmall(m, ctx) ? ' \u00b7 small sample' : '',
        num(m?.skipped) ? ` \u00b7 ${f.count(m.skipped)} skipped` : ''));
  });
  return cards.length ? h('div', { class: 'kpis' }, cards) : null;
}

/** Whether a metric is a small sample: by n, or by the effective n in a weighted report. */
const isSmall = (m, ctx) => Boolean(ctx.weighted && m?.weighted ? m.weighted.small_sample : m?.small_sample);

/** The value, interval and formatter of a metric: NPS score or scale mean, the weighted one in a weighted report. */
function estimate(m, ctx) {
  const w = ctx?.weighted ? m?.weighted : null;
  if (w) {
    const nps = m?.type === 'nps';
    return { v: num(nps ? w.score : w.mean), lo: num(w.interval?.lower), hi: num(w.interval?.upper), fmt: nps ? f.points : f.mean,
      dfmt: nps ? f.points : f.meanDifference, what: nps ? 'Weighted NPS' : 'Weighted mean', method: w.interval?.method };
  }
  if (m?.type === 'nps') return { v: num(m.score), lo: num(m.interval?.lower), hi: num(m.interval?.upper), fmt: f.points, dfmt: f.points, what: 'NPS', method: m.interval?.method };
  return { v: num(m?.mean), lo: num(m?.mean_interval?.lower), hi: num(m?.mean_interval?.upper), fmt: f.mean, dfmt: f.meanDifference, what: 'Mean', method: m?.mean_interval?.method };
}

function trendChart(ctx, trend, q, qi) {
  const periods = arr(trend?.periods);
  if (!trend || !periods.length || !q) return null;
  const ms = periods.map((p) => arr(p?.questions)[qi] ?? null);
  if (!ms.some((m) => m && m.question === q.id)) return null;
  const es = ms.map((m) => estimate(m, ctx));
  const labels = periods.map((p) => f.isolate(p?.label, 16));
  const small = ms.map((m) => isSmall(m, ctx));
  const title = `${f.questionTitle(q)} by ${String(trend.period ?? 'period')}`;
  const nps = q.type === 'nps';
  // A band needs two neighbouring periods: a period with an interval and none beside it (a
  // single period, or one between empty ones) shows its bounds as short dashes instead.
  const has = (i) => es[i] !== undefined && es[i].lo !== null && es[i].hi !== null;
  const alone = es.map((_, i) => has(i) && !has(i - 1) && !has(i + 1));
  const bound = { pointStyle: 'dash', pointRadius: alone.map((a) => (a ? 14 : 0)), pointHoverRadius: alone.map((a) => (a ? 14 : 0)),
    pointBorderColor: COLORS.line, pointBorderWidth: 2 };
  const config = {
    data: {
      labels,
      datasets: [
        { type: 'line', label: 'Interval low', data: es.map((e) => e.lo), borderWidth: 0, ...bound, fill: false, spanGaps: false, yAxisID: 'y', order: 3 },
        { type: 'line', label: `${f.level(ctx.settings.level)} interval`, data: es.map((e) => e.hi), borderWidth: 0, ...bound, backgroundColor: COLORS.band, fill: '-1', spanGaps: false, yAxisID: 'y', order: 3 },
        { type: 'line', label: es[0].what, data: es.map((e) => e.v), borderColor: COLORS.line, backgroundColor: COLORS.line, pointBackgroundColor: small.map((s) => (s ? '#ffffff' : COLORS.line)),
          pointBorderColor: COLORS.line, pointStyle: small.map((s) => (s ? 'triangle' : 'circle')), pointRadius: small.map((s) => (s ? 6 : 4)),
          borderWidth: 2.5, spanGaps: false, yAxisID: 'y', order: 1 },
        { type: 'bar', label: 'Responses (n)', data: ms.map((m) => num(m?.n) ?? 0), backgroundColor: COLORS.n, yAxisID: 'n', order: 4, barPercentage: 0.6 },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { reverse: ctx.rtl, ticks: tick(), grid: { display: false } },
        y: { position: ctx.rtl ? 'right' : 'left', ticks: { ...tick(), callback: (v) => (nps ? npsTick(v) : meanTick(v)) }, grid,
          title: { display: true, text: es[0].what, color: COLORS.muted } },
        n: { position: ctx.rtl ? 'left' : 'right', beginAtZero: true, grid: { display: false }, ticks: tick(11),
          title: { display: true, text: 'n', color: COLORS.muted } },
      },
      plugins: {
        legend: { labels: { filter: (item) => item.text !== 'Interval low' } },
        tooltip: { callbacks: { label: (c) => (c.dataset.yAxisID === 'n' ? `n = ${f.count(c.parsed.y)}` : c.datasetIndex === 2 ? `${es[0].what} ${es[0].fmt(c.parsed.y)}` : null) } },
      },
    },
  };
  const smallNote = small.some(Boolean) ? ' Hollow triangles: small samples.' : '';
  const label = `${title}: ${periods.length} periods, ${es[0].what} with its ${f.level(ctx.settings.level)} interval as a band and the number of answers as bars.${smallNote}`;
  const rows = periods.map((p, i) => {
    const e = es[i];
    const ch = arr(p?.change)[qi];
    return [
      data('span', p?.label), f.count(ms[i]?.n), ...(ctx.weighted ? [f.effectiveN(ms[i]?.weighted?.n_effective)] : []), e.fmt(e.v), f.interval(e.lo, e.hi, e.fmt),
      ch ? `${e.dfmt(num(ch.difference))} (${f.interval(num(ch.lower), num(ch.upper), e.dfmt)})` : '\u2013',
      ch ? f.pValue(num(ch.p_value)) : '\u2013',
      small[i] ? 'small sample' : '',
    ];
  });
  return h('figure', { class: 'block' },
    h('figcaption', {}, h('h3', {}, title), h('p', { class: 'note' }, `Band: ${f.level(ctx.settings.level)} interval${alone.some(Boolean) ? ' (dashes for a period with none beside it)' : ''}. Bars: answers per period.${smallNote}`)),
    canvas(ctx, 'chart-trend', label, config),
    numbers(table(title, ['Period', 'n', ...(ctx.weighted ? ['Effective n'] : []), es[0].what, 'Interval', 'Change vs previous', 'p-value', 'Note'], rows)));
}

function distributionChart(ctx, m) {
  if (!m || !Array.isArray(m.distribution)) return null;
  const q = ctx.questions.find((x) => x?.id === m.question) ?? { id: m.question, type: m.type };
  const scale = ctx.scaleOf(m.question) ?? (m.type === 'nps' ? { min: 0, max: 10, top_box_min: 9 } : { min: 1, max: m.distribution.length, top_box_min: m.top_box?.min });
  const min = num(scale.min) ?? 0;
  const dist = m.distribution.map((c) => num(c) ?? 0);
  const n = dist.reduce((a, b) => a + b, 0);
  const values = dist.map((_, i) => min + i);
  const nps = m.type === 'nps';
  const kind = (v) => (nps ? (v <= 6 ? 'detractor' : v <= 8 ? 'passive' : 'promoter') : v >= (num(m.top_box?.min) ?? num(scale.top_box_min) ?? Infinity) ? 'top' : 'rest');
  const kinds = values.map(kind);
  const title = `${f.questionTitle(q)}: answers`;
  const groups = nps ? [['detractor', 'Detractors (0\u20136)'], ['passive', 'Passives (7\u20138)'], ['promoter', 'Promoters (9\u201310)']]
    : [['rest', 'Below top box'], ['top', `Top box (${f.count(m.top_box?.min ?? scale.top_box_min)}+)`]];
  // One dataset per category, so the legend names them; each bar is in exactly one.
  const datasets = groups.map(([k, name]) => ({
    label: name, data: dist.map((c, i) => (kinds[i] === k ? c : null)), backgroundColor: COLORS[k], borderColor: COLORS[k], skipNull: true,
    borderSkipped: false, barPercentage: 0.86, categoryPercentage: 1, grouped: false,
  }));
  const config = {
    type: 'bar',
    data: { labels: values.map(String), datasets },
    options: {
      scales: {
        x: { reverse: ctx.rtl, ticks: tick(), grid: { display: false }, title: { display: true, text: 'Answer', color: COLORS.muted } },
        y: { position: ctx.rtl ? 'right' : 'left', beginAtZero: true, grace: '5%', ticks: tick(), grid, title: { display: true, text: 'Answers', color: COLORS.muted } },
      },
      plugins: { tooltip: { callbacks: { label: (c) => `${f.count(c.parsed.y)} (${f.share(n ? c.parsed.y / n : null)})` } } },
    },
  };
  let summary;
  if (nps) {
    const parts = [['Detractors', m.detractors], ['Passives', m.passives], ['Promoters', m.promoters]];
    summary = `NPS ${f.points(m.score)} = promoters ${f.share(n ? m.promoters / n : null)} \u2212 detractors ${f.share(n ? m.detractors / n : null)}. `
      + parts.map(([k, c]) => `${k}: ${f.count(c)}`).join(', ') + '.';
  } else {
    summary = `Mean ${f.mean(m.mean)} (${f.interval(m.mean_interval?.lower, m.mean_interval?.upper, f.mean)}); top box ${f.share(m.top_box?.share)} `
      + `(${f.interval(m.top_box?.lower, m.top_box?.upper, f.share)}, ${f.methodName(m.top_box?.method)}).`;
  }
  const rows = values.map((v, i) => [String(v), f.count(dist[i]), f.share(n ? dist[i] / n : null), groups.find(([k]) => k === kinds[i])?.[1] ?? '']);
  return h('figure', { class: 'block' },
    h('figcaption', {}, h('h3', {}, title), h('p', { class: 'note' }, `n = ${f.count(m.n)}. ${summary}`)),
    canvas(ctx, 'chart-dist', `${title}. ${summary}`, config),
    numbers(table(title, ['Answer', 'Count', 'Share', 'Category'], rows)));
}

function breakdownChart(ctx, b, bi, q, qi) {
  const groups = arr(b?.groups);
  const ms = groups.map((g) => arr(g?.questions)[qi] ?? null);
  if (!groups.length || !q || !ms.some((m) => m && m.question === q.id)) return null;
  const es = ms.map((m) => estimate(m, ctx));
  const level = f.level(ctx.settings.level);
  const adjust = f.adjustName(ctx.settings.p_adjust);
  const dim = String(b.dimension ?? '');
  const flags = ms.map((m) => (m?.vs_rest?.flag === 'higher' || m?.vs_rest?.flag === 'lower' ? m.vs_rest.flag : null));
  const colour = (i) => (flags[i] ? COLORS[flags[i]] : COLORS.neutral);
  const labels = groups.map((g, i) => [f.isolate(g?.value, ctx.narrow ? 14 : 36),
    `n = ${f.count(ms[i]?.n)}${isSmall(ms[i], ctx) ? ' \u00b7 small' : ''}${flags[i] ? (ctx.narrow ? ' ' + FLAG_TEXT[flags[i]][0] : ' \u00b7 ' + FLAG_TEXT[flags[i]]) : ''}`]);
  const nps = q.type === 'nps';
  const config = whiskerConfig(ctx, labels, es, {
    nps, what: es[0].what, fmt: es[0].fmt, colour,
    pointStyle: (i) => (flags[i] === 'higher' ? 'triangle' : flags[i] === 'lower' ? 'rectRot' : 'circle'),
  });
  const title = `${f.questionTitle(q)} by `;
  const flagged = flags.filter(Boolean).length;
  const note = `Whiskers: ${level} intervals. Each group is compared with the rest of “${dim}”; `
    + `\u25B2 higher / \u25BC lower when the p-value after ${adjust} adjustment is below ${f.share(1 - (num(ctx.settings.level) ?? 0.95)).replace('.0%', '%')}. `
    + `${flagged} of ${groups.length} flagged.`;
  const rows = groups.map((g, i) => {
    const m = ms[i]; const e = es[i]; const vr = m?.vs_rest;
    return [data('span', g?.value), f.count(m?.n), ...(ctx.weighted ? [f.effectiveN(m?.weighted?.n_effective)] : []), e.fmt(e.v), f.interval(e.lo, e.hi, e.fmt),
      vr ? `${e.dfmt(num(vr.difference))} (${f.interval(num(vr.lower), num(vr.upper), e.dfmt)})` : '\u2013',
      vr ? f.pValue(num(vr.p_value)) : '\u2013', vr ? f.pValue(num(vr.p_adjusted)) : '\u2013',
      h('span', { class: flags[i] ? `flag flag-${flags[i]}` : 'flag' }, flags[i] ? FLAG_TEXT[flags[i]] : isSmall(m, ctx) ? 'small sample' : ''),
    ];
  });
  const overflow = num(b.overflow) ? h('p', { class: 'note' }, `Not listed (overflow): ${f.count(b.overflow)}.`) : null;
  const chartLabel = `${f.questionTitle(q)} by ${dim}: ${groups.length} groups with ${level} intervals; ${flagged} flagged after ${adjust} adjustment.`;
  return h('figure', { class: 'block', 'data-breakdown': String(bi), 'data-question': String(q.id ?? '') },
    h('figcaption', {}, h('h3', {}, title, data('bdi', dim)), h('p', { class: 'note' }, note), overflow),
    canvas(ctx, 'chart-breakdown', chartLabel, config, 56 + 46 * groups.length),
    numbers(table(`${f.questionTitle(q)} by ${dim}`, ['Group', 'n', ...(ctx.weighted ? ['Effective n'] : []), es[0].what, 'Interval', 'Difference vs rest', 'p-value', `p adjusted (${String(ctx.settings.p_adjust ?? '')})`, 'Flag'], rows)));
}
