// SPDX-License-Identifier: MIT
// The widget's own words (buttons, progress, counters, messages, thank-you, dismiss): a survey
// definition gives them per locale (ui, read with survey.uiText); the built-in ones here are
// only the fallback. Callers insert them as text, never as markup.

/** Built-in words, keyed like uiText() (camelCase). No title or intro: those are the survey's. */
export const FALLBACK = {
  en: { next: 'Next', back: 'Back', submit: 'Send', thankYou: 'Thank you for your feedback!', dismiss: 'Not now',
        required: 'Please answer this question.', tooLong: 'This answer is too long.',
        invalid: 'Please check this answer.', progress: 'Question {n} of {m}', characters: '{n} of {m} characters' },
  he: { next: 'הבא', back: 'הקודם', submit: 'שליחה', thankYou: 'תודה על המשוב!', dismiss: 'לא עכשיו',
        required: 'נא לענות על שאלה זו.', tooLong: 'התשובה ארוכה מדי.',
        invalid: 'נא לבדוק את התשובה.', progress: 'שאלה {n} מתוך {m}', characters: '{n} מתוך {m} תווים' },
  ar: { next: 'التالي', back: 'السابق', submit: 'إرسال', thankYou: 'شكرًا على ملاحظاتك!', dismiss: 'ليس الآن',
        required: 'يرجى الإجابة عن هذا السؤال.', tooLong: 'هذه الإجابة طويلة جدًا.',
        invalid: 'يرجى التحقق من هذه الإجابة.', progress: 'السؤال {n} من {m}', characters: '{n} من {m} حرفًا' },
};

/**
 * The word for `key` as {text, lang}: `given[key]` (a uiText() result) when a non-empty string,
 * else the built-in one of the locale's language (he-IL -> he), else English with lang 'en',
 * so screen readers do not read it in the locale's voice (WCAG 3.1.2), else ''.
 */
export function uiString(given, locale, key) {
  const own = given?.[key];
  if (typeof own === 'string' && own !== '') return { text: own, lang: undefined };
  const lang = String(locale).toLowerCase().split('-')[0];
  const builtIn = Object.hasOwn(FALLBACK, lang) ? FALLBACK[lang][key] : undefined;
  if (builtIn !== undefined) return { text: builtIn, lang: undefined };
  const english = FALLBACK.en[key];
  return english === undefined ? { text: '', lang: undefined } : { text: english, lang: lang === 'en' ? undefined : 'en' };
}

/** {name} placeholders filled from vars; unknown ones stay (a typo shows, not "undefined"). */
export const fill = (template, vars) =>
  template.replace(/\{(\w+)\}/g, (whole, k) => (Object.hasOwn(vars, k) ? String(vars[k]) : whole));
