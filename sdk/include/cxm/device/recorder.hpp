// SPDX-License-Identifier: MIT
/// @file recorder.hpp  Recording answers and durations from many threads into one set of
/// named metrics, with consistent snapshots and exactly-once drains.
#ifndef CXM_DEVICE_RECORDER_HPP
#define CXM_DEVICE_RECORDER_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/core/status.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale.hpp"
#include "cxm/stats/scale_tally.hpp"

CXM_BEGIN_NAMESPACE

/// What a metric of a recorder holds.
enum class metric_kind : std::int32_t {
  nps = 0,       ///< 0-10 answers: an `nps_tally`
  scale = 1,     ///< answers on a scale (CES, CSAT): a `scale_tally`
  duration = 2,  ///< durations (ms by cxm's convention): a `duration_sketch`
};

/// One metric of a recorder: a name unique within it (1-128 bytes of UTF-8, no control
/// characters), its kind, and the kind's settings.
struct metric_spec {
  std::string name;
  metric_kind kind = metric_kind::nps;
  cxm::scale scale = cxm::scale::ces7();  ///< for `metric_kind::scale` only
  sketch_options sketch{};                 ///< for `metric_kind::duration` only
};

/// The value of one metric in a snapshot.
using metric_value = std::variant<nps_tally, scale_tally, duration_sketch>;

/// The merged contents of a recorder at one instant: its metrics, in declaration order, with
/// their values. A plain value: mergeable with snapshots of the same metrics.
///
/// Every snapshot a recorder or `recorder_snapshot_from_json` makes has one value per metric,
/// of the metric's kind (`nps_tally` for nps...); `to_json` requires it.
///
/// @par Format
/// `to_json` writes `cxm.recorder_snapshot` version 1 (specified next to its encoder,
/// src/device/recorder_snapshot_json.cpp, and in docs/outbox.md): the metric names, kinds and
/// each value in its own versioned JSON form. `recorder_snapshot_from_json` reads it back
/// (strict: unknown keys, bad values, duplicate names and a value of another kind are errors
/// naming the field, e.g. `metrics[2].value.counts[3]: expected a count`). A decoded metric's
/// settings are its value's: the scale tally's scale, the sketch's current scale, budget and
/// zero threshold.
struct CXM_API recorder_snapshot {
  std::vector<metric_spec> metrics;
  std::vector<metric_value> values;  ///< values[i] belongs to metrics[i]

  /// True when no metric has recorded or rejected anything.
  bool empty() const noexcept;
  /// Adds `other`, metric by metric. `incompatible` unless both have the same metric names and
  /// kinds in the same order, each value of its metric's kind, the same scales (scale metrics)
  /// and the same zero thresholds (duration metrics); the `out_of_range` of the values' merges
  /// (limits.hpp). Unchanged on error.
  status merge(const recorder_snapshot& other);
};

/// The `cxm.recorder_snapshot` version written by this build and the only one it reads.
inline constexpr int recorder_snapshot_json_version = 1;
/// The limits of a `cxm.recorder_snapshot` document: 128 MiB (4096 metrics whose sketches have
/// every one of their default 1600 buckets take about 72 MB) and a nesting depth of 16.
inline constexpr json_limits recorder_snapshot_json_limits{std::size_t{1} << 27, 16};

CXM_API std::string to_json(const recorder_snapshot& snapshot);
CXM_API result<recorder_snapshot> recorder_snapshot_from_json(std::string_view json);

/// Records answers and durations into named metrics from any number of threads at once.
///
/// ```
/// auto rec = cxm::recorder::make({{"onboarding.nps", cxm::metric_kind::nps},
///                                 {"kyc.duration_ms", cxm::metric_kind::duration}}).value();
/// const std::size_t nps = *rec.find("onboarding.nps");
/// (void)rec.record(nps, 9);                      // from any thread
/// cxm::recorder_snapshot s = rec.snapshot();     // from any thread
/// ```
///
/// @par Design
/// Each thread records into its own shard (found through a thread-local cache, created on the
/// thread's first record), so recording threads never write a shared cache line. Tally counters
/// are written by their shard's one thread with relaxed atomic stores (no read-modify-write);
/// a sketch shard is guarded by a per-shard lock that only snapshots and drains contend for. A
/// snapshot merges every shard. Shards of threads that exited are reused by new threads.
///
/// @par Consistency
/// A snapshot equals the merge of every record that happened before it (in the C++ memory
/// model: records of the calling thread, and of threads it synchronized with, e.g. joined);
/// a record concurrent with it is either wholly in it or wholly out. Successive snapshots
/// never lose a record: counts only grow. `drain` returns what was recorded since the previous
/// drain and no record is in two drains or lost between them: the drains' sum plus what the
/// next drain would return always equals `snapshot()` (when nothing was restored).
///
/// @par Cost
/// `record` is noexcept, does no allocation after the thread's first record in this recorder
/// (that one allocates the thread's shard: `too_large` if memory runs out; a duration metric's
/// bucket array is allocated by its sketch, whose allocation failure terminates), takes no
/// lock for tallies and one uncontended per-shard lock for sketches.
/// bench/device/bm_recorder.cpp.
///
/// @par Limits
/// A merged value holds what its type holds (limits.hpp): at most `max_count` values, and a
/// sketch sum up to DBL_MAX. Each thread's shard rejects what passes them as the plain type
/// would; a shard whose merge into a snapshot would pass them (durations near DBL_MAX recorded
/// from several threads) is left out of that value.
///
/// @par Thread safety
/// Every member may be called from any thread at any time, except the destructor and moves,
/// which need every other call to have returned. A moved-from recorder may only be assigned
/// to or destroyed (its record calls return `invalid_argument`). Threads that recorded may
/// outlive the recorder: their shards go with it.
class CXM_API recorder {
 public:
  /// The most metrics a recorder holds.
  static constexpr std::size_t max_metrics = 4096;
  /// The longest metric name, in bytes of UTF-8.
  static constexpr std::size_t max_name_bytes = 128;

  /// A recorder of `metrics` (1..4096 of them, names unique): `invalid_argument` naming the
  /// first bad spec (`metrics[2].name: ...`: empty, longer than 128 bytes, control characters,
  /// duplicate; an unknown kind, an invalid scale, bad sketch options), `invalid_utf8` for a
  /// name that is not UTF-8.
  static result<recorder> make(std::vector<metric_spec> metrics);

  recorder(recorder&&) noexcept;
  recorder& operator=(recorder&&) noexcept;
  recorder(const recorder&) = delete;
  recorder& operator=(const recorder&) = delete;
  ~recorder();

  /// The metrics, as given.
  const std::vector<metric_spec>& metrics() const noexcept;
  /// The index of the metric named `name`. O(log metrics), no allocation.
  std::optional<std::size_t> find(std::string_view name) const noexcept;

  /// Records an answer to an NPS or scale metric. Rejected and counted in the metric (as its
  /// tally would): out_of_range, not_integer, not_finite. `invalid_argument` (not counted)
  /// for an index past the metrics or a duration metric; `too_large` when the thread's shard
  /// cannot be allocated (first record of a thread only).
  status record(std::size_t metric, int answer) noexcept;
  /// The same for a number (JSON, JS, the C ABI): 9.5 is not_integer.
  status record(std::size_t metric, double answer) noexcept;
  /// Records a duration into a duration metric (rejections as the sketch's: negative,
  /// not finite). `invalid_argument` for an index past the metrics or a tally metric.
  status record_duration(std::size_t metric, double duration) noexcept;

  /// Everything recorded so far (drained or not), merged. Restoring does not change it: a
  /// restored snapshot holds records this one already counts.
  recorder_snapshot snapshot() const;
  /// What was recorded since the previous drain (or since creation), plus what was restored
  /// since, merged; the next drain starts after it. Drains are serialized with each other and
  /// with snapshots.
  recorder_snapshot drain();
  /// Puts a drained snapshot back (its delivery failed): the next drain includes it.
  /// `incompatible` when it is not a snapshot of these metrics (see recorder_snapshot::merge),
  /// `out_of_range` when what is held for the next drain would pass the limits; nothing is
  /// kept on error.
  status restore(const recorder_snapshot& drained);

  class impl;  // src/device/recorder.cpp

 private:
  explicit recorder(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

CXM_END_NAMESPACE

#endif  // CXM_DEVICE_RECORDER_HPP
