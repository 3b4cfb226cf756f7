// SPDX-License-Identifier: MIT
/// @file weighted_tally.hpp  Design-weighted NPS and rating-scale tallies: each response is
/// weighted by the inverse of its recorded inclusion probability (the survey's sample rate).
#ifndef CXM_STATS_WEIGHTED_TALLY_HPP
#define CXM_STATS_WEIGHTED_TALLY_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "cxm/core/config.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale.hpp"
#include "cxm/stats/scale_tally.hpp"

CXM_BEGIN_NAMESPACE

/// The smallest inclusion probability a weighted tally accepts: 1e-12, a weight of at most
/// 1e12. It keeps every sum of squared weights finite (at most `max_count`·1e24 < 1e43); no
/// sample rate a survey sets comes near it.
inline constexpr double min_inclusion_probability = 1e-12;

/// Whether `p` is an inclusion probability a weighted tally accepts: `errc::ok`, `not_finite`
/// (NaN, infinities), or `out_of_range` (outside [min_inclusion_probability, 1]: 0, negative,
/// over 1). The one rule both weighted tallies apply.
inline errc classify_inclusion_probability(double p) noexcept {
  if (std::isnan(p) || std::isinf(p)) return errc::not_finite;
  if (!(p >= min_inclusion_probability && p <= 1.0)) return errc::out_of_range;
  return errc::ok;
}

/// The sufficient statistics of the weighted estimators for one category (an NPS group or one
/// point of a scale): the responses, the sum of their weights w = 1/π and of the squared weights.
struct weighted_cell {
  std::uint64_t n = 0;
  double weight = 0;          ///< Σ w
  double weight_squared = 0;  ///< Σ w²

  friend bool operator==(const weighted_cell& a, const weighted_cell& b) noexcept {
    return a.n == b.n && a.weight == b.weight && a.weight_squared == b.weight_squared;
  }
  friend bool operator!=(const weighted_cell& a, const weighted_cell& b) noexcept { return !(a == b); }
};

/// Net Promoter answers weighted by their inverse inclusion probability w = 1/π.
///
/// The survey widget samples respondents (`targeting.sample_rate`) and records each
/// response's inclusion probability π; a response that stands for 10 customers (π = 0.1)
/// then counts ten times as much as one that stands for itself. The tally keeps, per NPS
/// group k (detractor, passive, promoter), n_k, W_k = Σ w and Q_k = Σ w²: with the score
/// y ∈ {−100, 0, +100} constant within a group, these are sufficient for every statistic
/// below. Rejected answers and probabilities are counted by reason.
///
/// @par Statistics
/// With W = Σ w_i over the n valid responses:
/// - `score()`: the Hájek (ratio) estimator R̂ = Σ w_i y_i / W = 100·(W_P − W_D)/W (Särndal,
///   Swensson & Wretman 1992, *Model Assisted Survey Sampling*, §5.7: the weighted mean as a
///   ratio of two Horvitz-Thompson totals). Unbiased only approximately, but invariant to the
///   scale of the weights and exactly the unweighted NPS when all weights are equal.
/// - `standard_error()`: Taylor linearization of the ratio (Särndal et al. 1992, §5.7;
///   Wolter 2007, *Introduction to Variance Estimation*, ch. 6), with the variance of the
///   linearized total estimated as if the n responses were drawn with replacement, the
///   "ultimate cluster" estimator (Hansen, Hurwitz & Madow 1953; Kalton 1979, *JRSS A*
///   142:210-222; what R's `survey` computes for a one-stage design given only weights, no
///   strata and no finite population correction):
///       v(R̂) = n/(n−1) · Σ_i w_i²(y_i − R̂)² / W² = n/(n−1) · Σ_k Q_k (y_k − R̂)² / W²,
///   summed as squared deviations per group (no cancellation).
///   It ignores the finite population correction (conservative for sampling without
///   replacement) and any stratification of the design. With all weights equal it is the
///   unweighted trinomial standard error times sqrt(n/(n−1)) (the n − 1 divisor of a sample
///   variance where `nps_tally` uses n).
/// - `effective_n()`: Kish's effective sample size (Kish 1965, *Survey Sampling*; Kish 1992,
///   *J. Off. Stat.* 8:183-200) n_eff = W²/Σ w², at most n, with equality exactly when all
///   weights are equal (Cauchy-Schwarz). In floating point, equal non-dyadic weights may give
///   n_eff a few ulps under n; values over n are capped at n.
/// - `confidence_interval()`: Wald, R̂ ± z·SE, clamped to [−100, 100] like the unweighted
///   intervals. The adjusted-Wald and score intervals have no accepted design-based form;
///   Wald on the linearization SE is what survey packages report. `small_sample` is set when
///   n_eff < `small_sample_threshold`: unequal weights make a sample behave like a smaller one.
///
/// Records without a probability (older widgets, imports) go through `add(answer)`: π = 1,
/// counted in `missing_probability()` so that a report can warn that the weights are partial.
///
/// A commutative monoid: `merge` adds the cells. Sums of weights are floating point, so
/// merging is exactly commutative and associative up to rounding (exactly associative when
/// the weights are dyadic, e.g. π = 1/2^k). No JSON form yet (`tally_json.hpp` does not
/// encode weighted tallies).
///
/// @par Thread safety
/// None: use one tally per thread or session and merge them.
class CXM_API weighted_nps_tally {
 public:
  using cells_type = std::array<weighted_cell, 3>;  ///< indexed by nps_category

  weighted_nps_tally() noexcept = default;

  /// Adds one answer 0-10 with inclusion probability π. Rejects and counts, leaving the tally
  /// untouched: an answer outside 0-10 (`out_of_range`, counted in `rejected`), then a π that
  /// `classify_inclusion_probability` rejects (counted in `rejected_probability`). O(1), no
  /// allocation.
  status add(int answer, double inclusion_probability) noexcept {
    if (answer < nps_tally::min_answer || answer > nps_tally::max_answer) return reject(errc::out_of_range);
    return add_valid(categorize_nps(answer), inclusion_probability);
  }
  /// Adds an answer given as a number (JSON, JS): the answer is checked by `classify_answer`
  /// (scale.hpp) first, then π as above.
  status add(double answer, double inclusion_probability) noexcept;
  /// Adds an answer recorded without an inclusion probability: π = 1 (weight 1), counted in
  /// `missing_probability()`.
  status add(int answer) noexcept;
  status add(double answer) noexcept;
  /// Counts an answer that was not a number at all (usually `errc::wrong_type`). Returns `reason`.
  status reject(errc reason) noexcept;

  /// Adds `other`'s cells and counters.
  /// @par Errors
  /// `out_of_range` when the merged total would pass `max_count`; the tally is then unchanged.
  status merge(const weighted_nps_tally& other) noexcept;

  const cells_type& cells() const noexcept { return cells_; }
  const weighted_cell& cell(nps_category c) const noexcept { return cells_[static_cast<std::size_t>(c)]; }
  /// Valid responses n.
  std::uint64_t total() const noexcept;
  bool empty() const noexcept { return total() == 0; }
  /// Σ w and Σ w² over the valid responses.
  double weight_total() const noexcept;
  double weight_squared_total() const noexcept;
  /// Valid responses that came without an inclusion probability (weighted with π = 1).
  std::uint64_t missing_probability() const noexcept { return missing_probability_; }
  /// Answers rejected for `reason` (out_of_range, not_integer, not_finite, wrong_type).
  std::uint64_t rejected(errc reason) const noexcept;
  /// Valid answers rejected because of their probability (not_finite, out_of_range).
  std::uint64_t rejected_probability(errc reason) const noexcept;
  /// Every rejection, answers and probabilities (saturating).
  std::uint64_t rejected_total() const noexcept;

  /// The Hájek estimate of NPS in points, [−100, 100]; 0 when empty.
  double score() const noexcept;
  /// The linearization standard error of `score()` in points; 0 when n < 2 (no estimate).
  double standard_error() const noexcept;
  /// Kish's effective sample size (Σw)²/Σw², in [1, n]; 0 when empty.
  double effective_n() const noexcept;
  /// The Wald interval at `level` (method `wald`, n = responses, small_sample from n_eff).
  /// @par Errors
  /// `invalid_argument` for a level outside (0, 1); `empty` when n < 2 (no variance estimate).
  result<interval> confidence_interval(double level = 0.95) const;

  friend bool operator==(const weighted_nps_tally& a, const weighted_nps_tally& b) noexcept {
    return a.cells_ == b.cells_ && a.missing_probability_ == b.missing_probability_ &&
           a.rejected_ == b.rejected_ && a.rejected_probability_ == b.rejected_probability_;
  }
  friend bool operator!=(const weighted_nps_tally& a, const weighted_nps_tally& b) noexcept { return !(a == b); }

 private:
  status add_valid(nps_category c, double inclusion_probability) noexcept;
  cells_type cells_{};
  std::uint64_t missing_probability_ = 0;
  std::array<std::uint64_t, 4> rejected_{};              // nps_tally::rejected_reasons order
  std::array<std::uint64_t, 2> rejected_probability_{};  // out_of_range, not_finite
};

/// Answers on one `scale` (CES, CSAT) weighted by their inverse inclusion probability.
///
/// Per scale point j: n_j, W_j = Σ w, Q_j = Σ w² (`weighted_cell`). Tallies of different
/// scales do not merge (`errc::incompatible`). Add, reject, missing-probability and merge
/// semantics are those of `weighted_nps_tally`.
///
/// @par Statistics
/// Every estimate is a Hájek ratio Σ w_i y_i / W with the linearization variance
/// v = n/(n−1) · Σ w_i²(y_i − estimate)² / W² (with-replacement approximation; references at
/// `weighted_nps_tally`):
/// - `mean()` (y = the answer) and `mean_interval()`: Student t, mean ± t(n_eff − 1)·SE,
///   clamped to the scale. Degrees of freedom from Kish's effective n rather than n − 1: the
///   t reference distribution with n_eff − 1 df is Potthoff, Woodbury & Manton's (1992,
///   *JASA* 87:383-396) "equivalent degrees of freedom" for a weighted mean; with equal
///   weights it is the usual t(n − 1) interval (with the SE's n/(n−1) factor, exactly
///   `scale_tally::mean_interval`).
/// - `top_box_share()` (y = 1 for an answer in the top box, else 0) and `top_box_interval()`:
///   Wilson's interval with the design-based effective sample size n* = p̂(1 − p̂)/v(p̂)
///   in place of n (Korn & Graubard 1998, *Survey Methodology* 24:193-201, who use it with
///   Clopper-Pearson and a degrees-of-freedom correction we leave out; Dean & Pagano 2015,
///   *J. Surv. Stat. Methodol.* 3:484-503, evaluate it with Wilson). When p̂ is 0 or 1 (v = 0) n* falls back to Kish's n_eff.
///
/// @par Thread safety
/// None: use one tally per thread or session and merge them.
class CXM_API weighted_scale_tally {
 public:
  using cells_type = std::array<weighted_cell, scale::max_points>;  ///< index 0 = scale.min

  /// A tally on the 1-7 CES scale.
  weighted_scale_tally() noexcept : scale_(scale::ces7()) {}
  /// A tally on `s`; `invalid_argument` for an invalid scale.
  static result<weighted_scale_tally> make(scale s);

  const cxm::scale& answer_scale() const noexcept { return scale_; }

  /// Adds one answer with inclusion probability π; rejections as in `weighted_nps_tally`.
  status add(int answer, double inclusion_probability) noexcept {
    if (answer < scale_.min || answer > scale_.max) return reject(errc::out_of_range);
    return add_valid(static_cast<std::size_t>(answer - scale_.min), inclusion_probability);
  }
  status add(double answer, double inclusion_probability) noexcept;
  /// Adds an answer without a probability (π = 1), counted in `missing_probability()`.
  status add(int answer) noexcept;
  status add(double answer) noexcept;
  status reject(errc reason) noexcept;

  /// Adds `other`. `incompatible` when the scales differ, `out_of_range` past `max_count`;
  /// unchanged on error.
  status merge(const weighted_scale_tally& other) noexcept;

  const cells_type& cells() const noexcept { return cells_; }
  /// The cell of `answer` (an empty cell outside the scale).
  weighted_cell cell(int answer) const noexcept;
  std::uint64_t total() const noexcept;
  bool empty() const noexcept { return total() == 0; }
  double weight_total() const noexcept;
  double weight_squared_total() const noexcept;
  std::uint64_t missing_probability() const noexcept { return missing_probability_; }
  std::uint64_t rejected(errc reason) const noexcept;
  std::uint64_t rejected_probability(errc reason) const noexcept;
  std::uint64_t rejected_total() const noexcept;

  /// Kish's effective sample size, in [1, n]; 0 when empty.
  double effective_n() const noexcept;
  /// The Hájek mean answer; 0 when empty.
  double mean() const noexcept;
  /// Its linearization standard error; 0 when n < 2.
  double mean_standard_error() const noexcept;
  /// The weighted share of top-box answers, [0, 1]; 0 when empty.
  double top_box_share() const noexcept;
  /// Its linearization standard error; 0 when n < 2.
  double top_box_standard_error() const noexcept;

  /// Student t interval with n_eff − 1 degrees of freedom (method `student_t`).
  /// @par Errors `invalid_argument` (level outside (0,1)); `empty` when n < 2.
  result<interval> mean_interval(double level = 0.95) const;
  /// Wilson interval with the design-based effective n (method `wilson`).
  /// @par Errors `invalid_argument` (level outside (0,1)); `empty` when n < 2.
  result<interval> top_box_interval(double level = 0.95) const;

  friend bool operator==(const weighted_scale_tally& a, const weighted_scale_tally& b) noexcept {
    return a.scale_ == b.scale_ && a.cells_ == b.cells_ &&
           a.missing_probability_ == b.missing_probability_ && a.rejected_ == b.rejected_ &&
           a.rejected_probability_ == b.rejected_probability_;
  }
  friend bool operator!=(const weighted_scale_tally& a, const weighted_scale_tally& b) noexcept {
    return !(a == b);
  }

 private:
  explicit weighted_scale_tally(scale s) noexcept : scale_(s) {}
  status add_valid(std::size_t index, double inclusion_probability) noexcept;
  cxm::scale scale_;
  cells_type cells_{};
  std::uint64_t missing_probability_ = 0;
  std::array<std::uint64_t, 4> rejected_{};
  std::array<std::uint64_t, 2> rejected_probability_{};
};

/// Compares the Hájek NPS estimates of two independent samples (groups of a breakdown, a
/// group and the rest, two periods): difference = a.score() − b.score() in points,
/// SE = sqrt(v_a + v_b) with each tally's linearization variance, normal reference: interval
/// difference ± z·SE and p = P(|Z| >= |difference|/SE) (method `wald`, like the one-sample
/// weighted interval). Adding the variances treats the samples as independent. For disjoint
/// domains of one with-replacement sample the linearized covariance is exactly zero (each
/// domain's linearized values w_i(y_i − R̂)/W sum to zero over the domain), so only the
/// n/(n−1) factors differ from a full-sample domain analysis (Kish 1965, *Survey Sampling*,
/// ch. 14, on comparisons of subclass means; Wolter 2007, ch. 6). When SE = 0 (no spread in
/// either sample) the interval is the difference itself and p is 1 for a zero difference, else 0.
/// `n_a`/`n_b` are the responses; `small_sample` is set when either n_eff < small_sample_threshold.
/// @par Errors
/// `invalid_argument` for a level outside (0, 1); `empty` when either sample has fewer than
/// two responses.
CXM_API result<nps_difference> compare(const weighted_nps_tally& a, const weighted_nps_tally& b, double level = 0.95);

/// Compares the Hájek means of two independent samples on one scale: difference of the means,
/// SE = sqrt(v_a + v_b), Student t with Welch–Satterthwaite degrees of freedom computed from
/// the effective sizes, df = (v_a + v_b)² / (v_a²/(n_eff,a − 1) + v_b²/(n_eff,b − 1)):
/// Welch's (1947) approximation with Kish's n_eff in place of n, which reduces to each
/// sample's n_eff − 1 (the degrees of freedom of the one-sample weighted interval, Potthoff,
/// Woodbury & Manton 1992) when the other's variance vanishes, and to Welch's test when all
/// weights are equal (then v = n/(n−1)·Σ(y − ȳ)²/n² = s²/n and n_eff = n, so the difference,
/// SE, df, interval and p-value are `compare_means`' on the unweighted tallies, to rounding).
/// Independence as in `compare`.
/// @par Errors
/// `invalid_argument` (level); `incompatible` when the scales differ; `empty` when either
/// sample has fewer than two responses or the degrees of freedom are not positive.
CXM_API result<mean_difference> compare_means(const weighted_scale_tally& a, const weighted_scale_tally& b,
                                              double level = 0.95);

CXM_END_NAMESPACE

#endif  // CXM_STATS_WEIGHTED_TALLY_HPP
