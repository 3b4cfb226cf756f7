// SPDX-License-Identifier: MIT
// AnswerBuffer: answers placed in wasm memory once (malloc), scored without copies by
// NpsTally.addBulkInPlace. The zero-copy path for large columns of answers: the caller fills the
// memory the core reads, instead of handing over a Uint8Array that addBulk copies in chunks.

import { CxmError, errc, describe, typedArray } from './context.mjs';

/** The AnswerBuffer class of one loaded module (`ctx`: createContext's). */
export function defineAnswerBuffer(ctx) {
  const { wasm } = ctx;

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
  return AnswerBuffer;
}

/**
 * [ptr, size] of answers already in wasm memory: an AnswerBuffer of this module, or a Uint8Array
 * on the module's current memory (a view taken after the last growth).
 */
export function inPlaceRange(ctx, AnswerBuffer, view) {
  if (AnswerBuffer._is(view)) return [view.ptr, view.length];
  const v = typedArray(view);
  if (v !== null && v.kind === 'Uint8Array' && v.buffer === ctx.wasm.HEAPU8.buffer) return [v.offset, v.length];
  throw new CxmError(errc.invalid_argument,
                     'addBulkInPlace needs an AnswerBuffer or a view on wasm memory taken after the ' +
                     'last memory growth (use answerBuffer.view each time)');
}
