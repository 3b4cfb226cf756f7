// SPDX-License-Identifier: MIT
// Completing the survey with the keyboard alone (English and Hebrew), the detractor branch, and
// local scores checked against a hand-written golden file and against the native `cxm report`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, watch, screenshot, pageUrl, openWidget, repo } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = JSON.parse(readFileSync(path.join(here, 'golden/after-onboarding-scores.json'), 'utf8'));

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

/** What has focus inside the widget: {role, value, tag, text, outline}. */
function focused(page) {
  return page.evaluate(() => {
    const root = document.querySelector('cxm-survey').shadowRoot;
    const a = root.activeElement;
    if (!a) return null;
    const cs = getComputedStyle(a);
    return { role: a.getAttribute('role'), value: a.dataset.value ?? a.value ?? null, tag: a.tagName.toLowerCase(),
             text: a.textContent, question: a.closest('.q')?.dataset.question ?? null,
             outline: `${cs.outlineStyle} ${cs.outlineWidth}`, checked: a.getAttribute('aria-checked') ?? String(a.checked) };
  });
}

async function press(page, key, times = 1) {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Presses Tab until a button with `text` has focus (keyboard only; at most 12 presses). */
async function tabToButton(page, text) {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && f.tag === 'button' && f.text === text) return;
  }
  throw new Error(`no button "${text}" reachable with Tab`);
}

test('keyboard only, English, one question at a time: Tab, arrows, Space/Enter, to the thank-you', async () => {
  server.collector.reset();
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en' }));
  await page.keyboard.press('Tab');
  let f = await focused(page);
  assert.deepEqual([f.role, f.value, f.question], ['radio', '0', 'nps'], 'Tab lands on the scale (one tab stop)');
  assert.match(f.outline, /^solid [3-9]/, 'visible focus ring');
  await press(page, 'ArrowRight', 9);
  f = await focused(page);
  assert.equal(f.value, '9', 'arrows move focus');
  assert.equal(f.checked, 'false', 'arrows do not select');
  await screenshot(page, 'keyboard-en-focus');
  await page.keyboard.press('Space');
  assert.equal((await focused(page)).checked, 'true', 'Space selects');
  // Wrap-around and Home/End.
  await page.keyboard.press('End');
  assert.equal((await focused(page)).value, '10');
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused(page)).value, '0', 'wraps around');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused(page)).value, '9');
  await tabToButton(page, 'Next');
  await page.keyboard.press('Enter');
  f = await focused(page);
  assert.equal(f.question, 'ces', 'a promoter goes straight to CES (no "what went wrong?")');
  await press(page, 'ArrowRight', 5);
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).checked, 'true', 'Enter selects');
  await tabToButton(page, 'Next');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).question, 'csat');
  await press(page, 'ArrowDown', 3);
  await page.keyboard.press('Space');
  await tabToButton(page, 'Next');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).question, 'feeling');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await tabToButton(page, 'Next');
  await page.keyboard.press('Enter');
  f = await focused(page);
  assert.deepEqual([f.question, f.tag], ['channels', 'input']);
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await tabToButton(page, 'Send');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.cxmTest.submitted.length === 1);
  const thanks = await page.evaluate(() => {
    const root = document.querySelector('cxm-survey').shadowRoot;
    return { text: root.querySelector('.thanks')?.textContent, focused: root.activeElement?.className };
  });
  assert.equal(thanks.text, 'Thank you! Your answers help us improve.');
  assert.equal(thanks.focused, 'thanks', 'focus moves to the thank-you message');
  await screenshot(page, 'keyboard-en-thanks');
  await server.collector.waitFor((c) => c.delivered.size === 1);
  const [record] = server.collector.records.values();
  assert.deepEqual(record.answers, { nps: 9, ces: 6, csat: 4, feeling: 'happy', channels: ['web', 'app'] });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('keyboard only, Hebrew: ArrowLeft moves to the next value on the mirrored scale', async () => {
  server.collector.reset();
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'he', mode: 'all' }));
  await page.keyboard.press('Tab');
  await press(page, 'ArrowLeft', 3);
  let f = await focused(page);
  assert.equal(f.value, '3');
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused(page)).value, '2', 'ArrowRight goes back toward 0 (on the right)');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.deepEqual([f.question, f.tag], ['what_went_wrong', 'textarea'], 'a detractor is asked what went wrong');
  await page.keyboard.type('הכרטיס לא הגיע');
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.deepEqual([f.question, f.value], ['ces', '1'], 'Tab from the text goes to the next group (one tab stop)');
  await press(page, 'ArrowLeft', 1);
  await page.keyboard.press('Space');
  await screenshot(page, 'keyboard-he-focus', { fullPage: true });
  await tabToButton(page, 'שליחה');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.cxmTest.submitted.length === 1);
  await server.collector.waitFor((c) => c.delivered.size === 1);
  const [record] = server.collector.records.values();
  assert.deepEqual(record.answers, { nps: 3, what_went_wrong: 'הכרטיס לא הגיע', ces: 2 });
  assert.equal(record.locale, 'he');
  assert.deepEqual(record.skipped, ['csat', 'feeling', 'channels']);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a required question blocks Next and Send, with the problem announced and focused', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en' }));
  await tabToButton(page, 'Next');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=nps] .problem').textContent !== '');
  const s = await page.evaluate(() => {
    const root = document.querySelector('cxm-survey').shadowRoot;
    const q = root.querySelector('[data-question=nps]');
    return { problem: q.querySelector('.problem').textContent, role: q.querySelector('.problem').getAttribute('role'),
             invalid: q.getAttribute('aria-invalid'), visible: [...root.querySelectorAll('.q')].filter((x) => !x.hidden).map((x) => x.dataset.question),
             focus: root.activeElement?.closest('.q')?.dataset.question };
  });
  assert.deepEqual(s, { problem: 'Please answer this question.', role: 'alert', invalid: 'true', visible: ['nps'], focus: 'nps' });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the detractor question is shown for 0-6 only (clicks, all at once)', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en', mode: 'all' }));
  for (let v = 0; v <= 10; v++) {
    await page.locator(`cxm-survey [data-question="nps"] [role=radio][data-value="${v}"]`).click();
    await page.waitForFunction((value) => window.cxmTest.events.filter((e) => e.type === 'cxm-answer').at(-1)?.detail.value === value, v);
    const shown = await page.evaluate(() => !document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=what_went_wrong]').hidden);
    assert.equal(shown, v <= 6, `nps ${v}`);
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('local scores equal the golden file and the native cxm report', async (t) => {
  server.collector.reset();
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en', mode: 'all' }));
  const results = [];
  for (const c of golden.cases) {
    const r = await page.evaluate(async (answers) => {
      const s = document.querySelector('cxm-survey');
      await s.reset();
      for (const [q, v] of Object.entries(answers)) await s.setAnswer(q, v);
      const visible = s.visibleQuestions;
      const record = await s.submit();
      const submit = window.cxmTest.events.filter((e) => e.type === 'cxm-submit').at(-1).detail;
      return { visible, id: record.id, score: submit.score };
    }, c.answers);
    assert.deepEqual(r.visible, c.visible, `visible for ${JSON.stringify(c.answers)}`);
    for (const [q, expected] of Object.entries(c.scores)) {
      const got = r.score.questions[q];
      assert.ok(got, `a score for ${q}`);
      for (const [k, v] of Object.entries(expected)) assert.equal(got[k], v, `${q}.${k} for ${JSON.stringify(c.answers)}`);
    }
    results.push(r);
  }
  // Aggregates from the local (wasm) classification ...
  const cats = { promoter: 0, passive: 0, detractor: 0 };
  let easy = 0;
  let satisfied = 0;
  for (const r of results) {
    cats[r.score.questions.nps.category]++;
    if (r.score.questions.ces?.easy) easy++;
    if (r.score.questions.csat?.satisfied) satisfied++;
  }
  assert.deepEqual([cats.promoter, cats.passive, cats.detractor], [golden.totals.promoters, golden.totals.passives, golden.totals.detractors]);
  assert.equal(easy, golden.totals.ces.easy);
  assert.equal(satisfied, golden.totals.csat.satisfied);
  // ... and the native tool on the records the collector received (the same answers).
  await server.collector.waitFor((c) => c.delivered.size === golden.cases.length);
  assert.deepEqual(log.errors, []);
  await page.close();
  const cxm = process.env.CXM_NATIVE_CXM ?? path.join(repo, 'build/default/examples/cxm');
  if (!existsSync(cxm)) {
    // Skip reason: this half compares with the native `cxm report`, which exists only when the
    // default preset was built (scripts/test.sh builds it before wasm, so CI never skips here);
    // running the wasm preset alone still checks the independent golden file above.
    t.skip(`native cxm not built (${cxm}); the golden file check passed`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cxm-native-'));
  try {
    const file = path.join(dir, 'responses.jsonl');
    writeFileSync(file, results.map((r) => JSON.stringify(server.collector.records.get(r.id))).join('\n') + '\n');
    const out = execFileSync(cxm, ['report', file], { encoding: 'utf8' });
    const totals = out.slice(out.indexOf('Totals'), out.indexOf('By '));
    assert.match(out, new RegExp(`${golden.cases.length} responses scored, 0 duplicates, 0 lines rejected`), out);
    const ppd = totals.match(/P\/P\/D (\d+)\/(\d+)\/(\d+)/);
    assert.deepEqual(ppd.slice(1).map(Number), [cats.promoter, cats.passive, cats.detractor], 'native P/P/D = local categories');
    const npsLine = totals.match(/NPS\s+([+-][\d.]+)/);
    assert.equal(Number(npsLine[1]), golden.totals.nps);
    const scaleLine = (name) => totals.split('\n').find((l) => l.trim().startsWith(name) && /mean/.test(l));
    for (const [name, count, totalsEntry] of [['ces', easy, golden.totals.ces], ['csat', satisfied, golden.totals.csat]]) {
      const line = scaleLine(name);
      const m = line.match(/mean\s+([\d.]+).*top box \(>= \d\)\s+([\d.]+)%.*n=(\d+)/);
      assert.ok(m, line);
      assert.equal(Number(m[3]), totalsEntry.n, `${name} n`);
      assert.ok(Math.abs(Number(m[1]) - totalsEntry.mean) < 0.006, `${name} mean ${m[1]}`);
      assert.ok(Math.abs(Number(m[2]) - (100 * count) / totalsEntry.n) < 0.06, `${name} top box ${m[2]}% vs local ${count}/${totalsEntry.n}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
