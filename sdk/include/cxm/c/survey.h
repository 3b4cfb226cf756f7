/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/survey.h  Part of the C ABI: survey definitions (parse, visible questions,
 * validate and score).
 * Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_SURVEY_H
#define CXM_C_SURVEY_H

#include "cxm/c/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== survey definitions ================================================================= */

/**
 * A validated survey definition (cxm::survey; format `cxm.survey` version 1,
 * cxm/survey/definition.hpp and docs/survey.schema.json). Immutable: its functions may be
 * called on one handle from several threads at once.
 */
typedef struct cxm_survey cxm_survey;

/**
 * Parses and validates a definition (at most 256 KiB). Errors: the JSON ones, `CXM_INCOMPATIBLE`
 * (not a cxm.survey), `CXM_UNSUPPORTED_VERSION`, and the field ones; the detail is the first
 * problem as "<path>: <reason>".
 */
CXM_C_API cxm_status cxm_survey_parse(const char* json, size_t len, cxm_survey** out);
/** Frees `survey`; NULL is ignored. */
CXM_C_API void cxm_survey_destroy(cxm_survey* survey);
/**
 * The ids of the questions to show given the answers so far (a JSON object from question id to
 * answer, cxm/survey/answers.hpp), as a JSON array of strings in survey order, e.g.
 * ["nps","reason"]. Errors: the answers document's (`CXM_WRONG_TYPE` when it is not an object,
 * `CXM_PARSE_ERROR`, `CXM_INVALID_UTF8`, `CXM_TOO_LARGE` over 1 MiB...); the detail starts
 * with "answers: ". Bad answers are not errors here: they only count as unanswered.
 */
CXM_C_API cxm_status cxm_survey_visible_questions(const cxm_survey* survey, const char* answers_json, size_t len,
                                                  char** out, size_t* out_len);
/**
 * Validates and scores one respondent's answers (a JSON object from question id to answer):
 * the JSON result `cxm.scored_response` version 1 (cxm/survey/scoring.hpp): every question's
 * state and scored answer (NPS category, CES easy, CSAT satisfied...), `ok`, and the problems
 * with their paths and reasons. Invalid answers are reported in the result, not as an error:
 * the call fails only when the answers document itself cannot be read (as for
 * cxm_survey_visible_questions).
 */
CXM_C_API cxm_status cxm_survey_score(const cxm_survey* survey, const char* answers_json, size_t len, char** out,
                                      size_t* out_len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_SURVEY_H */
