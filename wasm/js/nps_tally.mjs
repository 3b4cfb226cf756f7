// SPDX-License-Identifier: MIT
// NpsTally and compareNps: the wrapper of the core's nps_tally (bindings.cpp). Answers are
// checked for their JS type here, because embind would turn "9" into 9 and null into 0; the
// core judges every number (not_finite, not_integer, out_of_range) and computes everything.

import { CxmError, errc, enums, limits, describe, typedArray, checkLevel, checkDocument } from './context.mjs';
import { inPlaceRange } from './answer_buffer.mjs';

/** addBulk copies through the context's reused wasm buffer in chunks of at most this many bytes. */
const BULK_CHUNK = 1 << 20;

/** An interval method name, checked here only for being one: the core says which apply to NPS. */
function checkMethod(method) {
  if (!enums.intervalMethod.includes(method))
    throw new CxmError(errc.invalid_argument, `method must be one of ${enums.intervalMethod.join(', ')}, got ${describe(method)}`);
}

/** {NpsTally, compareNps} of one loaded module (`ctx`: createContext's). */
export function defineNpsTally(ctx, AnswerBuffer) {
  const { wasm, ADOPT, Owned, fail, errorMessage, scratch, reasonCode, rejectedCounts, interval } = ctx;

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
      const [ptr, size] = inPlaceRange(ctx, AnswerBuffer, view);
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
    /** wald, adjusted_wald or score: the core refuses the other interval methods (invalid_argument). */
    confidenceInterval(level = 0.95, method = 'adjusted_wald') {
      const h = this._live();
      checkLevel(level);
      checkMethod(method);
      return interval(h.confidenceInterval(level, method));
    }
    toJson() { return this._live().toJson(); }
    /** Decodes a cxm.nps_tally version 1 text (string or UTF-8 bytes); throws CxmError. */
    static fromJson(text) {
      const r = wasm.NpsTally.fromJson(checkDocument(text, limits.tallyJsonBytes, 'NpsTally.fromJson'));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new NpsTally(ADOPT, r.tally);
    }
  }

  /** a − b of two independent scores (wald or adjusted_wald: the core refuses the others). */
  function compareNps(a, b, level = 0.95, method = 'adjusted_wald') {
    const [ha, hb] = [Owned._handleOf(a, 'NpsTally'), Owned._handleOf(b, 'NpsTally')];
    if (ha === null || hb === null)
      throw new CxmError(errc.invalid_argument, 'compareNps expects two NpsTally objects of this module');
    checkLevel(level);
    checkMethod(method);
    const r = wasm.compareNps(ha, hb, level, method);
    if (r.code !== 0) throw fail(r.code, r.detail);
    return { difference: r.difference, standardError: r.standardError, lower: r.lower, upper: r.upper,
             pValue: r.pValue, level: r.level, nA: r.nA, nB: r.nB, method: r.method, smallSample: r.smallSample };
  }

  return { NpsTally, compareNps };
}
