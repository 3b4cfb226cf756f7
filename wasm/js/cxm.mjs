// SPDX-License-Identifier: MIT
// cxm for JavaScript: the ES module users import. A thin, hand-written skin over the embind
// module cxm_wasm.cjs (beside this file): it validates arguments before they reach embind
// (which would silently turn 9.5 and "9" into 9 and NaN/null into 0), owns and frees the wasm
// objects, and turns non-zero cxm codes into CxmError. All statistics come from the C++ core.
import { attachSketch } from './sketch.mjs';

/** cxm error codes (sdk/include/cxm/status.hpp); append-only, never reused. */
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

/** The error every cxm call throws: `code` is an errc value, `codeName` its name. */
export class CxmError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'CxmError';
    this.code = code;
    this.codeName = nameOf(code);
  }
}

/** Largest JSON text handed to wasm; the core's limit too (errc.too_large). */
export const MAX_JSON_BYTES = 1 << 20;
/** addBulk copies through a reused wasm buffer of at most this many bytes. */
const BULK_CHUNK = 1 << 20;
const METHODS = ['wald', 'adjusted_wald', 'score'];
const REASONS = ['out_of_range', 'not_integer', 'not_finite', 'wrong_type'];

function describe(x) {
  if (x === null) return 'null';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x)}`;
  if (typeof x === 'object') return Array.isArray(x) ? 'an array' : 'an object';
  if (typeof x === 'number') return String(x);
  return `${typeof x} ${String(x)}`;
}

function checkLevel(level) {
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    throw new CxmError(errc.invalid_argument, `level must be a number in (0, 1), got ${describe(level)}`);
}

function isNode() {
  return typeof process === 'object' && process !== null && process.versions != null &&
         typeof process.versions.node === 'string';
}

async function nodeFactory() {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('./cxm_wasm.cjs');
}

/**
 * Loads the wasm module and returns the API object.
 *
 * options.factory   the Emscripten factory (createCxm) to use; in browsers defaults to
 *                   globalThis.createCxm (a page loaded cxm_wasm.cjs with a script tag);
 *                   in Node, cxm_wasm.cjs beside this file is required.
 * options.locateFile, options.wasmBinary   passed to the factory (where the .wasm lives).
 */
export async function loadCxm(options = {}) {
  let factory = options.factory;
  if (factory === undefined) {
    if (isNode()) factory = await nodeFactory();
    else factory = globalThis.createCxm;
  }
  if (typeof factory !== 'function')
    throw new CxmError(errc.invalid_argument,
                       'cxm: no module factory; load cxm_wasm.cjs with a script tag or pass options.factory');
  const moduleArg = {};
  if (options.locateFile !== undefined) moduleArg.locateFile = options.locateFile;
  if (options.wasmBinary !== undefined) moduleArg.wasmBinary = options.wasmBinary;
  const wasm = await factory(moduleArg);
  return makeApi(wasm);
}

function makeApi(wasm) {
  const errorMessage = (code) => (Number.isInteger(code) ? wasm.errorMessage(code) : 'unknown error');
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
      return text;
    }
    if (text instanceof Uint8Array) {
      if (text.length > MAX_JSON_BYTES)
        throw new CxmError(errc.too_large, `JSON text of ${text.length} bytes is over the 1 MiB limit`);
      return text;  // embind copies the bytes as they are (so invalid UTF-8 reaches the core)
    }
    throw new CxmError(errc.wrong_type, `fromJson expects a string or a Uint8Array, got ${describe(text)}`);
  }

  function interval(r) {
    if (r.code !== 0) throw fail(r.code, r.detail);
    return { estimate: r.estimate, lower: r.lower, upper: r.upper, level: r.level, n: r.n,
             method: r.method, smallSample: r.smallSample };
  }

  function rejectedCounts(h) {
    const out = {};
    for (const r of REASONS) out[r] = h.rejected(errc[r]);
    return out;
  }

  /** Memory of `view`, when it is a Uint8Array on the module's current memory. */
  function inPlaceRange(view) {
    if (view instanceof AnswerBuffer) return [view.ptr, view.length];
    if (view instanceof Uint8Array && view.buffer === wasm.HEAPU8.buffer) return [view.byteOffset, view.length];
    throw new CxmError(errc.invalid_argument,
                       'addBulkInPlace needs an AnswerBuffer or a view on wasm memory taken after the ' +
                       'last memory growth (use answerBuffer.view each time)');
  }

  // Shared by NpsTally and ScaleTally: ownership of the embind handle.
  class Owned {
    #h;
    #what;
    constructor(handle, what) {
      this.#h = handle;
      this.#what = what;
      if (registry) registry.register(this, handle, this);
    }
    /** The live embind handle; throws once disposed. */
    _live() {
      if (this.#h === null) throw new CxmError(errc.invalid_argument, `cxm: ${this.#what} used after dispose()`);
      return this.#h;
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
      const h = this._live();
      if (!(answers instanceof Uint8Array))
        throw new CxmError(errc.wrong_type, `addBulk expects a Uint8Array, got ${describe(answers)}`);
      let accepted = 0;
      for (let at = 0; at < answers.length; at += BULK_CHUNK) {
        const part = answers.subarray(at, Math.min(answers.length, at + BULK_CHUNK));
        const ptr = scratch(part.length);
        wasm.HEAPU8.set(part, ptr);  // HEAPU8 read after malloc: memory may have grown
        accepted += h.addBulk(ptr, part.length);
      }
      return accepted;
    }
    /** Scores answers already in wasm memory (an AnswerBuffer or its view), without copying. */
    addBulkInPlace(view) {
      const h = this._live();
      const [ptr, size] = inPlaceRange(view);
      const r = h.addBulk(ptr, size);
      if (r < 0) throw fail(-r, 'addBulkInPlace: range outside wasm memory');
      return r;
    }
    /** Counts an answer that was not a number at all (default wrong_type). */
    reject(reason = 'wrong_type') { this._live().reject(reasonCode(reason)); }
    /** Adds other's answers and rejections (always compatible). */
    merge(other) {
      const h = this._live();
      if (!(other instanceof NpsTally))
        throw new CxmError(errc.incompatible, `merge expects an NpsTally of the same module, got ${describe(other)}`);
      h.merge(other._live());
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
        if (typeof scale === 'string' && SCALE_NAMES.includes(scale)) {
          r = wasm.ScaleTally.named(scale);
        } else if (scale !== null && typeof scale === 'object' &&
                   [scale.min, scale.max, scale.topBoxMin].every(Number.isSafeInteger)) {
          r = wasm.ScaleTally.make(scale.min, scale.max, scale.topBoxMin);
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
      const h = this._live();
      if (!(other instanceof ScaleTally))
        throw new CxmError(errc.incompatible, `merge expects a ScaleTally of the same module, got ${describe(other)}`);
      const code = h.merge(other._live());
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
    if (!(a instanceof NpsTally) || !(b instanceof NpsTally))
      throw new CxmError(errc.invalid_argument, 'compareNps expects two NpsTally objects of this module');
    checkLevel(level);
    if (method !== 'wald' && method !== 'adjusted_wald')
      throw new CxmError(errc.invalid_argument, `method must be wald or adjusted_wald, got ${describe(method)}`);
    const r = wasm.compareNps(a._live(), b._live(), level, method);
    if (r.code !== 0) throw fail(r.code, r.detail);
    return { difference: r.difference, standardError: r.standardError, lower: r.lower, upper: r.upper,
             pValue: r.pValue, level: r.level, nA: r.nA, nB: r.nB, method: r.method, smallSample: r.smallSample };
  }

  /** The wasm baseline of the benchmark: a plain sequential read (sum of 64-bit words). */
  function sumBytes(view) {
    const [ptr, size] = inPlaceRange(view);
    return wasm.sumBytes(ptr, size);
  }

  return Object.freeze({
    NpsTally,
    ScaleTally,
    ...attachSketch(wasm, { CxmError, errc }),
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
