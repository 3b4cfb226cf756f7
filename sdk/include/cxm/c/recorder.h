/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/recorder.h  Part of the C ABI: the thread-safe recorder.
 * Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_RECORDER_H
#define CXM_C_RECORDER_H

#include "cxm/c/base.h"
#include "cxm/c/sketch.h"
#include "cxm/c/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== recorder =========================================================================== */

/**
 * Named metrics recorded from any number of threads at once (cxm::recorder,
 * cxm/device/recorder.hpp): NPS and scale answers into tallies, durations into sketches.
 * **Synchronized**, unlike the other handles: every function may be called on one handle from
 * several threads at once, except cxm_recorder_destroy, which must come after all of them.
 * Each thread records into its own shard, so threads do not slow each other down; a snapshot
 * is the merge of every record that happened before it.
 */
typedef struct cxm_recorder cxm_recorder;

/** What a metric holds (cxm::metric_kind). */
typedef enum cxm_metric_kind {
  CXM_METRIC_NPS = 0,      /**< 0-10 answers (an NPS tally) */
  CXM_METRIC_SCALE = 1,    /**< answers on a scale (a scale tally) */
  CXM_METRIC_DURATION = 2, /**< durations (a duration sketch; ms by convention) */
  CXM_METRIC_KIND_FORCE_INT32_ = 0x7fffffff
} cxm_metric_kind;

/** One metric: its name (UTF-8, 1-128 bytes, unique in the recorder) and settings. */
typedef struct cxm_metric_spec {
  const char* name;
  size_t name_len;
  cxm_metric_kind kind;
  cxm_scale_id scale;            /**< CXM_METRIC_SCALE only: CES7, CES5, CSAT5 */
  const cxm_sketch_options* sketch; /**< CXM_METRIC_DURATION only; NULL: the defaults */
} cxm_metric_spec;

/**
 * A recorder of `count` metrics (1..4096). The specs are copied. `CXM_INVALID_ARGUMENT`, the
 * detail naming the metric ("metrics[2].name: ..."), for an empty, over-long (over 128 bytes)
 * or duplicate name, a name with control characters, an unknown kind or scale, or a bad sketch
 * option; `CXM_INVALID_UTF8` for a name that is not UTF-8. A count over 4096 or a name length
 * over 128 is refused before anything is read.
 */
CXM_C_API cxm_status cxm_recorder_create(const cxm_metric_spec* metrics, size_t count, cxm_recorder** out);
/** Frees `recorder`; NULL is ignored. No other call on it may be running or follow. */
CXM_C_API void cxm_recorder_destroy(cxm_recorder* recorder);
/**
 * The index of the metric named `name`; `CXM_NOT_FOUND` when there is none. `*out` is SIZE_MAX
 * on failure: an index every other call refuses.
 */
CXM_C_API cxm_status cxm_recorder_find(const cxm_recorder* recorder, const char* name, size_t len, size_t* out);
/**
 * Records an integer answer to an NPS or scale metric: the fast path. Rejected and counted in
 * the metric: `CXM_OUT_OF_RANGE`. `CXM_INVALID_ARGUMENT` (not counted) for an index past the
 * metrics or a duration metric. No allocation after the thread's first record in this
 * recorder, which allocates the thread's shard (`CXM_TOO_LARGE` if memory runs out).
 */
CXM_C_API cxm_status cxm_recorder_record_int(cxm_recorder* recorder, size_t metric, int32_t answer);
/** The same for a number: also `CXM_NOT_INTEGER` (9.5) and `CXM_NOT_FINITE`. */
CXM_C_API cxm_status cxm_recorder_record(cxm_recorder* recorder, size_t metric, double answer);
/**
 * Records a duration into a duration metric. Rejected and counted: `CXM_NOT_FINITE`,
 * `CXM_OUT_OF_RANGE` (negative). `CXM_INVALID_ARGUMENT` for an index past the metrics or a
 * tally metric.
 */
CXM_C_API cxm_status cxm_recorder_record_duration(cxm_recorder* recorder, size_t metric, double duration);
/**
 * Everything recorded so far, merged, as JSON (`cxm.recorder_snapshot` version 1,
 * docs/outbox.md), freed with cxm_string_free.
 */
CXM_C_API cxm_status cxm_recorder_snapshot_json(const cxm_recorder* recorder, char** out, size_t* out_len);
/**
 * One metric of the snapshot as a new NPS tally handle; `CXM_WRONG_TYPE` for another kind,
 * `CXM_INVALID_ARGUMENT` for an index past the metrics. (The snapshot of every metric is taken,
 * then one is kept: for several metrics, cxm_recorder_snapshot_json is one pass.)
 */
CXM_C_API cxm_status cxm_recorder_snapshot_nps(const cxm_recorder* recorder, size_t metric, cxm_nps_tally** out);
/** One metric of the snapshot as a new scale tally handle; `CXM_WRONG_TYPE` for another kind. */
CXM_C_API cxm_status cxm_recorder_snapshot_scale(const cxm_recorder* recorder, size_t metric,
                                                 cxm_scale_tally** out);
/** One metric of the snapshot as a new sketch handle; `CXM_WRONG_TYPE` for another kind. */
CXM_C_API cxm_status cxm_recorder_snapshot_duration(const cxm_recorder* recorder, size_t metric,
                                                    cxm_duration_sketch** out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_RECORDER_H */
