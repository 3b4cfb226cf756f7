// SPDX-License-Identifier: MIT
// Seeded randomized soak against a real `cxm serve` (CXM_SERVE_BIN, else build/default/examples/cxm)
// behind the harness's fault proxy: two tabs of one browser profile submit responses while the
// network goes offline and online, the proxy answers 500/429, drops connections or loses the
// server's answer after it stored the batch, tabs reload or close, and respondents double-submit.
// Afterwards the server must have stored every submitted response exactly once (its report's
// `stored` equals the number of distinct ids submitted; resends were answered as duplicates)
// and no response may have been in two requests at once. CXM_SOAK_SEED and CXM_SOAK_CYCLES
// (default 240) change the run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  launch, watch, pageUrl, openWidget, collectorNetworkLog, faviconNotFound, mulberry32, startCxmServe, startFaultProxy,
  servePages, pollUntil,
} from './harness.mjs';

const SEED = Number(process.env.CXM_SOAK_SEED ?? 20260611);
const CYCLES = Number(process.env.CXM_SOAK_CYCLES ?? 240);
const URL_PARAMS = { retry: '40', lease: '250', poll: '150', timeout: '2000', mode: 'all', endpoint: '/v1/responses' };

let serve;
let proxy;
let pages;
let browser;
before(async () => {
  pages = servePages();
  // One address sends everything here: the per-client rate limit would answer 429 to the reloads.
  serve = await startCxmServe({ demo: pages, config: { rate_limit: { per_second: 100000, burst: 100000 } } });
  proxy = await startFaultProxy(serve.url);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await proxy?.close();
  try {
    await serve?.stop();
  } finally {
    await serve?.kill();
    if (pages) rmSync(pages, { recursive: true, force: true });
  }
});

test(`soak: ${CYCLES} seeded cycles (seed ${SEED}) against cxm serve store every response once and never send one twice at once`, { timeout: 600e3 }, async () => {
  const rand = mulberry32(SEED);
  const pick = (n) => Math.floor(rand() * n);
  const c = proxy.state;
  const allow = (e) => collectorNetworkLog(e) || faviconNotFound(e);
  const logs = [];
  const open = async () => {
    const page = await browser.context.newPage();
    logs.push(watch(page, { allow }));
    await openWidget(page, pageUrl(proxy.url, { ...URL_PARAMS, lang: rand() < 0.5 ? 'en' : 'he' }, '/widget.html'));
    return page;
  };
  const tabs = [await open(), await open()];
  const submitted = new Set();
  const counts = { submit: 0, doubleSubmit: 0, offline: 0, online: 0, fail500: 0, fail429: 0, drop: 0, lost: 0, reload: 0, reopen: 0, pause: 0 };
  let offline = false;

  const submit = async (page, double) => {
    const nps = pick(11);
    const id = await page.evaluate(async ([value, twice]) => {
      const s = document.querySelector('cxm-survey');
      await s.reset();
      await s.setAnswer('nps', value);
      if (value <= 6) await s.setAnswer('what_went_wrong', 'slow');
      const records = twice ? await Promise.all([s.submit(), s.submit(), s.submit()]) : [await s.submit()];
      const ids = new Set(records.map((r) => r.id));
      if (ids.size !== 1) throw new Error(`double submit made ${ids.size} ids`);
      return records[0].id;
    }, [nps, double]);
    submitted.add(id);
  };

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const r = rand();
    const tab = pick(2);
    c.delayMs = pick(4) * 10;
    if (r < 0.36) {
      counts.submit++;
      await submit(tabs[tab], false);
    } else if (r < 0.44) {
      counts.doubleSubmit++;
      await submit(tabs[tab], true);
    } else if (r < 0.56) {
      offline = !offline;
      counts[offline ? 'offline' : 'online']++;
      await browser.context.setOffline(offline);
    } else if (r < 0.64) {
      counts.fail500++;
      c.failNext(1 + pick(3), 500);
    } else if (r < 0.68) {
      counts.fail429++;
      c.failNext(1 + pick(2), 429);
    } else if (r < 0.72) {
      counts.drop++;
      c.failNext(1 + pick(2), 'drop');
    } else if (r < 0.74) {
      counts.lost++;
      c.failNext(1, 'lost');
    } else if (r < 0.86) {
      if (offline) {  // a page cannot load offline: come back online first
        offline = false;
        counts.online++;
        await browser.context.setOffline(false);
      }
      counts.reload++;
      await tabs[tab].reload();
      await tabs[tab].waitForFunction(() => window.cxmTest.ready);
    } else if (r < 0.90) {
      if (offline) {
        offline = false;
        counts.online++;
        await browser.context.setOffline(false);
      }
      counts.reopen++;
      await tabs[tab].close();
      tabs[tab] = await open();
    } else {
      // Let the queues run for a moment: part of the random schedule, not a synchronisation.
      counts.pause++;
      await tabs[tab].waitForTimeout(10 + pick(60));
    }
  }

  // Heal the world and wait for every response.
  await browser.context.setOffline(false);
  c.clearFailures();
  c.mode = 'ok';
  c.delayMs = 0;
  await Promise.all(tabs.map((t) => t.evaluate(() => window.cxmTest.queue().kick())));
  await pollUntil(async () => [...submitted].filter((id) => !(c.verdicts.get(id) ?? []).includes('accepted')).length,
    (left) => left === 0, { timeoutMs: 60e3, what: 'every submitted response accepted by cxm serve' });
  await Promise.all(tabs.map((t) => t.waitForFunction(() => window.cxmTest.queue().size() === 0)));

  const statuses = {};
  for (const q of c.requests) statuses[q.status] = (statuses[q.status] ?? 0) + 1;
  const server = await serve.report();
  const health = await serve.health();
  const acceptedOnce = [...submitted].filter((id) => c.verdicts.get(id).filter((v) => v === 'accepted').length === 1);
  const report = {
    seed: SEED, cycles: CYCLES, actions: counts, submitted: submitted.size, stored: server.stored,
    accepted: health.accepted, duplicates: health.duplicates, rejected: health.rejected, scoreMismatches: server.score_mismatches,
    lostAnswers: c.requests.filter((q) => q.how === 'lost').length, requests: c.requests.length, statuses, concurrentSends: c.concurrent.length,
    browserNetworkLogsAllowed: logs.reduce((a, l) => a + l.allowed.length, 0),
  };
  console.log(`# soak ${JSON.stringify(report)}`);
  assert.equal(server.stored, submitted.size, 'the server stored as many responses as distinct ids were submitted');
  assert.equal(acceptedOnce.length, submitted.size, 'each submitted id accepted exactly once');
  assert.deepEqual([...c.verdicts.keys()].filter((id) => !submitted.has(id)), [], 'nothing the tabs did not submit');
  assert.equal(health.accepted, submitted.size);
  assert.equal(health.duplicates, c.count('duplicate'), 'every resend the proxy saw was answered as a duplicate');
  // A response whose answer was lost after it was stored is sent again: at least one duplicate each.
  const lostIds = c.requests.filter((q) => q.how === 'lost').reduce((n, q) => n + q.ids.length, 0);
  assert.ok(health.duplicates >= lostIds, `${health.duplicates} duplicates, ${lostIds} responses whose answer was lost`);
  assert.deepEqual([health.rejected, server.score_mismatches], [0, 0]);
  assert.deepEqual(c.concurrent, [], 'no response in two requests at once');
  assert.ok(submitted.size >= 50, `enough responses to mean something (${submitted.size})`);
  for (const l of logs) assert.deepEqual(l.errors, []);
  for (const t of tabs) await t.close();
});
