/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/sketch.h  Part of the C ABI: duration sketches.
 * Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_SKETCH_H
#define CXM_C_SKETCH_H

#include "cxm/c/base.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_SKETCH_H */
