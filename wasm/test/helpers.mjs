// SPDX-License-Identifier: MIT
// Shared by the node tests: loads cxm.mjs from the build output folder (CXM_WASM_DIR, set by
// CTest; default build/wasm/wasm) and offers a seeded PRNG.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = process.env.CXM_REPO ?? path.resolve(here, '../..');
export const wasmDir = process.env.CXM_WASM_DIR ?? path.join(repo, 'build/wasm/wasm');

/** The cxm.mjs module namespace ({loadCxm, errc, CxmError, ...}). */
export const cxm = await import(pathToFileURL(path.join(wasmDir, 'cxm.mjs')).href);
/** One loaded API shared by a test file. */
export const api = await cxm.loadCxm();
export const { errc, CxmError } = cxm;

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** assert.throws matcher: a CxmError with `code`. */
export function cxmError(code) {
  return (e) => e instanceof CxmError && e.name === 'CxmError' && e.code === code &&
                e.codeName === Object.keys(errc).find((k) => errc[k] === code);
}
