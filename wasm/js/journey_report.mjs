// SPDX-License-Identifier: MIT
// JourneyReport: the mergeable report of a JourneyTracker (bindings_journey.cpp), with its plain
// summary (toJSON) and its exact, versioned serialization (toJson / fromJson).

import { CxmError, errc, limits, describe, wellFormed } from './context.mjs';
import { checkText } from './journey_records.mjs';

/** The JourneyReport class of one loaded module (`ctx`: createContext's). */
export function defineJourneyReport(ctx) {
  const { wasm, ADOPT, Owned, fail } = ctx;

  class JourneyReport extends Owned {
    constructor(tag, handle) {
      if (tag !== ADOPT) throw new CxmError(errc.invalid_argument, 'a JourneyReport comes from tracker.report() or JourneyReport.fromJson()');
      super(handle, 'JourneyReport');
    }
    /** The versioned serialization (cxm.journey_report): exact, mergeable. */
    toJson() { return this._live().toJson(); }
    /**
     * A plain summary object: journey, events, rejected, outcomes, timeToComplete, funnel,
     * steps (durations with count/sum/min/max/mean/p50/p75/p90/p95/p99, effort per step),
     * effort, effortIndex, segments, touchpoints, consistency {quotes, messages}, survey.
     */
    toJSON() { return JSON.parse(this._live().summary()); }
    /** The funnel rows: [{step, reached, ended, conversionToNext, dropped}]. */
    funnel() { return this.toJSON().funnel; }
    /** A step's durations over all segments and channels as JSON of cxm.duration_sketch (DurationSketch.fromJson). */
    stepSketchJson(step) {
      const h = this._live();
      if (typeof step !== 'string') throw new CxmError(errc.wrong_type, `step must be a string, got ${describe(step)}`);
      const json = h.stepSketchJson(wellFormed(step));
      if (json === '') throw new CxmError(errc.invalid_argument, `unknown step ${JSON.stringify(step)}`);
      return json;
    }
    /** Adds other's counts; CxmError incompatible (report unchanged) for another journey id, revision or steps. */
    merge(other) {
      const o = Owned._handleOf(other, 'JourneyReport');
      if (o === null)
        throw new CxmError(errc.incompatible, `merge expects a JourneyReport of the same module, got ${describe(other)}`);
      const code = this._live().merge(o);
      if (code !== 0) throw fail(code, 'cannot merge reports of different journeys, revisions or steps');
    }
    /** Same content (every count and sketch). */
    equals(other) {
      const h = this._live();
      const o = Owned._handleOf(other, 'JourneyReport');
      return o !== null && h.equals(o);
    }
    /** Reads toJson's output (within journey_report_json_limits); strict (format, version, fields, sketches). */
    static fromJson(text) {
      const r = wasm.JourneyReport.fromJson(checkText(text, 'JourneyReport.fromJson', limits.journeyReportJsonBytes));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new JourneyReport(ADOPT, r.report);
    }
  }

  return JourneyReport;
}
