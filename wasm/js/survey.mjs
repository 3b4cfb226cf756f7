// SPDX-License-Identifier: MIT
// Survey: the wrapper of the core's survey (definition, texts, visibility, validation, scoring,
// targeting; bindings_survey.cpp). The one class of the survey-only module that the <cxm-survey>
// widget loads, so this file and context.mjs are all the wrapper a survey page downloads.
//
// Structured results cross from wasm as JSON text and are parsed here: JSON.parse makes every
// key an own property, so ids such as "__proto__" stay data.

import { CxmError, errc, limits, describe, isArray, guard, typedArray, copyBytes, utf8Length, wellFormed } from './context.mjs';

/** The survey definition as the core reads it: a string or UTF-8 bytes within survey::max_bytes. */
function checkSurveyText(text) {
  const max = limits.surveyBytes;
  if (typeof text === 'string') {
    // UTF-16 length <= UTF-8 bytes <= 3 × UTF-16 length: count exactly only when it matters.
    const bytes = text.length > max || text.length * 3 > max ? utf8Length(text) : text.length;
    if (bytes > max) throw new CxmError(errc.too_large, `survey definition of ${bytes} bytes is over the ${max}-byte limit`);
    return wellFormed(text);
  }
  const v = typedArray(text);
  if (v !== null && v.kind === 'Uint8Array') {
    if (v.length > max) throw new CxmError(errc.too_large, `survey definition of ${v.length} bytes is over the ${max}-byte limit`);
    return copyBytes(v);
  }
  throw new CxmError(errc.wrong_type, `Survey.parse expects JSON text (a string or a Uint8Array), got ${describe(text)}`);
}

function checkId(x, what) {
  if (typeof x !== 'string' || x.length === 0 || x.length > 1024)
    throw new CxmError(errc.invalid_argument, `${what} must be a non-empty string of at most 1024 characters, got ${describe(x)}`);
  return wellFormed(x);
}

function checkLocale(x) {
  if (x === undefined || x === null) return '';
  if (typeof x !== 'string' || x.length > 64)
    throw new CxmError(errc.invalid_argument, `locale must be a string such as 'he' or 'en-US', got ${describe(x)}`);
  return wellFormed(x);
}

/** A question id for wasm: a string (lone surrogates as U+FFFD, as everywhere). */
export function checkQuestion(x) {
  if (typeof x !== 'string') throw new CxmError(errc.invalid_argument, `questionId must be a string, got ${describe(x)}`);
  return wellFormed(x);
}

// A time in ms since 1970 for eligible(): a non-negative safe integer; for the last-shown
// times also -1, null or undefined (never shown).
function checkMs(x, what, optional) {
  if (optional && (x === undefined || x === null || x === -1)) return -1;
  if (!Number.isSafeInteger(x) || x < 0)
    throw new CxmError(errc.invalid_argument,
                       `${what} must be milliseconds since 1970 (a non-negative integer)${optional ? ' or -1 (never)' : ''}, got ${describe(x)}`);
  return x;
}

/**
 * The answers object as JSON text for the core. Values pass as they are, except: undefined
 * is left out (not answered); strings lose lone surrogates (U+FFFD instead, as a UTF-8
 * encoder would); non-finite numbers, bigints, functions and symbols throw (JSON cannot
 * carry them); other objects cross as {} and array elements that are not strings (holes too)
 * as 0, so the core reports them as the wrong type without JSON.stringify ever walking them.
 * Getters and Proxy traps of `answers` run here, under guard (wrong_type), before any wasm
 * handle is taken; the text is counted as it grows and refused (too_large) once over the
 * core's limit (answers::max_bytes), so a sparse array of 2^32-1 holes fails at once instead
 * of after minutes. Shared with survey_tally.mjs.
 */
export function answersText(answers) {
  if (answers === null || typeof answers !== 'object' || isArray(answers) || ArrayBuffer.isView(answers))
    throw new CxmError(errc.wrong_type, `answers must be an object {questionId: answer}, got ${describe(answers)}`);
  const max = limits.answersBytes;
  let size = 2;
  const grow = (part) => {
    size += part.length + 1;
    if (size > max) throw new CxmError(errc.too_large, `answers are over the ${max}-byte limit`);
    return part;
  };
  return guard(errc.wrong_type, 'answers', () => {
    const parts = [];
    for (const key of Object.keys(answers)) {
      const v = answers[key];
      let text;
      if (v === undefined) continue;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new CxmError(errc.not_finite, `answers.${key}: ${v} is not a finite number`);
        text = JSON.stringify(v);
      } else if (typeof v === 'string') {
        text = JSON.stringify(wellFormed(v));
      } else if (typeof v === 'boolean' || v === null) {
        text = JSON.stringify(v);
      } else if (isArray(v)) {
        const items = [];
        for (let i = 0, n = v.length; i < n; ++i) {
          const x = v[i];
          items.push(grow(typeof x === 'string' ? JSON.stringify(wellFormed(x)) : '0'));
        }
        text = `[${items.join(',')}]`;
      } else if (typeof v === 'object') {
        text = '{}';
      } else {
        throw new CxmError(errc.wrong_type, `answers.${key}: a ${typeof v} is not an answer`);
      }
      parts.push(`${grow(JSON.stringify(wellFormed(key)))}:${isArray(v) ? text : grow(text)}`);
    }
    return `{${parts.join(',')}}`;
  });
}

/**
 * A deep copy of parsed JSON data (plain objects, arrays, primitives) made without parsing
 * again. Object.fromEntries defines own data properties, so a key "__proto__" stays data.
 */
function copyData(x) {
  if (isArray(x)) return x.map(copyData);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copyData(v)]));
  return x;
}

/** Freezes parsed JSON data, all the way down. */
function deepFreeze(x) {
  if (x !== null && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/** The Survey class of one loaded module (`ctx`: createContext's). */
export function defineSurvey(ctx) {
  const { wasm, ADOPT, Owned, fail } = ctx;

  /** {code, detail, json} from the bindings: the parsed json, or a thrown CxmError. */
  function unwrap(r) {
    if (r.code !== 0) throw fail(r.code, r.detail);
    return JSON.parse(r.json);
  }

  class Survey extends Owned {
    // The normalized definition, read from wasm and parsed once, when the survey is made: a
    // survey is immutable, so the getters and toJSON() answer from it without asking wasm
    // or parsing again. Frozen: what a getter hands out cannot change what the next one says.
    #description;
    #locales;
    /** Use Survey.parse(jsonText). */
    constructor(tag, handle) {
      if (tag !== ADOPT) throw new CxmError(errc.invalid_argument, 'use Survey.parse(jsonText) to make a Survey');
      super(handle, 'Survey');
      const info = JSON.parse(handle.describe());
      const t = handle.targeting();
      // In the documented key order: targeting after locales.
      this.#description = deepFreeze({
        id: info.id, surveyVersion: info.surveyVersion, defaultLocale: info.defaultLocale, locales: info.locales,
        targeting: { sampleRate: t.sampleRate, cooldownDays: t.cooldownDays, globalCooldownDays: t.globalCooldownDays },
        questions: info.questions,
      });
      this.#locales = Object.freeze(Object.keys(info.locales));
    }
    /**
     * Parses and validates a cxm.survey definition (JSON text as a string or UTF-8 bytes).
     * Over survey::max_bytes (256 KiB) → CxmError too_large before anything reaches wasm; any
     * other defect → CxmError whose message names the JSON path and the reason.
     */
    static parse(text) {
      const r = wasm.Survey.parse(checkSurveyText(text));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new Survey(ADOPT, r.survey);
    }
    /** The cached description; a disposed Survey is used up, as everywhere, though it is cached. */
    #described() {
      this._live();
      return this.#description;
    }
    get id() { return this.#described().id; }
    get surveyVersion() { return this.#described().surveyVersion; }
    get defaultLocale() { return this.#described().defaultLocale; }
    /** Locale tags in definition order, e.g. ['en', 'he'] (a fresh array each call). */
    get locales() {
      this._live();
      return [...this.#locales];
    }
    /** The normalized definition: a fresh plain object each call (a copy of the cached one). */
    toJSON() { return copyData(this.#described()); }
    /** The definition in canonical cxm.survey form (defaults written out). Full module only. */
    canonicalJson() {
      const h = this._live();
      if (typeof wasm.surveyCanonicalJson !== 'function')
        throw new CxmError(errc.invalid_argument, 'cxm: canonicalJson() needs the full module (loadCxm())');
      return wasm.surveyCanonicalJson(h);
    }
    /** The locale shown for `locale`: exact, else same language ('he-IL' → 'he'), else the default. */
    resolveLocale(locale) { return this._live().resolveLocale(checkLocale(locale)); }
    /** Texts of a question in `locale` (falling back to the default locale), with its `dir`. */
    text(questionId, locale) {
      const h = this._live();
      return unwrap(h.text(checkQuestion(questionId), checkLocale(locale)));
    }
    /** The locale's widget strings (title, intro, next, back, submit, thankYou; each optional) and dir. */
    uiText(locale) { return JSON.parse(this._live().uiText(checkLocale(locale))); }
    // The answers are read (the caller's getters may run) before the handle is taken.
    /** Ids of the questions shown given the answers so far, in order. */
    visibleQuestions(answers) {
      const text = answersText(answers);
      return unwrap(this._live().visibleQuestions(text));
    }
    /** {ok, problems: [{question, code, codeName, reason}]}. */
    validate(answers) {
      const text = answersText(answers);
      return unwrap(this._live().validate(text));
    }
    /** {ok, problems, questions: {id: {type, value, category?, easy?, satisfied?, length?}}}. */
    score(answers) {
      const text = answersText(answers);
      return unwrap(this._live().score(text));
    }
    /** {included, probability}: the stable per-respondent sampling decision. */
    sample(respondentId) {
      const h = this._live();
      const r = h.sample(checkId(respondentId, 'respondentId'));
      return { included: r.included, probability: r.probability };
    }
    /** The respondent's point in [0, 1) of the sampling hash (included when below the rate). */
    samplingPoint(respondentId) {
      const h = this._live();
      return h.samplingPoint(checkId(respondentId, 'respondentId'));
    }
    /**
     * {eligible, reason}: reason is an eligibility_reason name (ok, sampled_out, cooldown, ...).
     * Times are ms since 1970; -1 (or null/undefined) means never shown.
     */
    eligible(respondentId, nowMs, lastShownMs = -1, lastShownAnyMs = -1) {
      const h = this._live();
      const r = h.eligible(checkId(respondentId, 'respondentId'), checkMs(nowMs, 'nowMs', false),
                           checkMs(lastShownMs, 'lastShownMs', true), checkMs(lastShownAnyMs, 'lastShownAnyMs', true));
      if (r.code !== 0) throw fail(r.code, 'eligible: times must be integers');
      return { eligible: r.eligible, reason: r.reason };
    }
  }

  return { Survey, unwrap };
}
