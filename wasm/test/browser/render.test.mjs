// SPDX-License-Identifier: MIT
// <cxm-survey> renders the sample definition in English and Hebrew (right-to-left), mirrors the
// 0-10 scale in RTL unless scale-dir="ltr", meets WCAG 2.1 AA contrast, and the demo page works.
// Screenshots: build/<preset>/test-artifacts/*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, watch, screenshot, pageUrl, openWidget } from './harness.mjs';

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

/** Reads the rendered widget: direction, visible prompts, options of the nps scale with positions. */
function snapshot(page) {
  return page.evaluate(() => {
    const root = document.querySelector('cxm-survey').shadowRoot;
    const card = root.querySelector('.card');
    const visible = [...root.querySelectorAll('.q')].filter((q) => !q.hidden).map((q) => q.dataset.question);
    const nps = root.querySelector('[data-question="nps"] [role=radiogroup]');
    const radios = [...nps.querySelectorAll('[role=radio]')].map((r) => ({
      value: r.dataset.value, x: r.getBoundingClientRect().x, tabindex: r.getAttribute('tabindex'),
      describedBy: r.getAttribute('aria-describedby'),
    }));
    const ref = (ids) => (ids || '').split(' ').filter(Boolean).map((id) => root.getElementById(id)?.textContent ?? `<missing ${id}>`);
    return {
      dir: card.getAttribute('dir'), lang: card.getAttribute('lang'), computedDir: getComputedStyle(card).direction,
      title: root.querySelector('h2')?.textContent, visible, radios,
      groupLabel: ref(nps.getAttribute('aria-labelledby')), groupDescription: ref(nps.getAttribute('aria-describedby')),
      zeroDescription: ref(radios[0].describedBy), tenDescription: ref(radios[10].describedBy),
      prompt: root.querySelector('[data-question="nps"] .prompt').textContent,
    };
  });
}

test('English: left-to-right, the first question, labelled radio group with end-point labels', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en' }));
  const s = await snapshot(page);
  assert.equal(s.dir, 'ltr');
  assert.equal(s.computedDir, 'ltr');
  assert.equal(s.lang, 'en');
  assert.equal(s.title, 'How was your onboarding?');
  assert.deepEqual(s.visible, ['nps'], 'one question at a time by default');
  assert.equal(s.radios.length, 11);
  assert.deepEqual(s.radios.map((r) => r.value), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  assert.ok(s.radios[0].x < s.radios[10].x, '0 is on the left');
  assert.deepEqual(s.radios.map((r) => r.tabindex), ['0', ...Array(10).fill('-1')], 'roving tabindex: one tab stop');
  assert.deepEqual(s.groupLabel, ['How likely are you to recommend us to a friend or colleague?']);
  assert.ok(s.groupDescription.includes('Not at all likely') && s.groupDescription.includes('Extremely likely'));
  assert.deepEqual(s.zeroDescription, ['Not at all likely']);
  assert.deepEqual(s.tenDescription, ['Extremely likely']);
  await screenshot(page, 'render-en-one');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('Hebrew: right-to-left, Hebrew texts, the 0-10 scale mirrored by default', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'he', mode: 'all' }));
  const s = await snapshot(page);
  assert.equal(s.dir, 'rtl');
  assert.equal(s.computedDir, 'rtl');
  assert.equal(s.lang, 'he');
  assert.equal(s.title, 'איך היה תהליך ההצטרפות?');
  assert.equal(s.prompt, 'עד כמה סביר שתמליצו עלינו לחבר או לעמית?');
  assert.deepEqual(s.visible, ['nps', 'ces', 'csat', 'feeling', 'channels'], 'all at once; the detractor question hidden');
  assert.ok(s.radios[0].x > s.radios[10].x, 'mirrored: 0 on the right');
  assert.deepEqual(s.zeroDescription, ['בכלל לא סביר']);
  // A detractor answer shows the "what went wrong?" question, in Hebrew.
  await page.evaluate(() => document.querySelector('cxm-survey').setAnswer('nps', 3));
  const after = await snapshot(page);
  assert.deepEqual(after.visible, ['nps', 'what_went_wrong', 'ces', 'csat', 'feeling', 'channels']);
  await page.evaluate(() => document.querySelector('cxm-survey').setAnswer('ces', 6));
  await screenshot(page, 'render-he-all', { fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('Hebrew with scale-dir="ltr": 0 stays on the left, texts stay right-to-left', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'he', 'scale-dir': 'ltr' }));
  const s = await snapshot(page);
  assert.equal(s.dir, 'rtl');
  assert.ok(s.radios[0].x < s.radios[10].x, 'not mirrored');
  await screenshot(page, 'render-he-scale-ltr');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a locale the survey lacks falls back: he-IL -> he, fr -> the default (en)', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'he-IL' }));
  assert.equal((await snapshot(page)).lang, 'he');
  await openWidget(page, pageUrl(server.url, { lang: 'fr' }));
  assert.equal((await snapshot(page)).lang, 'en');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('colour contrast meets WCAG 2.1 AA (4.5:1 text, 3:1 borders and focus ring)', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en', mode: 'all' }));
  await page.evaluate(() => document.querySelector('cxm-survey').setAnswer('nps', 9));
  const result = await page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement ?? e.getRootNode().host) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const root = document.querySelector('cxm-survey').shadowRoot;
    const checks = [];
    const text = (what, el) => checks.push({ what, ratio: ratio(parse(getComputedStyle(el).color), background(el)), min: 4.5 });
    text('title', root.querySelector('h2'));
    text('prompt', root.querySelector('.prompt'));
    text('option', root.querySelector('[data-question=nps] [aria-checked=false]'));
    text('selected option', root.querySelector('[data-question=nps] [aria-checked=true]'));
    text('end label', root.querySelector('.ends span'));
    text('choice label', root.querySelector('.check span'));
    text('submit button', root.querySelector('button.primary:not([hidden])'));
    const opt = root.querySelector('[data-question=nps] [aria-checked=false]');
    checks.push({ what: 'option border', ratio: ratio(parse(getComputedStyle(opt).borderTopColor), background(opt.parentElement)), min: 3 });
    opt.focus();
    checks.push({ what: 'focus ring', ratio: ratio(parse(getComputedStyle(opt).outlineColor), background(opt.parentElement)), min: 3 });
    return checks;
  });
  for (const c of result) assert.ok(c.ratio >= c.min, `${c.what}: contrast ${c.ratio.toFixed(2)} < ${c.min}`);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the demo page (examples/web) shows the survey in English and Hebrew under the strict CSP', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await page.goto(`${server.url}/examples/web/index.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('cxm-survey')].every((s) => s.shadowRoot?.querySelector('.card')));
  const dirs = await page.evaluate(() => [...document.querySelectorAll('cxm-survey')].map((s) => s.shadowRoot.querySelector('.card').getAttribute('dir')));
  assert.deepEqual(dirs, ['ltr', 'rtl']);
  await screenshot(page, 'demo', { fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});
