// SPDX-License-Identifier: MIT
// DurationSketch: the wrapper of the core's duration_sketch and its OTLP export
// (bindings_sketch.cpp). It checks arguments before embind sees them, owns and frees the wasm
// object, and turns non-zero cxm codes into CxmError. All arithmetic is the core's, so the
// numbers are the native SDK's.

import { CxmError, errc, lists, limits, describe, isArray, guard, typedArray, dateMs, wellFormed, checkDocument }
  from './context.mjs';

/** recordBulk copies through the context's reused wasm buffer, at most this many values (8 MiB) at a time. */
const BULK_VALUES = 1 << 20;
const REASONS = lists.sketchRejectionReasons;
const U64_MAX = (1n << 64n) - 1n;

/** A time as a decimal string of Unix nanoseconds: bigint ns, decimal-string ns, or a Date. */
function nanos(t, what) {
  let v;
  if (typeof t === 'bigint') v = t;
  else if (typeof t === 'string' && /^[0-9]{1,20}$/.test(t)) v = BigInt(t);
  else if (Number.isFinite(dateMs(t))) v = BigInt(dateMs(t)) * 1000000n;
  else
    throw new CxmError(errc.invalid_argument,
                       `${what} must be a bigint or decimal string of Unix nanoseconds, or a Date; got ${describe(t)}`);
  if (v < 0n || v > U64_MAX) throw new CxmError(errc.out_of_range, `${what} is outside 0..2^64-1 nanoseconds`);
  return v.toString();
}

function checkCount(count) {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    throw new CxmError(errc.invalid_argument, `count must be a non-negative safe integer, got ${describe(count)}`);
}

/** The DurationSketch class of one loaded module (`ctx`: createContext's) over its DurationBuffer. */
export function defineDurationSketch(ctx, DurationBuffer) {
  const { wasm, ADOPT, Owned, fail, errorMessage, scratch } = ctx;

  // The direct per-value export (bindings_sketch.cpp), when the module has it. Looked up on each
  // call: Emscripten's glue replaces its first-call wrapper with the raw wasm export.
  const hasDirect = typeof wasm._cxm_sketch_record === 'function';

  class DurationSketch extends Owned {
    #ptr;
    /**
     * new DurationSketch() (the core's defaults: scale 6, 1600 buckets, zero threshold 0) or
     * new DurationSketch({scale, maxBuckets, zeroThreshold}), each defaulting as the core does.
     */
    constructor(options) {
      let h;
      if (options === ADOPT) h = arguments[1];
      else if (options === undefined) h = new wasm.DurationSketch();
      else {
        if (typeof options !== 'object' || options === null)
          throw new CxmError(errc.invalid_argument, `DurationSketch options must be an object, got ${describe(options)}`);
        // Read once, under guard: the caller's getters run here and cannot change what was checked.
        const { scale = limits.sketchDefaultScale, maxBuckets = limits.sketchDefaultMaxBuckets, zeroThreshold = 0 } =
          guard(errc.invalid_argument, 'DurationSketch options',
                () => ({ scale: options.scale, maxBuckets: options.maxBuckets, zeroThreshold: options.zeroThreshold }));
        for (const [k, v] of [['scale', scale], ['maxBuckets', maxBuckets], ['zeroThreshold', zeroThreshold]])
          if (typeof v !== 'number') throw new CxmError(errc.invalid_argument, `${k} must be a number, got ${describe(v)}`);
        const r = wasm.DurationSketch.make(scale, maxBuckets, zeroThreshold);
        if (r.code !== 0) throw fail(r.code, r.detail);
        h = r.sketch;
      }
      super(h, 'DurationSketch');
      this.#ptr = h.address();
    }

    /**
     * Records `value` (`count` times, default 1). NaN/±Infinity (not_finite) and negative values
     * (out_of_range) are counted as rejected and then thrown as CxmError; a non-number throws
     * wrong_type without touching the sketch.
     */
    record(value, count = 1) {
      const code = this.tryRecord(value, count);
      if (code !== 0) throw fail(code, `duration ${describe(value)}: ${errorMessage(code)}`);
    }
    /** record() returning the code (0 = recorded) instead of throwing. */
    tryRecord(value, count = 1) {
      const h = this._live();
      if (typeof value !== 'number') return errc.wrong_type;
      if (count === 1 && hasDirect) return wasm._cxm_sketch_record(this.#ptr, value);
      if (count !== 1) checkCount(count);
      return h.record(value, count);
    }
    /**
     * Records every value of a Float64Array (or an array of numbers), copying through a reused
     * wasm buffer in chunks. Returns the number accepted; rejected values are counted by reason.
     */
    recordBulk(values) {
      let v = typedArray(values);
      if (v === null || v.kind !== 'Float64Array') {
        if (!isArray(values))
          throw new CxmError(errc.wrong_type, `recordBulk expects a Float64Array or an array, got ${describe(values)}`);
        // Each element read once (getters and Proxy traps are the caller's code), before the
        // sketch is touched; a sparse array fails at its first hole.
        const f64 = guard(errc.wrong_type, 'recordBulk', () => {
          const out = [];
          for (let i = 0, n = values.length; i < n; ++i) {
            const x = values[i];
            if (typeof x !== 'number') throw new CxmError(errc.wrong_type, `recordBulk: element ${i} is ${describe(x)}, not a number`);
            out.push(x);
          }
          return new Float64Array(out);
        });
        v = typedArray(f64);
      }
      // Values already in wasm memory are recorded where they are: the copy buffer's malloc could
      // grow the memory and detach them midway.
      if (v.buffer === wasm.HEAPU8.buffer) return this.recordBulkInPlace(values);
      const h = this._live();
      let accepted = 0;
      for (let at = 0; at < v.length; at += BULK_VALUES) {
        const n = Math.min(v.length - at, BULK_VALUES);
        const ptr = scratch(n * 8);
        new Float64Array(wasm.HEAPU8.buffer, ptr, n).set(new Float64Array(v.buffer, v.offset + at * 8, n));  // after malloc: memory may have grown
        accepted += h.recordBulk(ptr, n);
      }
      return accepted;
    }
    /** Records the values of a DurationBuffer (or a Float64Array view on wasm memory) without copying. */
    recordBulkInPlace(buffer) {
      let ptr, length;
      const v = typedArray(buffer);
      if (DurationBuffer._is(buffer)) [ptr, length] = [buffer.ptr, buffer.length];
      else if (v !== null && v.kind === 'Float64Array' && v.buffer === wasm.HEAPU8.buffer) [ptr, length] = [v.offset, v.length];
      else
        throw new CxmError(errc.invalid_argument,
                           'recordBulkInPlace needs a DurationBuffer or a Float64Array view on current wasm memory');
      const r = this._live().recordBulk(ptr, length);
      if (r < 0) throw fail(-r, 'recordBulkInPlace: range outside wasm memory');
      return r;
    }
    /** The estimated q-quantile (relative error <= relativeError()). Throws empty / invalid_argument. */
    quantile(q) {
      const h = this._live();
      if (typeof q !== 'number') throw new CxmError(errc.invalid_argument, `q must be a number in [0, 1], got ${describe(q)}`);
      const r = h.quantile(q);
      if (r.code !== 0) throw fail(r.code, r.detail);
      return r.value;
    }
    /** Adds other's values; different scales merge exactly (the finer one is downscaled). */
    merge(other) {
      const o = Owned._handleOf(other, 'DurationSketch');
      if (o === null)
        throw new CxmError(errc.incompatible, `merge expects a DurationSketch of the same module, got ${describe(other)}`);
      const r = this._live().merge(o);
      if (r.code !== 0) throw fail(r.code, r.detail);
    }
    count() { return this._live().count(); }
    sum() { return this._live().sum(); }
    min() { return this._live().min(); }
    max() { return this._live().max(); }
    mean() { return this._live().mean(); }
    zeroCount() { return this._live().zeroCount(); }
    zeroThreshold() { return this._live().zeroThreshold(); }
    scale() { return this._live().scale(); }
    relativeError() { return this._live().relativeError(); }
    maxBuckets() { return this._live().maxBuckets(); }
    memoryBytes() { return this._live().memoryBytes(); }
    /** Values rejected for `reason` (a sketch rejection reason: out_of_range, not_finite). */
    rejected(reason) {
      const h = this._live();
      if (!REASONS.includes(reason))
        throw new CxmError(errc.invalid_argument, `not a rejection reason: ${describe(reason)} (${REASONS.join(', ')})`);
      return h.rejected(errc[reason]);
    }
    rejectedCounts() {
      const h = this._live();
      const out = {};
      for (const r of REASONS) out[r] = h.rejected(errc[r]);
      return out;
    }
    /** {offset, counts}: bucket offset + i holds counts[i] values in (b^(offset+i), b^(offset+i+1)]. */
    buckets() { return this._live().buckets(); }
    clear() { this._live().clear(); }
    /** Same state (scale, buckets, options, count, sum, min, max, zero and rejected counts). */
    equals(other) {
      const h = this._live();
      const o = Owned._handleOf(other, 'DurationSketch');
      return o !== null && h.equals(o);
    }
    /** Versioned JSON (format cxm.duration_sketch, version 1). */
    toJson() { return this._live().toJson(); }
    toJSON() { return JSON.parse(this.toJson()); }
    /** The compact binary form (version 1) as a new Uint8Array. */
    encode() { return this._live().encode().slice(); }
    /**
     * One OTLP/JSON ExportMetricsServiceRequest holding this sketch as an ExponentialHistogram
     * point. options: {name (required), unit = 'ms', attributes = {key: string|number|boolean},
     * startTime, time} — times as bigint or decimal-string Unix nanoseconds, or Dates.
     */
    toOtlpJson(options) {
      if (typeof options !== 'object' || options === null)
        throw new CxmError(errc.invalid_argument, `toOtlpJson expects an options object, got ${describe(options)}`);
      // The options are read and checked (the caller's getters run) before the handle is taken.
      const [name, unit, attrs, start, time] = guard(errc.invalid_argument, 'toOtlpJson options', () => {
        const { name, unit = 'ms', attributes = {}, startTime, time } = options;
        if (typeof name !== 'string' || name.length === 0)
          throw new CxmError(errc.invalid_argument, `name must be a non-empty string, got ${describe(name)}`);
        if (typeof unit !== 'string') throw new CxmError(errc.invalid_argument, `unit must be a string, got ${describe(unit)}`);
        if (typeof attributes !== 'object' || attributes === null || isArray(attributes))
          throw new CxmError(errc.invalid_argument, `attributes must be an object, got ${describe(attributes)}`);
        const attrs = [];
        for (const [k, value] of Object.entries(attributes)) {
          const key = wellFormed(k);
          if (typeof value === 'string') attrs.push({ key, type: 's', value: wellFormed(value) });
          else if (typeof value === 'boolean') attrs.push({ key, type: 'b', value });
          else if (typeof value === 'number' && Number.isSafeInteger(value)) attrs.push({ key, type: 'i', value });
          else if (typeof value === 'number' && Number.isFinite(value)) attrs.push({ key, type: 'd', value });
          else
            throw new CxmError(errc.invalid_argument, `attribute ${key}: ${describe(value)} is not a string, finite number or boolean`);
        }
        return [wellFormed(name), wellFormed(unit), attrs, nanos(startTime, 'startTime'), nanos(time, 'time')];
      });
      const r = this._live().toOtlpJson(name, unit, attrs, start, time);
      if (r.code !== 0) throw fail(r.code, r.detail);
      return r.json;
    }
    /** Reads toJson's output (string or UTF-8 bytes). */
    static fromJson(text) {
      const r = wasm.DurationSketch.fromJson(checkDocument(text, limits.sketchJsonBytes, 'DurationSketch.fromJson'));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new DurationSketch(ADOPT, r.sketch);
    }
    /** Reads encode's output. */
    static decode(bytes) {
      if (typedArray(bytes)?.kind !== 'Uint8Array')
        throw new CxmError(errc.wrong_type, `decode expects a Uint8Array, got ${describe(bytes)}`);
      // The binary form has no limit of its own; it is never larger than the JSON form.
      const r = wasm.DurationSketch.decode(checkDocument(bytes, limits.sketchJsonBytes, 'DurationSketch.decode'));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new DurationSketch(ADOPT, r.sketch);
    }
    /**
     * The bucket index of every value at `scale` (log_mapping::min_scale..max_scale, -10..20),
     * as the sketch computes it: the exact OpenTelemetry index. Values must be positive and
     * finite; returns an Int32Array.
     */
    static bucketIndices(input, scale) {
      const v = typedArray(input);
      if (v === null || v.kind !== 'Float64Array')
        throw new CxmError(errc.wrong_type, `bucketIndices expects a Float64Array, got ${describe(input)}`);
      if (!Number.isInteger(scale) || scale < limits.sketchMinScale || scale > limits.sketchMaxScale)
        throw new CxmError(errc.invalid_argument,
                           `scale must be an integer ${limits.sketchMinScale}..${limits.sketchMaxScale}, got ${describe(scale)}`);
      // A copy (internal slots, not the caller's length or subarray): the mallocs below may grow
      // wasm memory, which would detach values that live there.
      const values = v.length === 0 ? new Float64Array(0) : new Float64Array(v.buffer, v.offset, v.length).slice();
      for (let i = 0; i < values.length; ++i)
        if (!(values[i] > 0 && values[i] <= Number.MAX_VALUE))
          throw new CxmError(errc.out_of_range, `bucketIndices: element ${i} (${values[i]}) is not positive and finite`);
      const out = new Int32Array(values.length);
      const n = Math.min(values.length, BULK_VALUES);
      if (n === 0) return out;
      const inPtr = wasm._malloc(n * 8);
      const outPtr = wasm._malloc(n * 4);
      try {
        if (!inPtr || !outPtr) throw new CxmError(errc.too_large, 'cxm: out of wasm memory');
        for (let at = 0; at < values.length; at += n) {
          const part = values.subarray(at, Math.min(values.length, at + n));
          new Float64Array(wasm.HEAPU8.buffer, inPtr, part.length).set(part);
          const code = wasm.DurationSketch.bucketIndices(inPtr, part.length, scale, outPtr);
          if (code !== 0) throw fail(code);
          out.set(new Int32Array(wasm.HEAPU8.buffer, outPtr, part.length), at);
        }
      } finally {
        if (inPtr) wasm._free(inPtr);
        if (outPtr) wasm._free(outPtr);
      }
      return out;
    }
    /** The bucket index of one value at `scale`. */
    static bucketIndex(value, scale) {
      if (typeof value !== 'number') throw new CxmError(errc.wrong_type, `value must be a number, got ${describe(value)}`);
      return DurationSketch.bucketIndices(new Float64Array([value]), scale)[0];
    }
  }

  return DurationSketch;
}
