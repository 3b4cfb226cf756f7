// SPDX-License-Identifier: MIT
// Loads the cxm wasm module for <cxm-survey>: one instance per page, shared by every element,
// recreated after an abort. The Emscripten glue is a classic script (its ES6 output fails under
// Node), added as <script src>: no eval, allowed by script-src 'self', nonce when needed. A page
// that loaded the glue itself (globalThis.createCxmSurvey) is used as it is.

import { loadCxm, CxmError } from '../cxm.mjs';

// The survey-only build: a fraction of the full cxm_wasm, driven by the same cxm.mjs.
let moduleConfig = { glue: new URL('../cxm_survey_wasm.cjs', import.meta.url).href, factory: 'createCxmSurvey' };

/**
 * Which Emscripten build to load, before the first element connects: {glue: URL of the .cjs
 * glue, factory: the global it defines}; the .wasm is looked up beside the glue.
 */
export function configureModule({ glue, factory }) {
  moduleConfig = { glue: new URL(glue, location.href).href, factory };
}

let factoryPromise = null;
let apiPromise = null;

function glueFactory(nonce) {
  const { glue, factory } = moduleConfig;
  if (typeof globalThis[factory] === 'function') return Promise.resolve(globalThis[factory]);
  if (!factoryPromise) {
    factoryPromise = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = glue;
      s.async = true;
      if (nonce) s.nonce = nonce;
      s.onload = () => (typeof globalThis[factory] === 'function'
        ? resolve(globalThis[factory])
        : reject(new Error(`${glue} did not define ${factory}`)));
      s.onerror = () => reject(new Error(`cannot load ${s.src}`));
      document.head.append(s);
    });
    // A failed load is not cached: the next element (or a retry) tries again.
    factoryPromise.catch(() => { factoryPromise = null; });
  }
  return factoryPromise;
}

/** The cxm API object (loadCxm's result) of this page; loads the module on first use. */
export function cxmApi(nonce) {
  if (!apiPromise) {
    apiPromise = glueFactory(nonce)
      .then((factory) => loadCxm({ factory, locateFile: (file) => new URL(file, moduleConfig.glue).href }));
    apiPromise.catch(() => { apiPromise = null; });
  }
  return apiPromise;
}

/** Forgets an aborted module instance: the next cxmApi() instantiates a fresh one. */
export function dropApi(api) {
  if (!apiPromise) return;
  apiPromise.then((current) => { if (current === api) apiPromise = null; }, () => {});
  apiPromise = null;
}

/** Whether `e` is the module failing (an abort), not the input: cxm.mjs throws CxmError for input. */
export const isAbort = (e) => !(e instanceof CxmError);

/** The nonce for the glue's script: the element's, else the page's first script[nonce]. */
export function nonceFor(element) {
  if (element.hasAttribute('nonce')) return element.getAttribute('nonce');
  const s = document.querySelector('script[nonce]');
  return s ? s.nonce : undefined;
}
