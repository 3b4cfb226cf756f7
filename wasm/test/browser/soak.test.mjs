// SPDX-License-Identifier: MIT
// Seeded randomized soak: two tabs of one browser profile submit responses while the network
// goes offline and online, the collector answers 500/429 or drops connections, tabs reload or
// close, and respondents double-submit. Afterwards the collector must hold every submitted
// response (deduplicated by id; duplicates allowed) and no response may have been in two
// requests at once. CXM_SOAK_SEED and CXM_SOAK_CYCLES (default 240) change the run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, watch, pageUrl, openWidget, collectorNetworkLog, mulberry32 } from './harness.mjs';

const SEED = Number(process.env.CXM_SOAK_SEED ?? 20260611);
const CYCLES = Number(process.env.CXM_SOAK_CYCLES ?? 240);
const URL_PARAMS = { retry: '40', lease: '250', poll: '150', timeout: '2000', mode: 'all' };

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

test(`soak: ${CYCLES} seeded cycles (seed ${SEED}) lose no response and never send one twice at once`, { timeout: 600e3 }, async () => {
  const rand = mulberry32(SEED);
  const pick = (n) => Math.floor(rand() * n);
  const c = server.collector;
  c.reset();
  const logs = [];
  const open = async () => {
    const page = await browser.context.newPage();
    logs.push(watch(page, { allow: collectorNetworkLog }));
    await openWidget(page, pageUrl(server.url, { ...URL_PARAMS, lang: rand() < 0.5 ? 'en' : 'he' }));
    return page;
  };
  const tabs = [await open(), await open()];
  const submitted = new Set();
  const counts = { submit: 0, doubleSubmit: 0, offline: 0, online: 0, fail500: 0, fail429: 0, drop: 0, reload: 0, reopen: 0, pause: 0 };
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
    } else if (r < 0.74) {
      counts.drop++;
      c.failNext(1 + pick(2), 'drop');
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
  await c.waitFor((x) => [...submitted].every((id) => x.delivered.has(id)), 60e3, 'every submitted response');
  await Promise.all(tabs.map((t) => t.waitForFunction(() => window.cxmTest.queue().size() === 0)));

  const statuses = {};
  for (const q of c.requests) statuses[q.status] = (statuses[q.status] ?? 0) + 1;
  const unique = c.uniqueIds();
  const missing = [...submitted].filter((id) => !unique.has(id));
  const report = {
    seed: SEED, cycles: CYCLES, actions: counts, submitted: submitted.size, deliveredUnique: unique.size,
    duplicates: c.duplicates(), requests: c.requests.length, statuses, concurrentSends: c.concurrent.length,
    browserNetworkLogsAllowed: logs.reduce((a, l) => a + l.allowed.length, 0),
  };
  console.log(`# soak ${JSON.stringify(report)}`);
  assert.deepEqual(missing, [], 'every submitted response reached the collector');
  assert.equal(unique.size, submitted.size, 'nothing the tabs did not submit');
  assert.deepEqual(c.concurrent, [], 'no response in two requests at once');
  assert.ok(submitted.size >= 50, `enough responses to mean something (${submitted.size})`);
  for (const l of logs) assert.deepEqual(l.errors, []);
  for (const t of tabs) await t.close();
});
