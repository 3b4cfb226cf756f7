// SPDX-License-Identifier: MIT
// The journey section of the report page (docs/report.md, "journey"): the funnel with its
// drop-off, step-duration percentiles by channel, NPS by step and by duration band with their
// intervals, and the effort index split into its components. Each chart has its numbers in a
// table; step and channel names are data text (their own direction, never parsed as HTML).
import * as f from './format.mjs';
import { COLORS, arr, num, h, data, table, numbers, section, canvas, tick, grid, whiskerConfig } from './parts.mjs';

// The effort index's parts (docs/report.md: weight · count / journeys) in a stable order, with
// Okabe–Ito colours; the legend and the table name them, so colour is never the only cue.
const EFFORT_PARTS = [
  ['transfers', 'Transfers', '#0072B2'], ['recontacts', 'Recontacts (×2)', '#D55E00'],
  ['channel_switches', 'Channel switches', '#009E73'], ['repeats', 'Repeats', '#CC79A7'],
  ['wait_points', 'Waiting (per 5 min)', '#E69F00'],
];
const channelName = (c) => (c ? String(c) : '(no channel)');
const stepName = (s) => (s ? String(s) : 'All journeys');

/** The section, or null when the report has no journey. */
export function journeySection(ctx, j) {
  if (!j || typeof j !== 'object') return null;
  const title = `Journey ${String(j.id ?? '')} (revision ${f.count(j.revision)}): ${f.count(j.started)} started, ${f.count(j.completed)} completed`;
  return section('cxm-journey', 'Journey',
    h('p', { class: 'note', 'data-journey': String(j.id ?? '') }, title),
    funnelChart(ctx, arr(j.funnel)), durationChart(ctx, arr(j.durations)), npsByStep(ctx, arr(j.nps)),
    npsByBand(ctx, arr(j.nps)), effortChart(ctx, [j.effort, ...arr(j.step_effort)].filter(Boolean)));
}

function figure(kind, heading, note, chart, tbl) {
  return h('figure', { class: 'block', 'data-journey-chart': kind },
    h('figcaption', {}, h('h3', {}, heading), note ? h('p', { class: 'note' }, note) : null), chart, numbers(tbl));
}

const barHeight = (rows, per = 40) => 64 + per * rows;

function funnelChart(ctx, rows) {
  if (!rows.length) return null;
  const title = 'Funnel: journeys reaching each step, and where they stopped';
  const config = {
    type: 'bar',
    data: {
      labels: rows.map((r) => f.isolate(r?.step, ctx.narrow ? 14 : 36)),
      datasets: [
        { label: 'Reached', data: rows.map((r) => num(r?.reached) ?? 0), backgroundColor: COLORS.promoter },
        { label: 'Dropped here (furthest step, not completed)', data: rows.map((r) => num(r?.dropped) ?? 0), backgroundColor: COLORS.detractor },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: {
        y: { position: ctx.rtl ? 'right' : 'left', ticks: { ...tick(12), color: COLORS.ink }, grid: { display: false } },
        x: { reverse: ctx.rtl, beginAtZero: true, ticks: tick(), grid, title: { display: true, text: 'Journeys', color: COLORS.muted } },
      },
    },
  };
  const label = `${title}: ${rows.map((r) => `${String(r?.step ?? '')} ${f.count(r?.reached)} reached, ${f.count(r?.dropped)} dropped`).join('; ')}.`;
  const body = rows.map((r, i) => [data('span', r?.step), f.count(r?.reached), f.count(r?.ended),
    i + 1 < rows.length ? f.share(num(r?.conversion_to_next)) : '\u2013', f.count(r?.dropped)]);
  return figure('funnel', title, 'To next: the share of this step’s journeys that reached the next funnel step.',
    canvas(ctx, 'chart-breakdown', label, config, barHeight(rows.length)),
    table('Funnel', ['Step', 'Reached', 'Ended', 'To next', 'Dropped'], body));
}

function durationChart(ctx, rows) {
  if (!rows.length) return null;
  const title = 'Step durations by channel: p50, p90, p99';
  const qs = [['p50_ms', 'p50', '#56B4E9'], ['p90_ms', 'p90', '#0072B2'], ['p99_ms', 'p99', '#002b4d']];
  const config = {
    type: 'bar',
    data: {
      labels: rows.map((r) => [f.isolate(r?.step, ctx.narrow ? 14 : 30), f.isolate(channelName(r?.channel), 20)]),
      datasets: qs.map(([k, name, colour]) => ({ label: name, data: rows.map((r) => num(r?.[k])), backgroundColor: colour })),
    },
    options: {
      indexAxis: 'y',
      scales: {
        y: { position: ctx.rtl ? 'right' : 'left', ticks: { ...tick(11), color: COLORS.ink }, grid: { display: false } },
        // Durations run from seconds to days: a log axis keeps both readable.
        x: { type: 'logarithmic', reverse: ctx.rtl, ticks: { ...tick(), callback: (v) => f.duration(v), maxTicksLimit: 8 }, grid,
          title: { display: true, text: 'Duration (log scale)', color: COLORS.muted } },
      },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label} ${f.duration(c.parsed.x)}` } } },
    },
  };
  const label = `${title}, log scale: ${rows.length} step and channel pairs.`;
  const body = rows.map((r) => [data('span', r?.step), data('span', channelName(r?.channel)), f.count(r?.n),
    f.duration(r?.p50_ms), f.duration(r?.p90_ms), f.duration(r?.p99_ms)]);
  return figure('durations', title, 'Percentiles of the step’s durations from the duration sketch (within 0.54%).',
    canvas(ctx, 'chart-breakdown', label, config, barHeight(rows.length, 54)),
    table('Step durations by channel', ['Step', 'Channel', 'n', 'p50', 'p90', 'p99'], body));
}

/** NPS whiskers as the breakdowns draw them; small samples hollow triangles. */
function whiskers(ctx, labels, ms) {
  const es = ms.map((m) => ({ v: num(m?.score), lo: num(m?.interval?.lower), hi: num(m?.interval?.upper) }));
  return whiskerConfig(ctx, labels, es, {
    nps: true, what: 'NPS', fmt: f.points, colour: () => COLORS.line,
    pointStyle: (i) => (ms[i]?.small_sample ? 'triangle' : 'circle'), hollow: (i) => Boolean(ms[i]?.small_sample),
  });
}

const npsCells = (m) => [f.count(m?.n), f.points(num(m?.score)), f.interval(num(m?.interval?.lower), num(m?.interval?.upper)), m?.small_sample ? 'small sample' : ''];

function npsByStep(ctx, steps) {
  if (!steps.some((s) => num(s?.n))) return null;
  const title = 'NPS by step';
  const labels = steps.map((s) => [f.isolate(s?.step, ctx.narrow ? 14 : 36), `n = ${f.count(s?.n)}${s?.small_sample ? ' \u00b7 small' : ''}`]);
  const label = `${title}: ${steps.length} steps with ${f.level(ctx.settings.level)} intervals; hollow triangles are small samples.`;
  return figure('nps', title, `Whiskers: ${f.level(ctx.settings.level)} intervals (${f.methodName(ctx.settings.nps_method)}). Hollow triangles: fewer than ${f.count(ctx.settings.min_n)} answers.`,
    canvas(ctx, 'chart-breakdown', label, whiskers(ctx, labels, steps), barHeight(steps.length, 46)),
    table(title, ['Step', 'n', 'NPS', 'Interval', 'Note'], steps.map((s) => [data('span', s?.step), ...npsCells(s)])));
}

function npsByBand(ctx, steps) {
  const rows = steps.flatMap((s) => arr(s?.by_duration).map((b) => ({ step: s?.step, band: b })));
  if (!rows.length) return null;
  const title = 'NPS by how long the step took';
  const labels = rows.map(({ step, band }) => [f.isolate(step, ctx.narrow ? 14 : 30), `${f.durationBand(band)} \u00b7 n = ${f.count(band?.n)}`]);
  const label = `${title}: each step's respondents split at the step's p50 and p90 durations, NPS with its ${f.level(ctx.settings.level)} interval.`;
  return figure('nps-duration', title, 'Each step’s respondents split at the step’s median (p50) and p90 duration.',
    canvas(ctx, 'chart-breakdown', label, whiskers(ctx, labels, rows.map((r) => r.band)), barHeight(rows.length, 46)),
    table(title, ['Step', 'Duration', 'n', 'NPS', 'Interval', 'Note'],
      rows.map(({ step, band }) => [data('span', step), f.durationBand(band), ...npsCells(band)])));
}

function effortChart(ctx, rows) {
  if (!rows.length) return null;
  const title = 'Effort index per journey, by component';
  const config = {
    type: 'bar',
    data: {
      labels: rows.map((e) => f.isolate(stepName(e?.step), ctx.narrow ? 14 : 36)),
      datasets: EFFORT_PARTS.map(([k, name, colour]) => ({ label: name, data: rows.map((e) => num(e?.parts?.[k]) ?? 0), backgroundColor: colour })),
    },
    options: {
      indexAxis: 'y',
      scales: {
        y: { stacked: true, position: ctx.rtl ? 'right' : 'left', ticks: { ...tick(12), color: COLORS.ink }, grid: { display: false } },
        x: { stacked: true, reverse: ctx.rtl, beginAtZero: true, ticks: tick(), grid, title: { display: true, text: 'Effort points per journey', color: COLORS.muted } },
      },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label} ${f.mean(c.parsed.x)}` } } },
    },
  };
  const label = `${title}: ${rows.map((e) => `${stepName(e?.step)} ${f.mean(num(e?.index))}`).join('; ')}.`;
  const body = rows.map((e) => [data('span', stepName(e?.step)), f.count(e?.journeys), f.mean(num(e?.index)),
    ...EFFORT_PARTS.map(([k]) => f.mean(num(e?.parts?.[k]))), f.count(e?.contacts), f.duration(num(e?.wait_ms))]);
  return figure('effort', title, 'Index = 1·transfers + 2·recontacts + 1·channel switches + 1·repeats + 1 per 5 minutes waited, per journey (all journeys: per finished journey; a step: per journey reaching it).',
    canvas(ctx, 'chart-breakdown', label, config, barHeight(rows.length, 44)),
    table('Effort', ['Step', 'Journeys', 'Index', ...EFFORT_PARTS.map(([, name]) => name), 'Contacts', 'Waited'], body));
}
