// SPDX-License-Identifier: MIT
// Small phones: the sample survey in English and Hebrew (right-to-left) at 320 and 375 CSS px,
// in a mobile Chromium (meta viewport honoured, touch, 2x pixels). Every scale option is a
// target of at least 24x24 CSS px (WCAG 2.2 SC 2.5.8), the 0-10 scale wraps to two rows (0-5,
// 6-10) and stays operable with the arrow keys, and nothing overflows horizontally: not the
// page, not the widget, not a label inside its box. Screenshots (build/<preset>/test-artifacts/
// phone-*.png) are for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, watch, screenshot, pageUrl, openWidget } from './harness.mjs';

const WIDTHS = [320, 375];
const LANGS = ['en', 'he'];
const MIN_TARGET = 24;

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch({ viewport: { width: 320, height: 720 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Measures the widget as it is on screen: problems found (strings), and the rows the 0-10 scale
 * occupies. Only rendered elements count (display:none has no client rects).
 */
function measure(page, minTarget) {
  return page.evaluate((min) => {
    const host = document.querySelector('cxm-survey');
    const root = host.shadowRoot;
    const card = root.querySelector('.card');
    const shown = (e) => e.getClientRects().length > 0;
    const name = (e) => `${e.tagName.toLowerCase()}.${e.className || e.getAttribute('role') || ''} "${e.textContent.trim().slice(0, 30)}"`;
    const problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const [what, e] of [['widget', host], ['card', card]]) {
      if (e.scrollWidth > e.clientWidth) problems.push(`${what} overflows: scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth}`);
    }
    const cardBox = card.getBoundingClientRect();
    if (cardBox.left < 0 || cardBox.right > doc.clientWidth) problems.push(`card ${cardBox.left}..${cardBox.right} outside the viewport`);
    const within = (inner, outer) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
    // Targets: scale and choice radios, checkbox rows, buttons.
    const targets = [...root.querySelectorAll('[role=radio], .check, button')].filter(shown);
    for (const t of targets) {
      const r = t.getBoundingClientRect();
      if (r.width < min || r.height < min) problems.push(`${name(t)} is ${r.width.toFixed(1)}x${r.height.toFixed(1)}, under ${min}x${min}`);
    }
    // Everything with words or numbers: no text cut or spilling out of its box, its container or the card.
    const labels = [...root.querySelectorAll('[role=radio], .ends span, .check, .check span, button, .prompt, .progress, .count, h2, .intro, textarea, .problem, .thanks')].filter(shown);
    for (const e of labels) {
      const r = e.getBoundingClientRect();
      if (e.scrollWidth > e.clientWidth + 0.5) problems.push(`${name(e)} text overflows its box: ${e.scrollWidth} > ${e.clientWidth}`);
      if (!within(r, e.parentElement.getBoundingClientRect())) problems.push(`${name(e)} sticks out of its container`);
      if (!within(r, cardBox)) problems.push(`${name(e)} sticks out of the card`);
    }
    const nps = [...root.querySelectorAll('[data-question=nps] [role=radio]')].filter(shown);
    const rows = [];
    for (const r of nps) {
      const box = r.getBoundingClientRect();
      let row = rows.find((x) => Math.abs(x.top - box.top) < 2);
      if (!row) rows.push(row = { top: box.top, values: [], xs: [] });
      row.values.push(Number(r.dataset.value));
      row.xs.push(box.left);
    }
    const sizes = nps.map((r) => r.getBoundingClientRect()).map((b) => Math.min(b.width, b.height));
    return { problems, rows, smallestNps: sizes.length ? Math.min(...sizes) : null, cardWidth: cardBox.width };
  }, minTarget);
}

for (const lang of LANGS) {
  for (const width of WIDTHS) {
    test(`${lang} at ${width} px: targets >= ${MIN_TARGET} px, the 0-10 scale on two rows, nothing overflows`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 720 });
      const log = watch(page);
      // Every question at once (a detractor, so the text question shows too).
      await openWidget(page, pageUrl(server.url, { lang, mode: 'all' }));
      await page.evaluate(async () => {
        const s = document.querySelector('cxm-survey');
        await s.setAnswer('nps', 3);
        await s.setAnswer('what_went_wrong', 'x');
      });
      let m = await measure(page, MIN_TARGET);
      assert.deepEqual(m.problems, [], `${lang} ${width} all`);
      assert.ok(m.smallestNps >= 36, `0-10 options are comfortable, not just legal: ${m.smallestNps}`);
      assert.deepEqual(m.rows.map((r) => r.values), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], 'two rows: 0-5 above 6-10');
      const first = m.rows[0].xs;
      const rtlOrder = first.every((x, i) => i === 0 || x < first[i - 1]);
      const ltrOrder = first.every((x, i) => i === 0 || x > first[i - 1]);
      assert.ok(lang === 'he' ? rtlOrder : ltrOrder, `${lang}: the rows read in the locale's direction`);
      await screenshot(page, `phone-${lang}-${width}-all`, { fullPage: true });

      // One question at a time: the first page (Next, progress, Not now), then a page with Back.
      await openWidget(page, pageUrl(server.url, { lang }));
      m = await measure(page, MIN_TARGET);
      assert.deepEqual(m.problems, [], `${lang} ${width} one, first page`);
      await screenshot(page, `phone-${lang}-${width}-one`);
      // Touch: tap 9, then Next; CES shows with Back.
      await page.locator('cxm-survey [data-question=nps] [role=radio][data-value="9"]').tap();
      await page.locator('cxm-survey button.next').tap();
      await page.waitForFunction(() => !document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=ces]').hidden);
      m = await measure(page, MIN_TARGET);
      assert.deepEqual(m.problems, [], `${lang} ${width} one, second page`);
      await screenshot(page, `phone-${lang}-${width}-one-page2`);
      // The thank-you card.
      await page.evaluate(() => document.querySelector('cxm-survey').submit());
      await page.waitForFunction(() => window.cxmTest.submitted.length === 1);
      m = await measure(page, MIN_TARGET);
      assert.deepEqual(m.problems, [], `${lang} ${width} thank-you`);
      assert.deepEqual(log.errors, []);
      await page.close();
    });
  }
}

test('the two-row 0-10 scale is still one radio group for the keyboard: arrows cross the row break', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 320, height: 720 });
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en' }));
  await page.keyboard.press('Tab');
  const value = () => page.evaluate(() => document.querySelector('cxm-survey').shadowRoot.activeElement?.dataset.value);
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await value(), '6', 'ArrowRight from 5 goes on to 6, first on the second row');
  await page.keyboard.press('ArrowUp');
  assert.equal(await value(), '5', 'ArrowUp is the previous value (not the option above)');
  await page.keyboard.press('End');
  await page.keyboard.press('Space');
  const checked = await page.evaluate(() => document.querySelector('cxm-survey').answers.nps);
  assert.equal(checked, 10);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the demo page at 320 px: no sideways scrolling', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 320, height: 720 });
  const log = watch(page);
  await page.goto(`${server.url}/examples/web/index.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('cxm-survey')].every((s) => s.shadowRoot?.querySelector('.card')));
  const r = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    widgets: [...document.querySelectorAll('cxm-survey')].map((s) => s.getBoundingClientRect().right),
  }));
  assert.ok(r.scroll <= r.client, `page ${r.scroll} > ${r.client}`);
  for (const right of r.widgets) assert.ok(right <= r.client, `a widget ends at ${right}`);
  await screenshot(page, 'phone-demo-320', { fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});
