/* SPDX-License-Identifier: MIT */
/**
 * @file cxm/c/outbox.h  Part of the C ABI: the crash-safe outbox and delivery through the
 * app's own HTTP stack. Include cxm/cxm.h, not this file: the conventions are stated there.
 */
#ifndef CXM_C_OUTBOX_H
#define CXM_C_OUTBOX_H

#include "cxm/c/base.h"
#include "cxm/c/recorder.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== outbox ============================================================================= */

/**
 * Responses, journey events and aggregate snapshots kept on disk until the collector has them
 * (cxm::outbox, cxm/device/outbox.hpp; formats in docs/outbox.md). Every record is durable
 * before the call that queued it returns, survives the app being killed at any instant, and is
 * delivered until acknowledged; the app sends the batches with its own HTTP client.
 * **Synchronized**: every function may be called on one handle from several threads at once
 * (appends from several threads share one fsync), except cxm_outbox_close, which must come
 * after all of them.
 *
 * A typical loop, on a background thread when the network is up:
 *
 *     cxm_outbox_batch b;
 *     while (cxm_outbox_next_batch(box, 256 * 1024, &b) == CXM_OK) {
 *       int http = post(b.endpoint, b.payload, b.payload_len, &retry_after_ms);
 *       if (http >= 200 && http < 300) cxm_outbox_ack(box, b.id);
 *       else cxm_outbox_fail(box, b.id, http, retry_after_ms);  // http 0: network error
 *       cxm_outbox_batch_free(&b);
 *     }
 */
typedef struct cxm_outbox cxm_outbox;

/** The size of a buffer for an id (record or batch): a UUIDv7 of 36 characters and the NUL. */
#define CXM_OUTBOX_ID_SIZE 37

/** What a record is (cxm::record_kind). Aggregates come from a recorder: cxm_outbox_append_aggregates. */
typedef enum cxm_record_kind {
  CXM_RECORD_RESPONSE = 0, /**< a survey response, a JSON object */
  CXM_RECORD_EVENT = 1,    /**< a journey event, a JSON object */
  CXM_RECORD_KIND_FORCE_INT32_ = 0x7fffffff
} cxm_record_kind;

/** The user's decision about sending (cxm::consent_state); persisted in the directory. */
typedef enum cxm_consent {
  CXM_CONSENT_UNKNOWN = 0, /**< not asked yet: records are kept, nothing is offered (the default) */
  CXM_CONSENT_GIVEN = 1,   /**< records are offered for sending */
  CXM_CONSENT_REVOKED = 2, /**< records are kept, nothing is offered; cxm_outbox_purge deletes them */
  CXM_CONSENT_FORCE_INT32_ = 0x7fffffff
} cxm_consent;

/** Settings (cxm::outbox_options). Fill with cxm_outbox_options_init, then set what differs. */
typedef struct cxm_outbox_options {
  uint64_t max_records;      /**< queue cap in records, >= 1 (default 10000); the oldest are dropped beyond it */
  uint64_t max_bytes;        /**< queue cap in bytes, >= max_record_bytes (default 16 MiB) */
  int64_t ttl_ms;            /**< records older than this are dropped, > 0 (default 30 days) */
  uint64_t max_record_bytes; /**< the largest record accepted, 2 to 8 MiB (default 256 KiB) */
  int32_t group_commit;      /**< 1 (default): concurrent appends share an fsync; 0: one fsync per append */
  int32_t aggregates_only;   /**< 1: raw responses and events are refused; only aggregates leave the device (default 0) */
  int64_t retry_base_ms;     /**< first retry delay before jitter, > 0 (default 1000) */
  int64_t retry_max_ms;      /**< longest retry delay, >= retry_base_ms (default 300000) */
} cxm_outbox_options;

/** The counters (cxm::outbox_counts); the dropped and corrupt ones survive restarts. */
typedef struct cxm_outbox_counts {
  uint64_t pending_records;   /**< queued and not acknowledged, in-flight ones included */
  uint64_t pending_bytes;
  uint64_t in_flight_records; /**< in batches handed out and not yet settled */
  uint64_t dropped_ttl;       /**< expired before delivery */
  uint64_t dropped_cap;       /**< dropped, oldest first, to stay within the caps */
  uint64_t dropped_rejected;  /**< refused by the collector (a 4xx other than 408, 413, 429) */
  uint64_t dropped_too_large; /**< a single record refused with 413 */
  uint64_t corrupt_skipped;   /**< torn or corrupt frames found at start and skipped */
  int64_t next_attempt_ms;    /**< no batch is offered before this time (ms since 1970), 0: now */
} cxm_outbox_counts;

/**
 * A batch to send, filled by cxm_outbox_next_batch. Its strings are cxm's: free them with
 * cxm_outbox_batch_free (which frees them as cxm_string_free does), never with free().
 */
typedef struct cxm_outbox_batch {
  char* id;             /**< NUL-terminated UUIDv7 (36 characters): pass it to cxm_outbox_ack or cxm_outbox_fail */
  char* endpoint;       /**< NUL-terminated path: "/v1/responses" or "/v1/aggregates" */
  char* payload;        /**< the request body (JSON, `cxm.batch` version 1), NUL-terminated */
  size_t payload_len;   /**< its length in bytes, without the NUL */
  size_t records;       /**< records in the batch */
} cxm_outbox_batch;

/** Sets `options` to the defaults. NULL is ignored. */
CXM_C_API void cxm_outbox_options_init(cxm_outbox_options* options);
/**
 * Opens (creating it if needed) the outbox in `directory` (UTF-8 path; its parent must exist)
 * for the install `source` (a pseudonymous id, 1-128 bytes of printable ASCII). `options` may
 * be NULL (the defaults). Errors: `CXM_INVALID_UTF8` (directory or source), `CXM_INVALID_ARGUMENT`
 * (a source that is not 1-128 printable ASCII bytes, an empty directory or one with a NUL byte,
 * or an option outside the range its comment gives, the detail naming the field), `CXM_LOCKED` (another
 * process, or another handle in this one, has the directory open), `CXM_IO_ERROR` /
 * `CXM_NO_SPACE` with the file and the system's reason in the detail. Corrupt data left by a
 * crash is not an error: it is counted (corrupt_skipped) and never delivered.
 */
CXM_C_API cxm_status cxm_outbox_open(const char* directory, size_t directory_len, const char* source,
                                     size_t source_len, const cxm_outbox_options* options, cxm_outbox** out);
/**
 * Closes `outbox`: releases the directory; queued records stay on disk, and those of batches
 * not yet settled are offered again after the next open. NULL is ignored.
 */
CXM_C_API void cxm_outbox_close(cxm_outbox* outbox);
/**
 * Queues a record (a JSON object, at most max_record_bytes) and returns once it is on disk.
 * `id_out` (optional) receives its id, a NUL-terminated UUIDv7 of 36 characters, in a buffer of
 * at least CXM_OUTBOX_ID_SIZE (37) bytes; it is the empty string on failure. A record without a
 * string "id" gets this id as its "id" in the payload; one with its own keeps it (the collector
 * then sees that one, not this). Errors: the JSON ones (`CXM_PARSE_ERROR`, `CXM_WRONG_TYPE` for
 * a non-object or an "id" that is not a string, `CXM_INVALID_UTF8`, `CXM_DUPLICATE_KEY`,
 * `CXM_TOO_DEEP`, `CXM_TOO_LARGE`),
 * `CXM_INVALID_ARGUMENT` for a kind other than the two above, `CXM_NOT_PERMITTED` in
 * aggregates-only mode, `CXM_NO_SPACE` / `CXM_IO_ERROR` (nothing was queued; earlier records
 * are intact).
 */
CXM_C_API cxm_status cxm_outbox_append(cxm_outbox* outbox, cxm_record_kind kind, const char* json, size_t len,
                                       char* id_out);
/**
 * Drains `recorder` (what it recorded since its previous drain) into one aggregates record.
 * `CXM_EMPTY` when nothing was recorded; on any failure the drained values are put back into
 * the recorder. `id_out` as for cxm_outbox_append.
 */
CXM_C_API cxm_status cxm_outbox_append_aggregates(cxm_outbox* outbox, cxm_recorder* recorder, char* id_out);
/**
 * The next batch, its payload at most `max_bytes` (at least 1024: `CXM_INVALID_ARGUMENT`
 * below), unless its one record alone is larger (a batch always holds a record, so a payload
 * may reach max_record_bytes plus the batch's header). Errors, none of which needs handling
 * beyond waiting: `CXM_EMPTY` (nothing to send), `CXM_NOT_PERMITTED` (consent not given),
 * `CXM_RETRY_LATER` (backing off after a failure: see next_attempt_ms in the counts).
 * On success free `out`'s strings with cxm_outbox_batch_free; on failure every field of `out`
 * is zeroed (NULL strings, lengths 0), so freeing it then is harmless. Settle every batch with
 * ack or fail: its records are not offered again until then (or until the outbox is reopened).
 */
CXM_C_API cxm_status cxm_outbox_next_batch(cxm_outbox* outbox, size_t max_bytes, cxm_outbox_batch* out);
/** Frees the strings of `batch` and zeroes it (NULL strings, lengths 0). NULL is ignored. */
CXM_C_API void cxm_outbox_batch_free(cxm_outbox_batch* batch);
/**
 * The collector stored the batch (`batch_id`: the NUL-terminated id of a batch): its records
 * are deleted. `CXM_NOT_FOUND` for an unknown or settled id (acking twice, or after a purge).
 */
CXM_C_API cxm_status cxm_outbox_ack(cxm_outbox* outbox, const char* batch_id);
/**
 * Sending failed. `http_status`: 0 for a network error or timeout, else the HTTP status
 * (300-599); `retry_after_ms`: the Retry-After header in ms, 0 when absent (at most a day is
 * honoured). Network errors, 3xx, 408, 429 and 5xx retry later with backoff and jitter; 413
 * halves the batches (a single record is dropped and counted); another 4xx drops the batch's
 * records (counted). `CXM_INVALID_ARGUMENT` for another status (a 2xx is an ack) or a negative
 * `retry_after_ms`; `CXM_NOT_FOUND` as for ack.
 */
CXM_C_API cxm_status cxm_outbox_fail(cxm_outbox* outbox, const char* batch_id, int32_t http_status,
                                     int64_t retry_after_ms);
/** Records the user's decision (persisted; takes effect at once). `CXM_INVALID_ARGUMENT` for another value. */
CXM_C_API cxm_status cxm_outbox_set_consent(cxm_outbox* outbox, cxm_consent consent);
/** The current decision. */
CXM_C_API cxm_status cxm_outbox_consent(const cxm_outbox* outbox, cxm_consent* out);
/** Deletes every queued record, in-flight ones included (the user asked to delete their data). */
CXM_C_API cxm_status cxm_outbox_purge(cxm_outbox* outbox);
/** The counters. */
CXM_C_API cxm_status cxm_outbox_counts_get(const cxm_outbox* outbox, cxm_outbox_counts* out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXM_C_OUTBOX_H */
