// SPDX-License-Identifier: MIT
// Types of journey.mjs: the journey tracker of the cxm WebAssembly build (re-exported by
// cxm.d.ts; the classes are members of the API object loadCxm() returns). Event types and the
// tracker's verdicts are the generated unions of constants.d.ts.
import type { ErrcName, JourneyEventType, JourneyError } from './constants.mjs';

export type { JourneyEventType, JourneyError };

/** Why the tracker refused an event or a response: a journey_error other than 'none'. */
export type JourneyRejection = Exclude<JourneyError, 'none'>;

/** A line problem of the JSON Lines readers (cxm::problem). */
export interface JourneyLineError {
  line: number;
  code: number;
  codeName: ErrcName;
  /** JSON path such as "timestamp", "answers.ces" or "(root)"; empty for the line. */
  path: string;
  reason: string;
}

export interface JourneyEventsResult {
  lines: number;
  /** Structurally valid records handed to the tracker. */
  events: number;
  /** Events the tracker accepted (buffered). */
  accepted: number;
  /** Malformed lines plus events the tracker rejected on arrival. */
  rejected: number;
  rejectedLines: number;
  rejectedByTracker: Partial<Record<JourneyRejection, number>>;
  errors: JourneyLineError[];
  errorCount: number;
  trackerErrors: { line: number; reason: JourneyRejection }[];
}

export interface JourneyResponsesResult {
  lines: number;
  responses: number;
  attached: number;
  rejectedLines: number;
  notAttached: Partial<Record<JourneyRejection, number>>;
  errors: JourneyLineError[];
  errorCount: number;
}

/** One event (journey_event.hpp): journey_id, type, timestamp and the fields its type needs. */
export interface JourneyEvent {
  journey_id: string;
  type: JourneyEventType;
  /** RFC 3339 text, integer ms since 1970, or a Date. */
  timestamp: string | number | Date;
  [field: string]: unknown;
}

export interface DurationSummary {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export interface EffortSummary {
  journeys: number;
  /** The documented effort index (journey_report.hpp), averaged over `journeys`. */
  index: number;
  contacts: number;
  recontacts: number;
  transfers: number;
  channelSwitches: number;
  waits: number;
  waitMs: number;
  waitPoints: number;
  repeats: number;
}

export interface Outcomes {
  started: number;
  completed: number;
  abandoned: number;
  abandonedTimeout: number;
  evicted: number;
  unfinished: number;
}

export interface FunnelRow {
  step: string;
  reached: number;
  ended: number;
  conversionToNext: number;
  dropped: number;
}

export interface ConsistencyRow {
  key: string;
  channels: number;
  inconsistent: boolean;
  spread: number;
}

/** JourneyReport.toJSON(): a plain summary (the exact, mergeable form is toJson()). */
export interface JourneyReportSummary {
  journey: { id: string; revision: number };
  events: { accepted: number; applied: number };
  /** Events the tracker refused, by reason (every reason, 0 included). */
  rejected: Record<JourneyRejection, number>;
  outcomes: Outcomes;
  timeToComplete: DurationSummary;
  funnel: FunnelRow[];
  steps: { name: string; stage: string; touchpoint: string; channel: string; controlled: boolean; funnel: boolean;
           duration: DurationSummary; effort: EffortSummary }[];
  effort: EffortSummary;
  effortIndex: DurationSummary;
  segments: Record<string, Outcomes & { effort: EffortSummary }>;
  touchpoints: Record<string, { controlled: boolean; events: number; journeys: number; completed: number }>;
  consistency: { quotes: ConsistencyRow[]; messages: ConsistencyRow[] };
  /** duplicate: responses not attached again (the same id attached before). invalid: answers
   *  to the nps, ces and emotion questions that scoring refused (counted by reason in toJson). */
  survey: { attached: number; unknownStep: number; withoutDuration: number; duplicate: number;
            steps: { step: string; npsCount: number; nps: number | null; cesCount: number; ces: number | null;
                     invalid: number; emotions: Record<string, number> }[] };
}

/** A validated cxm.journey v1 definition. */
export declare class JourneyDefinition {
  private constructor();
  /** Parses JSON text (or a plain object); CxmError names the path of a problem. */
  static parse(json: string | object): JourneyDefinition;
  toJson(): string;
  toJSON(): object;
  dispose(): void;
  readonly disposed: boolean;
}

/** The mergeable report of a tracker. */
export declare class JourneyReport {
  private constructor();
  /** The versioned serialization (cxm.journey_report v1). */
  toJson(): string;
  toJSON(): JourneyReportSummary;
  funnel(): FunnelRow[];
  /** A step's durations (all segments and channels) as cxm.duration_sketch JSON. */
  stepSketchJson(step: string): string;
  /** Adds other's counts; CxmError incompatible for another journey id, revision or steps. */
  merge(other: JourneyReport): void;
  equals(other: JourneyReport): boolean;
  static fromJson(json: string): JourneyReport;
  dispose(): void;
  readonly disposed: boolean;
}

/** Follows journeys event by event (journey_tracker.hpp). */
export declare class JourneyTracker {
  constructor(definition: JourneyDefinition);
  /**
   * One event; CxmError when malformed or rejected on arrival. The event is a plain object whose
   * JSON fits the reader's line (64 KiB; too_large otherwise); typed arrays in it, or getters and
   * toJSON that throw, are wrong_type.
   */
  addEvent(event: JourneyEvent): void;
  addEventsJsonl(text: string): JourneyEventsResult;
  /**
   * One survey response; 'none' when attached, else the reason. CxmError when malformed; the
   * record is written as JSON as addEvent's (the response reader's line limit: 1 MiB).
   */
  attachResponse(response: object): JourneyError;
  attachResponsesJsonl(text: string): JourneyResponsesResult;
  advance(nowMs: number | Date): void;
  finish(): void;
  readonly openJourneys: number;
  report(): JourneyReport;
  dispose(): void;
  readonly disposed: boolean;
}

declare module './cxm.mjs' {
  interface CxmApi {
    JourneyDefinition: typeof JourneyDefinition;
    JourneyTracker: typeof JourneyTracker;
    JourneyReport: typeof JourneyReport;
  }
}
