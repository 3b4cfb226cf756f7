// SPDX-License-Identifier: MIT
/// @file nps_tally.hpp  Net Promoter Score: a mergeable tally of 0-10 answers and its statistics.
#ifndef CXM_STATS_NPS_TALLY_HPP
#define CXM_STATS_NPS_TALLY_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "cxm/core/config.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/scale.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The three NPS groups of a 0-10 "how likely are you to recommend us" answer.
enum class nps_category : std::int32_t {
  detractor = 0,  ///< 0-6
  passive = 1,    ///< 7-8
  promoter = 2,   ///< 9-10
};

/// The category of a valid answer (0-10). Precondition: 0 <= answer <= 10.
constexpr nps_category categorize_nps(int answer) noexcept {
  return answer >= 9 ? nps_category::promoter
                     : (answer >= 7 ? nps_category::passive : nps_category::detractor);
}

/// A tally of Net Promoter answers: the count of each answer 0-10, and the count of rejected
/// answers by reason.
///
/// A commutative monoid: `merge(a, b)` equals the tally of both inputs, in any order.
///
/// @par Statistics
/// NPS = 100·(P − D)/n in [-100, 100]. Its standard error comes from the trinomial variance
/// (p_P + p_D − (p_P − p_D)²)/n. Intervals: Wald; adjusted Wald (the default: add 3/4 promoter,
/// 3/2 passive and 3/4 detractor pseudo-answers, centre on the adjusted score, clamp to
/// [-100, 100]; Sauro & Lewis, best coverage in Rocks 2016); Tango's score interval (Rocks 2016,
/// as in his R package `NPS`). Normal quantiles come from Boost.Math.
///
/// @par Thread safety
/// None: use one tally per thread or session and merge them.
class CXM_API nps_tally {
 public:
  static constexpr int min_answer = 0;
  static constexpr int max_answer = 10;
  using counts_type = std::array<std::uint64_t, 11>;

  nps_tally() noexcept = default;
  /// A tally with the given counts of answers 0..10. Precondition: they add up to at most
  /// `max_count` (decoders check it).
  explicit nps_tally(const counts_type& counts) noexcept : counts_(counts) {}

  /// Adds one answer. Rejects (and counts, leaving the answers untouched) a value outside 0-10
  /// with `errc::out_of_range`. O(1), no allocation.
  status add(int answer) noexcept {
    if (answer < min_answer || answer > max_answer) return reject(errc::out_of_range);
    ++counts_[static_cast<std::size_t>(answer)];
    return errc::ok;
  }
  /// Adds one answer given as a number (JSON, JS). Rejects and counts what `classify_answer`
  /// (scale.hpp) rejects: NaN/infinities (`not_finite`), fractions such as 9.5 (`not_integer`),
  /// values outside 0-10 (`out_of_range`).
  status add(double answer) noexcept;

  /// Adds `size` answers stored one byte each, e.g. a column of answers. Bytes over 10 are
  /// rejected as `out_of_range` and counted. Uses the widest SIMD kernel the CPU offers
  /// (AVX-512BW, AVX2, wasm SIMD128), selected once at run time.
  /// @returns the number of answers accepted.
  std::uint64_t add_bulk(const std::uint8_t* answers, std::size_t size) noexcept;

  /// Counts an answer that could not be read as a number at all (a JSON string, null, a
  /// boolean): `reason` is usually `errc::wrong_type`. Returns `reason`.
  status reject(errc reason) noexcept;

  /// Adds the answers and rejections of `other`.
  /// @par Errors
  /// `out_of_range` when the merged total would pass `max_count` (limits.hpp); the tally is
  /// then unchanged. Rejection counters saturate.
  status merge(const nps_tally& other) noexcept;

  const counts_type& counts() const noexcept { return counts_; }
  std::uint64_t count(int answer) const noexcept {
    return answer < min_answer || answer > max_answer ? 0 : counts_[static_cast<std::size_t>(answer)];
  }
  std::uint64_t promoters() const noexcept { return counts_[9] + counts_[10]; }
  std::uint64_t passives() const noexcept { return counts_[7] + counts_[8]; }
  std::uint64_t detractors() const noexcept;
  /// Valid answers (the denominator of every statistic).
  std::uint64_t total() const noexcept;
  bool empty() const noexcept { return total() == 0; }
  /// Answers rejected for `reason` (out_of_range, not_integer, not_finite, wrong_type).
  std::uint64_t rejected(errc reason) const noexcept;
  std::uint64_t rejected_total() const noexcept;

  /// NPS in points, [-100, 100]. 0 for an empty tally (check `empty()`).
  double score() const noexcept;
  /// The standard error of `score()` in points: 100·sqrt((p_P + p_D − (p_P − p_D)²)/n).
  double standard_error() const noexcept;
  /// The score after adding 3/4 promoter, 3/2 passive, 3/4 detractor (centre of adjusted Wald).
  double adjusted_score() const noexcept;
  double adjusted_standard_error() const noexcept;

  /// A two-sided interval at `level` in (0, 1).
  /// @par Errors
  /// `invalid_argument` for a level outside (0, 1) or a method that is not wald,
  /// adjusted_wald or score; `empty` for an empty tally.
  result<interval> confidence_interval(double level = 0.95,
                                       interval_method method = interval_method::adjusted_wald) const;

  friend bool operator==(const nps_tally& a, const nps_tally& b) noexcept {
    return a.counts_ == b.counts_ && a.rejected_ == b.rejected_;
  }
  friend bool operator!=(const nps_tally& a, const nps_tally& b) noexcept { return !(a == b); }

  /// Rejection counters in a fixed order (see rejected_reasons), for serialization.
  static constexpr std::array<errc, 4> rejected_reasons{errc::out_of_range, errc::not_integer,
                                                        errc::not_finite, errc::wrong_type};
  const std::array<std::uint64_t, 4>& rejected_counts() const noexcept { return rejected_; }
  void set_rejected_counts(const std::array<std::uint64_t, 4>& r) noexcept { rejected_ = r; }

 private:
  counts_type counts_{};
  std::array<std::uint64_t, 4> rejected_{};
};

/// The difference a − b of two independent Net Promoter Scores, with its interval and the
/// two-sided p-value of "no difference". The sign is kept: negative means a is lower.
struct nps_difference {
  double difference = 0;  ///< points; for adjusted_wald the difference of the scores adjusted for
                          ///< comparison (1/2 promoter, 1 passive, 1/2 detractor added to each)
  double standard_error = 0;
  double lower = 0;
  double upper = 0;
  double p_value = 1;
  double level = 0;
  std::uint64_t n_a = 0;
  std::uint64_t n_b = 0;
  interval_method method = interval_method::adjusted_wald;
  bool small_sample = false;  ///< either sample is under small_sample_threshold
};

/// Compares two independent samples (z test on the difference, SE = sqrt(SE_a² + SE_b²)).
///
/// adjusted_wald (the default) adds 1/2 promoter, 1 passive and 1/2 detractor pseudo-answers
/// to each sample (two per sample, as Agresti & Caffo 2000 add one success and one failure per
/// group for a difference of proportions), fewer than `confidence_interval` adds to one sample:
/// its 3/4, 3/2, 3/4 pulls both scores toward 0 and the shrinkage adds up in the difference
/// (exact coverage down to 92.7% at n = 30 per group for +75 vs −65). Exact coverage of the 95%
/// interval, 30 to 100 answers per group: min 94.3%, mean 94.9 to 95.0% (HACKING.md, Statistics).
/// The interval is difference ± z·standard_error and p_value = 2·(1 − Φ(|difference| /
/// standard_error)), so 0 lies outside the interval exactly when p_value < 1 − level (up to
/// rounding at the boundary).
/// @par Errors
/// `invalid_argument` for a level outside (0, 1) or a method other than wald/adjusted_wald;
/// `empty` when either tally is empty.
CXM_API result<nps_difference> compare(const nps_tally& a, const nps_tally& b, double level = 0.95,
                                       interval_method method = interval_method::adjusted_wald);

CXM_END_NAMESPACE

#endif  // CXM_STATS_NPS_TALLY_HPP
