/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/journey.h  Part of the C ABI: journeys: definitions, the tracker, reports.
 * Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_JOURNEY_H
#define CXM_C_JOURNEY_H

#include "cxm/c/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== journeys =========================================================================== */

/**
 * A validated journey definition (cxm::journey_definition; format `cxm.journey` version 1,
 * cxm/journey/definition.hpp): steps in stages, touchpoints, time limits. Immutable: its
 * functions may be called on one handle from several threads at once.
 */
typedef struct cxm_journey_definition cxm_journey_definition;
/**
 * Follows journeys event by event (cxm::journey_tracker): step durations, funnel, outcomes,
 * effort, touchpoints, cross-channel consistency and attached survey answers. It has no clock:
 * events carry their times and the host calls cxm_journey_tracker_advance. Not synchronized:
 * one thread at a time per handle (one tracker per thread; merge their reports).
 */
typedef struct cxm_journey_tracker cxm_journey_tracker;
/**
 * A journey report (cxm::journey_report): a plain value, mergeable with reports of the same
 * journey id, revision and steps. Not synchronized: one thread at a time per handle.
 */
typedef struct cxm_journey_report cxm_journey_report;

/** What one call that reads JSON Lines saw. */
typedef struct cxm_jsonl_stats {
  uint64_t lines;          /**< lines seen, blank ones included */
  uint64_t blank_lines;    /**< empty or whitespace-only lines (skipped, not problems) */
  uint64_t records;        /**< records handed on (events to the tracker, responses attached or not) */
  uint64_t rejected_lines; /**< lines rejected whole (malformed, a field missing, over the line limit) */
  uint64_t problems;       /**< problems found: rejected lines and, for responses, rejected answers */
} cxm_jsonl_stats;

/**
 * Reads a definition (at most 1 MiB). Errors: the JSON ones, `CXM_INCOMPATIBLE` (not a
 * cxm.journey), `CXM_UNSUPPORTED_VERSION`, and the field ones; the detail names the path.
 */
CXM_C_API cxm_status cxm_journey_definition_from_json(const char* json, size_t len, cxm_journey_definition** out);
/** Frees `definition`; NULL is ignored. */
CXM_C_API void cxm_journey_definition_destroy(cxm_journey_definition* definition);
/** The definition in its canonical JSON form (every optional key written). */
CXM_C_API cxm_status cxm_journey_definition_to_json(const cxm_journey_definition* definition, char** out,
                                                    size_t* out_len);

/**
 * A tracker of `definition` (copied: the definition handle may be destroyed afterwards), with
 * the default settings: survey answers are read from the questions "nps", "ces" (1-7) and
 * "emotion".
 */
CXM_C_API cxm_status cxm_journey_tracker_create(const cxm_journey_definition* definition, cxm_journey_tracker** out);
/** Frees `tracker`; NULL is ignored. */
CXM_C_API void cxm_journey_tracker_destroy(cxm_journey_tracker* tracker);
/**
 * Feeds journey events as JSON Lines (format in cxm/journey/event.hpp). `jsonl` holds whole
 * lines: a last line without a newline is read too, and a line split over two calls is two bad
 * lines. Line numbers in the problems count from 1 in each call. Good lines are recorded
 * (events the tracker refuses, such as an end without a begin, are counted in the report);
 * bad lines are counted and described, and are not an error of the call: it returns CXM_OK.
 * `stats` (optional) receives the counts; `problems` (optional; then `problems_len` is
 * optional too) a JSON array of the first 1000 problems,
 * [{"line":3,"path":"type","code":2,"code_name":"out_of_range","reason":"..."}], freed with
 * cxm_string_free. Call cxm_journey_tracker_advance regularly so that finished journeys close.
 */
CXM_C_API cxm_status cxm_journey_tracker_add_events(cxm_journey_tracker* tracker, const char* jsonl, size_t len,
                                                    cxm_jsonl_stats* stats, char** problems, size_t* problems_len);
/**
 * Attaches survey responses, JSON Lines of `cxm/survey/response.hpp` records that name a step
 * of the journey: their NPS, CES and emotion answers count for that step, and their NPS by
 * the duration band of that step in the respondent's journey. A response id seen before is
 * counted once (responses_duplicate in the report). Lines, problems and results as in
 * cxm_journey_tracker_add_events (a bad answer is a problem of its line; the rest of the
 * record counts).
 */
CXM_C_API cxm_status cxm_journey_tracker_add_responses(cxm_journey_tracker* tracker, const char* jsonl, size_t len,
                                                       cxm_jsonl_stats* stats, char** problems, size_t* problems_len);
/**
 * Time passes: applies buffered events older than now_ms minus the reorder window and abandons
 * journeys inactive for the definition's abandon_after_ms. `now_ms` is in ms since
 * 1970-01-01T00:00:00Z, the clock of the events. O(open journeys).
 */
CXM_C_API cxm_status cxm_journey_tracker_advance(cxm_journey_tracker* tracker, int64_t now_ms);
/** End of input: applies every buffered event and closes every open journey as unfinished. */
CXM_C_API cxm_status cxm_journey_tracker_finish(cxm_journey_tracker* tracker);
/** The number of journeys open now. */
CXM_C_API cxm_status cxm_journey_tracker_open_journeys(const cxm_journey_tracker* tracker, uint64_t* out);
/**
 * The report of every journey closed so far (call cxm_journey_tracker_finish first for a final
 * one), as a new handle freed with cxm_journey_report_destroy.
 */
CXM_C_API cxm_status cxm_journey_tracker_report(const cxm_journey_tracker* tracker, cxm_journey_report** out);

/**
 * Reads a report's JSON form (version 2, cxm/journey/report.hpp; at most 64 MiB). Errors as for
 * cxm_nps_tally_from_json; the detail names the field.
 */
CXM_C_API cxm_status cxm_journey_report_from_json(const char* json, size_t len, cxm_journey_report** out);
/** Frees `report`; NULL is ignored. */
CXM_C_API void cxm_journey_report_destroy(cxm_journey_report* report);
/** The report's versioned JSON form: what cxm_journey_report_from_json reads back, equal. */
CXM_C_API cxm_status cxm_journey_report_to_json(const cxm_journey_report* report, char** out, size_t* out_len);
/**
 * Adds `other` (which may be `report` itself). `CXM_INCOMPATIBLE` when the journey id, revision
 * or steps differ; `report` is then unchanged.
 */
CXM_C_API cxm_status cxm_journey_report_merge(cxm_journey_report* report, const cxm_journey_report* other);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_JOURNEY_H */
