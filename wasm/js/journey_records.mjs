// SPDX-License-Identifier: MIT
// What the journey classes share: texts and records checked and written as JSON before they
// cross into wasm, where the native readers read them (so JS accepts exactly the records the
// native SDK accepts). Used by journey_definition.mjs, journey_tracker.mjs, journey_report.mjs.

import { CxmError, errc, describe, isArray, guard, wellFormed } from './context.mjs';

/**
 * The most characters one addEventsJsonl / attachResponsesJsonl call takes (32 Mi). Not a limit
 * of the core, whose readers stream texts of any length line by line, but of this wrapper: the
 * text is copied into wasm memory whole, and this bounds that copy (at most 96 MiB of UTF-8).
 * Larger inputs go in several calls.
 */
export const MAX_JSONL_CHARS = 32 << 20;

/** A plain object (not an array, a class instance, a Proxy of one): what a record may be. */
export function isPlainObject(x) {
  if (x === null || typeof x !== 'object' || isArray(x)) return false;
  const proto = guard(errc.wrong_type, 'the record', () => Object.getPrototypeOf(x));  // a Proxy trap may run
  return proto === Object.prototype || proto === null;
}

/**
 * A string of at most `limit` characters, lone surrogates replaced (U+FFFD). For a limit in
 * bytes (`unit` 'byte', a format's json_limits) it refuses only what is over it for sure: every
 * UTF-16 unit is at least one UTF-8 byte; the core refuses a shorter text that encodes to more.
 */
export function checkText(text, what, limit, unit = 'byte') {
  if (typeof text !== 'string')
    throw new CxmError(errc.wrong_type, `${what} expects a string, got ${describe(text)}`);
  if (text.length > limit)
    throw new CxmError(errc.too_large, `${what}: a text of ${text.length} characters is over the ${limit}-${unit} limit`);
  return wellFormed(text);
}

/**
 * A record as JSON, or CxmError: the caller's toJSON and getters run under guard (wrong_type),
 * and it gives up (too_large) after `limit` values, as each writes at least one character of a
 * text that would be refused anyway: a sparse array of 2^32-1 holes, or an object holding
 * wasm memory, fails at once instead of after minutes. Dates are written in RFC 3339.
 */
export function jsonOf(record, what, limit) {
  let values = 0;
  const text = guard(errc.wrong_type, `${what}: the record cannot be written as JSON`, () => JSON.stringify(record, (k, v) => {
    if (++values > limit) throw new CxmError(errc.too_large, `${what}: the record is over the ${limit}-byte limit`);
    // A typed array would be written as {"0":..}, its keys listed first: for wasm memory, seconds.
    if (ArrayBuffer.isView(v)) throw new CxmError(errc.wrong_type, `${what}: ${k ? `${k}: ` : ''}a typed array is not JSON`);
    return v instanceof Date ? v.toISOString() : v;
  }));
  if (typeof text !== 'string') throw new CxmError(errc.wrong_type, `${what}: the record cannot be written as JSON`);
  if (text.length > limit) throw new CxmError(errc.too_large, `${what}: the record is over the ${limit}-byte limit`);
  return text;  // well-formed: JSON.stringify escapes lone surrogates
}

/** One record as a JSON line, or CxmError: a plain object whose JSON fits in a line of the reader. */
export function recordLine(record, what, limit) {
  if (!isPlainObject(record))
    throw new CxmError(errc.wrong_type, `${what} expects a plain object, got ${describe(record)}`);
  return jsonOf(record, what, limit);
}
