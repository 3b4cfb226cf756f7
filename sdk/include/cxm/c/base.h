/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/base.h  Part of the C ABI: statuses, the per-thread error detail, strings out,
 * the version, intervals.
 * Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_BASE_H
#define CXM_C_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "cxm/core/version.hpp" /* CXM_VERSION_MAJOR, _MINOR, _PATCH, _STRING (macros only) */

/* CXM_C_API marks the exported functions (libcxm.so exports nothing else). */
#if defined(_WIN32)
#  if defined(CXM_C_BUILDING)
#    define CXM_C_API __declspec(dllexport)
#  else
#    define CXM_C_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define CXM_C_API __attribute__((visibility("default")))
#else
#  define CXM_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ==== status, errors, strings, version ==================================================== */

/**
 * The outcome of a call: `CXM_OK` or the number of a `cxm::errc` (cxm/core/status.hpp). The
 * comments say what each means; each function lists the codes it returns beyond
 * `CXM_INVALID_ARGUMENT` for a NULL argument and `CXM_TOO_LARGE` for out of memory.
 */
typedef enum cxm_status {
  CXM_OK = 0,
  CXM_INVALID_ARGUMENT = 1,    /**< a precondition does not hold (NULL handle, level outside (0,1)...) */
  CXM_OUT_OF_RANGE = 2,        /**< a value outside its declared range (NPS 11, CES 0 on a 1-7 scale) */
  CXM_NOT_INTEGER = 3,         /**< a fraction where an integer answer is required */
  CXM_NOT_FINITE = 4,          /**< NaN or an infinity */
  CXM_WRONG_TYPE = 5,          /**< a JSON value of the wrong type */
  CXM_INCOMPATIBLE = 6,        /**< merging aggregates of different kinds or scales; another format */
  CXM_UNSUPPORTED_VERSION = 7, /**< an encoded aggregate of a format version this build does not read */
  CXM_PARSE_ERROR = 8,         /**< not well-formed JSON */
  CXM_DUPLICATE_KEY = 9,       /**< the same key twice in one JSON object */
  CXM_MISSING_FIELD = 10,      /**< a required field is absent */
  CXM_TOO_LARGE = 11,          /**< input over a documented size limit; out of memory */
  CXM_TOO_DEEP = 12,           /**< JSON nesting over the depth limit */
  CXM_INVALID_UTF8 = 13,       /**< text that is not valid UTF-8 */
  CXM_DUPLICATE_ID = 14,       /**< a response id seen before */
  CXM_EMPTY = 15,              /**< a statistic asked of an empty aggregate */
  CXM_IO_ERROR = 16,           /**< a file could not be read or written; the detail names it and why */
  CXM_INTERNAL = 17,           /**< a bug in cxm (an unexpected exception was caught); please report it */
  CXM_LOCKED = 18,             /**< held by another process (a second process opening the same outbox directory) */
  CXM_NO_SPACE = 19,           /**< no space left: the disk is full or a file size limit was reached */
  CXM_NOT_FOUND = 20,          /**< no such item (a batch that is unknown or already settled) */
  CXM_CORRUPT = 21,            /**< stored data failed its checksum or framing */
  CXM_NOT_PERMITTED = 22,      /**< refused by a policy: consent not given, the aggregates-only mode */
  CXM_RETRY_LATER = 23,        /**< nothing can be done now: try again later (a retry is scheduled) */
  CXM_STATUS_FORCE_INT32_ = 0x7fffffff /**< not a status: keeps the type 32 bits wide */
} cxm_status;

/** The short name of `s` ("out_of_range"), static; "unknown" for a number cxm does not define. */
CXM_C_API const char* cxm_status_name(cxm_status s);
/** A static description of `s` ("value out of range"); "unknown error" for an unknown number. */
CXM_C_API const char* cxm_status_message(cxm_status s);
/**
 * What the most recent failing call on this thread reported: where and why, e.g.
 * "questions[1].show_if.question: unknown question \"npss\"" or
 * "cxm_nps_tally_add: tally is NULL". Never NULL ("" before any failure). Owned by cxm, valid
 * until the next failing call on the same thread; at most 1023 bytes (longer details are cut
 * at a UTF-8 character boundary).
 */
CXM_C_API const char* cxm_last_error_detail(void);

/** Frees a string returned by cxm. NULL is ignored. */
CXM_C_API void cxm_string_free(char* s);
/** Frees binary output returned by cxm (cxm_duration_sketch_encode). NULL is ignored. */
CXM_C_API void cxm_bytes_free(uint8_t* bytes);

/** The library's version, "major.minor.patch" (static). */
CXM_C_API const char* cxm_version(void);
/** The library's version numbers; each pointer may be NULL. */
CXM_C_API void cxm_version_numbers(int32_t* major, int32_t* minor, int32_t* patch);

/* ==== intervals ========================================================================== */

/** The method behind an interval (cxm::interval_method). */
typedef enum cxm_interval_method {
  CXM_INTERVAL_WALD = 0,          /**< NPS: score +- z * standard error */
  CXM_INTERVAL_ADJUSTED_WALD = 1, /**< NPS with 3/4 promoter, 3/2 passive, 3/4 detractor pseudo-answers (default) */
  CXM_INTERVAL_SCORE = 2,         /**< NPS: Tango's score interval (Rocks 2016) */
  CXM_INTERVAL_STUDENT_T = 3,     /**< a mean: mean +- t(n-1) * s / sqrt(n) */
  CXM_INTERVAL_WILSON = 4,        /**< a proportion: Wilson's score interval */
  CXM_INTERVAL_HALL_T = 5,        /**< a mean: Hall's (1992) skewness-corrected t (default for scale tallies) */
  CXM_INTERVAL_FORCE_INT32_ = 0x7fffffff
} cxm_interval_method;

/**
 * A statistic with a two-sided confidence interval (cxm::interval). Units are the statistic's
 * own: NPS points in [-100, 100], a mean on the answer scale, a share in [0, 1].
 */
typedef struct cxm_interval {
  double point;  /**< the statistic a report shows (the raw NPS, the mean, the share) */
  double center; /**< what the interval is built around (the adjusted score for adjusted Wald) */
  double lower;
  double upper;
  double level; /**< the confidence level, e.g. 0.95 */
  uint64_t n;   /**< answers behind the statistic */
  cxm_interval_method method;
  int32_t small_sample; /**< 1 when n is below cxm's small-sample threshold (30), else 0 */
  int32_t point_inside; /**< 1 when lower <= point <= upper (adjusted Wald on few answers may leave it out) */
} cxm_interval;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_BASE_H */
