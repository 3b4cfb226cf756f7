// SPDX-License-Identifier: MIT
// duration_sketch: options, the slow half of record, merge, quantiles and restoring a state.
#include "cxm/sketch/duration_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/saturating.hpp"

CXM_BEGIN_NAMESPACE
namespace {

std::string option_error(const sketch_options& o) {
  if (o.scale < log_mapping::min_scale || o.scale > log_mapping::max_scale)
    return "scale: " + std::to_string(o.scale) + " is outside [" + std::to_string(log_mapping::min_scale) +
           ", " + std::to_string(log_mapping::max_scale) + "]";
  if (o.max_buckets < dense_store::min_buckets || o.max_buckets > dense_store::max_buckets_limit)
    return "max_buckets: " + std::to_string(o.max_buckets) + " is outside [" +
           std::to_string(dense_store::min_buckets) + ", " + std::to_string(dense_store::max_buckets_limit) + "]";
  if (!(o.zero_threshold >= 0.0 && o.zero_threshold <= DBL_MAX))
    return "zero_threshold: expected a finite number >= 0";
  return {};
}

}  // namespace

duration_sketch::duration_sketch(const sketch_options& options, int) noexcept
    : mapping_(options.scale),
      store_(options.max_buckets),
      initial_scale_(mapping_.scale()),
      zero_threshold_(options.zero_threshold >= 0.0 && options.zero_threshold <= DBL_MAX
                          ? options.zero_threshold
                          : 0.0) {}

result<duration_sketch> duration_sketch::make(const sketch_options& options) {
  std::string error = option_error(options);
  if (!error.empty()) return {errc::invalid_argument, std::move(error)};
  return duration_sketch(options, 0);
}

status duration_sketch::reject(errc reason, std::uint64_t n) noexcept {
  std::uint64_t& r = rejected_[reason == errc::out_of_range ? 0 : 1];
  r = n > UINT64_MAX - r ? UINT64_MAX : r + n;  // diagnostics saturate
  return reason;
}

status duration_sketch::record_slow(double value, std::uint64_t n) noexcept {
  if (std::isnan(value) || std::isinf(value)) return reject(errc::not_finite, n);  // -inf too
  if (value < 0.0) return reject(errc::out_of_range, n);
  const double sum = sum_ + value * static_cast<double>(n);
  if (!(sum <= DBL_MAX) || n > max_count - count_) return reject(errc::out_of_range, n);
  if (n == 0) return errc::ok;
  if (value <= zero_threshold_) {
    value += 0.0;  // -0.0 becomes +0.0, so min() is never negative zero
    zero_count_ += n;
  } else {
    const std::int32_t index = mapping_.index(value);
    if (!store_.try_add(index, n)) {
      const int k = store_.add(index, n);
      if (k < 0) return errc::invalid_argument;  // a moved-from sketch has no store
      if (k > 0) {
        CXM_ASSERT(mapping_.scale() - k >= log_mapping::min_scale);
        mapping_ = log_mapping(mapping_.scale() - k);
      }
    }
  }
  count_ += n;
  sum_ = sum;
  if (value < min_) min_ = value;
  if (value > max_) max_ = value;
  return errc::ok;
}

status duration_sketch::merge(const duration_sketch& other) noexcept {
  if (&other == this) {
    const duration_sketch copy(other);
    return merge(copy);
  }
  if (zero_threshold_ != other.zero_threshold_) return errc::incompatible;
  if (store_.max_buckets() == 0) return errc::invalid_argument;
  const double sum = sum_ + other.sum_;
  if (!(sum <= DBL_MAX) || other.count_ > max_count - count_) return errc::out_of_range;

  if (other.scale() < scale()) {
    const int k = store_.downscale(scale() - other.scale());
    mapping_ = log_mapping(scale() - k);
  }
  // Each bucket of `other` lies inside one bucket at our (equal or coarser) scale; `add`
  // downscales further when the union needs it, exactly as recording would have.
  other.store_.for_each([this, &other](std::int32_t i, std::uint64_t c) {
    if (c == 0) return;
    const auto j = static_cast<std::int32_t>(detail::floor_shift(i, other.scale() - scale()));
    if (!store_.try_add(j, c)) {
      const int k = store_.add(j, c);
      if (k > 0) mapping_ = log_mapping(scale() - k);
    }
  });
  count_ += other.count_;
  zero_count_ += other.zero_count_;
  sum_ = sum;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  for (std::size_t i = 0; i < rejected_.size(); ++i)
    rejected_[i] = other.rejected_[i] > UINT64_MAX - rejected_[i] ? UINT64_MAX : rejected_[i] + other.rejected_[i];
  return errc::ok;
}

double duration_sketch::zero_bucket_estimate() const noexcept {
  if (zero_threshold_ == 0.0) return 0.0;
  return 0.5 * (min_ + std::min(zero_threshold_, max_));
}

result<double> duration_sketch::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0)) return {errc::invalid_argument, "q: expected a number in [0, 1]"};
  if (count_ == 0) return {errc::empty, "quantile of an empty sketch"};
  if (q == 0.0) return min_;
  if (q == 1.0) return max_;
  std::uint64_t rank = static_cast<std::uint64_t>(std::floor(q * static_cast<double>(count_ - 1)));
  if (rank < zero_count_) return std::min(std::max(zero_bucket_estimate(), min_), max_);
  rank -= zero_count_;
  // The point 2LU/(L+U) = L · 2b/(1+b) of bucket (L, U = bL]; written as 2/(1 + 1/b) so that
  // coarse scales, where b overflows, still give the limit 2.
  const double factor = 2.0 / (1.0 + std::exp2(-std::ldexp(1.0, -scale())));
  std::uint64_t seen = 0;
  double estimate = max_;
  bool found = false;
  store_.for_each([&](std::int32_t i, std::uint64_t c) {
    if (found) return;
    seen += c;
    if (rank < seen) {
      // A bucket that straddles the zero threshold (after downscaling) holds values in
      // (threshold, U] only: estimating from there keeps quantiles above the zero bucket's
      // and monotone in q, and only narrows the interval the error bound is taken over.
      const double lower = mapping_.lower_boundary(i);
      if (zero_threshold_ > lower) {
        const double upper = mapping_.upper_boundary(i);
        estimate = 2.0 * zero_threshold_ / (1.0 + zero_threshold_ / upper);
      } else {
        estimate = lower * factor;
      }
      found = true;
    }
  });
  return std::min(std::max(estimate, min_), max_);
}

void duration_sketch::clear() noexcept {
  store_.clear();
  mapping_ = log_mapping(initial_scale_);
  count_ = 0;
  zero_count_ = 0;
  sum_ = 0.0;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
  rejected_ = {};
}

std::uint64_t duration_sketch::rejected(errc reason) const noexcept {
  if (reason == errc::out_of_range) return rejected_[0];
  if (reason == errc::not_finite) return rejected_[1];
  return 0;
}

std::uint64_t duration_sketch::rejected_total() const noexcept {
  return detail::add_saturating(rejected_[0], rejected_[1]);
}

bool operator==(const duration_sketch& a, const duration_sketch& b) noexcept {
  return a.mapping_ == b.mapping_ && a.zero_threshold_ == b.zero_threshold_ && a.count_ == b.count_ &&
         a.zero_count_ == b.zero_count_ && a.sum_ == b.sum_ && a.min_ == b.min_ && a.max_ == b.max_ &&
         a.rejected_ == b.rejected_ && a.store_ == b.store_;
}

result<duration_sketch> duration_sketch::restore(const state& s) {
  sketch_options o;
  o.scale = s.scale;
  o.max_buckets = s.max_buckets;
  o.zero_threshold = s.zero_threshold;
  std::string error = option_error(o);
  if (!error.empty()) return {errc::invalid_argument, std::move(error)};
  if (!(s.sum >= 0.0 && s.sum <= DBL_MAX)) return {errc::out_of_range, "sum: expected a finite number >= 0"};

  if (s.zero_count > max_count)
    return {errc::out_of_range, "zero_count: exceeds 2^62, the most a sketch counts"};
  std::uint64_t total = s.zero_count;
  for (std::size_t i = 0; i < s.bucket_count; ++i) {
    if (s.counts[i] > max_count - total)
      return {errc::out_of_range, "counts: the total count exceeds 2^62, the most a sketch counts"};
    total += s.counts[i];
  }
  const log_mapping mapping(s.scale);
  if (s.bucket_count > 0) {
    const std::int64_t last = std::int64_t{s.offset} + static_cast<std::int64_t>(s.bucket_count) - 1;
    if (s.offset < mapping.min_index() || last > mapping.max_index())
      return {errc::out_of_range, "offset: buckets " + std::to_string(s.offset) + ".." + std::to_string(last) +
                                      " are outside the index range of scale " + std::to_string(s.scale)};
    if (s.counts[0] == 0 || s.counts[s.bucket_count - 1] == 0)
      return {errc::invalid_argument, "counts: the first and last bucket counts must be non-zero"};
    // Values at or below the zero threshold go to the zero bucket, so a bucket that holds only
    // such values cannot have a count.
    if (!(mapping.upper_boundary(s.offset) > s.zero_threshold))
      return {errc::invalid_argument, "positive.offset: bucket " + std::to_string(s.offset) +
                                          " lies at or below the zero threshold"};
  }
  if (total > 0) {
    if (!(s.min >= 0.0 && s.min <= s.max && s.max <= DBL_MAX))
      return {errc::invalid_argument, "min, max: expected finite numbers with 0 <= min <= max"};
    if (s.zero_count > 0 ? s.min > s.zero_threshold
                         : (s.min <= s.zero_threshold || mapping.index(s.min) != s.offset))
      return {errc::invalid_argument, "min: not consistent with the zero bucket and the first bucket"};
    if (s.bucket_count > 0
            ? (s.max <= s.zero_threshold ||
               mapping.index(s.max) != std::int64_t{s.offset} + static_cast<std::int64_t>(s.bucket_count) - 1)
            : s.max > s.zero_threshold)
      return {errc::invalid_argument, "max: not consistent with the zero bucket and the last bucket"};
  } else if (s.sum != 0.0) {
    return {errc::invalid_argument, "sum: must be 0 when the count is 0"};
  }

  duration_sketch sketch(o, 0);
  if (!sketch.store_.assign(s.offset, s.counts, s.bucket_count))
    return {errc::out_of_range, "counts: " + std::to_string(s.bucket_count) + " buckets do not fit max_buckets " +
                                    std::to_string(s.max_buckets) + " (half of it with counts over 2^32 - 1)"};
  sketch.count_ = total;
  sketch.zero_count_ = s.zero_count;
  sketch.sum_ = s.sum;
  if (total > 0) {
    sketch.min_ = s.min + 0.0;
    sketch.max_ = s.max + 0.0;
  }
  sketch.rejected_ = s.rejected;
  return sketch;
}

CXM_END_NAMESPACE
