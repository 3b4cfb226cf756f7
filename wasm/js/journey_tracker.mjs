// SPDX-License-Identifier: MIT
// JourneyTracker: follows journeys event by event (bindings_journey.cpp). Events and survey
// responses cross as JSON Lines and are read by the native readers, so JS and native accept
// exactly the same records; what the tracker decides (journey_error) comes back by name.

import { CxmError, errc, enums, limits, describe, guard, dateMs } from './context.mjs';
import { MAX_JSONL_CHARS, isPlainObject, checkText, recordLine } from './journey_records.mjs';

/**
 * The JourneyTracker class of one loaded module (`ctx`: createContext's); its report() makes
 * the module's JourneyReport.
 */
export function defineJourneyTracker(ctx, JourneyReport) {
  const { wasm, ADOPT, Owned, fail } = ctx;

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
      return JSON.parse(h.addEventsJsonl(checkText(text, 'addEventsJsonl', MAX_JSONL_CHARS, 'character')));
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
        if (!enums.journeyEventType.includes(type))
          throw new CxmError(errc.invalid_argument,
                             `addEvent: type must be one of ${enums.journeyEventType.join(', ')}, got ${describe(type)}`);
        if (!(typeof t === 'string' || Number.isSafeInteger(t) || Number.isFinite(dateMs(t))))
          throw new CxmError(errc.invalid_argument,
                             `addEvent: timestamp must be an RFC 3339 string, integer milliseconds or a Date, got ${describe(t)}`);
      }
      const line = recordLine(event, 'addEvent', limits.eventLineBytes);
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
     * answers, plus journey_id and step). Returns the tracker's verdict, a journey_error name:
     * 'none' when attached, else the reason ('unknown_step' for a response naming no step of
     * the journey). Throws CxmError for a malformed record.
     */
    attachResponse(response) {
      const line = recordLine(response, 'attachResponse', limits.responseLineBytes);
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
      const r = JSON.parse(h.attachResponsesJsonl(checkText(text, 'attachResponsesJsonl', MAX_JSONL_CHARS, 'character')));
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

  return JourneyTracker;
}
