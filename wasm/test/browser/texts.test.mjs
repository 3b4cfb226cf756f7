// SPDX-License-Identifier: MIT
// Every word the widget shows can come from the survey definition (locales.<l>.ui: title, intro,
// next, back, submit, thank_you, dismiss, progress, characters, required, too_long, invalid), and
// the built-in words (en, he, ar) are only the fallback; an English fallback in another locale is
// marked lang="en". Texts are data: markup in them shows as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, watch, screenshot, pageUrl, openWidget, sampleDefinition } from './harness.mjs';

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

const GERMAN = {
  title: 'Wie war Ihr Einstieg?',
  intro: 'Zwei Minuten, <i>versprochen</i>.',
  next: '<b>Weiter</b>',
  back: 'Zurück',
  submit: 'Absenden',
  thank_you: 'Danke für Ihre Rückmeldung!',
  dismiss: 'Später',
  progress: 'Frage {n} von {m}',
  characters: '{n} von {m} Zeichen',
  required: 'Bitte beantworten Sie diese Frage.',
  too_long: 'Diese Antwort ist zu lang.',
  invalid: 'Bitte prüfen Sie diese Antwort.',
};

/** Every visible word of the widget, with the lang attribute of its element. */
function words(page) {
  return page.evaluate(() => {
    const root = document.querySelector('cxm-survey').shadowRoot;
    const shown = (e) => e && e.getClientRects().length > 0;
    const pick = (sel) => {
      const e = [...root.querySelectorAll(sel)].find(shown);
      return e ? { text: e.textContent, lang: e.getAttribute('lang') } : null;
    };
    return {
      card: root.querySelector('.card')?.getAttribute('lang'),
      title: pick('h2'), intro: pick('.intro'), back: pick('button.back'), next: pick('button.next'),
      submit: pick('button.submit'), dismiss: pick('button.dismiss'), progress: pick('.progress'),
      count: pick('.count'), problem: pick('.problem'), thanks: pick('.thanks'),
      injected: root.querySelectorAll('b, i').length,
    };
  });
}

const text = (w) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v && typeof v === 'object' ? v.text : v]));

test('a locale whose definition gives every word: the widget shows the definition\'s words only, as text', async () => {
  const d = sampleDefinition();
  d.locales.de = { dir: 'ltr', ui: GERMAN };
  server.surveys.set('de.json', JSON.stringify(d));
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { src: '/surveys/de.json', lang: 'de' }));
  // Next without an answer: the "required" message.
  await page.locator('cxm-survey button.next').click();
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=nps] .problem').textContent !== '');
  let w = await words(page);
  assert.deepEqual(text(w), {
    card: 'de', title: GERMAN.title, intro: GERMAN.intro, back: null, next: GERMAN.next, submit: null, dismiss: GERMAN.dismiss,
    progress: 'Frage 1 von 5', count: null, problem: GERMAN.required, thanks: null, injected: 0,
  });
  for (const k of ['title', 'intro', 'next', 'dismiss', 'progress', 'problem']) assert.equal(w[k].lang, null, `${k}: the card's language`);
  // The questions have no German text: they show in English, marked as such.
  assert.equal(await page.evaluate(() => document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=nps]').lang), 'en');
  // A detractor: Next, then the text question with its counter, and too_long past max_length.
  await page.locator('cxm-survey [data-question=nps] [data-value="2"]').click();
  await page.locator('cxm-survey button.next').click();
  await page.waitForFunction(() => !document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=what_went_wrong]').hidden);
  await page.locator('cxm-survey [data-question=what_went_wrong] textarea').fill('Formular');
  w = await words(page);
  assert.deepEqual([w.back.text, w.progress.text, w.count.text], [GERMAN.back, 'Frage 2 von 6', '8 von 500 Zeichen']);
  await page.evaluate(() => document.querySelector('cxm-survey').setAnswer('what_went_wrong', 'x'.repeat(501)));
  await page.locator('cxm-survey button.next').click();
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=what_went_wrong] .problem').textContent !== '');
  assert.equal((await words(page)).problem.text, GERMAN.too_long);
  // invalid: an answer the core refuses for another reason (not one of the choices).
  await page.evaluate(async () => {
    const s = document.querySelector('cxm-survey');
    await s.setAnswer('what_went_wrong', 'Formular');
    await s.setAnswer('feeling', 'not-a-feeling');
    await s.submit();
  });
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('[data-question=feeling] .problem')?.textContent);
  assert.equal((await words(page)).problem.text, GERMAN.invalid);
  await screenshot(page, 'texts-de-invalid');
  await page.evaluate(async () => {
    const s = document.querySelector('cxm-survey');
    await s.setAnswer('feeling', 'happy');
    await s.submit();
  });
  await page.waitForFunction(() => window.cxmTest.submitted.length === 1);
  w = await words(page);
  assert.deepEqual(w.thanks, { text: GERMAN.thank_you, lang: null });
  assert.equal(w.injected, 0, 'markup in texts stays text');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('built-in words fill what the definition leaves out: Hebrew (sample) and Arabic (no ui at all)', async () => {
  const d = sampleDefinition();
  d.locales.ar = { dir: 'rtl' };
  server.surveys.set('ar.json', JSON.stringify(d));
  const page = await browser.context.newPage();
  const log = watch(page);
  // Hebrew: the sample gives next/back/submit/thank_you; progress, required, counter, dismiss are built in.
  await openWidget(page, pageUrl(server.url, { lang: 'he' }));
  await page.locator('cxm-survey button.next').click();
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('.problem').textContent !== '');
  await page.evaluate(() => document.querySelector('cxm-survey').setAnswer('nps', 1));
  await page.locator('cxm-survey button.next').click();
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('.count')?.getClientRects().length > 0);
  let w = text(await words(page));
  assert.deepEqual([w.next, w.back, w.progress, w.count, w.dismiss], ['הבא', 'הקודם', 'שאלה 2 מתוך 6', '0 מתוך 500 תווים', 'לא עכשיו']);
  await page.locator('cxm-survey button.back').click();
  await page.evaluate(() => document.querySelector('cxm-survey').setAnswer('nps', undefined));
  await page.evaluate(() => document.querySelector('cxm-survey').submit());
  await page.waitForFunction(() => document.querySelector('cxm-survey').shadowRoot.querySelector('.problem').textContent !== '');
  assert.equal((await words(page)).problem.text, 'נא לענות על שאלה זו.');
  // Arabic: every word built in, right to left, no lang marks (the words are Arabic).
  await openWidget(page, pageUrl(server.url, { src: '/surveys/ar.json', lang: 'ar' }));
  const raw = await words(page);
  w = text(raw);
  assert.deepEqual([w.card, w.next, w.progress, w.dismiss, w.title], ['ar', 'التالي', 'السؤال 1 من 5', 'ليس الآن', null]);
  assert.equal(raw.next.lang, null);
  assert.equal(await page.evaluate(() => document.querySelector('cxm-survey').shadowRoot.querySelector('.card').dir), 'rtl');
  await screenshot(page, 'texts-ar');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a locale the widget has no words for falls back to English, marked lang="en"', async () => {
  const d = sampleDefinition();
  d.locales.fr = { dir: 'ltr', ui: { title: 'Votre arrivée ?', next: 'Suivant' } };
  server.surveys.set('fr.json', JSON.stringify(d));
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { src: '/surveys/fr.json', lang: 'fr' }));
  const w = await words(page);
  assert.deepEqual(w.title, { text: 'Votre arrivée ?', lang: null });
  assert.deepEqual(w.next, { text: 'Suivant', lang: null }, 'given: French');
  assert.deepEqual(w.dismiss, { text: 'Not now', lang: 'en' }, 'fallback: English, said so');
  assert.deepEqual(w.progress, { text: 'Question 1 of 5', lang: 'en' });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the lookup: empty or non-string values fall back, language subtags resolve, templates fill as text', async () => {
  const page = await browser.context.newPage();
  const log = watch(page);
  await openWidget(page, pageUrl(server.url, { lang: 'en' }));
  const r = await page.evaluate(async () => {
    const { uiString, fill } = await import('/cxm/widget/strings.js');
    return {
      empty: uiString({ next: '' }, 'en', 'next'),
      number: uiString({ next: 5 }, 'he', 'next'),
      undef: uiString(undefined, 'he-IL', 'dismiss'),
      arabic: uiString({}, 'ar-EG', 'required'),
      proto: uiString({}, '__proto__', 'next'),
      given: uiString({ tooLong: 'Too long!' }, 'he', 'tooLong'),
      none: uiString({}, 'en', 'title'),
      filled: fill('{n} of {m} <b>{x}</b>', { n: 3, m: 5 }),
    };
  });
  assert.deepEqual(r, {
    empty: { text: 'Next', lang: undefined },
    number: { text: 'הבא', lang: undefined },
    undef: { text: 'לא עכשיו', lang: undefined },
    arabic: { text: 'يرجى الإجابة عن هذا السؤال.', lang: undefined },
    proto: { text: 'Next', lang: 'en' },
    given: { text: 'Too long!', lang: undefined },
    none: { text: '', lang: undefined },
    filled: '3 of 5 <b>{x}</b>',
  });
  assert.deepEqual(log.errors, []);
  await page.close();
});
