// SPDX-License-Identifier: MIT
// <cxm-survey>: renders a cxm survey definition, lets the respondent answer with mouse, touch or
// keyboard, asks the wasm core which questions to show, validates and scores locally, and hands
// the response to the offline-safe queue (delivery.js). All survey logic (display conditions,
// validation, scoring, sampling, cooldowns) runs in the C++ core through ../cxm.mjs; this file
// only renders and routes events. Definition text is inserted with textContent, never as HTML.
//
// Files (the build output folder, build/<preset>/wasm/):
//   cxm.mjs  cxm_survey_wasm.cjs  cxm_survey_wasm.wasm   the JS API and the survey-only
//                                             module, found beside this folder ('../')
//   widget/cxm-survey.js  widget/delivery.js  this element and its queue
// The Emscripten glue (a classic script) is loaded with a <script src> element added to the
// document (no eval; allowed by script-src 'self'; carries the element's nonce attribute when
// the page's CSP needs one), unless the page loaded it already (globalThis.createCxmSurvey).
// configureModule() points the widget at another build of the module (a survey-only one).

import { loadCxm, CxmError, errc } from '../cxm.mjs';
import { DeliveryQueue, deliveryDefaults, probeStorage, randomId, uuidv7 } from './delivery.js';

export { DeliveryQueue, uuidv7 };

/** Largest definition accepted, in UTF-8 bytes, checked in JS before anything reaches wasm. */
export const MAX_DEFINITION_BYTES = 256 * 1024;
/** Longest text answer in UTF-16 units whatever the definition says (the core allows 10000 code points). */
export const MAX_TEXT_CHARS = 10000;
// The survey-only build (cxm_survey_wasm: the Survey bindings, no tallies or sketches), a
// fraction of the full cxm_wasm; both are driven by the same cxm.mjs.
let moduleConfig = { glue: new URL('../cxm_survey_wasm.cjs', import.meta.url).href, factory: 'createCxmSurvey' };

/**
 * Which Emscripten build to load, before the first element connects: {glue: URL of the .cjs
 * glue, factory: the global it defines}; the .wasm is looked up beside the glue.
 */
export function configureModule({ glue, factory }) {
  moduleConfig = { glue: new URL(glue, location.href).href, factory };
}

// ---------------------------------------------------------------------------------------------
// The wasm module: one per page, shared by all elements, recreated after an abort.

let factoryPromise = null;
let apiPromise = null;

function glueFactory(nonce) {
  const { glue, factory } = moduleConfig;
  if (typeof globalThis[factory] === 'function') return Promise.resolve(globalThis[factory]);
  if (!factoryPromise) {
    factoryPromise = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = glue;
      s.async = true;
      if (nonce) s.nonce = nonce;
      s.onload = () => (typeof globalThis[factory] === 'function'
        ? resolve(globalThis[factory])
        : reject(new Error(`${glue} did not define ${factory}`)));
      s.onerror = () => reject(new Error(`cannot load ${s.src}`));
      document.head.append(s);
    });
    factoryPromise.catch(() => { factoryPromise = null; });
  }
  return factoryPromise;
}

/** The cxm API object (loadCxm's result) of this page; loads the module on first use. */
export function cxmApi(nonce) {
  if (!apiPromise) {
    apiPromise = glueFactory(nonce)
      .then((factory) => loadCxm({ factory, locateFile: (file) => new URL(file, moduleConfig.glue).href }));
    apiPromise.catch(() => { apiPromise = null; });
  }
  return apiPromise;
}

/** Forgets an aborted module instance: the next cxmApi() instantiates a fresh one. */
function dropApi(api) {
  if (!apiPromise) return;
  apiPromise.then((current) => { if (current === api) apiPromise = null; }, () => {});
  apiPromise = null;
}

// ---------------------------------------------------------------------------------------------
// Delivery: one queue per endpoint per page.

const queues = new Map();
let queueOptions = {};

/** Options for the queues created after this call (see delivery.js deliveryDefaults). */
export function configureDelivery(options) {
  queueOptions = { ...options };
}

function queueFor(endpoint) {
  const url = new URL(endpoint, location.href).href;
  let q = queues.get(url);
  if (!q) {
    q = new DeliveryQueue(url, queueOptions);
    queues.set(url, q);
  }
  return q;
}

/** The queue of `endpoint` (created on first use). */
export function deliveryQueue(endpoint) {
  return queueFor(endpoint);
}

// ---------------------------------------------------------------------------------------------
// Texts of the widget itself (the definition may override next, back, submit, thank_you).

const UI = {
  en: { next: 'Next', back: 'Back', submit: 'Send', thank_you: 'Thank you for your feedback!',
        missing_field: 'Please answer this question.', too_large: 'This answer is too long.',
        invalid: 'Please check this answer.', progress: 'Question {n} of {m}', chars: '{n} of {m} characters' },
  he: { next: 'הבא', back: 'הקודם', submit: 'שליחה', thank_you: 'תודה על המשוב!',
        missing_field: 'נא לענות על שאלה זו.', too_large: 'התשובה ארוכה מדי.',
        invalid: 'נא לבדוק את התשובה.', progress: 'שאלה {n} מתוך {m}', chars: '{n} מתוך {m} תווים' },
  ar: { next: 'التالي', back: 'السابق', submit: 'إرسال', thank_you: 'شكرًا على ملاحظاتك!',
        missing_field: 'يرجى الإجابة عن هذا السؤال.', too_large: 'هذه الإجابة طويلة جدًا.',
        invalid: 'يرجى التحقق من هذه الإجابة.', progress: 'السؤال {n} من {m}', chars: '{n} من {m} حرفًا' },
};

const fill = (t, vars) => t.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

// ---------------------------------------------------------------------------------------------
// Styles: a constructable stylesheet adopted by each shadow root (allowed under style-src 'self':
// no <style> text, no style attributes). Colours meet WCAG 2.1 AA on the default background.

const CSS = `
:host{display:block;font:var(--cxm-font,16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Hebrew",Arial,sans-serif);color:var(--cxm-color,#1f2328);max-width:var(--cxm-max-width,40rem)}
:host([hidden]){display:none}
*{box-sizing:border-box}
.card{background:var(--cxm-background,#fff);border:1px solid var(--cxm-border,#6e7781);border-radius:var(--cxm-radius,12px);padding:var(--cxm-padding,1.25rem)}
h2{font-size:1.25em;margin:0 0 .5rem}
.intro{margin:0 0 1rem;color:var(--cxm-muted,#57606a)}
.q{margin:0 0 1.25rem;border:0;padding:0}
.q[hidden]{display:none}
.prompt{font-weight:600;margin:0 0 .5rem;display:block}
.chips{display:flex;flex-wrap:wrap;gap:var(--cxm-gap,.375rem)}
.scale{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);gap:var(--cxm-gap,.375rem)}
.scale .opt{min-width:0;padding-inline:0}
.choices{display:flex;flex-direction:column;gap:var(--cxm-gap,.375rem)}
.opt{display:inline-flex;align-items:center;justify-content:center;min-width:var(--cxm-option-size,2.5rem);min-height:var(--cxm-option-size,2.5rem);padding:.25rem .625rem;border:1px solid var(--cxm-border,#6e7781);border-radius:var(--cxm-radius-option,8px);background:var(--cxm-background,#fff);color:var(--cxm-color,#1f2328);cursor:pointer;user-select:none;font:inherit}
.choices .opt{justify-content:flex-start}
.chips .opt{border-radius:999px;padding-inline:.875rem}
.opt:hover{background:var(--cxm-hover,#e7eefc)}
.opt[aria-checked=true]{background:var(--cxm-accent,#0b57d0);border-color:var(--cxm-accent,#0b57d0);color:var(--cxm-accent-contrast,#fff)}
.opt:focus{outline:none}
.opt:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid var(--cxm-focus,#0b57d0);outline-offset:2px}
.opt[aria-checked=true]:focus-visible{outline-color:var(--cxm-focus,#0b57d0);box-shadow:0 0 0 2px var(--cxm-background,#fff) inset}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.875em;color:var(--cxm-muted,#57606a);margin-top:.25rem}
.check{display:flex;gap:.5rem;align-items:center;cursor:pointer}
.check input{width:1.25rem;height:1.25rem;accent-color:var(--cxm-accent,#0b57d0);margin:0}
textarea{width:100%;min-height:5rem;font:inherit;color:var(--cxm-color,#1f2328);background:var(--cxm-background,#fff);border:1px solid var(--cxm-border,#6e7781);border-radius:var(--cxm-radius-option,8px);padding:.5rem}
.count{font-size:.875em;color:var(--cxm-muted,#57606a)}
.problem{color:var(--cxm-error,#b3261e);font-size:.875em;margin-top:.25rem}
.problem:empty{display:none}
.nav{display:flex;gap:.5rem;justify-content:space-between;align-items:center;margin-top:.5rem}
.progress{font-size:.875em;color:var(--cxm-muted,#57606a)}
button{font:inherit;border-radius:var(--cxm-radius-option,8px);padding:.5rem 1.25rem;cursor:pointer;border:1px solid var(--cxm-accent,#0b57d0)}
button.primary{background:var(--cxm-accent,#0b57d0);color:var(--cxm-accent-contrast,#fff)}
button.secondary{background:var(--cxm-background,#fff);color:var(--cxm-accent,#0b57d0)}
button[hidden]{display:none}
button:disabled{cursor:default;opacity:.7}
.thanks{font-size:1.125em;font-weight:600;margin:0}
.thanks:focus{outline:none}
`;

let sheet = null;
function adoptStyles(root) {
  // Constructable stylesheets: Chromium 73+, Firefox 101+, Safari 16.4+ (the supported baseline).
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  root.adoptedStyleSheets = [sheet];
}

// ---------------------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

const utf8Length = (s) => new TextEncoder().encode(s).length;

function isAbort(e) {
  return !(e instanceof CxmError);
}

let nextUid = 0;

/**
 * The element. Attributes: src, endpoint, lang, mode ("one" | "all"), scale-dir ("auto" |
 * "ltr"), respondent, nonce, force. Property: definition (JSON text or object). Methods:
 * setAnswer(id, value), submit(), reset(). Events (bubbling, composed): cxm-ready, cxm-answer,
 * cxm-submit, cxm-delivered, cxm-skip, cxm-error.
 */
export class CxmSurvey extends HTMLElement {
  static get observedAttributes() { return ['src', 'lang', 'mode', 'scale-dir']; }

  #root;
  #uid = `cxm${++nextUid}`;
  #api = null;
  #survey = null;
  #def = null;
  #definitionText = null;
  #locale = 'en';
  #answers = {};
  #visible = [];
  #page = 0;
  #responseId = null;
  #submitted = null;      // the record once submitted
  #nodes = new Map();     // question id -> {box, problem, focus(), sync()}
  #loadSeq = 0;
  #queue = null;
  #onQueueEvent = (e) => this.#fromQueue(e);
  #definitionProp = null;
  #parts = null;

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
      this.#queue = queueFor(endpoint);
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
      return;
    }
  }

  #tooLarge(bytes) {
    return Object.assign(new Error(`cxm: the definition has ${bytes} bytes, over the ${MAX_DEFINITION_BYTES}-byte limit`),
                         { code: 'too_large' });
  }

  async #parse(text, seq) {
    const api = await cxmApi(this.#nonce());
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
    this.#answers = {};
    this.#page = 0;
    this.#responseId = null;
    this.#submitted = null;
    this.#nodes.clear();
    this.#parts = null;
    if (!this.#targeted()) return;
    this.#refreshVisible();
    this.#render();
    this.#emit('cxm-ready', { survey: this.#def.id, version: this.#def.surveyVersion, locale: this.#locale });
  }

  #nonce() {
    if (this.hasAttribute('nonce')) return this.getAttribute('nonce');
    const s = document.querySelector('script[nonce]');
    return s ? s.nonce : undefined;
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
      const api = await cxmApi(this.#nonce());
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
    try {
      storage?.setItem(`cxm:shown:${this.#def.id}`, String(now));
      storage?.setItem('cxm:shown:*', String(now));
    } catch { /* cooldowns need storage; without it every page may show the survey */ }
    return true;
  }
  #respondentId = '';
  #probability = 1;

  // --- answers --------------------------------------------------------------------------------

  #question(id) {
    return this.#def.questions.find((q) => q.id === id);
  }

  /** Sets an answer (as the UI does) and updates which questions are shown. */
  async setAnswer(id, value) {
    const q = this.#question(id);
    if (!q) throw new CxmError(1, `cxm: no question ${JSON.stringify(id)}`);
    if (this.#submitted) return;
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
    this.#showProblem(id, '');
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

  #problemText(p) {
    if (p.codeName === 'missing_field') return this.#t('missing_field');
    if (p.codeName === 'too_large') return this.#t('too_large');
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

  #showProblem(id, text) {
    const n = this.#nodes.get(id);
    if (!n) return;
    n.problem.textContent = text;
    if (text) n.box.setAttribute('aria-invalid', 'true');
    else n.box.removeAttribute('aria-invalid');
  }

  /**
   * Validates, scores, persists and sends the response. Resolves to the response record, or
   * null when answers are missing or invalid (the problems are shown and focus moves to the
   * first). A second call returns the same record: one response per survey session.
   */
  submit() {
    if (this.#submitted) return Promise.resolve(this.#submitted);
    if (this.#submitting) return this.#submitting;
    this.#submitting = this.#doSubmit().finally(() => { this.#submitting = null; });
    return this.#submitting;
  }
  #submitting = null;

  async #doSubmit() {
    if (!this.#survey && !this.#definitionText) return null;
    const bad = await this.#check();
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
    this.#responseId ??= uuidv7();
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

  /** Starts a new response (new id, no answers) on the same definition. */
  async reset() {
    this.#answers = {};
    this.#page = 0;
    this.#responseId = null;
    this.#submitted = null;
    this.#nodes.clear();
    this.#parts = null;
    if (this.#definitionText === null) return;
    await this.#withSurvey(() => this.#refreshVisible());
    this.#render();
  }

  // --- rendering ------------------------------------------------------------------------------

  /** The locale's widget strings from the definition ({title, intro, next, back, submit, thankYou, dir}). */
  #uiText() {
    if (!this.#ui) this.#ui = this.#survey.uiText(this.#locale);
    return this.#ui;
  }
  #ui = null;

  #t(key) {
    const given = this.#uiText()[key === 'thank_you' ? 'thankYou' : key];
    if (typeof given === 'string' && given) return given;
    const lang = this.#locale.toLowerCase().split('-')[0];
    return (UI[lang] || UI.en)[key] ?? UI.en[key];
  }

  #dir() {
    return this.#uiText().dir === 'rtl' ? 'rtl' : 'ltr';
  }

  #render() {
    if (!this.#survey && !this.#def) return;
    if (this.#submitted) {
      this.#renderThanks();
      return;
    }
    const dir = this.#dir();
    const form = el('form', { class: 'card', part: 'card', dir, lang: this.#locale, novalidate: true });
    const ui = this.#uiText();
    if (ui.title) form.append(el('h2', { part: 'title', id: `${this.#uid}-title`, text: ui.title }));
    if (ui.intro) form.append(el('p', { class: 'intro', part: 'intro', text: ui.intro }));
    this.#nodes.clear();
    for (const q of this.#def.questions) form.append(this.#renderQuestion(q));
    const progress = el('span', { class: 'progress', part: 'progress', 'aria-live': 'polite' });
    const back = el('button', { type: 'button', class: 'secondary', part: 'button back', text: this.#t('back') });
    const next = el('button', { type: 'button', class: 'primary', part: 'button next', text: this.#t('next') });
    const send = el('button', { type: 'submit', class: 'primary', part: 'button submit', text: this.#t('submit') });
    form.append(el('div', { class: 'nav' }, back, progress, next, send));
    back.addEventListener('click', () => this.#go(-1));
    next.addEventListener('click', () => this.#go(+1));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.#parts = { form, back, next, send, progress };
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
    const current = this.#visible[this.#page];
    for (const [id, n] of this.#nodes) n.box.hidden = one ? id !== current : !this.#visible.includes(id);
    const { back, next, send, progress } = this.#parts;
    const last = !one || this.#page >= this.#visible.length - 1;
    back.hidden = !one || this.#page === 0;
    next.hidden = last;
    send.hidden = !last;
    progress.textContent = one ? fill(this.#t('progress'), { n: this.#page + 1, m: this.#visible.length }) : '';
  }

  #renderQuestion(q) {
    const text = this.#survey.text(q.id, this.#locale);
    const id = `${this.#uid}-${q.id}`;
    const box = el('div', { class: 'q', part: 'question', 'data-question': q.id, dir: text.dir || undefined });
    const prompt = el('div', { class: 'prompt', part: 'prompt', id: `${id}-prompt`, text: text.prompt });
    const problem = el('div', { class: 'problem', part: 'problem', id: `${id}-problem`, role: 'alert' });
    box.append(prompt);
    let node;
    if (q.type === 'nps' || q.type === 'ces' || q.type === 'csat') node = this.#scale(q, text, id);
    else if ((q.type === 'choice' && !q.multiple) || q.type === 'emotion') node = this.#single(q, text, id);
    else if (q.type === 'choice') node = this.#multiple(q, text, id);
    else node = this.#text(q, text, id);
    box.append(node.element, problem);
    const entry = { box, problem, focus: node.focus, sync: node.sync };
    this.#nodes.set(q.id, entry);
    return box;
  }

  /** A WAI-ARIA radio group: roving tabindex, arrows move focus, Space/Enter select. */
  #radioGroup(q, id, options, { layout, describedBy, ends, dir }) {
    const group = el('div', {
      role: 'radiogroup', class: layout, part: layout, 'aria-labelledby': `${id}-prompt`,
      'aria-describedby': [describedBy, `${id}-problem`].filter(Boolean).join(' '),
      'aria-required': q.required ? 'true' : undefined, dir,
    });
    const radios = options.map((o, i) => {
      const r = el('div', {
        role: 'radio', class: 'opt', part: 'option', tabindex: '-1', 'aria-checked': 'false',
        'data-value': String(o.value), 'aria-describedby': ends ? ends[i] : undefined, text: o.label,
      });
      if (o.ariaLabel) r.setAttribute('aria-label', o.ariaLabel);
      r.addEventListener('click', () => {
        r.focus();
        select(i);
      });
      return r;
    });
    group.append(...radios);
    const current = () => radios.findIndex((r) => r.getAttribute('aria-checked') === 'true');
    const rove = (i) => radios.forEach((r, j) => r.setAttribute('tabindex', j === i ? '0' : '-1'));
    const select = (i) => this.setAnswer(q.id, options[i].value);
    const sync = () => {
      const v = this.#answers[q.id];
      radios.forEach((r, i) => r.setAttribute('aria-checked', String(options[i].value === v)));
      const c = current();
      if (!radios.some((r) => r === this.#root.activeElement)) rove(c >= 0 ? c : 0);
    };
    group.addEventListener('keydown', (e) => {
      const i = radios.indexOf(e.target);
      if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
      // Left/Right follow what the eye sees: in a mirrored (right-to-left) group the next
      // value is on the left. Up/Down always mean previous/next.
      const rtl = getComputedStyle(group).direction === 'rtl';
      const horizontal = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 };
      let to = null;
      if (e.key in horizontal) to = i + horizontal[e.key];
      else if (e.key === 'ArrowDown') to = i + 1;
      else if (e.key === 'ArrowUp') to = i - 1;
      else if (e.key === 'Home') to = 0;
      else if (e.key === 'End') to = radios.length - 1;
      else if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault();
        select(i);
        return;
      } else return;
      e.preventDefault();
      to = (to + radios.length) % radios.length;
      rove(to);
      radios[to].focus();
    });
    sync();
    const focus = () => {
      const c = current();
      radios[c >= 0 ? c : 0].focus();
    };
    return { element: group, sync, focus };
  }

  #scale(q, text, id) {
    const { min, max } = q.scale;
    const options = [];
    for (let v = min; v <= max; v++) options.push({ value: v, label: String(v) });
    const minId = text.minLabel ? `${id}-min` : null;
    const maxId = text.maxLabel ? `${id}-max` : null;
    const ends = options.map((_, i) => (i === 0 ? minId : i === options.length - 1 ? maxId : null) || undefined);
    // scale-dir="ltr" keeps the lowest value on the left in right-to-left locales; the default
    // ("auto") lays the scale out in the reading direction (mirrored in RTL).
    const dir = this.getAttribute('scale-dir') === 'ltr' ? 'ltr' : undefined;
    const g = this.#radioGroup(q, id, options, {
      layout: 'scale', describedBy: [minId, maxId].filter(Boolean).join(' ') || null, ends, dir,
    });
    const wrap = el('div', { class: 'scale-wrap' }, g.element);
    if (minId || maxId) {
      wrap.append(el('div', { class: 'ends', part: 'ends', dir, 'aria-hidden': 'true' },
        el('span', { id: minId || undefined, text: text.minLabel || '' }),
        el('span', { id: maxId || undefined, text: text.maxLabel || '' })));
    }
    return { element: wrap, sync: g.sync, focus: g.focus };
  }

  #single(q, text, id) {
    const options = (q.choices || []).map((c) => ({ value: c, label: text.choices?.[c] ?? c }));
    return this.#radioGroup(q, id, options, { layout: q.type === 'emotion' ? 'chips' : 'choices' });
  }

  #multiple(q, text, id) {
    const group = el('div', { role: 'group', class: 'choices', part: 'choices', 'aria-labelledby': `${id}-prompt`,
                              'aria-describedby': `${id}-problem` });
    const inputs = (q.choices || []).map((c) => {
      const input = el('input', { type: 'checkbox', value: c, part: 'checkbox' });
      input.addEventListener('change', () => {
        this.setAnswer(q.id, inputs.filter((i) => i.checked).map((i) => i.value));
      });
      group.append(el('label', { class: 'check', part: 'check' }, input, el('span', { text: text.choices?.[c] ?? c })));
      return input;
    });
    const sync = () => {
      const v = this.#answers[q.id] || [];
      for (const i of inputs) i.checked = v.includes(i.value);
    };
    sync();
    return { element: group, sync, focus: () => inputs[0]?.focus() };
  }

  #text(q, text, id) {
    const max = Math.min(q.maxLength || MAX_TEXT_CHARS, MAX_TEXT_CHARS);
    const area = el('textarea', { id: `${id}-input`, part: 'textarea', maxlength: String(max), 'aria-labelledby': `${id}-prompt`,
                                  'aria-describedby': `${id}-count ${id}-problem`, 'aria-required': q.required ? 'true' : undefined });
    const count = el('div', { class: 'count', part: 'count', id: `${id}-count` });
    const showCount = () => { count.textContent = fill(this.#t('chars'), { n: area.value.length, m: max }); };
    area.addEventListener('input', () => {
      showCount();
      this.setAnswer(q.id, area.value);
    });
    const sync = () => {
      const v = this.#answers[q.id] ?? '';
      if (area.value !== v) area.value = v;
      showCount();
    };
    sync();
    return { element: el('div', {}, area, count), sync, focus: () => area.focus() };
  }

  #renderThanks() {
    const r = this.#submitted;
    if (!r) return;
    const msg = el('p', { class: 'thanks', part: 'thanks', role: 'status', tabindex: '-1', text: this.#t('thank_you') });
    const card = el('div', { class: 'card', part: 'card', dir: this.#dir(), lang: this.#locale }, msg);
    const hadFocus = this.#root.activeElement !== null;
    this.#parts = null;
    this.#nodes.clear();
    this.#root.replaceChildren(card);
    if (hadFocus) msg.focus();
  }
}

if (!customElements.get('cxm-survey')) customElements.define('cxm-survey', CxmSurvey);

export { deliveryDefaults };
