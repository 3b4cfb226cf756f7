// SPDX-License-Identifier: MIT
// cxm for JavaScript: the ES module users import. A thin, hand-written skin over the embind
// module cxm_wasm.cjs (beside this file): it validates arguments before they reach embind
// (which would silently turn 9.5 and "9" into 9 and NaN/null into 0), owns and frees the wasm
// objects, and turns non-zero cxm codes into CxmError. All statistics come from the C++ core.

/** cxm error codes (sdk/include/cxm/core/status.hpp); append-only, never reused. */
export const errc = Object.freeze({
  ok: 0,
  invalid_argument: 1,
  out_of_range: 2,
  not_integer: 3,
  not_finite: 4,
  wrong_type: 5,
  incompatible: 6,
  unsupported_version: 7,
  parse_error: 8,
  duplicate_key: 9,
  missing_field: 10,
  too_large: 11,
  too_deep: 12,
  invalid_utf8: 13,
  duplicate_id: 14,
  empty: 15,
  io_error: 16,
  internal: 17,
});

const codeNames = Object.freeze(Object.keys(errc));

/** The name of a code ("out_of_range"), or "unknown". Needs no wasm. */
function nameOf(code) {
  return Number.isInteger(code) && code >= 0 && code < codeNames.length ? codeNames[code] : 'unknown';
}

/**
 * The error every cxm call throws: `code` is an errc value, `codeName` its name. When the
 * caller's own code threw (a getter, a Proxy trap, toJSON), `cause` is what it threw.
 */
export class CxmError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'CxmError';
    this.code = code;
    this.codeName = nameOf(code);
  }
}

/** Largest JSON text handed to wasm; the core's limit too (errc.too_large). */
export const MAX_JSON_BYTES = 1 << 20;
/** Largest survey definition Survey.parse accepts (256 KiB), checked before wasm. */
export const MAX_SURVEY_BYTES = 256 * 1024;
/** addBulk copies through a reused wasm buffer of at most this many bytes. */
const BULK_CHUNK = 1 << 20;
const METHODS = ['wald', 'adjusted_wald', 'score'];
const REASONS = ['out_of_range', 'not_integer', 'not_finite', 'wrong_type'];

// ---- arguments from callers who may be hostile -------------------------------------------
// The wrappers run none of the caller's code (getters, valueOf, Proxy traps, overridden
// methods) between taking an object's wasm handle and calling wasm: such code could dispose
// the object or change what was checked. Where the caller's code must run (option objects,
// records to stringify), it runs first, under guard(), and the handle is taken after. These
// helpers are shared with sketch.mjs and journey.mjs (`shared` of attachSketch/attachJourney).

/** x for a message; runs no code of x's (a function's toString, a revoked Proxy's traps). */
function describe(x) {
  if (x === null) return 'null';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x)}`;
  if (typeof x === 'object') return isArray(x) ? 'an array' : 'an object';
  if (typeof x === 'number') return String(x);
  if (typeof x === 'function') return 'a function';
  return `${typeof x} ${String(x)}`;
}

/** Array.isArray, false for a revoked Proxy (which makes it throw). */
function isArray(x) {
  try {
    return Array.isArray(x);
  } catch {
    return false;
  }
}

/**
 * Runs `read`, which may run the caller's code; anything but a CxmError it throws becomes a
 * CxmError(code) naming `what`, with the thrown value as `cause`.
 */
function guard(code, what, read) {
  try {
    return read();
  } catch (e) {
    throw asCxmError(code, what, e);
  }
}

/** A thrown value as a CxmError: itself if it is one, else CxmError(code) with it as `cause`. */
function asCxmError(code, what, e) {
  let text = 'it threw';
  try {
    if (e instanceof CxmError) return e;
    if (e instanceof Error) text = String(e.message).slice(0, 200);
  } catch { /* a thrown Proxy or a throwing message getter: the generic text */ }
  return new CxmError(code, `${what}: ${text}`, { cause: e });
}

// %TypedArray%.prototype's getters read a view's internal slots: a Proxy, a subclass or own
// properties (a `length` getter that lies or disposes) cannot answer for them.
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const slot = (key) => Object.getOwnPropertyDescriptor(typedArrayProto, key).get;
const [viewKind, viewBuffer, viewOffset, viewLength] = [Symbol.toStringTag, 'buffer', 'byteOffset', 'length'].map(slot);

/**
 * {kind: 'Uint8Array' | 'Float64Array' | ..., buffer, offset, length} of a typed array, else
 * null. A detached view has length 0. `offset`/`length` count bytes/elements as the view does.
 */
function typedArray(x) {
  const kind = viewKind.call(x);
  return kind === undefined ? null
    : { kind, buffer: viewBuffer.call(x), offset: viewOffset.call(x), length: viewLength.call(x) };
}

/**
 * Bytes for embind (which reads .length and [i] of what it is given): a fresh copy of a
 * Uint8Array, so no getter of the caller's runs and no memory growth can detach it midway.
 */
function copyBytes(v) {
  return v.length === 0 ? new Uint8Array(0) : new Uint8Array(v.buffer, v.offset, v.length).slice();
}

const dateValue = Date.prototype.getTime;
/** The time value of a real Date (NaN for anything else: a lookalike, a Proxy, an invalid Date). */
function dateMs(x) {
  try {
    return dateValue.call(x);
  } catch {
    return NaN;
  }
}

/** Bytes of `s` in UTF-8 (lone surrogates count as the 3 bytes of U+FFFD). */
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; ++i) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      ++i;
    } else n += 3;
  }
  return n;
}

/** `s` with lone surrogates replaced by U+FFFD (String.prototype.toWellFormed where present). */
function wellFormed(s) {
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function checkLevel(level) {
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    throw new CxmError(errc.invalid_argument, `level must be a number in (0, 1), got ${describe(level)}`);
}

function isNode() {
  return typeof process === 'object' && process !== null && process.versions != null &&
         typeof process.versions.node === 'string';
}

async function nodeFactory(file) {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)(file);
}

/**
 * Loads the wasm module and returns the API object.
 *
 * options.factory   the Emscripten factory (createCxm) to use; in browsers defaults to
 *                   globalThis.createCxm (a page loaded cxm_wasm.cjs with a script tag);
 *                   in Node, cxm_wasm.cjs beside this file is required.
 * options.locateFile, options.wasmBinary   passed to the factory (where the .wasm lives).
 * options.variant   'full' (default: cxm_wasm, everything) or 'survey' (cxm_survey_wasm: only
 *                   Survey, for the <cxm-survey> widget; factory globalThis.createCxmSurvey, in
 *                   Node cxm_survey_wasm.cjs). The survey API omits the classes its module lacks.
 */
export async function loadCxm(options = {}) {
  if (options === null || typeof options !== 'object')
    throw new CxmError(errc.invalid_argument, `cxm: loadCxm options must be an object, got ${describe(options)}`);
  // Each option is read once, under guard (getters run once: what is checked is what is used).
  const { variant = 'full', factory: given, locateFile, wasmBinary } = guard(errc.invalid_argument, 'cxm: options', () => {
    const o = { variant: options.variant, factory: options.factory, locateFile: options.locateFile, wasmBinary: options.wasmBinary };
    if (o.locateFile !== undefined && typeof o.locateFile !== 'function')
      throw new CxmError(errc.invalid_argument, `cxm: options.locateFile must be a function, got ${describe(o.locateFile)}`);
    if (o.wasmBinary !== undefined && !(o.wasmBinary instanceof ArrayBuffer || typedArray(o.wasmBinary) !== null))
      throw new CxmError(errc.invalid_argument, `cxm: options.wasmBinary must be bytes, got ${describe(o.wasmBinary)}`);
    return o;
  });
  if (variant !== 'full' && variant !== 'survey')
    throw new CxmError(errc.invalid_argument, `cxm: options.variant is 'full' or 'survey', got ${describe(variant)}`);
  const file = variant === 'survey' ? 'cxm_survey_wasm.cjs' : 'cxm_wasm.cjs';
  let factory = given;
  if (factory === undefined) {
    if (isNode()) factory = await nodeFactory(`./${file}`).catch((e) => { throw asCxmError(errc.io_error, `cxm: ${file}`, e); });
    else factory = variant === 'survey' ? globalThis.createCxmSurvey : globalThis.createCxm;
  }
  if (typeof factory !== 'function')
    throw new CxmError(errc.invalid_argument,
                       `cxm: no module factory; load ${file} with a script tag or pass options.factory`);
  const moduleArg = {};
  if (locateFile !== undefined) moduleArg.locateFile = locateFile;
  if (wasmBinary !== undefined) moduleArg.wasmBinary = wasmBinary;
  // A module that cannot be fetched or compiled, or a factory that throws: io_error.
  let wasm;
  try {
    wasm = await factory(moduleArg);
  } catch (e) {
    throw asCxmError(errc.io_error, 'cxm: the wasm module could not be loaded', e);
  }
  if (!guard(errc.invalid_argument, 'cxm: options.factory', () => typeof Object(wasm).Survey === 'function'))
    throw new CxmError(errc.invalid_argument, 'cxm: options.factory did not make a cxm module');
  // The sketch and journey wrappers are loaded only with the full module: a page showing a
  // survey (variant 'survey') does not download them.
  const extras = typeof wasm.NpsTally === 'function'
    ? await Promise.all([import('./sketch.mjs'), import('./journey.mjs')])
    : [];
  return makeApi(wasm, extras);
}

function makeApi(wasm, [sketch, journey] = []) {
  // The survey-only module has no errorMessage: the code's name stands in.
  const errorMessage = (code) => (!Number.isInteger(code) ? 'unknown error'
    : typeof wasm.errorMessage === 'function' ? wasm.errorMessage(code) : nameOf(code).replaceAll('_', ' '));
  const fail = (code, detail) => new CxmError(code, detail || errorMessage(code));

  // One registry per module: a wrapper collected without dispose() frees its wasm object.
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => { if (!handle.isDeleted()) handle.delete(); })
    : null;
  const ADOPT = Symbol('adopt');

  // The reused copy buffer of addBulk (malloc'ed on first use, at most BULK_CHUNK bytes).
  let scratchPtr = 0;
  let scratchSize = 0;
  function scratch(size) {
    if (size > scratchSize) {
      if (scratchPtr) wasm._free(scratchPtr);
      scratchPtr = wasm._malloc(size);
      scratchSize = scratchPtr ? size : 0;
      if (!scratchPtr) throw new CxmError(errc.too_large, 'cxm: out of wasm memory');
    }
    return scratchPtr;
  }

  function reasonCode(reason) {
    if (typeof reason === 'string' && REASONS.includes(reason)) return errc[reason];
    if (typeof reason === 'number' && REASONS.some((r) => errc[r] === reason)) return reason;
    throw new CxmError(errc.invalid_argument, `not a rejection reason: ${describe(reason)} (${REASONS.join(', ')})`);
  }

  function checkJsonInput(text) {
    if (typeof text === 'string') {
      // Length is in UTF-16 units, each at least one UTF-8 byte: over the limit for sure.
      // Shorter texts that encode to more than 1 MiB are refused by the core (too_large too).
      if (text.length > MAX_JSON_BYTES)
        throw new CxmError(errc.too_large, `JSON text of ${text.length} characters is over the 1 MiB limit`);
      return wellFormed(text);
    }
    const v = typedArray(text);
    if (v !== null && v.kind === 'Uint8Array') {
      if (v.length > MAX_JSON_BYTES)
        throw new CxmError(errc.too_large, `JSON text of ${v.length} bytes is over the 1 MiB limit`);
      return copyBytes(v);  // bytes reach the core as they are (so invalid UTF-8 is reported)
    }
    throw new CxmError(errc.wrong_type, `fromJson expects a string or a Uint8Array, got ${describe(text)}`);
  }

  function interval(r) {
    if (r.code !== 0) throw fail(r.code, r.detail);
    return { point: r.point, center: r.center, pointInside: r.lower <= r.point && r.point <= r.upper, lower: r.lower, upper: r.upper, level: r.level, n: r.n,
             method: r.method, smallSample: r.smallSample };
  }

  function rejectedCounts(h) {
    const out = {};
    for (const r of REASONS) out[r] = h.rejected(errc[r]);
    return out;
  }

  /** Memory of `view`, when it is a Uint8Array on the module's current memory. */
  function inPlaceRange(view) {
    if (AnswerBuffer._is(view)) return [view.ptr, view.length];
    const v = typedArray(view);
    if (v !== null && v.kind === 'Uint8Array' && v.buffer === wasm.HEAPU8.buffer) return [v.offset, v.length];
    throw new CxmError(errc.invalid_argument,
                       'addBulkInPlace needs an AnswerBuffer or a view on wasm memory taken after the ' +
                       'last memory growth (use answerBuffer.view each time)');
  }

  // Ownership of an embind handle, shared by every wrapper class (sketch.mjs and journey.mjs get
  // it from attachSketch/attachJourney).
  class Owned {
    #h;
    #what;
    constructor(handle, what) {
      this.#h = handle;
      this.#what = what;
      if (registry) registry.register(this, handle, this);
    }
    /** The live embind handle; throws once disposed. */
    _live() { return this.#live(); }
    #live() {
      if (this.#h === null) throw new CxmError(errc.invalid_argument, `cxm: ${this.#what} used after dispose()`);
      return this.#h;
    }
    /**
     * The live handle of `x` when it is a `what` of this module, else null. A brand check, not
     * instanceof: a Proxy, an Object.create(X.prototype) or another module's object never
     * passes, and none of their code runs. Throws for a disposed one.
     */
    static _handleOf(x, what) {
      return Object(x) === x && #h in x && x.#what === what ? x.#live() : null;
    }
    /** Frees the wasm object. Idempotent; any later call throws CxmError (invalid_argument). */
    dispose() {
      if (this.#h === null) return;
      if (registry) registry.unregister(this);
      this.#h.delete();
      this.#h = null;
    }
    get disposed() { return this.#h === null; }
  }
  if (typeof Symbol.dispose === 'symbol') Owned.prototype[Symbol.dispose] = function () { this.dispose(); };

  class NpsTally extends Owned {
    constructor(handle) {
      super(handle === ADOPT ? arguments[1] : new wasm.NpsTally(), 'NpsTally');
    }

    /** Adds one 0-10 answer; throws CxmError after counting a rejection. */
    add(answer) {
      const code = this.tryAdd(answer);
      if (code !== 0) throw fail(code, `answer ${describe(answer)}: ${errorMessage(code)}`);
    }
    /** Adds one answer and returns its code (0 = accepted) instead of throwing. */
    tryAdd(answer) {
      const h = this._live();
      if (typeof answer !== 'number') return h.reject(errc.wrong_type);
      return h.add(answer);
    }
    /** Adds answers stored one byte each; bytes over 10 count as out_of_range. Returns accepted. */
    addBulk(answers) {
      const v = typedArray(answers);
      if (v === null || v.kind !== 'Uint8Array')
        throw new CxmError(errc.wrong_type, `addBulk expects a Uint8Array, got ${describe(answers)}`);
      // Answers already in wasm memory are scored where they are: the copy buffer's malloc could
      // grow the memory and detach them midway.
      if (v.buffer === wasm.HEAPU8.buffer) return this.addBulkInPlace(answers);
      const h = this._live();
      let accepted = 0;
      for (let at = 0; at < v.length; at += BULK_CHUNK) {
        const n = Math.min(v.length - at, BULK_CHUNK);
        const ptr = scratch(n);
        wasm.HEAPU8.set(new Uint8Array(v.buffer, v.offset + at, n), ptr);  // HEAPU8 after malloc: memory may have grown
        accepted += h.addBulk(ptr, n);
      }
      return accepted;
    }
    /** Scores answers already in wasm memory (an AnswerBuffer or its view), without copying. */
    addBulkInPlace(view) {
      const [ptr, size] = inPlaceRange(view);
      const h = this._live();
      const r = h.addBulk(ptr, size);
      if (r < 0) throw fail(-r, 'addBulkInPlace: range outside wasm memory');
      return r;
    }
    /** Counts an answer that was not a number at all (default wrong_type). */
    reject(reason = 'wrong_type') { this._live().reject(reasonCode(reason)); }
    /** Adds other's answers and rejections (always compatible). */
    merge(other) {
      const o = Owned._handleOf(other, 'NpsTally');
      if (o === null)
        throw new CxmError(errc.incompatible, `merge expects an NpsTally of the same module, got ${describe(other)}`);
      const code = this._live().merge(o);  // non-zero if the core refuses (counts that would overflow)
      if (code) throw fail(code, 'merge: the merged tally would be too large');
    }
    counts() { return this._live().counts(); }
    promoters() { return this._live().promoters(); }
    passives() { return this._live().passives(); }
    detractors() { return this._live().detractors(); }
    total() { return this._live().total(); }
    rejected(reason) { return this._live().rejected(reasonCode(reason)); }
    rejectedCounts() { return rejectedCounts(this._live()); }
    rejectedTotal() { return this._live().rejectedTotal(); }
    score() { return this._live().score(); }
    standardError() { return this._live().standardError(); }
    adjustedScore() { return this._live().adjustedScore(); }
    adjustedStandardError() { return this._live().adjustedStandardError(); }
    confidenceInterval(level = 0.95, method = 'adjusted_wald') {
      const h = this._live();
      checkLevel(level);
      if (!METHODS.includes(method))
        throw new CxmError(errc.invalid_argument, `method must be one of ${METHODS.join(', ')}, got ${describe(method)}`);
      return interval(h.confidenceInterval(level, method));
    }
    toJson() { return this._live().toJson(); }
    /** Decodes a cxm.nps_tally version 1 text (string or UTF-8 bytes); throws CxmError. */
    static fromJson(text) {
      const r = wasm.NpsTally.fromJson(checkJsonInput(text));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new NpsTally(ADOPT, r.tally);
    }
  }

  const SCALE_NAMES = ['ces7', 'ces5', 'csat5'];

  class ScaleTally extends Owned {
    /** A tally on 'ces7' (default), 'ces5', 'csat5' or {min, max, topBoxMin}. */
    constructor(scale = 'ces7') {
      let handle;
      if (scale === ADOPT) {
        handle = arguments[1];
      } else {
        let r;
        // Each bound is read once: a getter cannot pass the check with one value and send another.
        const bounds = scale !== null && typeof scale === 'object'
          ? guard(errc.invalid_argument, 'ScaleTally scale', () => [scale.min, scale.max, scale.topBoxMin]) : [];
        if (typeof scale === 'string' && SCALE_NAMES.includes(scale)) {
          r = wasm.ScaleTally.named(scale);
        } else if (bounds.length === 3 && bounds.every(Number.isSafeInteger)) {
          r = wasm.ScaleTally.make(...bounds);
        } else {
          throw new CxmError(errc.invalid_argument,
                             `a scale is 'ces7', 'ces5', 'csat5' or {min, max, topBoxMin} integers, got ${describe(scale)}`);
        }
        if (r.code !== 0) throw fail(r.code, r.detail);
        handle = r.tally;
      }
      super(handle, 'ScaleTally');
    }
    /** {min, max, topBoxMin}. */
    scale() { return this._live().scale(); }
    add(answer) {
      const code = this.tryAdd(answer);
      if (code !== 0) throw fail(code, `answer ${describe(answer)}: ${errorMessage(code)}`);
    }
    tryAdd(answer) {
      const h = this._live();
      if (typeof answer !== 'number') return h.reject(errc.wrong_type);
      return h.add(answer);
    }
    reject(reason = 'wrong_type') { this._live().reject(reasonCode(reason)); }
    /** Adds other's answers; CxmError incompatible (no change) when the scales differ. */
    merge(other) {
      const o = Owned._handleOf(other, 'ScaleTally');
      if (o === null)
        throw new CxmError(errc.incompatible, `merge expects a ScaleTally of the same module, got ${describe(other)}`);
      const code = this._live().merge(o);
      if (code !== 0) throw fail(code, 'cannot merge tallies of different scales');
    }
    /** Counts per scale point, min first. */
    counts() { return this._live().counts(); }
    total() { return this._live().total(); }
    topBoxCount() { return this._live().topBoxCount(); }
    rejected(reason) { return this._live().rejected(reasonCode(reason)); }
    rejectedCounts() { return rejectedCounts(this._live()); }
    rejectedTotal() { return this._live().rejectedTotal(); }
    mean() { return this._live().mean(); }
    standardDeviation() { return this._live().standardDeviation(); }
    topBoxShare() { return this._live().topBoxShare(); }
    meanInterval(level = 0.95) {
      const h = this._live();
      checkLevel(level);
      return interval(h.meanInterval(level));
    }
    topBoxInterval(level = 0.95) {
      const h = this._live();
      checkLevel(level);
      return interval(h.topBoxInterval(level));
    }
    toJson() { return this._live().toJson(); }
    static fromJson(text) {
      const r = wasm.ScaleTally.fromJson(checkJsonInput(text));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new ScaleTally(ADOPT, r.tally);
    }
  }

  /** Answers placed in wasm memory once (malloc), scored without copies by addBulkInPlace. */
  class AnswerBuffer {
    #ptr;
    #length;
    /** Whether x is an AnswerBuffer of this module (a brand check: no Proxy or lookalike passes). */
    static _is(x) { return Object(x) === x && #ptr in x; }
    constructor(length) {
      if (!Number.isSafeInteger(length) || length < 0 || length > 0x7fffffff)
        throw new CxmError(errc.invalid_argument, `allocAnswers: bad length ${describe(length)}`);
      const ptr = wasm._malloc(Math.max(1, length));
      if (!ptr) throw new CxmError(errc.too_large, `allocAnswers: cannot allocate ${length} bytes of wasm memory`);
      this.#ptr = ptr;
      this.#length = length;
    }
    get ptr() {
      if (this.#ptr === 0) throw new CxmError(errc.invalid_argument, 'cxm: AnswerBuffer used after free()');
      return this.#ptr;
    }
    get length() { return this.#length; }
    /** A fresh Uint8Array on the buffer. Take it again after any wasm allocation (memory growth detaches old views). */
    get view() { return new Uint8Array(wasm.HEAPU8.buffer, this.ptr, this.#length); }
    free() {
      if (this.#ptr !== 0) wasm._free(this.#ptr);
      this.#ptr = 0;
      this.#length = 0;
    }
    dispose() { this.free(); }
  }
  if (typeof Symbol.dispose === 'symbol') AnswerBuffer.prototype[Symbol.dispose] = function () { this.free(); };

  function compareNps(a, b, level = 0.95, method = 'adjusted_wald') {
    const [ha, hb] = [Owned._handleOf(a, 'NpsTally'), Owned._handleOf(b, 'NpsTally')];
    if (ha === null || hb === null)
      throw new CxmError(errc.invalid_argument, 'compareNps expects two NpsTally objects of this module');
    checkLevel(level);
    if (method !== 'wald' && method !== 'adjusted_wald')
      throw new CxmError(errc.invalid_argument, `method must be wald or adjusted_wald, got ${describe(method)}`);
    const r = wasm.compareNps(ha, hb, level, method);
    if (r.code !== 0) throw fail(r.code, r.detail);
    return { difference: r.difference, standardError: r.standardError, lower: r.lower, upper: r.upper,
             pValue: r.pValue, level: r.level, nA: r.nA, nB: r.nB, method: r.method, smallSample: r.smallSample };
  }

  /** The wasm baseline of the benchmark: a plain sequential read (sum of 64-bit words). */
  function sumBytes(view) {
    const [ptr, size] = inPlaceRange(view);
    return wasm.sumBytes(ptr, size);
  }

  // ---- Survey and SurveyTally --------------------------------------------------------------
  // Results cross from wasm as JSON text (see bindings.cpp), parsed here: JSON.parse makes
  // every key an own property, so ids such as "__proto__" stay data.

  // The core's limits, as the bindings export them (survey::max_bytes, answers::max_bytes).
  const { maxSurveyBytes, maxAnswersBytes } = wasm;

  /** {code, detail, json} from the bindings: the parsed json, or a thrown CxmError. */
  function unwrap(r) {
    if (r.code !== 0) throw fail(r.code, r.detail);
    return JSON.parse(r.json);
  }

  function checkSurveyText(text) {
    if (typeof text === 'string') {
      // UTF-16 length <= UTF-8 bytes <= 3 × UTF-16 length: count exactly only when it matters.
      const bytes = text.length > maxSurveyBytes || text.length * 3 > maxSurveyBytes ? utf8Length(text) : text.length;
      if (bytes > maxSurveyBytes)
        throw new CxmError(errc.too_large, `survey definition of ${bytes} bytes is over the ${maxSurveyBytes}-byte limit`);
      return wellFormed(text);
    }
    const v = typedArray(text);
    if (v !== null && v.kind === 'Uint8Array') {
      if (v.length > maxSurveyBytes)
        throw new CxmError(errc.too_large, `survey definition of ${v.length} bytes is over the ${maxSurveyBytes}-byte limit`);
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
  function checkQuestion(x) {
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
   * core's limit, so a sparse array of 2^32-1 holes fails at once instead of after minutes.
   */
  function answersText(answers) {
    if (answers === null || typeof answers !== 'object' || isArray(answers) || ArrayBuffer.isView(answers))
      throw new CxmError(errc.wrong_type, `answers must be an object {questionId: answer}, got ${describe(answers)}`);
    let size = 2;
    const grow = (part) => {
      size += part.length + 1;
      if (size > maxAnswersBytes) throw new CxmError(errc.too_large, `answers are over the ${maxAnswersBytes}-byte limit`);
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

  class Survey extends Owned {
    #info;
    #targeting;
    /** Use Survey.parse(jsonText). */
    constructor(tag, handle) {
      if (tag !== ADOPT) throw new CxmError(errc.invalid_argument, 'use Survey.parse(jsonText) to make a Survey');
      super(handle, 'Survey');
      this.#info = handle.describe();
      this.#targeting = handle.targeting();
    }
    /**
     * Parses and validates a cxm.survey definition (JSON text as a string or UTF-8 bytes).
     * Over 256 KiB → CxmError too_large before anything reaches wasm; any other defect →
     * CxmError whose message names the JSON path and the reason.
     */
    static parse(text) {
      const r = wasm.Survey.parse(checkSurveyText(text));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new Survey(ADOPT, r.survey);
    }
    #described() {
      this._live();  // the definition is cached, but a disposed Survey is used up, as everywhere
      const info = JSON.parse(this.#info);
      const t = this.#targeting;
      // In the documented key order: targeting after locales.
      return { id: info.id, surveyVersion: info.surveyVersion, defaultLocale: info.defaultLocale, locales: info.locales,
               targeting: { sampleRate: t.sampleRate, cooldownDays: t.cooldownDays, globalCooldownDays: t.globalCooldownDays },
               questions: info.questions };
    }
    get id() { return this.#described().id; }
    get surveyVersion() { return this.#described().surveyVersion; }
    get defaultLocale() { return this.#described().defaultLocale; }
    /** Locale tags in definition order, e.g. ['en', 'he']. */
    get locales() { return Object.keys(this.#described().locales); }
    /** The normalized definition (a fresh plain object each call). */
    toJSON() { return this.#described(); }
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
     * {eligible, reason}: reason is 'ok', 'sampled_out', 'cooldown' or 'global_cooldown'.
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

  class SurveyTally extends Owned {
    /** An empty tally of the valid responses to `survey`. */
    constructor(survey) {
      let handle;
      if (survey === ADOPT) {
        handle = arguments[1];
      } else {
        const s = Owned._handleOf(survey, 'Survey');
        if (s === null)
          throw new CxmError(errc.invalid_argument, `new SurveyTally(survey) needs a Survey of this module, got ${describe(survey)}`);
        handle = wasm.SurveyTally.make(s);
      }
      super(handle, 'SurveyTally');
    }
    /** Validates and folds in one response: {ok, problems}; an invalid one only counts as rejected. */
    add(answers) {
      const text = answersText(answers);  // first: the caller's getters may run
      return unwrap(this._live().add(text));
    }
    /** Adds other's counts; CxmError incompatible (no change) unless same survey id, version and layout. */
    merge(other) {
      const o = Owned._handleOf(other, 'SurveyTally');
      if (o === null)
        throw new CxmError(errc.incompatible, `merge expects a SurveyTally of the same module, got ${describe(other)}`);
      const code = this._live().merge(o);
      if (code !== 0) throw fail(code, 'cannot merge tallies of different surveys, versions or question layouts');
    }
    /** Valid responses folded in. */
    responses() { return this._live().responses(); }
    /** Responses refused by validation. */
    rejected() { return this._live().rejected(); }
    /** The versioned encoding (format cxm.survey_tally, version 2) as text. */
    toJson() { return this._live().toJson(); }
    /** The same as a plain object (so JSON.stringify(tally) writes the format). */
    toJSON() { return JSON.parse(this.toJson()); }
    /**
     * One question's counts: {id, type, shown, answered, invalid, skipped, problems}, where
     * skipped = shown − answered − invalid (the core's) and problems maps a reason (codeName) to
     * its count. CxmError invalid_argument for a question the survey does not have.
     */
    question(questionId) {
      const h = this._live();
      return unwrap(h.question(checkQuestion(questionId)));
    }
    /** A copy of an nps question's tally (intervals and all), to dispose of. */
    npsTally(questionId) {
      const h = this._live();
      const r = h.npsTally(checkQuestion(questionId));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new NpsTally(ADOPT, r.tally);
    }
    /** A copy of a ces or csat question's tally, to dispose of. */
    scaleTally(questionId) {
      const h = this._live();
      const r = h.scaleTally(checkQuestion(questionId));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new ScaleTally(ADOPT, r.tally);
    }
    /**
     * Decodes toJson's output. Without `survey` the tally can merge but not add(); with it,
     * the layouts must match (CxmError incompatible otherwise).
     */
    static fromJson(text, survey) {
      const s = survey === undefined ? undefined : Owned._handleOf(survey, 'Survey');
      if (s === null) throw new CxmError(errc.invalid_argument, `fromJson: survey must be a Survey, got ${describe(survey)}`);
      const r = wasm.SurveyTally.fromJson(checkJsonInput(text));
      if (r.code !== 0) throw fail(r.code, r.detail);
      const tally = new SurveyTally(ADOPT, r.tally);
      if (s !== undefined) {
        const code = r.tally.attach(s);
        if (code !== 0) {
          tally.dispose();
          throw fail(code, 'the tally does not belong to this survey (id, version or questions differ)');
        }
      }
      return tally;
    }
  }

  const shared = { CxmError, errc, Owned, describe, isArray, guard, typedArray, copyBytes, dateMs, wellFormed };
  if (typeof wasm.NpsTally !== 'function') {
    // The survey-only module (loadCxm({ variant: 'survey' })).
    return Object.freeze({ Survey, errorName: nameOf, errorMessage, errc, CxmError, module: wasm });
  }
  return Object.freeze({
    NpsTally,
    ScaleTally,
    ...sketch.attachSketch(wasm, shared),
    ...journey.attachJourney(wasm, shared),
    Survey,
    SurveyTally,
    AnswerBuffer,
    compareNps,
    allocAnswers: (length) => new AnswerBuffer(length),
    sumBytes,
    errorName: nameOf,
    errorMessage,
    errc,
    CxmError,
    module: wasm,
  });
}
