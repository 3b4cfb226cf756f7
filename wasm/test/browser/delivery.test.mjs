// SPDX-License-Identifier: MIT
// Delivery: records carry ids and the response-record fields; offline -> online, reloads, 500s,
// 429s, refused 4xx, double submits, two tabs, full storage and a wasm abort lose nothing and
// never send one response from two places at once.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, watch, pageUrl, openWidget, collectorNetworkLog } from './harness.mjs';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// Fast timings for tests: first retry after 50-100 ms, lease 300 ms, orphan poll 200 ms.
const FAST = { retry: '100', lease: '300', poll: '200', timeout: '3000' };

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});
beforeEach(async () => {
  server.collector.reset();
  await browser.context.setOffline(false);
  // Every test starts with empty storage: a response an earlier test delivered but had not yet
  // deleted (the collector sees a request before the page sees its 2xx) must not leak into it.
  const blank = await browser.context.newPage();
  await blank.goto(`${server.url}/cxm-test-blank`);
  await blank.evaluate(() => localStorage.clear());
  await blank.close();
});

/** Answers and submits one response through the element's API; resolves to its id. */
function submitOne(page, nps = 9) {
  return page.evaluate(async (value) => {
    const s = document.querySelector('cxm-survey');
    await s.reset();
    await s.setAnswer('nps', value);
    await s.setAnswer('ces', 6);
    const r = await s.submit();
    return r.id;
  }, nps);
}

const queued = (page) => page.evaluate(() => window.cxmTest.queue().pendingIds());
const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cxm:q:')).sort());

test('a response arrives with a UUID v7 id and the response-record fields', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'he', respondent: 'customer-42', ...FAST }));
  const id = await submitOne(page, 4);
  assert.match(id, UUID_V7);
  await server.collector.waitFor((c) => c.delivered.has(id));
  const r = server.collector.records.get(id);
  assert.equal(r.survey_id, 'after-onboarding');
  assert.equal(r.survey_version, 3);
  assert.equal(r.respondent, 'customer-42');
  assert.match(r.timestamp, RFC3339);
  assert.ok(Math.abs(Date.parse(r.timestamp) - Date.now()) < 60e3);
  assert.equal(r.channel, 'web');
  assert.equal(r.locale, 'he');
  assert.deepEqual(r.answers, { nps: 4, ces: 6 });
  assert.equal(r.inclusion_probability, 0.5, 'the sample rate of the definition');
  assert.deepEqual(r.shown, ['nps', 'what_went_wrong', 'ces', 'csat', 'feeling', 'channels']);
  assert.deepEqual(r.skipped, ['what_went_wrong', 'csat', 'feeling', 'channels']);
  assert.deepEqual(await storedKeys(page), [], 'deleted after the 2xx');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('without a respondent attribute a pseudonymous id is generated once and kept', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, FAST));
  const a = await submitOne(page);
  await openWidget(page, pageUrl(server.url, FAST));
  const b = await submitOne(page);
  await server.collector.waitFor((c) => c.delivered.has(a) && c.delivered.has(b));
  const ra = server.collector.records.get(a).respondent;
  assert.match(ra, /^[0-9a-f-]{36}$/);
  assert.equal(server.collector.records.get(b).respondent, ra);
  // The collector sees a request before the page sees its 2xx: wait until the page has deleted
  // what it delivered, or a later test in this browser context finds the keys still stored.
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('offline -> online delivers every response', async () => {
  const page = await browser.context.newPage();
  const log = watch(page, { allow: collectorNetworkLog });
  await openWidget(page, pageUrl(server.url, FAST));
  // Start from an empty queue: anything an earlier test left in this context is delivered first.
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  await browser.context.setOffline(true);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await submitOne(page, i * 2));
  assert.deepEqual((await queued(page)).sort(), [...ids].sort(), 'all five queued, one key each');
  assert.deepEqual(await storedKeys(page), ids.map((id) => `cxm:q:${id}`).sort());
  assert.equal(server.collector.delivered.size, 0);
  await browser.context.setOffline(false);
  await server.collector.waitFor((c) => ids.every((id) => c.delivered.has(id)), 20000, 'all five delivered');
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  assert.deepEqual(server.collector.concurrent, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a reload with a non-empty queue loses nothing', async () => {
  const page = await browser.context.newPage();
  const log = watch(page, { allow: collectorNetworkLog });
  await openWidget(page, pageUrl(server.url, FAST));
  server.collector.mode = 500;
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await submitOne(page));
  await server.collector.waitFor((c) => c.requests.length > 0);
  await page.reload();
  await page.waitForFunction(() => window.cxmTest.ready);
  assert.deepEqual((await queued(page)).sort(), [...ids].sort(), 'still queued after the reload');
  server.collector.mode = 'ok';
  await server.collector.waitFor((c) => ids.every((id) => c.delivered.has(id)), 20000, 'all delivered after the reload');
  assert.deepEqual(server.collector.concurrent, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('endpoint answering 500 then 200 delivers once; 429 with Retry-After is retried too', async () => {
  const page = await browser.context.newPage();
  const log = watch(page, { allow: collectorNetworkLog });
  await openWidget(page, pageUrl(server.url, FAST));
  server.collector.failNext(1, 500);
  const a = await submitOne(page);
  await server.collector.waitFor((c) => c.delivered.has(a));
  assert.deepEqual(server.collector.requests.map((r) => r.status), [500, 200]);
  assert.equal(server.collector.delivered.get(a), 1, 'delivered once');
  server.collector.failNext(2, 429);
  const b = await submitOne(page);
  await server.collector.waitFor((c) => c.delivered.has(b));
  assert.deepEqual(server.collector.requests.slice(2).map((r) => r.status), [429, 429, 200]);
  server.collector.failNext(1, 'drop');
  const c = await submitOne(page);
  await server.collector.waitFor((x) => x.delivered.has(c));
  assert.equal(server.collector.duplicates(), 0);
  assert.ok(log.allowed.length >= 3, 'the failures were seen by the browser');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a 4xx other than 429 drops the response and reports it; the rest of a batch still arrives', async () => {
  const page = await browser.context.newPage();
  const log = watch(page, { allow: collectorNetworkLog });
  await openWidget(page, pageUrl(server.url, FAST));
  server.collector.failNext(1, 422);
  const a = await submitOne(page);
  await page.waitForFunction(() => window.cxmTest.errors.some((e) => e.code === 'rejected'));
  const err = await page.evaluate(() => window.cxmTest.errors.find((e) => e.code === 'rejected'));
  assert.equal(err.status, 422);
  assert.deepEqual(err.ids, [a]);
  assert.deepEqual(await storedKeys(page), []);
  // A batch refused as a whole is split: only the response still refused alone is dropped.
  await browser.context.setOffline(true);
  const ids = [await submitOne(page), await submitOne(page), await submitOne(page)];
  server.collector.failNext(1, 400);   // the batch of three
  server.collector.failNext(1, 400);   // the first one alone
  await browser.context.setOffline(false);
  await server.collector.waitFor((c) => c.delivered.has(ids[1]) && c.delivered.has(ids[2]));
  await page.waitForFunction(() => window.cxmTest.queue().size() === 0);
  assert.equal(server.collector.delivered.has(ids[0]), false);
  assert.deepEqual(await page.evaluate(() => window.cxmTest.errors.filter((e) => e.code === 'rejected').map((e) => e.ids[0])), [a, ids[0]]);
  // Errors other than the deliberate ones would fail here; the deliberate ones must carry 'rejected'.
  await page.evaluate(() => { window.cxmTest.errors = window.cxmTest.errors.filter((e) => e.code !== 'rejected'); });
  assert.deepEqual(await page.evaluate(() => window.cxmTest.errors), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('double submit (double click, Enter twice, submit() twice) produces one response', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { mode: 'all', ...FAST }));
  server.collector.delayMs = 200;
  await page.locator('cxm-survey [data-question=nps] [data-value="10"]').click();
  const send = page.locator('cxm-survey button[type=submit]');
  await send.dblclick();
  const again = await page.evaluate(async () => {
    const s = document.querySelector('cxm-survey');
    const [x, y] = await Promise.all([s.submit(), s.submit()]);
    return [x.id, y.id, s.responseId];
  });
  await server.collector.waitFor((c) => c.delivered.size === 1);
  const [id] = server.collector.delivered.keys();
  assert.deepEqual(again, [id, id, id]);
  assert.equal(await page.evaluate(() => window.cxmTest.submitted.length), 1, 'one cxm-submit event');
  assert.equal(server.collector.requests.length, 1, 'one POST');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('two tabs: every response delivered, none sent by both tabs at once; a closed tab\'s queue is taken over', async () => {
  const a = await browser.context.newPage();
  const b = await browser.context.newPage();
  const logA = watch(a, { allow: collectorNetworkLog });
  const logB = watch(b, { allow: collectorNetworkLog });
  await openWidget(a, pageUrl(server.url, FAST));
  await openWidget(b, pageUrl(server.url, FAST));
  server.collector.delayMs = 150;
  server.collector.mode = 'drop';
  const ids = [];
  for (let i = 0; i < 6; i++) ids.push(await submitOne(i % 2 ? b : a));
  // Both tabs see all six keys in the shared storage.
  assert.equal((await queued(a)).length, 6);
  assert.equal((await queued(b)).length, 6);
  server.collector.mode = 'ok';
  // Both tabs try at once.
  await Promise.all([a.evaluate(() => window.cxmTest.queue().kick()), b.evaluate(() => window.cxmTest.queue().kick())]);
  await server.collector.waitFor((c) => ids.every((id) => c.delivered.has(id)), 20000, 'six delivered');
  assert.deepEqual(server.collector.concurrent, [], 'no response in two requests at once');
  // A tab closed with responses pending: the other tab takes them over (after the lease).
  server.collector.mode = 'drop';
  const orphans = [await submitOne(a), await submitOne(a)];
  await a.close({ runBeforeUnload: false });
  server.collector.mode = 'ok';
  await server.collector.waitFor((c) => orphans.every((id) => c.delivered.has(id)), 20000, 'orphans delivered by tab b');
  assert.deepEqual(server.collector.concurrent, []);
  assert.deepEqual(logA.errors, []);
  assert.deepEqual(logB.errors, []);
  await b.close();
});

test('storage full or disabled: kept in memory, one cxm-error, no exception, still delivered', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (String(k).startsWith('cxm:q:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return setItem.call(this, k, v);
    };
  });
  await openWidget(page, pageUrl(server.url, FAST));
  const id = await submitOne(page);
  await server.collector.waitFor((c) => c.delivered.has(id));
  const errors = await page.evaluate(() => window.cxmTest.errors);
  assert.deepEqual(errors.map((e) => e.code), ['storage_unavailable']);
  assert.match(errors[0].message, /QuotaExceededError/);
  assert.deepEqual(log.errors, []);
  // Storage disabled altogether (the localStorage getter throws, as with blocked cookies).
  const page2 = await browser.context.newPage();
  const log2 = watch(page2);
  await page2.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  await openWidget(page2, pageUrl(server.url, FAST));
  const id2 = await submitOne(page2);
  await server.collector.waitFor((c) => c.delivered.has(id2));
  assert.deepEqual((await page2.evaluate(() => window.cxmTest.errors)).map((e) => e.code), ['storage_unavailable']);
  assert.deepEqual(log2.errors, []);
  await page.close();
  await page2.close();
});

test('queue cap drops the oldest and TTL drops the expired, both counted and reported', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, FAST));
  const r = await page.evaluate(async () => {
    const { DeliveryQueue } = await import('/cxm/widget/delivery.js');
    let clock = 1_000_000;
    const q = new DeliveryQueue('/collect', { maxItems: 3, ttlMs: 1000, now: () => clock, fetch: () => new Promise(() => {}) });
    const errors = [];
    q.addEventListener('error', (e) => errors.push(e.detail));
    for (let i = 0; i < 5; i++) { clock += 10; q.enqueue({ id: `cap-${i}` }); }
    const afterCap = q.pendingIds();
    q.close();
    const q2 = new DeliveryQueue('/collect', { ttlMs: 1000, now: () => clock + 5000, fetch: () => Promise.resolve(new Response(null, { status: 200 })) });
    q2.addEventListener('error', (e) => errors.push(e.detail));
    await q2.flush();
    const stats = [q.stats.droppedOverflow, q2.stats.expired];
    q2.close();
    return { afterCap, errors: errors.map((e) => [e.code, e.ids]).sort((x, y) => (x[1][0] < y[1][0] ? -1 : 1)), stats, left: Object.keys(localStorage).filter((k) => k.startsWith('cxm:q:')) };
  });
  assert.deepEqual(r.afterCap, ['cap-2', 'cap-3', 'cap-4']);
  assert.deepEqual(r.stats, [2, 3]);
  assert.deepEqual(r.errors, [['queue_overflow', ['cap-0']], ['queue_overflow', ['cap-1']],
    ['expired', ['cap-2']], ['expired', ['cap-3']], ['expired', ['cap-4']]]);
  assert.deepEqual(r.left, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a wasm abort is caught: cxm-error, the module is recreated, the survey goes on', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { mode: 'all', ...FAST }));
  const first = await page.evaluate(async () => {
    const api = await window.cxmTest.api();
    // What an aborted Emscripten module throws on the next call.
    api.Survey.prototype.visibleQuestions = () => { throw new WebAssembly.RuntimeError('Aborted(OOM)'); };
    return api;
  }).then(() => true);
  assert.ok(first);
  await page.locator('cxm-survey [data-question=nps] [data-value="2"]').click();
  await page.waitForFunction(() => window.cxmTest.events.some((e) => e.type === 'cxm-answer'));
  const s = await page.evaluate(async () => {
    const api = await window.cxmTest.api();
    const el = document.querySelector('cxm-survey');
    return { codes: window.cxmTest.errors.map((e) => e.code), visible: el.visibleQuestions,
             fresh: api.Survey.prototype.visibleQuestions.toString().includes('Aborted') === false };
  });
  assert.deepEqual(s.codes, ['wasm_abort']);
  assert.ok(s.fresh, 'a new module instance');
  assert.deepEqual(s.visible, ['nps', 'what_went_wrong', 'ces', 'csat', 'feeling', 'channels']);
  const id = await page.evaluate(async () => (await document.querySelector('cxm-survey').submit()).id);
  await server.collector.waitFor((c) => c.delivered.has(id));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a definition over the documented limit is refused in JS before it reaches wasm', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, FAST));
  const r = await page.evaluate(async () => {
    const { MAX_DEFINITION_BYTES } = await import('/cxm/widget/cxm-survey.js');
    const api = await window.cxmTest.api();
    let calls = 0;
    const parse = api.Survey.parse;
    api.Survey.parse = (...a) => { calls++; return parse.apply(api.Survey, a); };
    const el = document.createElement('cxm-survey');
    const error = new Promise((resolve) => el.addEventListener('cxm-error', (e) => resolve(e.detail)));
    document.body.append(el);
    // 2-byte characters: under the limit in UTF-16 units, over it in UTF-8 bytes.
    el.definition = `{"id":"${'é'.repeat(MAX_DEFINITION_BYTES / 2 + 10)}"}`;
    const detail = await error;
    api.Survey.parse = parse;
    el.remove();
    window.cxmTest.errors = window.cxmTest.errors.filter((e) => e.code !== 'too_large');
    return { code: detail.code, calls, limit: MAX_DEFINITION_BYTES };
  });
  assert.deepEqual(r, { code: 'too_large', calls: 0, limit: 256 * 1024 });
  assert.deepEqual(log.errors, []);
  await page.close();
});
