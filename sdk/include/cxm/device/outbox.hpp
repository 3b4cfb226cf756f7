// SPDX-License-Identifier: MIT
/// @file outbox.hpp  The crash-safe on-device outbox: responses, journey events and aggregate
/// snapshots kept on disk until the collector has them, delivered through the app's own HTTP.
#ifndef CXM_DEVICE_OUTBOX_HPP
#define CXM_DEVICE_OUTBOX_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"
#include "cxm/device/recorder.hpp"

CXM_BEGIN_NAMESPACE

/// What a queued record is. The numbers are persisted: append-only.
enum class record_kind : std::int32_t {
  response = 0,    ///< a survey response (JSON object, cxm/survey/response.hpp)
  event = 1,       ///< a journey event (JSON object, cxm/journey/event.hpp)
  aggregates = 2,  ///< a drained recorder snapshot (`cxm.recorder_snapshot`)
};

/// Whether the user allowed sending. Persisted in the outbox directory. The numbers are
/// persisted: append-only.
enum class consent_state : std::int32_t {
  unknown = 0,  ///< not asked yet: records are kept, nothing is offered (the default)
  given = 1,    ///< records are offered for sending
  revoked = 2,  ///< records are kept, nothing is offered; `purge` deletes them
};

/// Settings of an outbox. Every limit has a safe default; `open` checks them
/// (`invalid_argument` naming the first bad one).
struct outbox_options {
  /// The directory holding the outbox (created if missing, its parent must exist). One outbox
  /// at a time: a second `open` of the same directory, from another process or this one, fails
  /// with `errc::locked` while the first is open.
  std::string directory;
  /// The install's pseudonymous id, written into every batch (1-128 bytes of printable ASCII,
  /// 0x20-0x7E).
  std::string source;
  /// Queue caps (records, and bytes of record JSON): after an append that passes either, the
  /// oldest records are dropped, each drop counted in `dropped_cap`. Never dropped for a cap:
  /// the record just appended, and records in a batch that is out (the queue may then stay
  /// over a cap until that batch is settled). `max_bytes` must be at least `max_record_bytes`.
  std::uint64_t max_records = 10000;
  std::uint64_t max_bytes = 16u << 20;
  /// Records captured more than this before `next_batch` is called are dropped there, each
  /// counted in `dropped_ttl` (capture times come from `clock`; a record that seems to come
  /// from the future of a clock set back does not expire early).
  std::int64_t ttl_ms = 30LL * 24 * 3600 * 1000;
  /// The largest record accepted by `append` (bytes of JSON, 2 to 8 MiB); larger is
  /// `too_large`.
  std::size_t max_record_bytes = 256u << 10;
  /// Group commit: concurrent appends share one fsync. An append then waits at most for the
  /// fsync under way, 0.5 ms while the fsync's leader gathers the appenders of its previous
  /// group (only when that group had several), and its own fsync. false: one fsync per
  /// append, made by the caller.
  bool group_commit = true;
  /// Raw responses and events are refused (`not_permitted`) and only aggregate snapshots are
  /// queued and offered: raw answers never leave the device.
  bool aggregates_only = false;
  /// Retry schedule after a failure: min(retry_max_ms, retry_base_ms * 2^(failures-1)),
  /// scaled by a random factor in [0.5, 1]; a longer Retry-After wins (honoured up to one
  /// day). If the clock goes back, a wait reaching further ahead than retry_max_ms (or the
  /// Retry-After granted) is pulled in to that. `retry_base_ms` > 0, `retry_max_ms` >= it.
  std::int64_t retry_base_ms = 1000;
  std::int64_t retry_max_ms = 5 * 60 * 1000;
  /// The clock (ms since 1970-01-01T00:00:00Z) and the random source (64 bits per call: the
  /// ids' random bits and the retry jitter); tests inject them. They are called with the
  /// outbox's lock held, never concurrently, and must not call the outbox. Defaults: the
  /// system clock and a generator seeded from std::random_device.
  std::function<std::int64_t()> clock;
  std::function<std::uint64_t()> random;
};

/// The outbox's counters. `dropped_*` and `corrupt_skipped` are persisted and survive restarts.
struct outbox_counts {
  std::uint64_t pending_records = 0;  ///< queued, not yet acknowledged (in flight included)
  std::uint64_t pending_bytes = 0;
  std::uint64_t in_flight_records = 0;  ///< in batches handed out and not yet settled
  std::uint64_t dropped_ttl = 0;        ///< expired before delivery
  std::uint64_t dropped_cap = 0;        ///< dropped, oldest first, to stay within the caps
  std::uint64_t dropped_rejected = 0;   ///< refused by the collector (a 4xx other than 408/413/429)
  std::uint64_t dropped_too_large = 0;  ///< a single record refused with 413
  std::uint64_t corrupt_skipped = 0;    ///< damaged data found (at open, or reading a batch) and skipped
  std::int64_t next_attempt_ms = 0;     ///< no batch before this time (ms since 1970; 0: now)
};

/// A batch handed to the app to send.
struct outbox_batch {
  std::string id;        ///< a UUIDv7: pass it to `ack` or `fail`
  std::string endpoint;  ///< where it goes: "/v1/responses" or "/v1/aggregates"
  std::string payload;   ///< the body, `cxm.batch` version 1 JSON (docs/outbox.md)
  std::size_t records = 0;
};

/// A crash-safe queue of records on disk, delivered in batches through the app's HTTP stack.
///
/// @par Durability
/// Every record is framed (length, CRC-32, the UUIDv7 assigned at capture, its kind) and
/// appended to a log segment, and is on disk (fdatasync) before `append` returns. Settled
/// records (acknowledged, dropped, purged) are listed in a settled log, on disk before the call
/// that settled them returns; the consent and counters are replaced by temp -> fsync -> rename
/// -> fsync of the directory. The format: docs/outbox.md.
///
/// A record whose `append` returned an id survives the app being killed or the device losing
/// power at any instant, and is delivered until acknowledged (at least once: the collector
/// removes duplicates by id) unless the TTL or a cap drops it, and then it is counted. At
/// `open`, damaged data is skipped, never delivered: a record whose frame fails its CRC is
/// lost alone (the reader resynchronizes on the next good frame), a torn tail is cut off, and
/// each damaged stretch counts once in `corrupt_skipped`. Batches out at a crash are offered
/// again after it. If an fsync fails, what reached the disk is unknown: every later call that
/// writes returns `io_error` until the outbox is opened again.
///
/// @par Delivery
/// `next_batch` offers pending records (never those of a batch still out) within a byte
/// budget; the app sends `payload` to `endpoint` and reports the outcome: `ack` deletes the
/// records; `fail` with a network error (http_status 0), 408, 429 or 5xx schedules a retry
/// with backoff and jitter (Retry-After honoured); 413 halves the next batches (a single
/// record refused with 413 is dropped and counted); any other 4xx drops the batch's records
/// and counts them. Retries never run out.
///
/// @par Thread safety
/// Every member may be called from any thread; appends from several threads share fsyncs
/// (group commit: an append waits at most for the fsync under way and its own). The
/// destructor and moves need every other call to have returned. In memory a queued record
/// costs about 60 bytes (its JSON stays on disk until a batch reads it back).
class CXM_API outbox {
 public:
  /// Opens (creating it if needed) the outbox in `options.directory`, recovering what a
  /// previous process left: every record is checked against its CRC, damaged files are
  /// repaired (a torn tail cut off, a file damaged in the middle rewritten without the damage),
  /// and only the metadata of pending records is kept in memory. Errors: `invalid_argument`
  /// (options), `locked` (another process or another outbox object holds it), `io_error` /
  /// `no_space` naming the file and the system's reason (read-only directory, permission...).
  /// Corrupt data is not an error: it is counted in `corrupt_skipped`.
  ///
  /// Complexity: reads every queued byte once (100,000 queued responses of 300 bytes: about
  /// 0.1 s, bench/device/bm_outbox.cpp).
  static result<outbox> open(outbox_options options);

  outbox(outbox&&) noexcept;
  outbox& operator=(outbox&&) noexcept;
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;
  ~outbox();  ///< releases the directory lock; queued records stay on disk

  // Every member of a moved-from outbox returns `invalid_argument` (consent(): unknown,
  // counts(): zeros).

  /// Queues one record (a JSON object of at most `max_record_bytes`, strict: valid UTF-8, no
  /// duplicate keys, finite numbers, nested at most 32 deep) and returns its id, a lowercase
  /// UUIDv7, once it is durable. Whitespace around the object is not kept. A response or event
  /// without an "id" gets the record's id as "id", its first member in the payload; an "id"
  /// that is not a string is refused; a record with its own string "id" keeps it, and the
  /// collector then knows it by that id (the returned one only names it inside the outbox).
  /// An aggregates record must be a `cxm.recorder_snapshot`.
  /// Errors: `parse_error`, `wrong_type` (not an object, a non-string "id"), `invalid_utf8`,
  /// `duplicate_key`, `not_finite`, `too_deep`, `too_large`, the snapshot decoder's errors,
  /// `invalid_argument` (not a record_kind), `not_permitted` (a response or event in
  /// aggregates-only mode), `no_space` / `io_error` naming the file (nothing was queued;
  /// earlier records are intact).
  result<std::string> append(record_kind kind, std::string_view json);
  /// Drains `rec` and queues the snapshot as one aggregates record (nothing when it is empty:
  /// `empty`). On failure the snapshot is restored into `rec`, so nothing recorded is lost.
  result<std::string> append_aggregates(recorder& rec);

  /// The next batch of at most `max_bytes` of payload (at least 1024), or more when its one
  /// record is larger. Records expired by the TTL are dropped first. The oldest pending record
  /// chooses the endpoint; later pending records of that endpoint follow in order while they
  /// fit the byte budget and the batch limit (500, halved by 413s, doubled back by acks).
  /// Records of a batch that is out are not offered again until it fails. Errors: `empty`
  /// (nothing to send), `not_permitted` (consent not given), `retry_later` (backing off: the
  /// detail and `counts().next_attempt_ms` say until when), `invalid_argument` (max_bytes),
  /// `io_error` naming the file.
  result<outbox_batch> next_batch(std::size_t max_bytes);
  /// The collector stored the batch: its records are deleted, the retry schedule is reset.
  /// `not_found` for an unknown or already settled batch id (nothing changes). On `io_error` /
  /// `no_space` the batch stays out and `ack` may be called again.
  status ack(std::string_view batch_id);
  /// Sending failed: `http_status` 0 for a network error or timeout, else the HTTP status;
  /// `retry_after_ms` the Retry-After header in ms (0 when absent). 0, 408, 429, 3xx, 5xx:
  /// the records wait for the next attempt (backoff); 413: the batch limit becomes half of
  /// this batch and the records go again at once (a single record is dropped, counted in
  /// `dropped_too_large`); another 4xx: the records are dropped (`dropped_rejected`). Errors:
  /// `invalid_argument` (1xx, 2xx or not an HTTP status, a negative retry_after_ms), `not_found`
  /// as for ack, `io_error` / `no_space`.
  status fail(std::string_view batch_id, int http_status, std::int64_t retry_after_ms);

  /// Consent (persisted). Revoking keeps the records on the device; `purge` deletes them.
  /// Errors: `invalid_argument`, `io_error` / `no_space` (the consent is unchanged).
  status set_consent(consent_state c);
  consent_state consent() const;
  /// Deletes every queued record (in-flight batches included: acking them is then
  /// `not_found`). Counters are kept. Errors: `io_error` / `no_space`.
  status purge();
  /// The counters, as of now (`next_attempt_ms` seen through the clock).
  outbox_counts counts() const;

  class impl;  // src/device/outbox.cpp

 private:
  explicit outbox(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

CXM_END_NAMESPACE

#endif  // CXM_DEVICE_OUTBOX_HPP
