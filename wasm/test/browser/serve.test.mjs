// SPDX-License-Identifier: MIT
// The widget against a real `cxm serve` (CXM_SERVE_BIN, else build/default/examples/cxm; the
// tests fail when it is missing): the demo page served by it under its own CSP, answered in
// Hebrew and English and found in its report; delivery's happy path, offline, reload, double
// submit, lost answers and two tabs, each response stored exactly once. Faults come from a proxy
// in front of the server (harness startFaultProxy); each test has a server and store of its own.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  launch, watch, pageUrl, openWidget, screenshot, startCxmServe, startFaultProxy, servePages, pollUntil, faviconNotFound,
} from './harness.mjs';

const FAST = { retry: '100', lease: '300', poll: '200', timeout: '3000', endpoint: '/v1/responses' };
const UNLIMITED = { rate_limit: { per_second: 100000, burst: 100000 } };
const networkLog = (e) => /\/v1\/responses\b/.test(e.url + ' ' + e.text) && /Failed to load resource|net::ERR_|status of (500|429)/.test(e.text);
const favicon = faviconNotFound;
const allow = (e) => favicon(e) || networkLog(e);

let browser;
let pages;
let serve = null;
let proxy = null;
before(async () => {
  browser = await launch();
  pages = servePages();
});
after(async () => {
  await browser?.close();
  rmSync(pages, { recursive: true, force: true });
});
beforeEach(async () => {
  await browser.context.setOffline(false);
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  // A graceful stop must work after every test; kill() first when the stop itself hangs or fails.
  try {
    await serve?.stop();
  } catch (e) {
    await serve?.kill();
    throw e;
  }
  serve = null;
});

/** A server with the test pages at / (widget.html), no rate limit; `withProxy` puts the fault proxy in front. */
async function start({ withProxy = false } = {}) {
  serve = await startCxmServe({ demo: pages, config: UNLIMITED });
  if (withProxy) proxy = await startFaultProxy(serve.url);
  return withProxy ? proxy.url : serve.url;
}
const widgetUrl = (base, params = {}) => pageUrl(base, { ...FAST, ...params }, '/widget.html');

function submitOne(page, nps = 9) {
  return page.evaluate(async (value) => {
    const s = document.querySelector('cxm-survey');
    await s.reset();
    await s.setAnswer('nps', value);
    await s.setAnswer('ces', 6);
    return (await s.submit()).id;
  }, nps);
}

/** Waits until the report holds `n` stored responses; returns it. */
const stored = (n, query) => pollUntil(() => serve.report(query), (r) => r.stored >= n, { what: `${n} stored responses` });
const question = (report, id) => report.questions.find((q) => q.id === id);

/** Answers one widget of the demo page (mode one: a question per page), clicking as a person would. */
async function answerDemo(widget, answers) {
  for (;;) {
    const current = widget.locator('.q:not([hidden])');
    const id = await current.getAttribute('data-question');
    const a = answers[id];
    if (typeof a === 'number' || (typeof a === 'string' && id !== 'what_went_wrong')) await current.locator(`[data-value="${a}"]`).click();
    else if (typeof a === 'string') await current.locator('textarea').fill(a);
    const send = widget.locator('button.submit');
    if (await send.isVisible()) return send.click();
    await widget.locator('button.next').click();
  }
}

test('the demo page served by cxm serve: answered in Hebrew and English, both in the report, scores agree', async () => {
  serve = await startCxmServe();
  const page = await browser.context.newPage();
  const log = watch(page, { allow: favicon });
  // What went over the wire (a beacon's body may not be visible here, so this can miss some).
  const posted = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/v1/responses')) posted.push(...(r.postDataJSON()?.responses ?? []));
  });
  const res = await page.goto(`${serve.url}/`);
  // What each widget queued: its cxm-submit event carries the record, whichever way it was sent.
  await page.evaluate(() => {
    window.cxmSubmitted = [];
    document.addEventListener('cxm-submit', (e) => window.cxmSubmitted.push(e.detail.record));
  });
  const csp = res.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, 'the page comes with the server\'s CSP');
  assert.match(csp, /default-src 'self'/);
  await page.waitForFunction(() => [...document.querySelectorAll('cxm-survey')].every((s) => s.shadowRoot?.querySelector('.card')));
  const [en, he] = [page.locator('cxm-survey[lang=en]'), page.locator('cxm-survey[lang=he]')];
  assert.equal(await he.locator('.card').getAttribute('dir'), 'rtl');
  await answerDemo(he, { nps: 3, what_went_wrong: 'הכרטיס לא הגיע', ces: 2, csat: 4, feeling: 'confused' });
  await answerDemo(en, { nps: 10, ces: 6 });
  await page.waitForFunction(() => [...document.querySelectorAll('cxm-survey')].every((s) => s.shadowRoot.querySelector('.thanks')));
  const report = await stored(2, 'survey=after-onboarding&by=channel');
  assert.equal(report.stored, 2);
  assert.equal(report.responses, 2);
  assert.equal(report.score_mismatches, 0);
  const nps = question(report, 'nps');
  assert.deepEqual([nps.answered, nps.promoters, nps.passives, nps.detractors], [2, 1, 0, 1]);
  assert.deepEqual([question(report, 'ces').answered, question(report, 'ces').top_box], [2, 1]);
  assert.deepEqual([question(report, 'csat').answered, question(report, 'csat').top_box], [1, 1]);
  // What the widgets submitted: the scores they computed, which the server agreed with; every
  // record seen on the wire carries its local score.
  const submitted = await page.evaluate(() => window.cxmSubmitted);
  assert.equal(submitted.length, 2);
  for (const r of posted) assert.ok(r.local_score, `record ${r.id} was posted without local_score`);
  const byLocale = Object.fromEntries(submitted.map((r) => [r.locale, r]));
  assert.deepEqual(byLocale.he.answers, { nps: 3, what_went_wrong: 'הכרטיס לא הגיע', ces: 2, csat: 4, feeling: 'confused' });
  assert.deepEqual(byLocale.he.local_score, { nps: { category: 'detractor', top_box: false }, ces: { top_box: false }, csat: { top_box: true } });
  assert.deepEqual(byLocale.en.local_score, { nps: { category: 'promoter', top_box: true }, ces: { top_box: true } });
  const health = await serve.health();
  assert.deepEqual([health.accepted, health.duplicates, health.rejected, health.score_mismatches], [2, 0, 0, 0]);
  await screenshot(page, 'serve-demo', { fullPage: true });
  assert.deepEqual(log.errors, []);
  // The mismatch count is live: a record whose local score disagrees with the core is counted.
  const bad = { ...byLocale.he, id: '01900000-0000-7000-8000-000000000001', local_score: { ...byLocale.he.local_score, nps: { category: 'promoter', top_box: true } } };
  const post = await fetch(`${serve.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ responses: [bad] }) });
  assert.equal(post.status, 200);
  assert.equal((await stored(3)).score_mismatches, 1);
  await page.close();
});

test('a response from the test page is stored once with its fields (happy path)', async () => {
  const base = await start();
  const page = await browser.context.newPage();
  const log = watch(page, { allow: favicon });
  await openWidget(page, widgetUrl(base, { lang: 'he', respondent: 'customer-42' }));
  const id = await submitOne(page, 4);
  await page.waitForFunction((x) => window.cxmTest.delivered.includes(x), id);
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  const report = await stored(1);
  assert.equal(report.stored, 1);
  assert.equal(report.score_mismatches, 0);
  assert.equal(question(report, 'nps').detractors, 1);
  assert.deepEqual((await serve.health()).accepted, 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('offline -> online: five responses, each stored once', async () => {
  const base = await start();
  const page = await browser.context.newPage();
  const log = watch(page, { allow });
  await openWidget(page, widgetUrl(base));
  await browser.context.setOffline(true);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await submitOne(page, i * 2));
  await browser.context.setOffline(false);
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  const report = await stored(5);
  assert.equal(report.stored, 5);
  const nps = question(report, 'nps');
  assert.deepEqual([nps.promoters, nps.passives, nps.detractors], [0, 1, 4], 'nps 0, 2, 4, 6, 8');
  assert.equal(report.score_mismatches, 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a reload with a non-empty queue (server unreachable: 500 from the proxy) loses nothing', async () => {
  const base = await start({ withProxy: true });
  const page = await browser.context.newPage();
  const log = watch(page, { allow });
  await openWidget(page, widgetUrl(base));
  proxy.state.mode = 500;
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await submitOne(page));
  await pollUntil(async () => proxy.state.requests.length, (n) => n > 0, { what: 'a first attempt' });
  await page.reload();
  await page.waitForFunction(() => window.cxmTest.ready);
  assert.deepEqual((await page.evaluate(() => window.cxmTest.queue().pendingIds())).sort(), [...ids].sort());
  proxy.state.mode = 'ok';
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  assert.equal((await stored(4)).stored, 4);
  assert.deepEqual(ids.map((id) => proxy.state.verdicts.get(id)?.[0]), ids.map(() => 'accepted'));
  assert.deepEqual(proxy.state.concurrent, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('answers lost after the server stored them: sent again, counted as duplicates, stored once', async () => {
  const base = await start({ withProxy: true });
  const page = await browser.context.newPage();
  const log = watch(page, { allow });
  await openWidget(page, widgetUrl(base));
  proxy.state.failNext(2, 'lost');
  const id = await submitOne(page, 10);
  await page.waitForFunction((x) => window.cxmTest.delivered.includes(x), id);
  assert.deepEqual(proxy.state.verdicts.get(id), ['accepted', 'duplicate', 'duplicate']);
  const health = await serve.health();
  assert.deepEqual([health.accepted, health.duplicates], [1, 2]);
  const report = await stored(1);
  assert.equal(report.stored, 1);
  assert.equal(question(report, 'nps').promoters, 1);
  assert.deepEqual(proxy.state.requests.map((r) => r.status), [200, 200, 200], 'three POSTs, each stored or found stored');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('double submit (double click, submit() twice) is one POST and one stored response', async () => {
  const base = await start();
  const page = await browser.context.newPage();
  const log = watch(page, { allow: favicon });
  let posts = 0;
  page.on('request', (r) => { if (r.url().endsWith('/v1/responses')) posts++; });
  await openWidget(page, widgetUrl(base, { mode: 'all' }));
  await page.locator('cxm-survey [data-question=nps] [data-value="10"]').click();
  await page.locator('cxm-survey button[type=submit]').dblclick();
  const ids = await page.evaluate(async () => {
    const s = document.querySelector('cxm-survey');
    return [(await s.submit()).id, (await s.submit()).id, s.responseId];
  });
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  assert.equal(new Set(ids).size, 1);
  assert.equal((await stored(1)).stored, 1);
  const health = await serve.health();
  assert.deepEqual([health.accepted, health.duplicates], [1, 0]);
  assert.equal(posts, 1, 'one POST');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('two tabs: every response stored once, none sent by both tabs at once', async () => {
  const base = await start({ withProxy: true });
  const a = await browser.context.newPage();
  const b = await browser.context.newPage();
  const logs = [watch(a, { allow }), watch(b, { allow })];
  await openWidget(a, widgetUrl(base));
  await openWidget(b, widgetUrl(base));
  proxy.state.delayMs = 150;
  proxy.state.mode = 'drop';
  const ids = [];
  for (let i = 0; i < 6; i++) ids.push(await submitOne(i % 2 ? b : a, i));
  proxy.state.mode = 'ok';
  await Promise.all([a.evaluate(() => window.cxmTest.queue().kick()), b.evaluate(() => window.cxmTest.queue().kick())]);
  await Promise.all([a, b].map((t) => t.waitForFunction(() => window.cxmTest.queue().size() === 0)));
  const report = await stored(6);
  assert.equal(report.stored, 6);
  assert.deepEqual(ids.filter((id) => proxy.state.verdicts.get(id)?.[0] !== 'accepted'), []);
  assert.deepEqual(proxy.state.concurrent, [], 'no response in two requests at once');
  for (const l of logs) assert.deepEqual(l.errors, []);
  await a.close();
  await b.close();
});
