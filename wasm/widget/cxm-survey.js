// SPDX-License-Identifier: MIT
// <cxm-survey>: the element (lifecycle, attributes, public methods, events). It loads the
// definition, asks the C++ core (../cxm.mjs) which questions to show, validates, scores and
// submits; all survey logic runs in the core. Its parts: render.js (DOM), styles.js, strings.js
// (words), wasm-module.js (loading the module), delivery.js (the queue). It imports each of them
// itself, so the page fetches them all in one round trip instead of a chain; the same for the
// modules cxm.mjs loads for the survey-only module (constants, context, survey).

import { CxmError, errc, MAX_SURVEY_BYTES } from '../cxm.mjs';
import '../constants.mjs';
import '../context.mjs';
import '../survey.mjs';
import { DeliveryQueue, deliveryDefaults, probeStorage, randomId, uuidv7 } from './delivery.js';
import { renderForm, showPage, showProblem, thanksCard, MAX_TEXT_CHARS } from './render.js';
import { adoptStyles } from './styles.js';
import { uiString, fill } from './strings.js';
import { configureModule, cxmApi, dropApi, isAbort, nonceFor } from './wasm-module.js';

export { DeliveryQueue, deliveryDefaults, uuidv7, configureModule, cxmApi, MAX_TEXT_CHARS };

/** Largest definition accepted, in UTF-8 bytes (the core's survey::max_bytes), checked before anything reaches wasm. */
export const MAX_DEFINITION_BYTES = MAX_SURVEY_BYTES;

// One queue per endpoint per page, shared by the elements that post there.

const queues = new Map();
let queueOptions = {};

/** Options for the queues created after this call (see delivery.js deliveryDefaults). */
export function configureDelivery(options) {
  queueOptions = { ...options };
}

/** The queue of `endpoint` (created on first use). */
export function deliveryQueue(endpoint) {
  const url = new URL(endpoint, location.href).href;
  let q = queues.get(url);
  if (!q) {
    q = new DeliveryQueue(url, queueOptions);
    queues.set(url, q);
  }
  return q;
}

const utf8Length = (s) => new TextEncoder().encode(s).length;

let nextUid = 0;

/** The element; attributes, methods and events are documented in README.md. */
export class CxmSurvey extends HTMLElement {
  static get observedAttributes() { return ['src', 'lang', 'mode', 'scale-dir', 'dismissible']; }

  #root;
  #uid = `cxm${++nextUid}`;
  #api = null;
  #survey = null;
  #def = null;
  #definitionText = null;
  #definitionProp = null;
  #locale = 'en';
  #ui = null;             // survey.uiText(locale), until the locale changes
  #answers = {};
  #visible = [];
  #page = 0;
  #responseId = null;
  #submitted = null;      // the record once submitted
  #submitting = null;
  #dismissed = false;
  #nodes = new Map();     // question id -> render.js node
  #parts = null;          // the form's buttons while the form is shown
  #loadSeq = 0;
  #queue = null;
  #onQueueEvent = (e) => this.#fromQueue(e);
  #respondentId = '';
  #probability = 1;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    adoptStyles(this.#root);
  }

  connectedCallback() {
    this.#attachQueue();
    if (!this.#survey) this.#load();
  }

  disconnectedCallback() {
    if (this.#queue) {
      this.#queue.removeEventListener('delivered', this.#onQueueEvent);
      this.#queue.removeEventListener('error', this.#onQueueEvent);
      this.#queue = null;
    }
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.isConnected) return;
    if (name === 'src') this.#load();
    else if (this.#survey) {
      if (name === 'lang') this.#locale = this.#resolveLocale();
      this.#render();
    }
  }

  /** The definition as JSON text or an object; setting it (re)loads the survey. */
  get definition() { return this.#definitionText; }
  set definition(value) {
    this.#definitionProp = typeof value === 'string' ? value : JSON.stringify(value);
    if (this.isConnected) this.#load();
  }

  get mode() { return this.getAttribute('mode') === 'all' ? 'all' : 'one'; }
  /** Unless dismissible="false": a survey shown unasked must let people say no. */
  get dismissible() { return this.getAttribute('dismissible') !== 'false'; }
  /** The response id of the current answers (a UUID v7), fixed at the first submit. */
  get responseId() { return this.#responseId; }
  /** Current answers (a copy). */
  get answers() { return JSON.parse(JSON.stringify(this.#answers)); }
  /** The question ids currently shown to the respondent, in order. */
  get visibleQuestions() { return [...this.#visible]; }
  /** The queue this element delivers through (null without an endpoint). */
  get queue() { return this.#queue; }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #error(code, message, extra = {}) {
    this.#emit('cxm-error', { code, message, ...extra });
  }

  #attachQueue() {
    const endpoint = this.getAttribute('endpoint');
    if (!endpoint || this.#queue) return;
    try {
      this.#queue = deliveryQueue(endpoint);
    } catch (e) {
      this.#error('bad_endpoint', `cxm: bad endpoint ${JSON.stringify(endpoint)}: ${e.message}`);
      return;
    }
    this.#queue.addEventListener('delivered', this.#onQueueEvent);
    this.#queue.addEventListener('error', this.#onQueueEvent);
  }

  #fromQueue(e) {
    if (e.type === 'delivered') this.#emit('cxm-delivered', e.detail);
    else this.#emit('cxm-error', e.detail);
  }

  // --- loading -------------------------------------------------------------------------------

  async #load() {
    const seq = ++this.#loadSeq;
    let text = this.#definitionProp;
    try {
      if (text === null) {
        const src = this.getAttribute('src');
        if (!src) return;
        const res = await fetch(new URL(src, location.href), { credentials: 'same-origin' });
        if (!res.ok) throw Object.assign(new Error(`cannot load ${src}: HTTP ${res.status}`), { code: 'load_failed' });
        const declared = Number(res.headers.get('Content-Length'));
        if (declared > MAX_DEFINITION_BYTES) throw this.#tooLarge(declared);
        text = await res.text();
      }
      if (typeof text !== 'string') throw Object.assign(new Error('the definition must be JSON text'), { code: 'definition_invalid' });
      if (text.length > MAX_DEFINITION_BYTES || utf8Length(text) > MAX_DEFINITION_BYTES) throw this.#tooLarge(utf8Length(text));
      await this.#parse(text, seq);
    } catch (e) {
      if (seq !== this.#loadSeq) return;
      // A CxmError is the definition's fault, except io_error: the wasm module did not load.
      const code = e.code !== undefined && typeof e.code === 'string' ? e.code
        : e instanceof CxmError && e.code !== errc.io_error ? 'definition_invalid' : 'load_failed';
      this.#error(code, e.message, e instanceof CxmError ? { cxmCode: e.codeName } : {});
    }
  }

  #tooLarge(bytes) {
    return Object.assign(new Error(`cxm: the definition has ${bytes} bytes, over the ${MAX_DEFINITION_BYTES}-byte limit`),
                         { code: 'too_large' });
  }

  async #parse(text, seq) {
    const api = await cxmApi(nonceFor(this));
    if (seq !== this.#loadSeq) return;
    let survey;
    try {
      survey = api.Survey.parse(text);
    } catch (e) {
      if (!isAbort(e)) throw e;
      this.#recover(api, e);
      return this.#parse(text, seq);
    }
    if (this.#survey) this.#survey.dispose();
    this.#api = api;
    this.#survey = survey;
    this.#definitionText = text;
    this.#def = survey.toJSON();
    this.#locale = this.#resolveLocale();
    this.#clearResponse();
    if (!this.#targeted()) return;
    this.#refreshVisible();
    this.#render();
    this.#emit('cxm-ready', { survey: this.#def.id, version: this.#def.surveyVersion, locale: this.#locale });
  }

  /** Forgets the answers and the response id: the next submit is a new response. */
  #clearResponse() {
    this.#answers = {};
    this.#page = 0;
    this.#responseId = null;
    this.#submitted = null;
    this.#dismissed = false;
    this.#nodes.clear();
    this.#parts = null;
  }

  /** A wasm abort: report it, drop the module, re-parse on a fresh one (synchronous callers retry). */
  #recover(api, e) {
    this.#error('wasm_abort', `cxm: the wasm module failed (${e && e.message}); recreating it`);
    dropApi(api);
    if (this.#api === api) {
      this.#api = null;
      this.#survey = null;  // its memory is gone with the module; no dispose()
    }
  }

  /**
   * Runs fn(survey) on the live module; after an abort, recreates the module, re-parses the
   * definition and runs fn once more.
   */
  async #withSurvey(fn) {
    try {
      if (!this.#survey) throw new Error('no module');
      return fn(this.#survey);
    } catch (e) {
      if (this.#survey && !isAbort(e)) throw e;
      if (this.#api) this.#recover(this.#api, e);
      const api = await cxmApi(nonceFor(this));
      this.#api = api;
      this.#survey = api.Survey.parse(this.#definitionText);
      return fn(this.#survey);
    }
  }

  /** The locale to show: the lang attribute, else the page's, resolved by the core (he-IL -> he). */
  #resolveLocale() {
    const want = this.getAttribute('lang') || document.documentElement.lang || '';
    this.#ui = null;
    return this.#survey.resolveLocale(want.slice(0, 64));
  }

  // --- targeting ------------------------------------------------------------------------------

  #respondent() {
    const given = this.getAttribute('respondent');
    if (given) return given;
    const storage = probeStorage();
    const key = 'cxm:respondent';
    let id = storage && storage.getItem(key);
    if (!id) {
      id = randomId();
      try { storage && storage.setItem(key, id); } catch { /* memory only: a new id per page */ }
    }
    return id;
  }

  #targeted() {
    const storage = probeStorage();
    const read = (k) => {
      const v = storage ? Number(storage.getItem(k)) : NaN;
      return Number.isFinite(v) && v > 0 ? v : -1;
    };
    const now = Date.now();
    this.#respondentId = this.#respondent();
    this.#probability = this.#survey.sample(this.#respondentId).probability;
    if (!this.hasAttribute('force')) {
      const e = this.#survey.eligible(this.#respondentId, now, read(`cxm:shown:${this.#def.id}`), read('cxm:shown:*'));
      if (!e.eligible) {
        this.hidden = true;
        this.#emit('cxm-skip', { survey: this.#def.id, reason: e.reason });
        return false;
      }
    }
    this.hidden = false;
    // Recorded when shown, not when answered: a dismissed survey keeps its cooldown too.
    try {
      storage?.setItem(`cxm:shown:${this.#def.id}`, String(now));
      storage?.setItem('cxm:shown:*', String(now));
    } catch { /* cooldowns need storage; without it every page may show the survey */ }
    return true;
  }

  // --- answers --------------------------------------------------------------------------------

  #question(id) {
    return this.#def.questions.find((q) => q.id === id);
  }

  /** Sets an answer (as the UI does) and updates which questions are shown. */
  async setAnswer(id, value) {
    const q = this.#question(id);
    if (!q) throw new CxmError(1, `cxm: no question ${JSON.stringify(id)}`);
    if (this.#submitted || this.#dismissed) return;
    if (typeof value === 'string' && value.length > MAX_TEXT_CHARS) {
      this.#error('too_large', `cxm: the answer to ${id} is longer than ${MAX_TEXT_CHARS} characters`);
      value = value.slice(0, MAX_TEXT_CHARS);
    }
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) delete this.#answers[id];
    else this.#answers[id] = Array.isArray(value) ? [...value] : value;
    await this.#withSurvey(() => this.#refreshVisible());
    this.#syncVisibility();
    this.#nodes.get(id)?.sync();
    this.#showProblem(id, null);
    this.#emit('cxm-answer', { survey: this.#def.id, question: id, value, visible: [...this.#visible] });
  }

  #refreshVisible() {
    this.#visible = this.#survey.visibleQuestions(this.#answers);
    if (this.#page >= this.#visible.length) this.#page = Math.max(0, this.#visible.length - 1);
  }

  /** The answers to the questions shown (answers to questions a later change hid are left out). */
  #shownAnswers() {
    const out = {};
    for (const id of this.#visible) if (id in this.#answers) out[id] = this.#answers[id];
    return out;
  }

  /** The message for a core validation problem, in the locale (definition first, then built in). */
  #problemText(p) {
    if (p.codeName === 'missing_field') return this.#t('required');
    if (p.codeName === 'too_large') return this.#t('tooLong');
    return this.#t('invalid');
  }

  /** Shows the problems of `ids` (all when omitted); returns the first question with one. */
  async #check(ids) {
    const answers = this.#shownAnswers();
    const v = await this.#withSurvey((s) => s.validate(answers));
    let first = null;
    const seen = new Set();
    for (const p of v.problems) {
      if (ids && !ids.includes(p.question)) continue;
      if (seen.has(p.question)) continue;
      seen.add(p.question);
      this.#showProblem(p.question, this.#problemText(p));
      first ??= p.question;
    }
    return first;
  }

  #showProblem(id, word) {
    const n = this.#nodes.get(id);
    if (n) showProblem(n, word);
  }

  /**
   * Validates, scores, persists and sends the response. Resolves to the response record, or
   * null when answers are missing or invalid (the problems are shown and focus moves to the
   * first) or it was dismissed. A second call returns the same record: one response per session.
   */
  submit() {
    if (this.#submitted) return Promise.resolve(this.#submitted);
    if (this.#dismissed) return Promise.resolve(null);
    if (this.#submitting) return this.#submitting;
    this.#submitting = this.#doSubmit().finally(() => { this.#submitting = null; });
    return this.#submitting;
  }

  async #doSubmit() {
    if (!this.#survey && !this.#definitionText) return null;
    const bad = await this.#check();
    if (this.#dismissed) return null;  // dismissed while the core validated: nothing is sent
    if (bad) {
      if (this.mode === 'one') {
        this.#page = Math.max(0, this.#visible.indexOf(bad));
        this.#syncVisibility();
      }
      this.#nodes.get(bad)?.focus();
      return null;
    }
    const answers = this.#shownAnswers();
    const score = await this.#withSurvey((s) => s.score(answers));
    if (this.#dismissed) return null;
    this.#responseId ??= uuidv7();
    // The core's classification of each scored answer, for the collector to check against its own.
    const local = {};
    for (const [id, { category, easy, satisfied }] of Object.entries(score.questions)) {
      const top = category ? category === 'promoter' : easy ?? satisfied;
      if (top !== undefined) local[id] = category ? { category, top_box: top } : { top_box: top };
    }
    const record = {
      id: this.#responseId,
      survey_id: this.#def.id,
      survey_version: this.#def.surveyVersion,
      respondent: this.#respondentId,
      timestamp: new Date().toISOString(),
      channel: 'web',
      locale: this.#locale,
      answers,
      inclusion_probability: this.#probability,
      shown: [...this.#visible],
      skipped: this.#visible.filter((id) => !(id in answers)),
      local_score: local,
    };
    const journey = this.getAttribute('journey');
    const step = this.getAttribute('step');
    if (journey) record.journey_id = journey;
    if (step) record.step = step;
    let queued = null;
    if (this.#queue) queued = this.#queue.enqueue(record);
    this.#submitted = record;
    this.#renderThanks();
    this.#emit('cxm-submit', { id: record.id, record, score, queued: queued !== null, durable: queued ? queued.durable : false });
    return record;
  }

  /** Closes the survey unanswered: hides, sends nothing, fires cxm-dismiss once. False when the form is not shown. */
  dismiss() {
    if (!this.#parts || this.#dismissed || this.#submitted) return false;
    this.#dismissed = true;
    const answered = this.#visible.filter((id) => id in this.#answers).length;
    this.#parts = null;
    this.#nodes.clear();
    this.#root.replaceChildren();
    this.hidden = true;
    this.#emit('cxm-dismiss', { survey: this.#def.id, version: this.#def.surveyVersion, locale: this.#locale, answered });
    return true;
  }

  /** Starts a new response (new id, no answers) on the same definition, shown again if dismissed. */
  async reset() {
    const wasDismissed = this.#dismissed;
    this.#clearResponse();
    if (this.#definitionText === null) return;
    if (wasDismissed) this.hidden = false;
    await this.#withSurvey(() => this.#refreshVisible());
    this.#render();
  }

  // --- rendering (render.js builds the DOM) ----------------------------------------------------

  /** The definition's words for the locale (survey.uiText). */
  #uiText() {
    if (!this.#ui) this.#ui = this.#survey.uiText(this.#locale);
    return this.#ui;
  }

  /** Every word shown comes from here: {text, lang} (strings.js), {n}/{m} filled from vars. */
  #t(key, vars) {
    const word = uiString(this.#uiText(), this.#locale, key);
    return vars ? { text: fill(word.text, vars), lang: word.lang } : word;
  }

  #dir() {
    return this.#uiText().dir === 'rtl' ? 'rtl' : 'ltr';
  }

  /** What render.js shows and the actions it calls. */
  #view() {
    return {
      uid: this.#uid, def: this.#def, locale: this.#locale, dir: this.#dir(),
      t: (key, vars) => this.#t(key, vars),
      text: (id) => this.#survey.text(id, this.#locale),
      answer: (id) => this.#answers[id],
      scaleDir: this.getAttribute('scale-dir') === 'ltr' ? 'ltr' : undefined,
      dismissible: this.dismissible,
      onAnswer: (id, value) => this.setAnswer(id, value),
      onBack: () => this.#go(-1),
      onNext: () => this.#go(+1),
      onSubmit: () => this.submit(),
      onDismiss: () => this.dismiss(),
    };
  }

  #render() {
    if (!this.#survey && !this.#def) return;
    if (this.#dismissed) return;
    if (this.#submitted) {
      this.#renderThanks();
      return;
    }
    const { form, nodes, parts } = renderForm(this.#view());
    this.#nodes = nodes;
    this.#parts = parts;
    this.#root.replaceChildren(form);
    this.#syncVisibility();
  }

  async #go(step) {
    if (step > 0) {
      const id = this.#visible[this.#page];
      const bad = await this.#check([id]);
      if (bad) {
        this.#nodes.get(bad)?.focus();
        return;
      }
    }
    this.#page = Math.min(Math.max(0, this.#page + step), Math.max(0, this.#visible.length - 1));
    this.#syncVisibility();
    this.#nodes.get(this.#visible[this.#page])?.focus();
  }

  #syncVisibility() {
    if (!this.#parts) return;
    const one = this.mode === 'one';
    showPage(this.#parts, this.#nodes, {
      one, visible: this.#visible, page: this.#page,
      progressWord: one ? this.#t('progress', { n: this.#page + 1, m: this.#visible.length }) : null,
    });
  }

  #renderThanks() {
    if (!this.#submitted) return;
    const { card, msg } = thanksCard({ dir: this.#dir(), locale: this.#locale }, this.#t('thankYou'));
    const hadFocus = this.#root.activeElement !== null;
    this.#parts = null;
    this.#nodes.clear();
    this.#root.replaceChildren(card);
    if (hadFocus) msg.focus();
  }
}

if (!customElements.get('cxm-survey')) customElements.define('cxm-survey', CxmSurvey);
