/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/stats.h  Part of the C ABI: NPS and scale (CES, CSAT) tallies.
 * Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_STATS_H
#define CXM_C_STATS_H

#include "cxm/c/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== NPS tally ========================================================================== */

/**
 * A tally of Net Promoter answers 0-10 (cxm::nps_tally): counts per answer and rejected
 * answers by reason. Mergeable: merging tallies equals tallying all their answers.
 * Not synchronized: one thread at a time per handle.
 */
typedef struct cxm_nps_tally cxm_nps_tally;

/** The counts of a tally. */
typedef struct cxm_nps_counts {
  uint64_t answers[11]; /**< answers[a]: how many answered a, 0..10 */
  uint64_t promoters;   /**< 9-10 */
  uint64_t passives;    /**< 7-8 */
  uint64_t detractors;  /**< 0-6 */
  uint64_t total;       /**< valid answers: the denominator of every statistic */
  uint64_t rejected;    /**< answers rejected (out of range, fractional, not finite) */
} cxm_nps_counts;

/** An empty tally, freed with cxm_nps_tally_destroy. */
CXM_C_API cxm_status cxm_nps_tally_create(cxm_nps_tally** out);
/** Frees `tally`; NULL is ignored. */
CXM_C_API void cxm_nps_tally_destroy(cxm_nps_tally* tally);
/**
 * Adds one answer. A value that is not an answer is counted as rejected and returned:
 * `CXM_NOT_FINITE` (NaN, infinities), `CXM_NOT_INTEGER` (9.5), `CXM_OUT_OF_RANGE` (11, -1).
 * O(1), no allocation.
 */
CXM_C_API cxm_status cxm_nps_tally_add(cxm_nps_tally* tally, double answer);
/**
 * Adds `count` answers stored one byte each (a column of answers); bytes over 10 are counted
 * as rejected. Runs the widest SIMD kernel the CPU has. `accepted` (optional) receives the
 * number of answers added. Returns CXM_OK even when some bytes were rejected.
 */
CXM_C_API cxm_status cxm_nps_tally_add_bulk(cxm_nps_tally* tally, const uint8_t* answers, size_t count,
                                            uint64_t* accepted);
/** The counts of `tally`. */
CXM_C_API cxm_status cxm_nps_tally_counts(const cxm_nps_tally* tally, cxm_nps_counts* out);
/** The NPS in points, [-100, 100]. `CXM_EMPTY` (and 0) for an empty tally. */
CXM_C_API cxm_status cxm_nps_tally_score(const cxm_nps_tally* tally, double* out);
/**
 * A two-sided interval of the NPS at `level` in (0, 1) by `method` (wald, adjusted_wald or
 * score). Errors: `CXM_INVALID_ARGUMENT` (level or method), `CXM_EMPTY` (no answers).
 */
CXM_C_API cxm_status cxm_nps_tally_interval(const cxm_nps_tally* tally, double level, cxm_interval_method method,
                                            cxm_interval* out);
/**
 * Adds the answers and rejections of `other` (which may be `tally` itself: it doubles).
 * `CXM_OUT_OF_RANGE` when the total would pass 2^62 answers; `tally` is then unchanged.
 */
CXM_C_API cxm_status cxm_nps_tally_merge(cxm_nps_tally* tally, const cxm_nps_tally* other);
/** The versioned JSON form ("cxm.nps_tally" version 1, cxm/stats/tally_json.hpp). */
CXM_C_API cxm_status cxm_nps_tally_to_json(const cxm_nps_tally* tally, char** out, size_t* out_len);
/**
 * Reads the JSON form (strict: at most 1 MiB and 16 levels). Errors: the JSON ones
 * (`CXM_PARSE_ERROR`, `CXM_INVALID_UTF8`, `CXM_TOO_LARGE`, `CXM_TOO_DEEP`, `CXM_DUPLICATE_KEY`),
 * `CXM_INCOMPATIBLE` (another format), `CXM_UNSUPPORTED_VERSION`, and the field ones
 * (`CXM_MISSING_FIELD`, `CXM_WRONG_TYPE`, `CXM_OUT_OF_RANGE`...), the detail naming the field.
 */
CXM_C_API cxm_status cxm_nps_tally_from_json(const char* json, size_t len, cxm_nps_tally** out);

/* ==== scale tally (CES, CSAT) ============================================================ */

/**
 * A tally of answers on an integer rating scale (cxm::scale_tally): CES, CSAT. Mergeable with
 * tallies of the same scale only. Not synchronized: one thread at a time per handle.
 */
typedef struct cxm_scale_tally cxm_scale_tally;

/** The customary scales (cxm::scale). */
typedef enum cxm_scale_id {
  CXM_SCALE_CES7 = 0,  /**< 1-7, easy = 5-7 */
  CXM_SCALE_CES5 = 1,  /**< the legacy 1-5 CES, easy = 4-5 */
  CXM_SCALE_CSAT5 = 2, /**< 1-5, satisfied = 4-5 */
  CXM_SCALE_FORCE_INT32_ = 0x7fffffff
} cxm_scale_id;

/** The scale and counts of a scale tally. */
typedef struct cxm_scale_counts {
  int32_t min;          /**< the scale's lowest answer */
  int32_t max;          /**< its highest */
  int32_t top_box_min;  /**< the top box is [top_box_min, max] */
  int32_t points;       /**< max - min + 1, at most 11 */
  uint64_t answers[11]; /**< answers[i]: how many answered min + i; entries past `points` are 0 */
  uint64_t total;       /**< valid answers */
  uint64_t top_box;     /**< answers in the top box */
  uint64_t rejected;    /**< answers rejected (off the scale, fractional, not finite) */
} cxm_scale_counts;

/** An empty tally on a customary scale. `CXM_INVALID_ARGUMENT` for an unknown `scale`. */
CXM_C_API cxm_status cxm_scale_tally_create(cxm_scale_id scale, cxm_scale_tally** out);
/**
 * An empty tally on the scale [min, max] with top box [top_box_min, max].
 * `CXM_INVALID_ARGUMENT` unless min <= top_box_min <= max with at most 11 points.
 */
CXM_C_API cxm_status cxm_scale_tally_create_custom(int32_t min, int32_t max, int32_t top_box_min,
                                                   cxm_scale_tally** out);
/** Frees `tally`; NULL is ignored. */
CXM_C_API void cxm_scale_tally_destroy(cxm_scale_tally* tally);
/**
 * Adds one answer; a value that is not one is counted as rejected and returned
 * (`CXM_NOT_FINITE`, `CXM_NOT_INTEGER`, `CXM_OUT_OF_RANGE`). O(1), no allocation.
 */
CXM_C_API cxm_status cxm_scale_tally_add(cxm_scale_tally* tally, double answer);
/** The scale and counts of `tally`. */
CXM_C_API cxm_status cxm_scale_tally_counts(const cxm_scale_tally* tally, cxm_scale_counts* out);
/** The mean answer. `CXM_EMPTY` (and 0) for an empty tally. */
CXM_C_API cxm_status cxm_scale_tally_mean(const cxm_scale_tally* tally, double* out);
/**
 * The default interval of the mean at `level` in (0, 1): `CXM_INTERVAL_HALL_T`, Hall's
 * skewness-corrected t (cxm::scale_tally::mean_interval). Errors: `CXM_INVALID_ARGUMENT`
 * (level), `CXM_EMPTY` (fewer than 2 answers).
 */
CXM_C_API cxm_status cxm_scale_tally_mean_interval(const cxm_scale_tally* tally, double level, cxm_interval* out);
/**
 * The interval of the mean by `method`: `CXM_INTERVAL_HALL_T` (the default above) or
 * `CXM_INTERVAL_STUDENT_T` (mean +- t * s / sqrt(n)). Errors: `CXM_INVALID_ARGUMENT` (level, or
 * another method), `CXM_EMPTY` (fewer than 2 answers).
 */
CXM_C_API cxm_status cxm_scale_tally_mean_interval_with(const cxm_scale_tally* tally, double level,
                                                        cxm_interval_method method, cxm_interval* out);
/**
 * Wilson interval of the top-box share (CES easy, CSAT satisfied) at `level` in (0, 1).
 * Errors: `CXM_INVALID_ARGUMENT` (level), `CXM_EMPTY` (no answers).
 */
CXM_C_API cxm_status cxm_scale_tally_top_box_interval(const cxm_scale_tally* tally, double level,
                                                      cxm_interval* out);
/**
 * Adds `other` (which may be `tally` itself). `CXM_INCOMPATIBLE` when the scales differ,
 * `CXM_OUT_OF_RANGE` past 2^62 answers; `tally` is unchanged on error.
 */
CXM_C_API cxm_status cxm_scale_tally_merge(cxm_scale_tally* tally, const cxm_scale_tally* other);
/** The versioned JSON form ("cxm.scale_tally" version 1, cxm/stats/tally_json.hpp). */
CXM_C_API cxm_status cxm_scale_tally_to_json(const cxm_scale_tally* tally, char** out, size_t* out_len);
/** Reads the JSON form; errors as for cxm_nps_tally_from_json. */
CXM_C_API cxm_status cxm_scale_tally_from_json(const char* json, size_t len, cxm_scale_tally** out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_STATS_H */
