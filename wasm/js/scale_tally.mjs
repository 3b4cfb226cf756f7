// SPDX-License-Identifier: MIT
// ScaleTally: the wrapper of the core's scale_tally (CES, CSAT; bindings.cpp). Answers are
// checked for their JS type here; the core judges every number and computes everything.

import { CxmError, errc, enums, limits, describe, guard, wellFormed, checkLevel, checkDocument } from './context.mjs';

/** The ScaleTally class of one loaded module (`ctx`: createContext's). */
export function defineScaleTally(ctx) {
  const { wasm, ADOPT, Owned, fail, errorMessage, reasonCode, rejectedCounts, interval } = ctx;

  class ScaleTally extends Owned {
    /**
     * A tally on a named scale ('ces7', the default, 'ces5', 'csat5': the bindings know the
     * names) or on {min, max, topBoxMin}.
     */
    constructor(scale = 'ces7') {
      let handle;
      if (scale === ADOPT) {
        handle = arguments[1];
      } else {
        let r;
        // Each bound is read once: a getter cannot pass the check with one value and send another.
        const bounds = scale !== null && typeof scale === 'object'
          ? guard(errc.invalid_argument, 'ScaleTally scale', () => [scale.min, scale.max, scale.topBoxMin]) : [];
        // A name is short: a longer string is refused without copying it into wasm.
        if (typeof scale === 'string' && scale.length <= 64) {
          r = wasm.ScaleTally.named(wellFormed(scale));
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
    /** hall_t (skewness-corrected, the default) or student_t: the core refuses the others. */
    meanInterval(level = 0.95, method = 'hall_t') {
      const h = this._live();
      checkLevel(level);
      if (!enums.intervalMethod.includes(method))
        throw new CxmError(errc.invalid_argument, `method must be one of ${enums.intervalMethod.join(', ')}, got ${describe(method)}`);
      return interval(h.meanInterval(level, method));
    }
    topBoxInterval(level = 0.95) {
      const h = this._live();
      checkLevel(level);
      return interval(h.topBoxInterval(level));
    }
    toJson() { return this._live().toJson(); }
    static fromJson(text) {
      const r = wasm.ScaleTally.fromJson(checkDocument(text, limits.tallyJsonBytes, 'ScaleTally.fromJson'));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new ScaleTally(ADOPT, r.tally);
    }
  }

  return ScaleTally;
}
