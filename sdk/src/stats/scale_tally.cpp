// SPDX-License-Identifier: MIT
// Rating-scale tallies (CES, CSAT): mean with Hall's skewness-corrected t interval (or
// Student's), top box with Wilson's.
#include "cxm/stats/scale_tally.hpp"

#include <cmath>

#include "stats/mean_interval.hpp"
#include "stats/statistics.hpp"

CXM_BEGIN_NAMESPACE

result<scale_tally> scale_tally::make(scale s) {
  if (!s.valid())
    return {errc::invalid_argument,
            "a scale needs min <= top_box_min <= max and at most 11 points"};
  return scale_tally(s);
}

status scale_tally::add(double answer) noexcept {
  if (const errc e = classify_answer(answer, scale_); e != errc::ok) return reject(e);
  return add(static_cast<int>(answer));
}

status scale_tally::reject(errc reason) noexcept { return detail::count_rejection(rejected_, reason); }

status scale_tally::merge(const scale_tally& other) noexcept {
  if (other.scale_ != scale_) return errc::incompatible;
  if (other.total() > max_count - total()) return errc::out_of_range;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  detail::merge_rejections(rejected_, other.rejected_);
  return errc::ok;
}

status scale_tally::set_counts(const counts_type& counts) noexcept {
  for (std::size_t i = static_cast<std::size_t>(scale_.points()); i < counts.size(); ++i)
    if (counts[i] != 0) return errc::invalid_argument;
  std::uint64_t n = 0;
  for (std::uint64_t c : counts) {
    if (c > max_count - n) return errc::out_of_range;
    n += c;
  }
  counts_ = counts;
  return errc::ok;
}

std::uint64_t scale_tally::count(int answer) const noexcept {
  if (answer < scale_.min || answer > scale_.max) return 0;
  return counts_[static_cast<std::size_t>(answer - scale_.min)];
}

std::uint64_t scale_tally::total() const noexcept {
  std::uint64_t n = 0;
  for (std::uint64_t c : counts_) n += c;
  return n;
}

std::uint64_t scale_tally::top_box_count() const noexcept {
  std::uint64_t n = 0;
  for (int a = scale_.top_box_min; a <= scale_.max; ++a) n += count(a);
  return n;
}

std::uint64_t scale_tally::rejected(errc reason) const noexcept { return detail::rejection_count(rejected_, reason); }
std::uint64_t scale_tally::rejected_total() const noexcept { return detail::rejection_total(rejected_); }

double scale_tally::mean() const noexcept {
  const std::uint64_t n = total();
  if (n == 0) return 0.0;
  // Sum offsets from scale.min: exact in double for any realistic count, then shift back.
  double sum = 0;
  for (int i = 0; i < scale_.points(); ++i)
    sum += static_cast<double>(i) * static_cast<double>(counts_[static_cast<std::size_t>(i)]);
  return scale_.min + sum / static_cast<double>(n);
}

double scale_tally::standard_deviation() const noexcept {
  const std::uint64_t n = total();
  if (n < 2) return 0.0;
  // Two-pass over the (at most 11) distinct values: no cancellation from sum of squares.
  const double m = mean();
  double ss = 0;
  for (int i = 0; i < scale_.points(); ++i) {
    const double d = (scale_.min + i) - m;
    ss += d * d * static_cast<double>(counts_[static_cast<std::size_t>(i)]);
  }
  return std::sqrt(ss / static_cast<double>(n - 1));
}

double scale_tally::top_box_share() const noexcept {
  const std::uint64_t n = total();
  return n == 0 ? 0.0 : static_cast<double>(top_box_count()) / static_cast<double>(n);
}

// The default is Hall's (1992, JRSS B 54:221-228) transformation of Johnson's (1978, JASA
// 73:536-544) skewness-corrected t. With T = √n(mean − μ)/s and γ̂ the sample skewness, the
// Edgeworth expansion P(T ≤ x) = Φ(x) + γ(2x² + 1)/(6√n)·φ(x) + O(1/n) says T is skewed
// against the data; g(T) = T + a·T² + a²·T³/3 + b with a = γ̂/(3√n), b = γ̂/(6√n) removes that
// skewness and, unlike Johnson's quadratic, is monotone, so it inverts to one interval.
// Rating answers are skewed by nature (most CES answers sit at the easy end), and there the
// symmetric t interval misses on the side where samples have little spread: 92.7% at n = 30
// for 1/1/2/4/12/30/50 %, 84% for 0/0/0/0/2/8/90 %. We take t(n − 1) quantiles where Hall
// took normal ones, so the interval is exactly Student's when γ̂ = 0; with normal quantiles a
// symmetric 5/10/15/40/15/10/5 % falls to 93.9% at n = 30. Exact coverage over a grid of CES
// shapes (tests/unit/stats/scale_coverage_test.cpp, figures in HACKING.md): minimum 94.7% at
// n = 30 and 94.3% at n = 50, against 84.2% and 90.3% for the t interval; it errs on the safe
// side on near-degenerate and bimodal shapes (up to 99%).
//
// All answers equal leaves s = 0 and no skewness: the t interval would be the point itself,
// which misses whenever the population has any other answer (0/0/0/0/2/8/90 % gives thirty
// 7s 4.2% of the time at n = 30). all_equal_limits bounds the share of other answers by the
// exact Clopper–Pearson limit 1 − ((1 − level)/2)^{1/n} (≈ 3.7/n at 95%, the two-sided form
// of the "rule of three") and lets them sit at the far end of the scale.
result<interval> scale_tally::mean_interval(double level, interval_method method) const {
  if (!detail::valid_level(level))
    return {errc::invalid_argument, "confidence level must lie strictly between 0 and 1"};
  if (method != interval_method::hall_t && method != interval_method::student_t)
    return {errc::invalid_argument, "a mean interval is hall_t or student_t"};
  const std::uint64_t n = total();
  if (n < 2) return {errc::empty, "a mean interval needs at least two answers"};
  const detail::sample_moments m = detail::moments_of(counts_.data(), scale_.points(), scale_.min);
  const double t = detail::student_t_critical(level, static_cast<double>(n - 1));
  const detail::mean_limits l = method == interval_method::hall_t
                                    ? detail::hall_t_limits(m, t, level, scale_)
                                    : detail::student_t_limits(m, t, scale_);
  interval r;
  r.point = r.center = mean();
  r.lower = l.lower;
  r.upper = l.upper;
  r.level = level;
  r.n = n;
  r.method = method;
  r.small_sample = n < small_sample_threshold;
  return r;
}

result<interval> scale_tally::top_box_interval(double level) const {
  if (!detail::valid_level(level))
    return {errc::invalid_argument, "confidence level must lie strictly between 0 and 1"};
  const std::uint64_t n = total();
  if (n == 0) return {errc::empty, "no answers: the interval is undefined"};
  return detail::wilson_interval(top_box_count(), n, level);
}

// Welch (1947): each mean's variance estimated on its own, and the t distribution's degrees
// of freedom from Satterthwaite's approximation. A report compares a group with the rest of
// its breakdown, whose spreads differ as much as their sizes do, so the pooled-variance t test
// (which assumes equal variances) would be wrong exactly where it matters.
result<mean_difference> compare_means(const scale_tally& a, const scale_tally& b, double level) {
  if (!detail::valid_level(level))
    return {errc::invalid_argument, "confidence level must lie strictly between 0 and 1"};
  if (!(a.answer_scale() == b.answer_scale()))
    return {errc::incompatible, "the means of different scales do not compare"};
  const std::uint64_t na = a.total(), nb = b.total();
  if (na < 2 || nb < 2) return {errc::empty, "a difference of means needs two answers in each sample"};
  const double sa = a.standard_deviation(), sb = b.standard_deviation();
  const double va = sa * sa / static_cast<double>(na);
  const double vb = sb * sb / static_cast<double>(nb);
  mean_difference r;
  r.difference = a.mean() - b.mean();
  r.standard_error = std::sqrt(va + vb);
  r.level = level;
  r.n_a = na;
  r.n_b = nb;
  if (!(r.standard_error > 0.0)) {
    // No spread in either sample: no t statistic. Equal constants do not differ; different
    // ones differ for certain.
    r.degrees_of_freedom = static_cast<double>(na + nb - 2);
    r.lower = r.upper = r.difference;
    r.p_value = r.difference == 0.0 ? 1.0 : 0.0;
    return r;
  }
  r.degrees_of_freedom = (va + vb) * (va + vb) /
                         (va * va / static_cast<double>(na - 1) + vb * vb / static_cast<double>(nb - 1));
  const double t = detail::student_t_critical(level, r.degrees_of_freedom);
  r.lower = r.difference - t * r.standard_error;
  r.upper = r.difference + t * r.standard_error;
  r.p_value = detail::student_t_two_sided_p(r.difference / r.standard_error, r.degrees_of_freedom);
  return r;
}

CXM_END_NAMESPACE
