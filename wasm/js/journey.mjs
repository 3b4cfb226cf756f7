// SPDX-License-Identifier: MIT
// cxm journey tracker for JavaScript: JourneyDefinition, JourneyTracker and JourneyReport,
// attached to the API object by loadCxm() (cxm.mjs). A thin skin over the embind classes of
// bindings_journey.cpp: it validates arguments before embind sees them (embind would turn a
// number into a string or throw a bare BindingError), owns and frees the wasm objects, and turns
// non-zero cxm codes into CxmError. Events and survey responses cross as JSON Lines and are
// read by the native readers, so JS and native accept exactly the same records.

/** Largest definition Journey.parse accepts (1 MiB), and report JSON fromJson accepts (64 MiB). */
const MAX_DEFINITION_CHARS = 1 << 20;
const MAX_REPORT_CHARS = 64 << 20;
/** Largest JSON Lines text one addEventsJsonl / attachResponsesJsonl call takes (32 Mi characters). */
const MAX_JSONL_CHARS = 32 << 20;

const EVENT_TYPES = ['step_begin', 'step_end', 'contact', 'transfer', 'channel_switch', 'wait', 'repeat_info',
                     'quote', 'message', 'touch', 'complete', 'abandon'];

/**
 * Adds JourneyDefinition, JourneyTracker and JourneyReport for one loaded module.
 * @param wasm the Emscripten module; @param shared {CxmError, errc, Owned, describe, ...} of cxm.mjs.
 * @returns the members to spread into the API object.
 */
export function attachJourney(wasm, shared) {
  const { CxmError, errc, Owned, describe, isArray, guard, dateMs, wellFormed } = shared;
  const fail = (code, detail) => new CxmError(code, detail || wasm.errorMessage(code));
  const ADOPT = Symbol('adopt');
  // The readers' own line limits (journey_reader_options / reader_options::max_line_bytes).
  const { maxEventLineBytes, maxResponseLineBytes } = wasm;

  function isPlainObject(x) {
    if (x === null || typeof x !== 'object' || isArray(x)) return false;
    const proto = guard(errc.wrong_type, 'the record', () => Object.getPrototypeOf(x));  // a Proxy trap may run
    return proto === Object.prototype || proto === null;
  }

  function checkText(text, what, limit) {
    if (typeof text !== 'string')
      throw new CxmError(errc.wrong_type, `${what} expects a string, got ${describe(text)}`);
    if (text.length > limit)
      throw new CxmError(errc.too_large, `${what}: ${text.length} characters is over the ${limit}-character limit`);
    return wellFormed(text);
  }

  /**
   * A record as JSON, or CxmError: the caller's toJSON and getters run under guard (wrong_type),
   * and it gives up (too_large) after `limit` values, as each writes at least one character of a
   * text that would be refused anyway: a sparse array of 2^32-1 holes, or an object holding
   * wasm memory, fails at once instead of after minutes. Dates are written in RFC 3339.
   */
  function jsonOf(record, what, limit) {
    let values = 0;
    const text = guard(errc.wrong_type, `${what}: the record cannot be written as JSON`, () => JSON.stringify(record, (k, v) => {
      if (++values > limit) throw new CxmError(errc.too_large, `${what}: the record is over the ${limit}-byte limit`);
      // A typed array would be written as {"0":..}, its keys listed first: for wasm memory, seconds.
      if (ArrayBuffer.isView(v)) throw new CxmError(errc.wrong_type, `${what}: ${k ? `${k}: ` : ''}a typed array is not JSON`);
      return v instanceof Date ? v.toISOString() : v;
    }));
    if (typeof text !== 'string') throw new CxmError(errc.wrong_type, `${what}: the record cannot be written as JSON`);
    if (text.length > limit) throw new CxmError(errc.too_large, `${what}: the record is over the ${limit}-byte limit`);
    return text;  // well-formed: JSON.stringify escapes lone surrogates
  }

  /** One record as a JSON line, or CxmError: a plain object whose JSON fits in a line of the reader. */
  function recordLine(record, what, limit) {
    if (!isPlainObject(record))
      throw new CxmError(errc.wrong_type, `${what} expects a plain object, got ${describe(record)}`);
    return jsonOf(record, what, limit);
  }

  class JourneyDefinition extends Owned {
    /** Use JourneyDefinition.parse(jsonText). */
    constructor(tag, handle) {
      if (tag !== ADOPT) throw new CxmError(errc.invalid_argument, 'use JourneyDefinition.parse(jsonText)');
      super(handle, 'JourneyDefinition');
    }
    /** Parses and validates a cxm.journey v1 definition (JSON text); CxmError names the path. */
    static parse(text) {
      if (isPlainObject(text)) text = jsonOf(text, 'JourneyDefinition.parse', MAX_DEFINITION_CHARS);
      const r = wasm.JourneyDefinition.parse(checkText(text, 'JourneyDefinition.parse', MAX_DEFINITION_CHARS));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new JourneyDefinition(ADOPT, r.definition);
    }
    /** The definition in canonical form (optional keys written out). */
    toJson() { return this._live().toJson(); }
    toJSON() { return JSON.parse(this.toJson()); }
  }

  class JourneyReport extends Owned {
    constructor(tag, handle) {
      if (tag !== ADOPT) throw new CxmError(errc.invalid_argument, 'a JourneyReport comes from tracker.report() or JourneyReport.fromJson()');
      super(handle, 'JourneyReport');
    }
    /** The versioned serialization (cxm.journey_report v1): exact, mergeable. */
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
    /** Reads toJson's output; strict (format, version, fields, sketches). */
    static fromJson(text) {
      const r = wasm.JourneyReport.fromJson(checkText(text, 'JourneyReport.fromJson', MAX_REPORT_CHARS));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new JourneyReport(ADOPT, r.report);
    }
  }

  class JourneyTracker extends Owned {
    /** A tracker for `definition` (a JourneyDefinition of this module). */
    constructor(definition) {
      const d = Owned._handleOf(definition, 'JourneyDefinition');
      if (d === null)
        throw new CxmError(errc.invalid_argument,
                           `new JourneyTracker(definition) needs a JourneyDefinition of this module, got ${describe(definition)}`);
      const r = wasm.JourneyTracker.make(d);
      if (r.code !== 0) throw fail(r.code, r.detail);
      super(r.tracker, 'JourneyTracker');
    }
    /**
     * Reads JSON Lines of events (format of journey_event.hpp) into the tracker. Returns
     * {lines, events, accepted, rejected, rejectedLines, rejectedByTracker: {reason: n},
     *  errors: [{line, code, codeName, path, reason}] (malformed lines, at most 1000),
     *  errorCount, trackerErrors: [{line, reason}] (rejected on arrival, at most 1000)}.
     * Line numbers count from 1 in this text. Bad lines never stop the others.
     */
    addEventsJsonl(text) {
      const h = this._live();
      return JSON.parse(h.addEventsJsonl(checkText(text, 'addEventsJsonl', MAX_JSONL_CHARS)));
    }
    // addEvent and attachResponse read the record (the caller's getters and toJSON may run)
    // before they take the tracker's handle.
    /**
     * Adds one event object ({journey_id, type, timestamp, step, ...}; a Date timestamp is
     * written as RFC 3339). Throws CxmError when the record is malformed or the tracker rejects
     * it on arrival (code invalid_argument, message naming the reason: unknown_step, ...).
     * Problems found when a buffered event is applied later are only counted in the report.
     */
    addEvent(event) {
      if (isPlainObject(event)) {
        const [id, type, t] = guard(errc.wrong_type, 'addEvent', () => [event.journey_id, event.type, event.timestamp]);
        if (typeof id !== 'string' || id.length === 0)
          throw new CxmError(errc.missing_field, `addEvent: journey_id must be a non-empty string, got ${describe(id)}`);
        if (!EVENT_TYPES.includes(type))
          throw new CxmError(errc.invalid_argument, `addEvent: type must be one of ${EVENT_TYPES.join(', ')}, got ${describe(type)}`);
        if (!(typeof t === 'string' || Number.isSafeInteger(t) || Number.isFinite(dateMs(t))))
          throw new CxmError(errc.invalid_argument,
                             `addEvent: timestamp must be an RFC 3339 string, integer milliseconds or a Date, got ${describe(t)}`);
      }
      const line = recordLine(event, 'addEvent', maxEventLineBytes);
      const r = JSON.parse(this._live().addEventsJsonl(line));
      if (r.errors.length > 0) {
        const e = r.errors[0];
        throw fail(e.code, `addEvent: ${e.path ? e.path + ': ' : ''}${e.reason}`);
      }
      if (r.trackerErrors.length > 0)
        throw new CxmError(errc.invalid_argument, `addEvent: rejected by the tracker: ${r.trackerErrors[0].reason}`);
    }
    /**
     * Attaches one survey response (the response record format: id, survey_id, timestamp,
     * answers, plus journey_id and step). Returns 'none' when attached, else the reason
     * ('unknown_step' for a response naming no step of the journey). Throws CxmError for a
     * malformed record.
     */
    attachResponse(response) {
      const line = recordLine(response, 'attachResponse', maxResponseLineBytes);
      const r = JSON.parse(this._live().attachResponsesJsonl(line));
      if (r.errors.length > 0) {
        const e = r.errors[0];
        throw fail(e.code, `attachResponse: ${e.path ? e.path + ': ' : ''}${e.reason}`);
      }
      return r.last;
    }
    /** JSON Lines of survey responses: {lines, responses, attached, rejectedLines, notAttached, errors, errorCount}. */
    attachResponsesJsonl(text) {
      const h = this._live();
      const r = JSON.parse(h.attachResponsesJsonl(checkText(text, 'attachResponsesJsonl', MAX_JSONL_CHARS)));
      delete r.last;
      return r;
    }
    /** Time passes (ms since 1970, a safe integer or a Date): applies old events, abandons inactive journeys. */
    advance(nowMs) {
      const h = this._live();
      if (Number.isFinite(dateMs(nowMs))) nowMs = dateMs(nowMs);
      if (!Number.isSafeInteger(nowMs))
        throw new CxmError(errc.invalid_argument, `advance: nowMs must be integer milliseconds, got ${describe(nowMs)}`);
      const code = h.advance(nowMs);
      if (code !== 0) throw fail(code);
    }
    /** End of input: applies buffered events and closes open journeys as unfinished. */
    finish() { this._live().finish(); }
    get openJourneys() { return this._live().openJourneys(); }
    /** The report of every journey closed so far (call finish() first for a final report). */
    report() { return new JourneyReport(ADOPT, this._live().report()); }
  }

  return { JourneyDefinition, JourneyTracker, JourneyReport };
}
