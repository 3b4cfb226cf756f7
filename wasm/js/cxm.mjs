// SPDX-License-Identifier: MIT
// cxm for JavaScript: the ES module users import. A thin, hand-written skin over the embind
// module cxm_wasm.cjs (beside this file): it validates arguments before they reach embind
// (which would silently turn 9.5 and "9" into 9 and NaN/null into 0), owns and frees the wasm
// objects, and turns non-zero cxm codes into CxmError. All statistics come from the C++ core.
//
// This file loads a module and puts its API object together. The rest is one module per class
// over a shared context (context.mjs): survey.mjs, nps_tally.mjs, scale_tally.mjs,
// answer_buffer.mjs, survey_tally.mjs, duration_sketch.mjs (sketch.mjs), journey_*.mjs
// (journey.mjs). Names and limits come from constants.mjs, generated from the C++ declarations.

import { CxmError, errc, limits, errorName, describe, guard, asCxmError, typedArray, createContext } from './context.mjs';
import { defineSurvey } from './survey.mjs';

export { CxmError, errc };

/** Largest tally JSON text NpsTally/ScaleTally.fromJson take (tally_json_limits: 1 MiB); longer is too_large. */
export const MAX_JSON_BYTES = limits.tallyJsonBytes;
/** Largest survey definition Survey.parse accepts (survey::max_bytes: 256 KiB), checked before wasm. */
export const MAX_SURVEY_BYTES = limits.surveyBytes;

function isNode() {
  return typeof process === 'object' && process !== null && process.versions != null &&
         typeof process.versions.node === 'string';
}

async function nodeFactory(file) {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)(file);
}

/**
 * Loads the wasm module and returns the API object.
 *
 * options.factory   the Emscripten factory (createCxm) to use; in browsers defaults to
 *                   globalThis.createCxm (a page loaded cxm_wasm.cjs with a script tag);
 *                   in Node, cxm_wasm.cjs beside this file is required.
 * options.locateFile, options.wasmBinary   passed to the factory (where the .wasm lives).
 * options.variant   'full' (default: cxm_wasm, everything) or 'survey' (cxm_survey_wasm: only
 *                   Survey, for the <cxm-survey> widget; factory globalThis.createCxmSurvey, in
 *                   Node cxm_survey_wasm.cjs). The survey API omits the classes its module lacks.
 */
export async function loadCxm(options = {}) {
  if (options === null || typeof options !== 'object')
    throw new CxmError(errc.invalid_argument, `cxm: loadCxm options must be an object, got ${describe(options)}`);
  // Each option is read once, under guard (getters run once: what is checked is what is used).
  const { variant = 'full', factory: given, locateFile, wasmBinary } = guard(errc.invalid_argument, 'cxm: options', () => {
    const o = { variant: options.variant, factory: options.factory, locateFile: options.locateFile, wasmBinary: options.wasmBinary };
    if (o.locateFile !== undefined && typeof o.locateFile !== 'function')
      throw new CxmError(errc.invalid_argument, `cxm: options.locateFile must be a function, got ${describe(o.locateFile)}`);
    if (o.wasmBinary !== undefined && !(o.wasmBinary instanceof ArrayBuffer || typedArray(o.wasmBinary) !== null))
      throw new CxmError(errc.invalid_argument, `cxm: options.wasmBinary must be bytes, got ${describe(o.wasmBinary)}`);
    return o;
  });
  if (variant !== 'full' && variant !== 'survey')
    throw new CxmError(errc.invalid_argument, `cxm: options.variant is 'full' or 'survey', got ${describe(variant)}`);
  const file = variant === 'survey' ? 'cxm_survey_wasm.cjs' : 'cxm_wasm.cjs';
  let factory = given;
  if (factory === undefined) {
    if (isNode()) factory = await nodeFactory(`./${file}`).catch((e) => { throw asCxmError(errc.io_error, `cxm: ${file}`, e); });
    else factory = variant === 'survey' ? globalThis.createCxmSurvey : globalThis.createCxm;
  }
  if (typeof factory !== 'function')
    throw new CxmError(errc.invalid_argument,
                       `cxm: no module factory; load ${file} with a script tag or pass options.factory`);
  const moduleArg = {};
  if (locateFile !== undefined) moduleArg.locateFile = locateFile;
  if (wasmBinary !== undefined) moduleArg.wasmBinary = wasmBinary;
  // A module that cannot be fetched or compiled, or a factory that throws: io_error.
  let wasm;
  try {
    wasm = await factory(moduleArg);
  } catch (e) {
    throw asCxmError(errc.io_error, 'cxm: the wasm module could not be loaded', e);
  }
  // Not a cxm module: invalid_argument; one built from other sources than this folder's
  // constants.mjs: incompatible.
  const ctx = createContext(wasm);
  const { Survey, unwrap } = defineSurvey(ctx);
  const common = { errorName, errorMessage: ctx.errorMessage, errc, CxmError, module: wasm };
  if (typeof wasm.NpsTally !== 'function') return Object.freeze({ Survey, ...common });  // the survey-only module

  // The analysis classes are loaded only with the full module: a page showing a survey
  // (variant 'survey') downloads none of them.
  const [buffers, nps, scale, surveyTally, sketch, journey] = await Promise.all([
    import('./answer_buffer.mjs'), import('./nps_tally.mjs'), import('./scale_tally.mjs'), import('./survey_tally.mjs'),
    import('./sketch.mjs'), import('./journey.mjs')]);
  const AnswerBuffer = buffers.defineAnswerBuffer(ctx);
  const { NpsTally, compareNps } = nps.defineNpsTally(ctx, AnswerBuffer);
  const ScaleTally = scale.defineScaleTally(ctx);
  const SurveyTally = surveyTally.defineSurveyTally(ctx, { NpsTally, ScaleTally, unwrap });
  return Object.freeze({
    NpsTally,
    ScaleTally,
    ...sketch.attachSketch(ctx),
    ...journey.attachJourney(ctx),
    Survey,
    SurveyTally,
    AnswerBuffer,
    compareNps,
    allocAnswers: (length) => new AnswerBuffer(length),
    ...common,
  });
}
