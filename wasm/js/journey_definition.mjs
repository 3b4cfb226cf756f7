// SPDX-License-Identifier: MIT
// JourneyDefinition: a validated cxm.journey definition (bindings_journey.cpp), which a
// JourneyTracker follows.

import { CxmError, errc, limits } from './context.mjs';
import { isPlainObject, checkText, jsonOf } from './journey_records.mjs';

/** The JourneyDefinition class of one loaded module (`ctx`: createContext's). */
export function defineJourneyDefinition(ctx) {
  const { wasm, ADOPT, Owned, fail } = ctx;
  const max = limits.journeyDefinitionJsonBytes;

  class JourneyDefinition extends Owned {
    /** Use JourneyDefinition.parse(jsonText). */
    constructor(tag, handle) {
      if (tag !== ADOPT) throw new CxmError(errc.invalid_argument, 'use JourneyDefinition.parse(jsonText)');
      super(handle, 'JourneyDefinition');
    }
    /**
     * Parses and validates a cxm.journey v1 definition (JSON text, or a plain object written as
     * JSON first; within journey_definition_json_limits); CxmError names the path.
     */
    static parse(text) {
      if (isPlainObject(text)) text = jsonOf(text, 'JourneyDefinition.parse', max);
      const r = wasm.JourneyDefinition.parse(checkText(text, 'JourneyDefinition.parse', max));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new JourneyDefinition(ADOPT, r.definition);
    }
    /** The definition in canonical form (optional keys written out). */
    toJson() { return this._live().toJson(); }
    toJSON() { return JSON.parse(this.toJson()); }
  }

  return JourneyDefinition;
}
