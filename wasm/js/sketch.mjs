// SPDX-License-Identifier: MIT
// The duration sketch of the JS API (types in sketch.d.ts): DurationSketch, DurationBuffer and
// allocDurations, which loadCxm() (cxm.mjs) adds to the API object of a full module. Each class
// lives in its own module; this one puts them together for one loaded module.

import { defineDurationBuffer } from './duration_buffer.mjs';
import { defineDurationSketch } from './duration_sketch.mjs';

/**
 * The sketch members of the API object of one loaded module.
 * @param ctx the module's context (context.mjs createContext).
 */
export function attachSketch(ctx) {
  const DurationBuffer = defineDurationBuffer(ctx);
  const DurationSketch = defineDurationSketch(ctx, DurationBuffer);
  return { DurationSketch, DurationBuffer, allocDurations: (length) => new DurationBuffer(length) };
}
