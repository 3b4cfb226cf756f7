// SPDX-License-Identifier: MIT
// DurationBuffer: Float64 values in wasm memory (malloc), recorded without copies by
// DurationSketch.recordBulkInPlace: the zero-copy path for large batches of durations.

import { CxmError, errc, describe } from './context.mjs';

/** The DurationBuffer class of one loaded module (`ctx`: createContext's). */
export function defineDurationBuffer(ctx) {
  const { wasm } = ctx;

  class DurationBuffer {
    #ptr;
    #length;
    /** Whether x is a DurationBuffer of this module (a brand check: no Proxy or lookalike passes). */
    static _is(x) { return Object(x) === x && #ptr in x; }
    constructor(length) {
      if (!Number.isSafeInteger(length) || length <= 0 || length > 0x7ffffff0 / 8)
        throw new CxmError(errc.invalid_argument, `DurationBuffer length must be 1..268435454, got ${describe(length)}`);
      this.#ptr = wasm._malloc(length * 8);
      if (!this.#ptr) throw new CxmError(errc.too_large, `cxm: cannot allocate ${length} values in wasm memory`);
      this.#length = length;
    }
    get ptr() {
      if (!this.#ptr) throw new CxmError(errc.invalid_argument, 'cxm: DurationBuffer used after free()');
      return this.#ptr;
    }
    get length() { return this.#length; }
    /** A fresh Float64Array on the buffer (re-read it after any wasm allocation: memory may grow). */
    get view() { return new Float64Array(wasm.HEAPU8.buffer, this.ptr, this.#length); }
    free() {
      if (this.#ptr) wasm._free(this.#ptr);
      this.#ptr = 0;
    }
  }

  return DurationBuffer;
}
