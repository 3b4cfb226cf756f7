// SPDX-License-Identifier: MIT
/// @file duration_sketch.hpp  Durations: a mergeable base-2 exponential histogram with quantiles.
#ifndef CXM_SKETCH_DURATION_SKETCH_HPP
#define CXM_SKETCH_DURATION_SKETCH_HPP

#include <array>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "cxm/core/config.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/sketch/dense_store.hpp"
#include "cxm/sketch/log_mapping.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The settings of a `duration_sketch`.
struct sketch_options {
  /// The starting (and highest) scale, log_mapping::min_scale..max_scale. 6 bounds the relative
  /// error of quantiles by 0.54%; the sketch lowers it when the budget requires.
  int scale = log_mapping::default_scale;
  /// The bucket budget, dense_store::min_buckets..max_buckets_limit (4 bytes per bucket).
  std::uint32_t max_buckets = dense_store::default_max_buckets;
  /// Values at or below this go to the zero bucket (finite, >= 0). 0: only exact zeros.
  double zero_threshold = 0.0;
};

/// A sketch of durations (any unit; cxm's examples use milliseconds): exact count, sum, min and
/// max, a zero bucket, and a base-2 exponential histogram with OpenTelemetry's bucket layout
/// (see `log_mapping`) from which quantiles are estimated with a guaranteed relative error.
///
/// ```
/// cxm::duration_sketch card_delivery;            // scale 6, 1600 buckets
/// (void)card_delivery.record(2350.0);            // ms
/// double p90 = card_delivery.quantile(0.9).value();
/// ```
///
/// @par Recording
/// `record` is `noexcept`, allocation-free (the store's array is allocated at construction) and
/// O(1) except when a value needs a new bucket: then the range grows, and if the budget would be
/// exceeded the resolution halves (scale - 1, merging bucket pairs; OpenTelemetry's downscale)
/// until it fits. NaN and infinities (`not_finite`), negative values (`out_of_range`), values
/// whose addition would make the sum overflow and batches that would take the count past
/// `max_count` (2^62, limits.hpp) (`out_of_range`) are rejected, counted by reason and leave the
/// sketch otherwise untouched. Rejection counters saturate at 2^64 - 1.
///
/// @par Quantiles and their error
/// `quantile(q)` estimates x_(⌊q·(n-1)⌋), the ⌊q·(n-1)⌋-th smallest recorded value (0-based).
/// That value lies in some bucket (L, U] with U = b·L; the estimate is 2LU/(L+U), whose relative
/// error is at most (U-L)/(U+L) = (b-1)/(b+1) wherever the value lies in the bucket, and is then
/// clamped to [min, max], which can only bring it closer. So |estimate - x| <= α·x with
/// α = `relative_error()` = (b-1)/(b+1) = tanh(ln 2 / 2^(s+1)): 0.54% at scale 6, 1.08% at 5.
/// q = 0 and q = 1 return the exact min and max. Values in the zero bucket are estimated as 0
/// when the zero threshold is 0 (exact), else as the midpoint of [min, threshold] (no bound).
///
/// @par Merging
/// `merge` adds another sketch: sketches at different scales merge by downscaling the finer
/// one (exact, because buckets nest). The result equals recording both inputs' values into
/// one sketch at the lower scale — same scale, buckets, count, min, max, zero and rejected
/// counts; the sum is the floating-point sum, so it is equal exactly when the values are
/// integers (whole milliseconds) and otherwise up to rounding. Merge is commutative and
/// associative in that sense, with the empty sketch as identity.
///
/// @par Memory
/// sizeof(duration_sketch) plus 4·max_buckets bytes (6.4 KB by default), whatever is recorded.
///
/// @par Thread safety
/// None: use one sketch per thread or session and merge them.
class CXM_API duration_sketch {
 public:
  /// A sketch with default options (scale 6, 1600 buckets, zero threshold 0). Allocates once;
  /// allocation failure terminates.
  duration_sketch() noexcept : duration_sketch(sketch_options{}, 0) {}
  /// A sketch with `options`, or `errc::invalid_argument` naming the bad option.
  static result<duration_sketch> make(const sketch_options& options);

  /// Records one value. See the class notes for rejections. O(1), no allocation.
  status record(double value) noexcept { return record(value, 1); }
  /// Records `value` `n` times (n = 0 records nothing). O(1), no allocation.
  status record(double value, std::uint64_t n) noexcept {
    // The common case inline: a positive finite value above the zero threshold, in a bucket
    // that exists; everything else (rejections, zeros, new buckets) is out of line.
    // value > zero_threshold_ is false for NaN; +inf (and any overflow) fails sum <= DBL_MAX;
    // the count check keeps a batch from passing max_count (limits.hpp), so counts never wrap.
    if (value > zero_threshold_) {
      const double sum = sum_ + value * static_cast<double>(n);
      if (sum <= DBL_MAX && n <= max_count - count_ && store_.try_add(mapping_.index(value), n)) {
        count_ += n;
        sum_ = sum;
        if (value < min_) min_ = value;
        if (value > max_) max_ = value;
        return errc::ok;
      }
    }
    return record_slow(value, n);
  }

  /// Adds the values of `other` (see the class notes).
  /// @par Errors
  /// `incompatible` when the zero thresholds differ; `out_of_range` when the sum would overflow
  /// or the count pass `max_count`.
  /// The sketch is unchanged on error.
  status merge(const duration_sketch& other) noexcept;

  /// The estimated q-quantile, q in [0, 1] (see the class notes for the definition and bound).
  /// @par Errors
  /// `invalid_argument` for q outside [0, 1] or NaN; `empty` when nothing was recorded.
  /// @par Complexity
  /// O(number of buckets).
  result<double> quantile(double q) const;

  /// Removes every value and rejection count and returns to the scale the sketch was made (or
  /// restored) with; keeps the options and the allocation.
  void clear() noexcept;

  std::uint64_t count() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  double sum() const noexcept { return sum_; }
  /// sum() / count(), 0 when empty.
  double mean() const noexcept { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }
  /// The smallest and largest recorded value, exactly; 0 when empty.
  double min() const noexcept { return count_ == 0 ? 0.0 : min_; }
  double max() const noexcept { return count_ == 0 ? 0.0 : max_; }

  std::uint64_t zero_count() const noexcept { return zero_count_; }
  double zero_threshold() const noexcept { return zero_threshold_; }
  /// The current scale (it only ever decreases, by downscaling).
  int scale() const noexcept { return mapping_.scale(); }
  const log_mapping& mapping() const noexcept { return mapping_; }
  /// The relative-error bound of quantiles at the current scale.
  double relative_error() const noexcept { return mapping_.relative_error(); }
  std::uint32_t max_buckets() const noexcept { return store_.max_buckets(); }

  /// Values rejected for `reason` (out_of_range or not_finite; 0 for anything else).
  std::uint64_t rejected(errc reason) const noexcept;
  /// All rejections, saturating at 2^64 - 1 like the counters themselves.
  std::uint64_t rejected_total() const noexcept;
  /// Rejection counters in the order of `rejected_reasons`, for serialization.
  static constexpr std::array<errc, 2> rejected_reasons{errc::out_of_range, errc::not_finite};
  const std::array<std::uint64_t, 2>& rejected_counts() const noexcept { return rejected_; }

  /// Export (OTLP ExponentialHistogram "positive" buckets): the index of the first bucket and
  /// the number of buckets from the first to the last non-empty one (0 when there are none).
  std::int32_t offset() const noexcept { return store_.empty() ? 0 : store_.first_index(); }
  std::size_t bucket_count() const noexcept { return store_.size(); }
  /// The count of bucket `offset() + i`, for i < bucket_count().
  std::uint64_t bucket(std::size_t i) const noexcept {
    return store_.count(static_cast<std::int32_t>(std::int64_t{offset()} + static_cast<std::int64_t>(i)));
  }
  /// Calls f(index, count) for every bucket from the first to the last non-empty one, in order.
  template <class F>
  void for_each_bucket(F&& f) const {
    store_.for_each(static_cast<F&&>(f));
  }
  const dense_store& store() const noexcept { return store_; }

  /// Bytes used: sizeof(duration_sketch) plus the store's fixed heap array.
  std::size_t memory_bytes() const noexcept { return sizeof(duration_sketch) + store_.heap_bytes(); }

  /// Equal state: scale, buckets, budget, zero threshold, count, sum, min, max, zero and
  /// rejected counts.
  friend CXM_API bool operator==(const duration_sketch& a, const duration_sketch& b) noexcept;
  friend bool operator!=(const duration_sketch& a, const duration_sketch& b) noexcept { return !(a == b); }

  /// Everything a serialized sketch holds (used by the JSON and binary decoders).
  struct state {
    int scale = log_mapping::default_scale;
    std::uint32_t max_buckets = dense_store::default_max_buckets;
    double zero_threshold = 0.0;
    double sum = 0.0;
    double min = 0.0;  ///< ignored when the sketch is empty
    double max = 0.0;  ///< ignored when the sketch is empty
    std::uint64_t zero_count = 0;
    std::array<std::uint64_t, 2> rejected{};
    std::int32_t offset = 0;
    const std::uint64_t* counts = nullptr;  ///< bucket_count counts for offset, offset+1, ...
    std::size_t bucket_count = 0;
  };
  /// Rebuilds a sketch from `s`, checking that it is one a sketch could be in: options in range,
  /// buckets within the budget and the scale's index range, non-zero end buckets, a total count
  /// that does not overflow, min <= max consistent with the buckets and the zero bucket, a
  /// finite non-negative sum. Errors: `invalid_argument` or `out_of_range`, naming the field.
  static result<duration_sketch> restore(const state& s);

 private:
  duration_sketch(const sketch_options& options, int) noexcept;
  status record_slow(double value, std::uint64_t n) noexcept;
  status reject(errc reason, std::uint64_t n) noexcept;
  double zero_bucket_estimate() const noexcept;

  log_mapping mapping_;
  dense_store store_;
  int initial_scale_;
  double zero_threshold_;
  std::uint64_t count_ = 0;
  std::uint64_t zero_count_ = 0;
  double sum_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  std::array<std::uint64_t, 2> rejected_{};
};

CXM_END_NAMESPACE

#endif  // CXM_SKETCH_DURATION_SKETCH_HPP
