// SPDX-License-Identifier: MIT
// The shared context of the JS wrapper: what every class module needs and none redefines.
//
// - Without a module: CxmError and the codes' names, and the readers of arguments from callers
//   who may be hostile (describe, guard, typedArray, wellFormed, ...).
// - createContext(wasm), once per loaded module: the ownership base class Owned, the mapping of
//   cxm codes to CxmError, the reused copy buffer of the bulk calls, and the checks several
//   classes share. Each class module (nps_tally.mjs, survey.mjs, ...) defines its class over it,
//   so the classes of two loaded modules never mix.
//
// Every name and limit comes from constants.mjs, which the build generates from the C++
// declarations (tools/gen_constants.mjs): createContext refuses a module whose constants() report
// differs, so the JS and the wasm of one folder always agree.

import { errc, enums, lists, limits } from './constants.mjs';

export { errc, enums, lists, limits };

/** The name of a code ("out_of_range"), or "unknown". Needs no wasm. */
export function errorName(code) {
  return Number.isInteger(code) && code >= 0 && code < enums.errc.length ? enums.errc[code] : 'unknown';
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
    this.codeName = errorName(code);
  }
}

// ---- arguments from callers who may be hostile -------------------------------------------
// The wrappers run none of the caller's code (getters, valueOf, Proxy traps, overridden
// methods) between taking an object's wasm handle and calling wasm: such code could dispose
// the object or change what was checked. Where the caller's code must run (option objects,
// records to stringify), it runs first, under guard(), and the handle is taken after.

/** x for a message; runs no code of x's (a function's toString, a revoked Proxy's traps). */
export function describe(x) {
  if (x === null) return 'null';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x)}`;
  if (typeof x === 'object') return isArray(x) ? 'an array' : 'an object';
  if (typeof x === 'number') return String(x);
  if (typeof x === 'function') return 'a function';
  return `${typeof x} ${String(x)}`;
}

/** Array.isArray, false for a revoked Proxy (which makes it throw). */
export function isArray(x) {
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
export function guard(code, what, read) {
  try {
    return read();
  } catch (e) {
    throw asCxmError(code, what, e);
  }
}

/** A thrown value as a CxmError: itself if it is one, else CxmError(code) with it as `cause`. */
export function asCxmError(code, what, e) {
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
export function typedArray(x) {
  const kind = viewKind.call(x);
  return kind === undefined ? null
    : { kind, buffer: viewBuffer.call(x), offset: viewOffset.call(x), length: viewLength.call(x) };
}

/**
 * Bytes for embind (which reads .length and [i] of what it is given): a fresh copy of a
 * Uint8Array, so no getter of the caller's runs and no memory growth can detach it midway.
 */
export function copyBytes(v) {
  return v.length === 0 ? new Uint8Array(0) : new Uint8Array(v.buffer, v.offset, v.length).slice();
}

const dateValue = Date.prototype.getTime;
/** The time value of a real Date (NaN for anything else: a lookalike, a Proxy, an invalid Date). */
export function dateMs(x) {
  try {
    return dateValue.call(x);
  } catch {
    return NaN;
  }
}

/** Bytes of `s` in UTF-8 (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(s) {
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
export function wellFormed(s) {
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A confidence level: a number in (0, 1). */
export function checkLevel(level) {
  if (typeof level !== 'number' || !(level > 0 && level < 1))
    throw new CxmError(errc.invalid_argument, `level must be a number in (0, 1), got ${describe(level)}`);
}

/**
 * A document for a decoder of the core (a string or UTF-8 bytes), refused (too_large) when over
 * `limit`, the format's own json_limits.max_bytes, before it is copied into wasm. A string's
 * length counts UTF-16 units, each at least one UTF-8 byte: over the limit for sure; a shorter
 * text that encodes to more is refused by the core, with the same code. Bytes reach the core as
 * they are, so invalid UTF-8 is reported (invalid_utf8) instead of being replaced.
 */
export function checkDocument(text, limit, what) {
  if (typeof text === 'string') {
    if (text.length > limit)
      throw new CxmError(errc.too_large, `${what}: a text of ${text.length} characters is over the ${limit}-byte limit`);
    return wellFormed(text);
  }
  const v = typedArray(text);
  if (v !== null && v.kind === 'Uint8Array') {
    if (v.length > limit) throw new CxmError(errc.too_large, `${what}: ${v.length} bytes is over the ${limit}-byte limit`);
    return copyBytes(v);
  }
  throw new CxmError(errc.wrong_type, `${what} expects a string or a Uint8Array, got ${describe(text)}`);
}

// ---- one loaded module -------------------------------------------------------------------

/**
 * The first difference between what a module reports (its constants(): the names from the
 * core's name() tables, the limits it was compiled with) and constants.mjs, or null. A module
 * reports only what it binds (the survey-only one: the survey's), so only those are compared.
 */
function constantsMismatch(reported) {
  const ours = { enums, lists, limits };
  for (const group of Object.keys(ours)) {
    for (const [key, value] of Object.entries(reported[group] ?? {})) {
      if (JSON.stringify(ours[group][key]) !== JSON.stringify(value)) return `${group}.${key}`;
    }
  }
  return null;
}

/**
 * The context of one loaded module: {wasm, ADOPT, Owned, fail, errorMessage, scratch,
 * reasonCode, rejectedCounts, interval}. Throws CxmError when `wasm` is not a cxm module
 * (invalid_argument) or was built from other sources than constants.mjs (incompatible).
 */
export function createContext(wasm) {
  const reported = guard(errc.invalid_argument, 'cxm: options.factory', () => {
    if (typeof Object(wasm).Survey !== 'function' || typeof wasm.constants !== 'function')
      throw new CxmError(errc.invalid_argument, 'cxm: options.factory did not make a cxm module');
    return JSON.parse(wasm.constants());
  });
  const differs = constantsMismatch(reported);
  if (differs !== null)
    throw new CxmError(errc.incompatible,
                       `cxm: the wasm module and constants.mjs come from different builds (${differs} differs)`);

  // The survey-only module has no errorMessage: the code's name stands in.
  const errorMessage = (code) => (!Number.isInteger(code) ? 'unknown error'
    : typeof wasm.errorMessage === 'function' ? wasm.errorMessage(code) : errorName(code).replaceAll('_', ' '));
  /** The CxmError of a non-zero code from wasm, with the core's detail when it gave one. */
  const fail = (code, detail) => new CxmError(code, detail || errorMessage(code));

  // One registry per module: a wrapper collected without dispose() frees its wasm object.
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => { if (!handle.isDeleted()) handle.delete(); })
    : null;
  /** Passed to a constructor by the wrapper itself, to adopt a handle wasm made (never by callers). */
  const ADOPT = Symbol('adopt');

  // The reused copy buffer of the bulk calls (addBulk, recordBulk): malloc'ed on first use, grown
  // when a call needs more. The calls are synchronous, so one buffer serves them all.
  let scratchPtr = 0;
  let scratchSize = 0;
  /** The address of at least `bytes` bytes of wasm memory (8-byte aligned), valid until the next call. */
  function scratch(bytes) {
    if (bytes > scratchSize) {
      if (scratchPtr) wasm._free(scratchPtr);
      scratchPtr = wasm._malloc(bytes);
      scratchSize = scratchPtr ? bytes : 0;
      if (!scratchPtr) throw new CxmError(errc.too_large, 'cxm: out of wasm memory');
    }
    return scratchPtr;
  }

  // Ownership of an embind handle, shared by every wrapper class.
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

  // ---- what the tallies share (NpsTally, ScaleTally) ----

  const reasons = lists.tallyRejectionReasons;
  /** The errc code of a rejection reason (its name or its code). */
  function reasonCode(reason) {
    if (typeof reason === 'string' && reasons.includes(reason)) return errc[reason];
    if (typeof reason === 'number' && reasons.some((r) => errc[r] === reason)) return reason;
    throw new CxmError(errc.invalid_argument, `not a rejection reason: ${describe(reason)} (${reasons.join(', ')})`);
  }

  /** {reason: count} for every reason a tally counts. */
  function rejectedCounts(h) {
    const out = {};
    for (const r of reasons) out[r] = h.rejected(errc[r]);
    return out;
  }

  /** An interval from the bindings, or the CxmError of its code. */
  function interval(r) {
    if (r.code !== 0) throw fail(r.code, r.detail);
    return { point: r.point, center: r.center, pointInside: r.pointInside, lower: r.lower, upper: r.upper, level: r.level,
             n: r.n, method: r.method, smallSample: r.smallSample };
  }

  return Object.freeze({ wasm, ADOPT, Owned, fail, errorMessage, scratch, reasonCode, rejectedCounts, interval });
}
