// SPDX-License-Identifier: MIT
// Types of cxm.mjs, the ES-module API of the cxm WebAssembly build (written by hand:
// Emscripten 3.1.6 has no --emit-tsd). The unions of the core's enums and name lists (error
// codes, interval methods, question types, ...) are not written here: constants.d.ts, generated
// from the C++ declarations at build time, declares them, and test/constants.test.mjs fails when
// a hand-written file spells one out.
import type {
  errc, ErrcName, ErrcCode, IntervalMethod, RejectionReason, QuestionType, NpsCategory, TextDirection, Emotion,
  EligibilityReason, AnswerProblemName, SurveyUiText,
} from './constants.mjs';

export * from './sketch.mjs';
export * from './journey.mjs';
/** cxm error codes by name, as in sdk/include/cxm/core/status.hpp. Append-only; values are never reused. */
export { errc } from './constants.mjs';
export type {
  ErrcName, ErrcCode, IntervalMethod, RejectionReason, QuestionType, NpsCategory, TextDirection, Emotion,
  EligibilityReason, AnswerProblemName, SurveyUiText, UiStringName,
} from './constants.mjs';

/**
 * Thrown by every cxm call that fails. The failed answer of `add` is still counted. Whatever
 * the arguments (wrong types, Proxies, throwing getters, detached buffers, objects disposed or
 * of another module), a call returns or throws a CxmError: when the caller's own code threw
 * (a getter, a Proxy trap, toJSON), the CxmError's `cause` is what it threw.
 */
export declare class CxmError extends Error {
  constructor(code: number, message: string, options?: { cause?: unknown });
  readonly name: 'CxmError';
  /** An errc value. */
  readonly code: number;
  /** The errc name of `code` ("out_of_range"), or "unknown". */
  readonly codeName: ErrcName | 'unknown';
}

/**
 * The largest JSON text NpsTally.fromJson and ScaleTally.fromJson accept (the core's
 * tally_json_limits, 1 MiB); longer input throws too_large.
 */
export declare const MAX_JSON_BYTES: number;

/** The interval methods of an NPS (the core refuses the others); `adjusted_wald` is the default. */
export type NpsIntervalMethod = Extract<IntervalMethod, 'wald' | 'adjusted_wald' | 'score'>;
/** The methods of a difference of two NPS. */
export type NpsDifferenceMethod = Extract<IntervalMethod, 'wald' | 'adjusted_wald'>;
/** The interval methods of a scale's mean; `hall_t` is the default. */
export type MeanIntervalMethod = Extract<IntervalMethod, 'hall_t' | 'student_t'>;

/**
 * A statistic with a two-sided confidence interval; the bounds stay in the statistic's range
 * (NPS [-100, 100], a mean within its scale, a share [0, 1]).
 */
export interface Interval {
  /** The statistic itself: the raw NPS, the mean, the share. What a report shows. */
  point: number;
  /**
   * What the method builds the interval around: `point` for wald, score, student_t and hall_t, the
   * adjusted score for adjusted_wald, the Wilson centre for wilson.
   */
  center: number;
  /**
   * lower <= point <= upper. False only for adjusted_wald on tiny samples (one promoter:
   * NPS +100, interval [-48.5, +98.5]); show `center` beside `point` then.
   */
  pointInside: boolean;
  lower: number;
  upper: number;
  /** Confidence level in (0, 1). */
  level: number;
  /** Answers behind the statistic. */
  n: number;
  method: IntervalMethod;
  /** n < 30: the interval is computed, but readers should be told. */
  smallSample: boolean;
}

/** The difference a − b of two independent Net Promoter Scores. */
export interface NpsDifference {
  /** Points; negative means a is lower. For adjusted_wald, the difference of the scores after adding 1/2 promoter, 1 passive and 1/2 detractor to each sample (Agresti-Caffo style; see compare() in nps_tally.hpp). */
  difference: number;
  standardError: number;
  lower: number;
  upper: number;
  /** Two-sided p-value of "no difference". */
  pValue: number;
  level: number;
  nA: number;
  nB: number;
  method: NpsDifferenceMethod;
  smallSample: boolean;
}

/** An integer answer scale [min, max] whose top box is [topBoxMin, max] (at most 11 points). */
export interface Scale {
  min: number;
  max: number;
  topBoxMin: number;
}

/** The named scales: CES 1-7 (easy = 5-7), legacy CES 1-5 (4-5), CSAT 1-5 (satisfied = 4-5). */
export type ScaleName = 'ces7' | 'ces5' | 'csat5';

export type RejectedCounts = Record<RejectionReason, number>;

/**
 * Owns one wasm object. Free it with dispose() (a FinalizationRegistry is only a safety net).
 * Where the runtime defines Symbol.dispose, instances also have [Symbol.dispose]() (so `using`
 * works); it is left out of these types to keep them valid for TypeScript before 5.2.
 */
export interface Disposable {
  /** Frees the wasm object. Idempotent; any later call throws CxmError(invalid_argument). */
  dispose(): void;
  readonly disposed: boolean;
}

/**
 * A mergeable tally of 0-10 "how likely are you to recommend us" answers.
 * Not thread-safe; counts cross as numbers (exact up to 2^53).
 */
export declare class NpsTally implements Disposable {
  constructor();
  /**
   * Adds one answer. Throws CxmError (the rejection is counted, the counts stay unchanged):
   * a non-number ("9", null, undefined, true, objects) → wrong_type; NaN/±Infinity →
   * not_finite; outside 0-10 → out_of_range; 9.5 → not_integer.
   */
  add(answer: unknown): void;
  /** As add, but returns the code (0 = accepted) instead of throwing. */
  tryAdd(answer: unknown): ErrcCode;
  /**
   * Adds answers stored one byte each (bytes over 10 count as out_of_range), copying them
   * into wasm memory in chunks of at most 1 MiB (a view on wasm memory is scored in place, as
   * by addBulkInPlace). Returns the number accepted.
   */
  addBulk(answers: Uint8Array): number;
  /**
   * Scores answers already in wasm memory without copying: an AnswerBuffer, or a Uint8Array
   * view on the module's current memory (e.g. a subarray of `answerBuffer.view`).
   * Returns the number accepted.
   */
  addBulkInPlace(answers: AnswerBuffer | Uint8Array): number;
  /** Counts an answer that could not be read at all (default wrong_type). */
  reject(reason?: RejectionReason | number): void;
  /** Adds other's answers and rejections (always compatible). */
  merge(other: NpsTally): void;
  /** Counts of answers 0..10 (11 numbers). */
  counts(): number[];
  promoters(): number;
  passives(): number;
  detractors(): number;
  /** Valid answers, the denominator of every statistic. */
  total(): number;
  rejected(reason: RejectionReason | number): number;
  rejectedCounts(): RejectedCounts;
  rejectedTotal(): number;
  /** NPS in points, [-100, 100]; 0 for an empty tally. */
  score(): number;
  standardError(): number;
  /** The score with 3/4 promoter, 3/2 passive and 3/4 detractor pseudo-answers added. */
  adjustedScore(): number;
  adjustedStandardError(): number;
  /**
   * A two-sided interval. Throws CxmError: invalid_argument for a level outside (0, 1) or an
   * unknown method, empty for an empty tally.
   */
  confidenceInterval(level?: number, method?: NpsIntervalMethod): Interval;
  /** The versioned JSON encoding (format cxm.nps_tally, version 1). */
  toJson(): string;
  /**
   * Decodes toJson's output (a string, or UTF-8 bytes as a Uint8Array). Strict: throws CxmError
   * with a detail naming the field (parse_error, duplicate_key, not_finite, too_deep, too_large,
   * invalid_utf8, unsupported_version, incompatible, missing_field, wrong_type, ...).
   */
  static fromJson(text: string | Uint8Array): NpsTally;
  dispose(): void;
  readonly disposed: boolean;
}

/** A mergeable tally of answers on one rating scale (CES, CSAT). Not thread-safe. */
export declare class ScaleTally implements Disposable {
  /** Throws CxmError(invalid_argument) for an unknown name or an invalid scale. Default 'ces7'. */
  constructor(scale?: ScaleName | Scale);
  scale(): Scale;
  /** As NpsTally.add; out of the scale → out_of_range. */
  add(answer: unknown): void;
  tryAdd(answer: unknown): ErrcCode;
  reject(reason?: RejectionReason | number): void;
  /** Throws CxmError(incompatible), changing nothing, when the scales differ. */
  merge(other: ScaleTally): void;
  /** Counts per scale point, min first. */
  counts(): number[];
  total(): number;
  topBoxCount(): number;
  rejected(reason: RejectionReason | number): number;
  rejectedCounts(): RejectedCounts;
  rejectedTotal(): number;
  /** 0 for an empty tally. */
  mean(): number;
  /** Sample standard deviation (divisor n − 1; 0 when n < 2). */
  standardDeviation(): number;
  /** Share of answers in the top box, [0, 1]. */
  topBoxShare(): number;
  /**
   * Interval of the mean, within the scale: `hall_t` (default), Hall's (1992) skewness-corrected
   * t, longer on the side of the answers' long tail and never a single point; or `student_t`.
   * CxmError invalid_argument (level, method) or empty (n < 2).
   */
  meanInterval(level?: number, method?: MeanIntervalMethod): Interval;
  /** Wilson interval; CxmError invalid_argument (level) or empty (n = 0). */
  topBoxInterval(level?: number): Interval;
  /** Format cxm.scale_tally, version 1. */
  toJson(): string;
  static fromJson(text: string | Uint8Array): ScaleTally;
  dispose(): void;
  readonly disposed: boolean;
}

/**
 * Answers stored one byte each in wasm memory (malloc'ed once), for bulk scoring without
 * copies. Wasm memory can grow on any later allocation, which detaches earlier views: take
 * `view` again after allocating.
 */
export declare class AnswerBuffer {
  /** Byte offset in wasm memory. Throws after free(). */
  readonly ptr: number;
  readonly length: number;
  /** A fresh Uint8Array on the buffer. */
  readonly view: Uint8Array;
  free(): void;
  dispose(): void;
}

/** Largest survey definition Survey.parse accepts (survey::max_bytes, 256 KiB); larger throws too_large before wasm. */
export declare const MAX_SURVEY_BYTES: number;

/**
 * One answer: an integer for nps/ces/csat, an id for emotion and single choice, an array of ids
 * for multiple choice, a string for text. '' (text) and [] (multiple choice) mean not answered,
 * as does undefined. Anything else is reported by validate() as a problem of that question.
 */
export type Answer = number | string | string[];
/** Answers keyed by question id. */
export type Answers = Record<string, Answer | undefined>;

/** A question of survey.toJSON(). */
export interface SurveyQuestionInfo {
  id: string;
  type: QuestionType;
  required: boolean;
  /** nps: {0, 10, 9}; ces: {1, 7, 5} or {1, 5, 4}; csat: {1, 5, 4}. topBoxMin starts promoters / easy / satisfied. */
  scale?: Scale;
  /** choice questions. */
  multiple?: boolean;
  /** text questions: the limit in Unicode code points. */
  maxLength?: number;
  /** emotion and choice questions: the choice ids, in display order. Iterate these (not text().choices) for order. */
  choices?: string[];
  /** Whether the question has a display condition (visibleQuestions() evaluates it). */
  conditional: boolean;
}

/** survey.toJSON(): the normalized definition. */
export interface SurveyInfo {
  id: string;
  surveyVersion: number;
  defaultLocale: string;
  locales: Record<string, { dir: TextDirection; ui?: SurveyUiText }>;
  targeting: { sampleRate: number; cooldownDays: number; globalCooldownDays: number };
  questions: SurveyQuestionInfo[];
}

/** survey.text(): always data, never markup — render with textContent. */
export interface QuestionText {
  prompt: string;
  minLabel?: string;
  maxLabel?: string;
  /** emotion and choice questions: choice id → label. */
  choices?: Record<string, string>;
  /** Direction of the locale the text is in. */
  dir: TextDirection;
  /** The locale the text is in (the default locale when the question has none in the one asked). */
  locale: string;
}

/** One thing wrong with a response. */
export interface SurveyProblem {
  /** The question id (as given, for an unknown question). */
  question: string;
  /** An errc value. */
  code: number;
  /**
   * unknown question or answer to a hidden question: invalid_argument (also a choice given twice);
   * required and not answered: missing_field; wrong JSON type: wrong_type; a fraction: not_integer;
   * off the scale or not one of the choices: out_of_range; text too long: too_large.
   */
  codeName: ErrcName;
  /** Human-readable, e.g. "expected an integer 0-10, got 11". */
  reason: string;
}

export interface SurveyValidation {
  ok: boolean;
  problems: SurveyProblem[];
}

/** A valid answer to a shown question, classified. */
export interface ScoredAnswer {
  type: QuestionType;
  value: number | string | string[];
  /** nps only. */
  category?: NpsCategory;
  /** ces only: 5-7 on the 7-point scale, 4-5 on the 5-point one. */
  easy?: boolean;
  /** csat only: 4-5. */
  satisfied?: boolean;
  /** text only: code points. */
  length?: number;
}

/** survey.score(): the valid answers of shown questions (problems are listed, not thrown). */
export interface SurveyScore extends SurveyValidation {
  questions: Record<string, ScoredAnswer>;
}

/**
 * A validated survey definition (format cxm.survey version 1: docs/survey.schema.json and
 * sdk/include/cxm/survey.hpp). Methods taking answers throw CxmError only for answers that
 * are not an object or hold non-finite numbers, bigints, functions or symbols; every other
 * defect is a problem in the result.
 */
export declare class Survey implements Disposable {
  /**
   * Parses and validates a definition. Throws CxmError: too_large (over 256 KiB, checked in
   * JS), parse_error, duplicate_key, invalid_utf8, too_deep, incompatible (not cxm.survey),
   * unsupported_version, missing_field, wrong_type, not_integer, out_of_range,
   * invalid_argument — the message names the JSON path, e.g.
   * `questions[1].show_if.question: unknown question "npss"`.
   */
  static parse(text: string | Uint8Array): Survey;
  /**
   * These getters answer from the description read once, when the survey was parsed (a survey
   * is immutable). Like every method, they throw CxmError(invalid_argument) after dispose().
   */
  readonly id: string;
  readonly surveyVersion: number;
  readonly defaultLocale: string;
  /** Locale tags in definition order (a fresh array each read). */
  readonly locales: string[];
  /** The normalized definition: a fresh copy of the cached description each call. */
  toJSON(): SurveyInfo;
  /** The definition in canonical cxm.survey form (every default written out). Full module only. */
  canonicalJson(): string;
  /** Exact tag (case-insensitive), else the same language ('he-IL' → 'he'), else the default. */
  resolveLocale(locale?: string): string;
  /** Texts of a question in a locale, falling back to the default locale. CxmError invalid_argument for an unknown question. */
  text(questionId: string, locale?: string): QuestionText;
  /** The resolved locale's widget strings, its dir and tag. */
  uiText(locale?: string): SurveyUiText & { dir: TextDirection; locale: string };
  /** Question ids shown given the answers so far, in order. */
  visibleQuestions(answers: Answers): string[];
  validate(answers: Answers): SurveyValidation;
  score(answers: Answers): SurveyScore;
  /** The stable decision for a respondent; probability is the sample rate (record it for weighting). */
  sample(respondentId: string): { included: boolean; probability: number };
  /** The respondent's point in [0, 1) of the sampling hash (cxm sampling hash v1). */
  samplingPoint(respondentId: string): number;
  /**
   * Whether to show the survey now. Times in ms since 1970; -1 (or null/undefined) = never.
   * Throws CxmError invalid_argument for times that are not non-negative safe integers.
   */
  eligible(respondentId: string, nowMs: number, lastShownMs?: number | null,
           lastShownAnyMs?: number | null): { eligible: boolean; reason: EligibilityReason };
  dispose(): void;
  readonly disposed: boolean;
}

/** survey_tally JSON (format cxm.survey_tally, version 2). Counts are exact up to 2^53. */
export interface SurveyTallyJson {
  format: 'cxm.survey_tally';
  version: 2;
  survey_id: string;
  survey_version: number;
  /** Valid responses folded in. */
  responses: number;
  /** Responses refused by validation. */
  rejected: number;
  /**
   * Per question (the shared question-tally form): shown (visible), answered (validly: the
   * denominator of its statistics), invalid (always 0 here: a survey tally holds valid responses
   * only; problems only when invalid is not 0); skipped = shown − answered − invalid; not shown =
   * responses − shown. counts: nps 11, ces/csat one per point, emotion/choice one per choice (a
   * multiple-choice response counts once per choice).
   */
  questions: Array<{
    id: string;
    type: QuestionType;
    scale?: { min: number; max: number; top_box_min: number };
    multiple?: boolean;
    choices?: string[];
    shown: number;
    answered: number;
    invalid: number;
    problems?: Partial<Record<AnswerProblemName, number>>;
    counts?: number[];
  }>;
}

/** surveyTally.question(id): one question's counts. */
export interface SurveyQuestionCounts {
  id: string;
  type: QuestionType;
  /** Responses that showed the question. */
  shown: number;
  /** Of those, answered validly: the denominator of the question's statistics. */
  answered: number;
  /** Of those, answered invalidly (0 in a survey tally: invalid responses are rejected whole). */
  invalid: number;
  /** shown − answered − invalid: shown but not answered. */
  skipped: number;
  /** Invalid answers by reason (only reasons that occurred). */
  problems: Partial<Record<AnswerProblemName, number>>;
}

/** Tallies of the valid responses to one survey, question by question. Mergeable. */
export declare class SurveyTally implements Disposable {
  constructor(survey: Survey);
  /** Validates and folds in a response; an invalid one is only counted as rejected. */
  add(answers: Answers): SurveyValidation;
  /** CxmError incompatible (no change) unless same survey id, version and question layout. */
  merge(other: SurveyTally): void;
  responses(): number;
  rejected(): number;
  toJson(): string;
  toJSON(): SurveyTallyJson;
  /** One question's counts, skipped included. CxmError invalid_argument for an unknown question (a non-string id too). */
  question(questionId: string): SurveyQuestionCounts;
  /** A copy of an nps question's tally (to dispose of). CxmError invalid_argument otherwise (a non-string id too). */
  npsTally(questionId: string): NpsTally;
  /** A copy of a ces or csat question's tally (to dispose of). CxmError invalid_argument otherwise. */
  scaleTally(questionId: string): ScaleTally;
  /** Decodes toJson's output; with `survey`, the tally can add() responses again. */
  static fromJson(text: string | Uint8Array, survey?: Survey): SurveyTally;
  dispose(): void;
  readonly disposed: boolean;
}

/** The API of one loaded module instance. Classes belong to their instance: don't mix. */
export interface CxmApi {
  NpsTally: typeof NpsTally;
  ScaleTally: typeof ScaleTally;
  Survey: typeof Survey;
  SurveyTally: typeof SurveyTally;
  AnswerBuffer: typeof AnswerBuffer;
  /** Compares two independent samples (z test). Throws CxmError (invalid_argument, empty). */
  compareNps(a: NpsTally, b: NpsTally, level?: number, method?: NpsDifferenceMethod): NpsDifference;
  /** malloc's `length` bytes of wasm memory for addBulkInPlace. Free it with free(). */
  allocAnswers(length: number): AnswerBuffer;
  errorName(code: number): ErrcName | 'unknown';
  errorMessage(code: number): string;
  errc: typeof errc;
  CxmError: typeof CxmError;
  /** The raw embind module (unvalidated; for tests and tools). */
  module: unknown;
}

export interface LoadOptions {
  /**
   * The Emscripten factory (createCxm from cxm_wasm.cjs). Default: in Node, cxm_wasm.cjs beside
   * cxm.mjs; in browsers, globalThis.createCxm (a script tag loaded cxm_wasm.cjs).
   */
  factory?: (moduleArg?: object) => Promise<unknown>;
  /** Where the .wasm file lives (Emscripten's locateFile). */
  locateFile?: (path: string, scriptDirectory: string) => string;
  /** The .wasm bytes, to skip loading them. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * 'full' (default): cxm_wasm, everything. 'survey': cxm_survey_wasm, only Survey (what the
   * <cxm-survey> widget needs, a fraction of the download); its factory is
   * globalThis.createCxmSurvey (or, in Node, cxm_survey_wasm.cjs beside cxm.mjs).
   */
  variant?: 'full' | 'survey';
}

/** The API of the survey-only module (loadCxm({ variant: 'survey' })). */
export interface CxmSurveyApi {
  Survey: typeof Survey;
  errorName(code: number): ErrcName | 'unknown';
  errorMessage(code: number): string;
  errc: typeof errc;
  CxmError: typeof CxmError;
  module: unknown;
}

/**
 * Loads and instantiates the wasm module. Rejects with CxmError: invalid_argument for options
 * that are not an object or hold a bad variant, factory, locateFile or wasmBinary; io_error
 * (`cause`: the loader's error) when the module cannot be loaded or compiled.
 */
export declare function loadCxm(options: LoadOptions & { variant: 'survey' }): Promise<CxmSurveyApi>;
export declare function loadCxm(options?: LoadOptions): Promise<CxmApi>;
