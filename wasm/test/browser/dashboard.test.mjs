// SPDX-License-Identifier: MIT
// cxm serve's live dashboard (/dashboard/, wasm/report/dashboard.*) in Chromium against a real
// `cxm serve` (CXM_SERVE_BIN, else build/default/examples/cxm; the tests fail when it is
// missing) with the built dashboard (CXM_DASHBOARD_DIR, else built here by build.mjs). The
// bundled responses (examples/data/responses.jsonl, adapted to the served survey) are posted in
// batches while the page is open: the page follows (n grows) with no console error, no CSP
// violation and no leaked chart; its numbers equal `cxm report --json` over the same responses
// with the same options; a filter change goes to the URL; a stopped server leaves the last
// numbers on screen, marked stale. Screenshots go to build/<preset>/test-artifacts/dashboard/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, watch, recordViolations, repo, artifacts, startCxmServe, serveBin, pollUntil } from './harness.mjs';

const reportDir = path.join(repo, 'wasm/report');
const f = await import(pathToFileURL(path.join(reportDir, 'format.mjs')));
const outDir = path.join(artifacts, 'dashboard');
const FLAG = { higher: '\u25B2 higher', lower: '\u25BC lower' };
// The filters under test, as the page's URL takes them and as `cxm report` takes them.
const TZ = 'Europe/Berlin';
const QUERY = `survey=after-onboarding&period=week&by=channel,segment.customer&tz=${encodeURIComponent(TZ)}&refresh=2`;
const CLI_OPTIONS = ['--by', 'channel', '--by', 'segment.customer', '--by', 'week', '--tz', TZ];
const BATCHES = [400, 300, 300];   // responses posted before the page opens, then while it is open
// The one network error a test provokes on purpose: polling a server that was stopped.
const refused = (e) => /Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(e.text);

let browser;
let serve;
let dashboardDir;
let builtHere = null;
let records;

/** The bundled responses as records of the served survey (after-onboarding v3: nps, ces, csat). */
function bundledRecords(count) {
  const lines = readFileSync(path.join(repo, 'examples/data/responses.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, count);
  return lines.map((line, i) => {
    const r = JSON.parse(line);
    const answers = {};
    for (const k of ['nps', 'ces', 'csat']) if (k in r.answers) answers[k] = r.answers[k];
    // One hostile group name: shown as text, never as markup.
    const channel = i === 7 ? '<img src=x onerror=alert(1)>' : r.channel;
    return { ...r, survey_id: 'after-onboarding', survey_version: 3, channel, answers };
  });
}

async function post(batch) {
  const res = await fetch(`${serve.url}/v1/responses`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ responses: batch }),
  });
  assert.equal(res.status, 200);
  const v = await res.json();
  assert.deepEqual([v.accepted, v.rejected], [batch.length, 0], JSON.stringify(v.records.find((r) => r.verdict !== 'accepted')));
}

before(async () => {
  mkdirSync(outDir, { recursive: true });
  dashboardDir = process.env.CXM_DASHBOARD_DIR;
  if (!dashboardDir) {
    const { buildDashboard } = await import(pathToFileURL(path.join(reportDir, 'build.mjs')));
    builtHere = mkdtempSync(path.join(os.tmpdir(), 'cxm-dashboard-'));
    for (const [name, text] of Object.entries(await buildDashboard())) writeFileSync(path.join(builtHere, name), text);
    dashboardDir = builtHere;
  }
  records = bundledRecords(BATCHES.reduce((a, b) => a + b, 0));
  browser = await launch();
  serve = await startCxmServe({ args: ['--dashboard', dashboardDir], config: { rate_limit: { per_second: 0, burst: 1 } } });
});
after(async () => {
  await browser?.close();
  try {
    await serve?.stop();
  } catch {
    await serve?.kill();
  }
  if (builtHere) rmSync(builtHere, { recursive: true, force: true });
});

/** Opens the dashboard; returns {page, log, violations()}. */
async function open(viewport, query = QUERY) {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  await recordViolations(page);
  const log = watch(page, { allow: refused });
  const res = await page.goto(`${serve.url}/dashboard/?${query}`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/, 'the server\'s own policy');
  return { page, log, violations: () => page.evaluate(() => window.__violations), alerts: () => page.evaluate(() => window.__alerts) };
}

/** What the page shows: the NPS card, the status, the charts alive, and the tables of the NPS breakdowns and trend. */
const shown = (page) => page.evaluate(() => {
  const text = (sel) => document.querySelector(sel)?.textContent ?? null;
  const rows = (fig) => [...(fig?.querySelectorAll('details.numbers tbody tr') ?? [])].map((tr) => [...tr.children].map((c) => c.textContent));
  const card = document.querySelector('.kpi-value[data-metric="nps.score"]')?.closest('.kpi');
  const d = globalThis.cxmDashboard;
  return {
    status: text('#dash-status-text'), state: document.getElementById('dash-status').dataset.state,
    score: card?.querySelector('.kpi-value').textContent ?? null, sub: card?.querySelector('.kpi-sub').textContent ?? null,
    n: card?.querySelector('.kpi-n').textContent ?? null,
    breakdowns: [...document.querySelectorAll('figure[data-breakdown][data-question="nps"]')].map((fig) => ({ title: fig.querySelector('h3').textContent, rows: rows(fig) })),
    trend: rows(document.querySelector('section[aria-labelledby="cxm-trend"] figure')),
    charts: d ? d.charts().length : -1, instances: d ? Object.keys(d.Chart.instances).length : -1,
    canvases: document.querySelectorAll('.chart canvas').length, draws: d?.state.draws ?? 0,
  };
});

const nText = (n) => `n = ${f.count(n)}`;

test('the dashboard follows the responses as they arrive and shows what cxm report --json computes', async () => {
  let sent = 0;
  await post(records.slice(0, BATCHES[0]));
  sent += BATCHES[0];
  const { page, log, violations, alerts } = await open({ width: 1280, height: 800 });
  let s = await pollUntil(() => shown(page), (x) => x.n?.startsWith(nText(sent)), { what: `the page at n = ${sent}` });
  assert.equal(s.status.replace(/\d\d:\d\d:\d\d/, 'HH:MM:SS'), `Updated HH:MM:SS \u00b7 ${f.count(sent)} responses \u00b7 every 2 s`);
  // More responses while the page is open: it follows, and redraws without leaking charts.
  // Someone reading the breakdowns with a table open: a redraw keeps both where they are.
  await page.evaluate(() => {
    document.querySelector('figure[data-breakdown] details.numbers').open = true;
    window.scrollTo(0, 1500);
  });
  for (const size of BATCHES.slice(1)) {
    await post(records.slice(sent, sent + size));
    sent += size;
    s = await pollUntil(() => shown(page), (x) => x.n?.startsWith(nText(sent)), { what: `the page at n = ${sent}` });
    assert.equal(s.instances, s.charts, 'old charts destroyed');
    assert.equal(s.charts, s.canvases, 'a chart on every canvas');
    assert.deepEqual(await page.evaluate(() => [window.scrollY, document.querySelector('figure[data-breakdown] details.numbers').open]), [1500, true]);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.ok(s.draws >= BATCHES.length, `drawn ${s.draws} times`);
  // An unchanged answer is not redrawn.
  const draws = s.draws;
  await page.waitForFunction(() => globalThis.cxmDashboard.state.polls >= 2 + globalThis.cxmDashboard.state.draws);
  assert.equal((await shown(page)).draws, draws);

  // The same responses through `cxm report --json` with the same options.
  const file = path.join(outDir, 'posted.jsonl');
  writeFileSync(file, records.slice(0, sent).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const cli = JSON.parse(execFileSync(serveBin, ['report', file, '--json', ...CLI_OPTIONS], { encoding: 'utf8' }));
  const total = cli.totals.find((m) => m.question === 'nps');
  assert.equal(total.n, sent);
  assert.equal(s.score, f.points(total.score));
  assert.ok(s.sub.startsWith(f.interval(total.interval.lower, total.interval.upper)), s.sub);
  assert.ok(s.n.startsWith(nText(total.n)), s.n);
  const qi = cli.questions.findIndex((q) => q.id === 'nps');
  assert.equal(s.breakdowns.length, cli.breakdowns.length);
  let flagged = 0;
  for (const [bi, b] of cli.breakdowns.entries()) {
    const { title, rows } = s.breakdowns[bi];
    assert.ok(title.endsWith(b.dimension), title);
    assert.equal(rows.length, b.groups.length, b.dimension);
    for (const g of b.groups) {
      // Groups are in the store's order on the server, in the file's with cxm report: by name.
      const row = rows.find((r) => r[0] === g.value);
      assert.ok(row, `group ${g.value} of ${b.dimension} shown`);
      const m = g.questions[qi];
      assert.deepEqual(row.slice(1, 4), [f.count(m.n), f.points(m.score), f.interval(m.interval?.lower, m.interval?.upper)], `${b.dimension} ${g.value}`);
      assert.equal(row[7], m.vs_rest?.flag ? FLAG[m.vs_rest.flag] : m.small_sample ? 'small sample' : '', `${b.dimension} ${g.value} flag`);
      if (m.vs_rest?.flag) flagged++;
    }
  }
  assert.ok(flagged > 0, 'some group is flagged, so flags are compared');
  assert.equal(s.trend.length, cli.trend.periods.length);
  for (const [i, p] of cli.trend.periods.entries()) {
    const m = p.questions[qi];
    assert.deepEqual(s.trend[i].slice(0, 3), [p.label, f.count(m.n), f.points(m.score)], p.label);
  }
  // The hostile group name is text.
  assert.deepEqual(await page.evaluate(() => ({ images: document.images.length, scripts: document.scripts.length })), { images: 0, scripts: 1 });

  await page.screenshot({ path: path.join(outDir, 'dashboard-1280x800.png') });
  await page.screenshot({ path: path.join(outDir, 'dashboard-1280x800-full.png'), fullPage: true });
  const phone = await open({ width: 390, height: 844 });
  await pollUntil(() => shown(phone.page), (x) => x.n?.startsWith(nText(sent)), { what: 'the phone page' });
  await phone.page.screenshot({ path: path.join(outDir, 'dashboard-390x844.png') });
  await phone.page.screenshot({ path: path.join(outDir, 'dashboard-390x844-full.png'), fullPage: true });
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling on a phone');
  assert.deepEqual(await phone.violations(), []);
  assert.deepEqual(phone.log.errors, []);
  await phone.page.close();

  // A filter changed on the page: the URL holds it (bookmarkable) and the page redraws by month.
  await page.selectOption('#dash-period', 'month');
  await page.waitForFunction(() => /Trend by month/.test(document.body.textContent) && globalThis.cxmDashboard.state.inFlight === null);
  assert.match(page.url(), /[?&]period=month(&|$)/);
  assert.match(page.url(), /[?&]tz=Europe%2FBerlin(&|$)/);
  s = await shown(page);
  assert.equal(s.instances, s.charts, 'old charts destroyed after a filter change');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(await alerts(), []);
  assert.deepEqual(log.errors, []);

  // The server goes away: the last numbers stay, marked stale.
  await serve.stop();
  serve = null;
  s = await pollUntil(() => shown(page), (x) => x.state === 'stale', { what: 'the stale state' });
  assert.match(s.status, /^Stale since \d\d:\d\d:\d\d: the server cannot be reached\. Retrying every 2 s$/);
  assert.equal(s.score, f.points(total.score), 'the last numbers stay on screen');
  assert.ok(s.n.startsWith(nText(sent)));
  await page.screenshot({ path: path.join(outDir, 'dashboard-stale-1280x800.png') });
  assert.deepEqual(await violations(), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('with report tokens: the token in the fragment is sent as a bearer token; without it the page says why', async () => {
  const token = 'dashboard-token-0123456789';
  const guarded = await startCxmServe({ args: ['--dashboard', dashboardDir], config: { tokens: { report: [token] } } });
  try {
    const res = await fetch(`${guarded.url}/v1/responses`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ responses: records.slice(0, 50) }),
    });
    assert.equal(res.status, 200);
    const page = await browser.context.newPage();
    const log = watch(page, { allow: (e) => /status of 401/.test(e.text) });
    const sentAuth = [];
    page.on('request', (r) => { if (r.url().includes('/v1/analysis')) sentAuth.push(r.headers().authorization ?? null); });
    await page.goto(`${guarded.url}/dashboard/?survey=after-onboarding`);
    await page.waitForFunction(() => !document.getElementById('dash-alert').hidden);
    assert.match(await page.textContent('#dash-alert'), /^Not allowed: HTTP 401: .*#token=<token>\.$/);
    assert.equal(await page.$$eval('.kpi', (k) => k.length), 0);
    await page.goto(`${guarded.url}/dashboard/?survey=after-onboarding#token=${token}`);
    await page.waitForFunction(() => /n = 50\b/.test(document.querySelector('.kpi-n')?.textContent ?? ''));
    assert.equal(await page.$eval('#dash-alert', (a) => a.hidden), true);
    assert.ok(sentAuth.includes(`Bearer ${token}`), 'the token went as a header');
    assert.ok(!page.url().includes('token') || new URL(page.url()).hash.includes('token'), 'only in the fragment');
    assert.deepEqual(log.errors, []);
    await page.close();
  } finally {
    await guarded.stop();
  }
});
