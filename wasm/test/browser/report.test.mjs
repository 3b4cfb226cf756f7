// SPDX-License-Identifier: MIT
// The HTML report page (wasm/report/): built from each fixture, opened from a file:// URL (as a
// CX lead opens an attachment: offline, under the page's own hash-based CSP), in Chromium at
// 1280x800 and 390x844. Checks: no console error, no CSP violation, no request but the file
// itself, every chart drawn, the tables hold the fixture's numbers as formatted, hostile labels
// are literal text, Hebrew labels run right to left, and a right-to-left page. Screenshots (and
// the built pages and an A4 PDF) go to build/<preset>/test-artifacts/report/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, watch, recordViolations, repo, artifacts } from './harness.mjs';

const reportDir = path.join(repo, 'wasm/report');
const { buildTemplate } = await import(pathToFileURL(path.join(reportDir, 'build.mjs')));
const { fillTemplate } = await import(pathToFileURL(path.join(reportDir, 'embed.mjs')));
const f = await import(pathToFileURL(path.join(reportDir, 'format.mjs')));

const outDir = path.join(artifacts, 'report');
const fixturesDir = path.join(reportDir, 'test/fixtures');
const fixtures = readdirSync(fixturesDir).filter((n) => n.endsWith('.json')).map((n) => n.replace(/\.json$/, ''));
// The bundled data with its journey, as `cxm report --json` prints it (the native tool of the
// default preset, as the dashboard suite uses; CXM_BIN overrides): the page's journey tables
// must hold exactly its numbers. Without the tool, the checked-in fixtures only.
const cxmBin = process.env.CXM_BIN ?? path.join(repo, 'build/default/examples/cxm');
const generated = new Map();  // name -> JSON text
if (existsSync(cxmBin)) {
  const dataDir = path.join(repo, 'examples/data');
  generated.set('bundled-journey', execFileSync(cxmBin, ['report', path.join(dataDir, 'responses.jsonl'), '--by', 'week',
    '--journey', path.join(dataDir, 'journey.json'), '--events', path.join(dataDir, 'events.jsonl'), '--json', '--no-progress'],
  { encoding: 'utf8', maxBuffer: 64 << 20 }));
  fixtures.push('bundled-journey');
} else {
  console.log(`# ${cxmBin} not built: the bundled-journey page is not tested`);
}
const VIEWPORTS = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];

let browser;
const pages = new Map();   // fixture -> {file, report}
before(async () => {
  mkdirSync(outDir, { recursive: true });
  const template = await buildTemplate();
  for (const name of fixtures) {
    const json = generated.get(name) ?? readFileSync(path.join(fixturesDir, `${name}.json`), 'utf8');
    const file = path.join(outDir, `${name}.html`);
    writeFileSync(file, fillTemplate(template, json));
    pages.set(name, { file, report: JSON.parse(json) });
  }
  // A right-to-left page: the same template with <html dir="rtl">.
  const full = readFileSync(path.join(fixturesDir, 'full.json'), 'utf8');
  const rtlFile = path.join(outDir, 'full-rtl.html');
  writeFileSync(rtlFile, fillTemplate(template.replace('<html lang="en">', '<html lang="he" dir="rtl">'), full));
  pages.set('full-rtl', { file: rtlFile, report: JSON.parse(full) });
  // Documents the page cannot draw: another format, and text that is not JSON.
  for (const [name, text] of [['other-format', '{"format":"cxm.survey_tally","version":1}'], ['not-json', '{"format":']]) {
    const file = path.join(outDir, `${name}.html`);
    writeFileSync(file, fillTemplate(template, text));
    pages.set(name, { file, report: null });
  }
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** Opens a built page; returns {page, log, violations(), requests, alerts()}. */
async function open(name, viewport) {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  await recordViolations(page);
  const log = watch(page, { allow: () => false });
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) log.errors.push({ text: m.text(), url: '' }); });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(pages.get(name).file).href;
  await page.goto(url);
  await page.waitForFunction(() => window.cxmReportView !== undefined || document.querySelector('.error') ||
    /cannot be read/.test(document.getElementById('cxm-report')?.textContent ?? ''));
  return { page, log, requests, url, violations: () => page.evaluate(() => window.__violations), alerts: () => page.evaluate(() => window.__alerts) };
}

async function shoot(page, name) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Every canvas has a chart and holds drawn pixels. */
function chartsDrawn(page) {
  return page.evaluate(() => {
    const canvases = [...document.querySelectorAll('.chart canvas')];
    return {
      canvases: canvases.length,
      charts: window.cxmReportView.charts.length,
      blank: canvases.filter((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return false;
        return true;
      }).length,
      unlabelled: canvases.filter((c) => c.getAttribute('role') !== 'img' || !c.getAttribute('aria-label')).length,
      tables: canvases.filter((c) => !c.closest('figure').querySelector('details.numbers table')).length,
    };
  });
}

/** The rows of the numbers table under figure `sel`: [[cell text, ...], ...]. */
const rowsOf = (page, sel) => page.evaluate((s) => [...document.querySelectorAll(`${s} details.numbers tbody tr`)]
  .map((tr) => [...tr.children].map((c) => c.textContent)), sel);

/** A metric's estimate as the page shows it: the weighted one in a weighted report (docs/report.md). */
function shown(m, weighted) {
  const w = weighted ? m.weighted : null;
  const nps = m.type === 'nps';
  const [fmt, dfmt] = nps ? [f.points, f.points] : [f.mean, f.meanDifference];
  if (w) return { v: nps ? w.score : w.mean, lo: w.interval?.lower, hi: w.interval?.upper, fmt, dfmt, small: w.small_sample, extra: [f.effectiveN(w.n_effective)] };
  return nps ? { v: m.score, lo: m.interval?.lower, hi: m.interval?.upper, fmt, dfmt, small: m.small_sample, extra: [] }
    : { v: m.mean, lo: m.mean_interval?.lower, hi: m.mean_interval?.upper, fmt, dfmt, small: m.small_sample, extra: [] };
}

/** How many charts a fixture should have: a trend per question with a period, a distribution per total, a breakdown per question answered in it. */
function expectedCharts(report) {
  const qs = report.questions ?? [];
  const trend = report.trend?.periods?.length ? qs.filter((q, i) => report.trend.periods.some((p) => p.questions?.[i]?.question === q.id)).length : 0;
  const bd = (report.breakdowns ?? []).reduce((n, b) => n + qs.filter((q, i) => b.groups.some((g) => g.questions?.[i]?.question === q.id)).length, 0);
  return trend + (report.totals ?? []).length + bd + journeyCharts(report.journey);
}

/** The journey's charts: funnel, durations, NPS by step (when a step has answers), by duration band (when a step has bands), effort. */
function journeyCharts(j) {
  if (!j) return 0;
  return Number(j.funnel.length > 0) + Number(j.durations.length > 0) + Number(j.nps.some((s) => s.n > 0))
    + Number(j.nps.some((s) => s.by_duration.length > 0)) + 1;
}

/** The journey tables as the page must show them: the report's numbers, formatted. */
function journeyTables(j) {
  const nps = (m) => [f.count(m.n), f.points(m.score), f.interval(m.interval?.lower, m.interval?.upper), m.small_sample ? 'small sample' : ''];
  const effort = (e) => [e.step || 'All journeys', f.count(e.journeys), f.mean(e.index),
    ...['transfers', 'recontacts', 'channel_switches', 'repeats', 'wait_points'].map((k) => f.mean(e.parts[k])), f.count(e.contacts), f.duration(e.wait_ms)];
  return {
    funnel: j.funnel.map((r, i) => [r.step, f.count(r.reached), f.count(r.ended), i + 1 < j.funnel.length ? f.share(r.conversion_to_next) : '\u2013', f.count(r.dropped)]),
    durations: j.durations.map((d) => [d.step, d.channel || '(no channel)', f.count(d.n), f.duration(d.p50_ms), f.duration(d.p90_ms), f.duration(d.p99_ms)]),
    nps: j.nps.some((s) => s.n > 0) ? j.nps.map((s) => [s.step, ...nps(s)]) : [],
    'nps-duration': j.nps.flatMap((s) => s.by_duration.map((b) => [s.step, f.durationBand(b), ...nps(b)])),
    effort: [j.effort, ...j.step_effort].map(effort),
  };
}

for (const name of fixtures) {
  for (const vp of VIEWPORTS) {
    test(`${name} at ${vp.width}x${vp.height}: offline, no CSP violation, every chart drawn, the fixture's numbers`, async () => {
      const { report } = pages.get(name);
      const { page, log, requests, url, violations, alerts } = await open(name, vp);
      const drawn = await chartsDrawn(page);
      assert.equal(drawn.canvases, expectedCharts(report));
      assert.equal(drawn.charts, drawn.canvases, 'a chart on every canvas');
      assert.equal(drawn.blank, 0, 'no blank canvas');
      assert.equal(drawn.unlabelled, 0, 'every canvas is an image with an aria-label');
      assert.equal(drawn.tables, 0, 'every chart has its numbers table');

      // Totals: the headline numbers as formatted (a weighted report's headline is the weighted estimate).
      const weighted = report.settings.weighted === true;
      const kpis = await page.$$eval('.kpi-value', (els) => els.map((e) => e.textContent));
      assert.deepEqual(kpis, report.totals.map((m) => { const e = shown(m, weighted); return e.fmt(e.v); }));
      if (weighted) {
        const head = await page.textContent('header');
        assert.ok(head.includes('1/\u03c0 (H\u00e1jek)'), 'the weighting is named');
        assert.ok(head.includes(`${f.count(report.input.without_probability)} responses carry no inclusion probability`));
        const sub = await page.$$eval('.kpi-n', (els) => els.map((e) => e.textContent));
        for (const [i, m] of report.totals.entries()) assert.ok(sub[i].includes(`effective n = ${f.effectiveN(m.weighted.n_effective)}`), sub[i]);
      }
      // Breakdowns: each group's row holds its value (as literal text), n, estimate, interval, flag.
      for (const [bi, b] of report.breakdowns.entries()) {
        for (const [qi, q] of report.questions.entries()) {
          if (!b.groups.some((g) => g.questions[qi])) continue;
          const rows = await rowsOf(page, `figure[data-breakdown="${bi}"][data-question="${q.id}"]`);
          assert.equal(rows.length, b.groups.length);
          for (const [gi, g] of b.groups.entries()) {
            const m = g.questions[qi];
            const { v, lo, hi, fmt, dfmt, small, extra } = shown(m, weighted);
            const row = rows[gi];
            assert.equal(row[0], g.value, 'the group name, literally');
            assert.deepEqual(row.slice(1, 4 + extra.length), [f.count(m.n), ...extra, fmt(v), f.interval(lo, hi, fmt)]);
            const vr = m.vs_rest;
            const k = extra.length;
            assert.equal(row[4 + k], vr ? `${dfmt(vr.difference)} (${f.interval(vr.lower, vr.upper, dfmt)})` : '\u2013');
            assert.equal(row[6 + k], vr ? f.pValue(vr.p_adjusted) : '\u2013');
            assert.equal(row[7 + k], vr?.flag ? { higher: '\u25B2 higher', lower: '\u25BC lower' }[vr.flag] : small ? 'small sample' : '');
          }
        }
      }
      // Trend: n, score and change with its p-value per period; small samples marked.
      if (report.trend) {
        const rows = await rowsOf(page, 'section[aria-labelledby="cxm-trend"] figure:first-of-type');
        assert.equal(rows.length, report.trend.periods.length);
        for (const [i, p] of report.trend.periods.entries()) {
          const m = p.questions[0];
          const { v, lo, hi, fmt, small, extra } = shown(m, weighted);
          const k = extra.length;
          assert.deepEqual(rows[i].slice(0, 4 + k), [p.label, f.count(m.n), ...extra, fmt(v), f.interval(lo, hi, fmt)]);
          const ch = p.change[0];
          assert.equal(rows[i][5 + k], ch ? f.pValue(ch.p_value) : '\u2013');
          assert.equal(rows[i][6 + k], small ? 'small sample' : '');
        }
      } else {
        assert.equal(await page.$('#cxm-trend'), null, 'no trend section without a trend');
      }
      // Journey: every table holds the journey section's numbers, names literally.
      if (report.journey) {
        for (const [kind, rows] of Object.entries(journeyTables(report.journey))) {
          assert.deepEqual(await rowsOf(page, `figure[data-journey-chart="${kind}"]`), rows, kind);
        }
      } else {
        assert.equal(await page.$('#cxm-journey'), null, 'no journey section without a journey');
      }
      // No missing value printed as a word.
      assert.doesNotMatch(await page.innerText('main'), /\b(null|undefined|NaN|Infinity)\b|\[object/);
      // Settings in the header: the adjustment method is named.
      assert.ok((await page.textContent('header')).includes(f.adjustName(report.settings.p_adjust)));

      // Hostile labels: literal text, nothing injected, nothing run.
      const dom = await page.evaluate(() => ({
        scripts: document.scripts.length, images: document.images.length, iframes: document.querySelectorAll('iframe, object, embed, b').length,
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
        // Style attributes only where the code sets element.style (a chart's box, Chart.js on its canvas).
        styleAttrs: [...document.querySelectorAll('[style]')].filter((e) => !e.matches('.chart, .chart canvas')).length,
      }));
      assert.deepEqual(dom, { scripts: 2, images: 0, iframes: 0, handlers: 0, styleAttrs: 0 });
      assert.deepEqual(await alerts(), []);
      for (const b of report.breakdowns) {
        for (const g of b.groups) {
          assert.ok(await page.evaluate((v) => [...document.querySelectorAll('tbody th')].some((th) => th.textContent === v), g.value), `label ${g.value} shown literally`);
        }
      }
      // Right-to-left data: every Hebrew label in a table or heading runs right to left.
      const hebrew = await page.evaluate(() => [...document.querySelectorAll('[dir=auto]')].filter((e) => /[\u0590-\u05FF]/.test(e.textContent))
        .map((e) => ({ text: e.textContent, dir: getComputedStyle(e).direction })));
      if (name === 'full') assert.ok(hebrew.length >= 4, 'the Hebrew breakdown is there');
      if (name === 'journey') assert.ok(hebrew.filter((x) => x.text.startsWith('\u05DB\u05E8\u05D8\u05D9\u05E1')).length >= 4, 'the Hebrew step in the journey tables');
      for (const h of hebrew) assert.equal(h.dir, 'rtl', h.text);

      await shoot(page, `${name}-${vp.width}x${vp.height}`);
      assert.deepEqual(requests, [url], 'nothing but the file itself is loaded');
      assert.deepEqual(await violations(), []);
      assert.deepEqual(log.errors, []);
      await page.close();
    });
  }
}

test('a right-to-left page (<html dir="rtl">): the report runs right to left, charts mirrored, no error', async () => {
  const { page, log, violations } = await open('full-rtl', VIEWPORTS[0]);
  const r = await page.evaluate(() => ({
    dir: getComputedStyle(document.getElementById('cxm-report')).direction,
    charts: window.cxmReportView.charts.length,
    reversed: window.cxmReportView.charts.every((c) => c.options.scales.x.reverse === true),
  }));
  assert.deepEqual(r, { dir: 'rtl', charts: expectedCharts(pages.get('full-rtl').report), reversed: true });
  await shoot(page, 'full-rtl-1280x800');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('print: A4, the numbers tables printed, no interactive controls', async () => {
  const { page, log } = await open('full', { width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  const summaries = await page.$$eval('details.numbers > summary', (s) => s.filter((e) => getComputedStyle(e).display !== 'none').length);
  assert.equal(summaries, 0, 'no "Numbers" toggles on paper');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(path.join(outDir, 'full-a4.pdf'), pdf);
  assert.ok(pdf.length > 10000);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a document that is not a cxm.report v1, or not JSON, gets a sentence and no chart', async () => {
  for (const [name, expected] of [['other-format', /Not a cxm\.report version 1 document \(format "cxm\.survey_tally", version 1\)/],
    ['not-json', /The report data cannot be read/]]) {
    const { page, log, violations } = await open(name, VIEWPORTS[0]);
    assert.match(await page.innerText('main'), expected);
    assert.equal(await page.$$eval('canvas', (c) => c.length), 0);
    assert.deepEqual(await violations(), []);
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});
