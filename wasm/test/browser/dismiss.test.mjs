// SPDX-License-Identifier: MIT
// The dismiss control: a "Not now" button (localized, an accessible name, reachable with Tab
// after the questions) closes the survey without answering; one bubbling, composed cxm-dismiss
// event tells {survey, version, locale, answered}; nothing is queued, stored or sent for a
// dismissed survey. dismissible="false" leaves the button out.
import { test, before, after, beforeEach } from 'node:test';
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
beforeEach(async () => {
  server.collector.reset();
  // Empty storage: "nothing stored" must not see a response another test left queued.
  const blank = await browser.context.newPage();
  await blank.goto(`${server.url}/cxm-test-blank`);
  await blank.evaluate(() => localStorage.clear());
  await blank.close();
});

const FAST = { retry: '100', lease: '300', poll: '200', timeout: '3000' };

/** What has focus inside the widget: {tag, text, value}. */
const focused = (page) => page.evaluate(() => {
  const a = document.querySelector('cxm-survey').shadowRoot.activeElement;
  return a ? { tag: a.tagName.toLowerCase(), text: a.textContent, value: a.dataset.value ?? null } : null;
});

/** The state after a dismissal: events, whether anything was queued, stored or is shown. */
const after_ = (page) => page.evaluate(() => {
  const el = document.querySelector('cxm-survey');
  return {
    dismissals: window.cxmTest.events.filter((e) => e.type === 'cxm-dismiss').map((e) => e.detail),
    submits: window.cxmTest.submitted.length,
    pending: window.cxmTest.queue().pendingIds(),
    stored: Object.keys(localStorage).filter((k) => k.startsWith('cxm:q:')),
    hidden: el.hidden, displayed: el.getClientRects().length > 0, children: el.shadowRoot.childElementCount,
  };
});

test('keyboard: Tab reaches "Not now" after the questions and Next; Enter dismisses once, nothing is sent', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en', ...FAST }));
  // Heard by a listener on the document (bubbles, composed) and by one on the element.
  await page.evaluate(() => {
    window.onElement = 0;
    document.querySelector('cxm-survey').addEventListener('cxm-dismiss', (e) => {
      window.onElement++;
      window.dismissFlags = { bubbles: e.bubbles, composed: e.composed, cancelable: e.cancelable };
    });
  });
  await page.keyboard.press('Tab');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');  // one answer: nps = 7
  const order = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    order.push(f?.text ?? null);
    if (f?.text === 'Not now') break;
  }
  assert.deepEqual(order, ['Next', 'Not now'], 'the questions, then Next, then Not now');
  const name = await page.getByRole('button', { name: 'Not now' }).count();
  assert.equal(name, 1, 'a button whose accessible name is "Not now"');
  await screenshot(page, 'dismiss-en-focus');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.cxmTest.events.some((e) => e.type === 'cxm-dismiss'));
  await page.keyboard.press('Enter');  // nothing left to press: no second event
  const again = await page.evaluate(() => document.querySelector('cxm-survey').dismiss());
  assert.equal(again, false, 'dismiss() after a dismissal does nothing');
  const submitted = await page.evaluate(() => document.querySelector('cxm-survey').submit());
  assert.equal(submitted, null, 'submit() after a dismissal sends nothing');
  await page.waitForTimeout(600);  // several retry periods of the FAST queue
  const s = await after_(page);
  assert.deepEqual(s.dismissals, [{ survey: 'after-onboarding', version: 3, locale: 'en', answered: 1 }]);
  assert.deepEqual(await page.evaluate(() => [window.onElement, window.dismissFlags]),
                   [1, { bubbles: true, composed: true, cancelable: false }]);
  assert.deepEqual({ submits: s.submits, pending: s.pending, stored: s.stored }, { submits: 0, pending: [], stored: [] });
  assert.deepEqual({ hidden: s.hidden, displayed: s.displayed, children: s.children }, { hidden: true, displayed: false, children: 0 });
  assert.equal(server.collector.requests.length, 0, 'the collector heard nothing');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('Hebrew, every question at once: "לא עכשיו" by mouse, answered counts the shown answers', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'he', mode: 'all', ...FAST }));
  await page.locator('cxm-survey [data-question=nps] [data-value="3"]').click();
  await page.locator('cxm-survey [data-question=ces] [data-value="2"]').click();
  await page.locator('cxm-survey [data-question=feeling] [data-value="confused"]').click();
  // An answer to a question a later answer hides does not count: nps 9 hides what_went_wrong.
  await page.locator('cxm-survey [data-question=what_went_wrong] textarea').fill('הכרטיס לא הגיע');
  await page.locator('cxm-survey [data-question=nps] [data-value="9"]').click();
  await page.waitForFunction(() => document.querySelector('cxm-survey').visibleQuestions.length === 5);
  const button = page.getByRole('button', { name: 'לא עכשיו' });
  assert.equal(await button.count(), 1);
  await screenshot(page, 'dismiss-he-all', { fullPage: true });
  await button.click();
  await page.waitForTimeout(600);
  const s = await after_(page);
  assert.deepEqual(s.dismissals, [{ survey: 'after-onboarding', version: 3, locale: 'he', answered: 3 }]);
  assert.deepEqual({ submits: s.submits, pending: s.pending, stored: s.stored, displayed: s.displayed },
                   { submits: 0, pending: [], stored: [], displayed: false });
  assert.equal(server.collector.requests.length, 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('dismissible="false" leaves the button out; removing the attribute brings it back', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en', dismissible: 'false' }));
  const count = () => page.evaluate(() => document.querySelector('cxm-survey').shadowRoot.querySelectorAll('button.dismiss').length);
  assert.equal(await count(), 0);
  assert.equal(await page.evaluate(() => document.querySelector('cxm-survey').dismissible), false);
  await page.evaluate(() => document.querySelector('cxm-survey').removeAttribute('dismissible'));
  assert.equal(await count(), 1, 'the default: dismissible');
  await page.evaluate(() => document.querySelector('cxm-survey').setAttribute('dismissible', ''));
  assert.equal(await count(), 1, 'present without a value: dismissible');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('after a dismissal reset() shows the survey again, and a later response is delivered', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en', mode: 'all', ...FAST }));
  const r = await page.evaluate(async () => {
    const el = document.querySelector('cxm-survey');
    await el.setAnswer('nps', 10);
    const closed = el.dismiss();
    await el.reset();
    const shown = !el.hidden && el.shadowRoot.querySelector('.card') !== null;
    await el.setAnswer('nps', 8);
    const record = await el.submit();
    // After Send there is nothing to dismiss: the thank-you card stays.
    return { closed, shown, id: record.id, answers: record.answers, later: el.dismiss() };
  });
  assert.deepEqual({ closed: r.closed, shown: r.shown, answers: r.answers, later: r.later },
                   { closed: true, shown: true, answers: { nps: 8 }, later: false });
  await server.collector.waitFor((c) => c.delivered.has(r.id));
  assert.equal(server.collector.delivered.size, 1, 'only the response that was sent');
  assert.equal((await after_(page)).dismissals.length, 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});
