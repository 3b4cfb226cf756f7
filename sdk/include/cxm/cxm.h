/* SPDX-License-Identifier: MIT */
/**
 * @file cxm.h  The C ABI of cxm (C99, usable from C++): the one header FFI code includes
 * (JNI, Swift, Python ctypes/cffi, Go, Rust). It translates the C++ core and computes nothing
 * of its own: every figure is the one the C++ API, the wasm module and the `cxm` tool give.
 * Link against libcxm.so (CMake: `cxm::c`), which exports only the `cxm_*` functions below.
 *
 * # Conventions
 *
 * - **Status.** Every function that can fail returns a `cxm_status`: `CXM_OK` (0) or the
 *   number of a `cxm::errc` (the C++ enum; the numbers are the same on every surface, are
 *   append-only and are never reused). `cxm_status_name()` and `cxm_status_message()` describe
 *   one. Functions returning anything else (`void`, a static string) cannot fail.
 * - **Error detail.** A failing call also leaves a sentence naming what was wrong (the field of
 *   a JSON document and why, the NULL argument...) in a per-thread buffer:
 *   `cxm_last_error_detail()`. It stays valid until the next failing call on the same thread;
 *   successful calls leave it alone, so read it right after the failure.
 * - **Handles** are opaque pointers, created by `cxm_<object>_create`, `_from_json`, `_parse`,
 *   `_decode` or `_report` and freed by `cxm_<object>_destroy`, which accepts NULL. A handle is
 *   never freed by any other function. On failure the out-handle is set to NULL. A NULL handle
 *   is detected; a destroyed one cannot be (using it is undefined, as after free()).
 * - **Arguments.** A NULL handle, a NULL out-pointer that is not documented as optional, and a
 *   NULL string with a nonzero length give `CXM_INVALID_ARGUMENT` (never a crash); so does a
 *   length over PTRDIFF_MAX, which no real buffer has. Out-parameters come last. A NULL string
 *   with length 0 is the empty string.
 * - **Strings in** are UTF-8 given as `(const char* s, size_t len)`: not NUL-terminated, and
 *   any NUL bytes inside are data. The core validates them (invalid UTF-8 is
 *   `CXM_INVALID_UTF8`, or a rejected line in JSON Lines input) and copies what it keeps: the
 *   caller may free or reuse its buffer as soon as the call returns.
 * - **Strings out** (JSON text) are allocated by cxm and owned by the caller, who frees them
 *   with `cxm_string_free()` (never with `free()`: the library and the caller may not share
 *   an allocator). Each is valid UTF-8, NUL-terminated, and its length without the NUL is
 *   stored in `*out_len` when `out_len` is not NULL. Binary output (`cxm_duration_sketch_encode`)
 *   is freed with `cxm_bytes_free()`. On failure `*out` is set to NULL and `*out_len` to 0.
 * - **Thread safety.** Functions may be called from any thread. A handle is not synchronized:
 *   one thread at a time per handle (one tally or sketch per thread, merged later, as in
 *   C++), except where a type says its handles are immutable (`cxm_survey`,
 *   `cxm_journey_definition`), whose functions may run on several threads at once. Different
 *   handles never share state.
 * - **Exceptions.** No C++ exception and no abort crosses this interface: every function
 *   catches everything. Running out of memory is reported as `CXM_TOO_LARGE` with the detail
 *   "out of memory" (there is no separate code: an input too large for memory is the usual
 *   cause); the handle then stays valid for destroy, but a function that was adding to it may
 *   have added part of its input. Exceptions: in a library built with -fno-exceptions, and in
 *   the few core calls that are noexcept in C++ but may allocate (a journey tracker recording
 *   an event), allocation failure terminates, as in the C++ API. Nothing else terminates.
 * - **Versions.** `CXM_VERSION_MAJOR`/`_MINOR`/`_PATCH`/`_STRING` are the version of this
 *   header; `cxm_version()` and `cxm_version_numbers()` that of the library loaded. The shared
 *   library's SONAME is `libcxm.so.<major>`: within a major version functions and enum values
 *   are only added, and structs keep their layout.
 */
#ifndef CXM_CXM_H
#define CXM_CXM_H

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
  CXM_IO_ERROR = 16,           /**< a file could not be read or written (not returned by this slice) */
  CXM_INTERNAL = 17,           /**< a bug in cxm (an unexpected exception was caught); please report it */
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
 * Student t interval of the mean at `level` in (0, 1). Errors: `CXM_INVALID_ARGUMENT` (level),
 * `CXM_EMPTY` (fewer than 2 answers: no variance).
 */
CXM_C_API cxm_status cxm_scale_tally_mean_interval(const cxm_scale_tally* tally, double level, cxm_interval* out);
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

/* ==== duration sketch ==================================================================== */

/**
 * A sketch of durations (cxm::duration_sketch; any unit, cxm's examples use ms): exact count,
 * sum, min and max, and a base-2 exponential histogram (OpenTelemetry's layout) whose quantile
 * estimates have a guaranteed relative error (0.54% at the default scale 6). Fixed memory
 * (4 bytes per bucket, 6.4 KB by default), allocated once at creation. Mergeable.
 * Not synchronized: one thread at a time per handle.
 */
typedef struct cxm_duration_sketch cxm_duration_sketch;

/** Settings of a sketch (cxm::sketch_options). Fill with cxm_sketch_options_init first. */
typedef struct cxm_sketch_options {
  int32_t scale;          /**< the starting (highest) scale, -10..20; default 6 */
  uint32_t max_buckets;   /**< the bucket budget, 8..1048576; default 1600 */
  double zero_threshold;  /**< values at or below it count as zero (finite, >= 0); default 0 */
} cxm_sketch_options;

/** The figures of a sketch. min, max and mean are 0 when count is 0. */
typedef struct cxm_sketch_stats {
  uint64_t count;        /**< values recorded */
  double sum;
  double min;            /**< exact */
  double max;            /**< exact */
  double mean;           /**< sum / count */
  uint64_t zero_count;   /**< values in the zero bucket */
  uint64_t rejected;     /**< values rejected (negative, NaN, infinite, overflowing the sum) */
  int32_t scale;         /**< the current scale (it only decreases, when the budget requires) */
  uint32_t max_buckets;
  double relative_error; /**< the bound on quantile estimates at the current scale */
} cxm_sketch_stats;

/** Sets `options` to the defaults. NULL is ignored. */
CXM_C_API void cxm_sketch_options_init(cxm_sketch_options* options);
/**
 * An empty sketch. `options` may be NULL (the defaults). `CXM_INVALID_ARGUMENT`, the detail
 * naming it, for an option out of range.
 */
CXM_C_API cxm_status cxm_duration_sketch_create(const cxm_sketch_options* options, cxm_duration_sketch** out);
/** Frees `sketch`; NULL is ignored. */
CXM_C_API void cxm_duration_sketch_destroy(cxm_duration_sketch* sketch);
/**
 * Records one value. Rejected and counted, leaving the figures unchanged: `CXM_NOT_FINITE`
 * (NaN, infinities), `CXM_OUT_OF_RANGE` (negative, or a sum that would overflow). O(1), no
 * allocation.
 */
CXM_C_API cxm_status cxm_duration_sketch_record(cxm_duration_sketch* sketch, double value);
/** The count, sum, min, max and settings of `sketch`. */
CXM_C_API cxm_status cxm_duration_sketch_stats(const cxm_duration_sketch* sketch, cxm_sketch_stats* out);
/**
 * The estimated q-quantile, q in [0, 1]: within relative_error of the recorded value of rank
 * floor(q * (count - 1)); q = 0 and 1 give the exact min and max. Errors:
 * `CXM_INVALID_ARGUMENT` (q outside [0, 1] or NaN), `CXM_EMPTY`. O(buckets).
 */
CXM_C_API cxm_status cxm_duration_sketch_quantile(const cxm_duration_sketch* sketch, double q, double* out);
/**
 * Adds the values of `other` (which may be `sketch` itself); sketches of different scales
 * merge at the coarser one, exactly. `CXM_INCOMPATIBLE` when the zero thresholds differ,
 * `CXM_OUT_OF_RANGE` when the sum would overflow or the count pass 2^62; unchanged on error.
 */
CXM_C_API cxm_status cxm_duration_sketch_merge(cxm_duration_sketch* sketch, const cxm_duration_sketch* other);
/** The versioned JSON form ("cxm.duration_sketch" version 1, cxm/sketch/duration_sketch_codec.hpp). */
CXM_C_API cxm_status cxm_duration_sketch_to_json(const cxm_duration_sketch* sketch, char** out, size_t* out_len);
/**
 * Reads the JSON form (strict; at most 8 MiB). Errors as for cxm_nps_tally_from_json, plus
 * `CXM_INVALID_ARGUMENT` for a state no sketch can be in; the detail names the field.
 */
CXM_C_API cxm_status cxm_duration_sketch_from_json(const char* json, size_t len, cxm_duration_sketch** out);
/**
 * The compact binary form (version 1, cxm/sketch/duration_sketch_codec.hpp): `*out` receives
 * `*out_len` bytes (not NUL-terminated; `out_len` is required), freed with cxm_bytes_free.
 */
CXM_C_API cxm_status cxm_duration_sketch_encode(const cxm_duration_sketch* sketch, uint8_t** out, size_t* out_len);
/**
 * Reads the binary form. Truncated or malformed input is an error, never a crash:
 * `CXM_INCOMPATIBLE` (not a sketch), `CXM_UNSUPPORTED_VERSION`, `CXM_INVALID_ARGUMENT` or
 * `CXM_OUT_OF_RANGE` with the byte offset in the detail.
 */
CXM_C_API cxm_status cxm_duration_sketch_decode(const uint8_t* bytes, size_t len, cxm_duration_sketch** out);

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

#endif /* CXM_CXM_H */
