// SPDX-License-Identifier: MIT
// Rating-scale tallies (CES, CSAT): mean with a Student t interval, top box with Wilson's.
#include "cxm/stats/scale_tally.hpp"

#include <cmath>

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

result<interval> scale_tally::mean_interval(double level) const {
  if (!detail::valid_level(level))
    return {errc::invalid_argument, "confidence level must lie strictly between 0 and 1"};
  const std::uint64_t n = total();
  if (n < 2) return {errc::empty, "a mean interval needs at least two answers"};
  const double t = detail::student_t_critical(level, static_cast<double>(n - 1));
  const double half = t * standard_deviation() / std::sqrt(static_cast<double>(n));
  interval r;
  r.point = r.center = mean();
  // A mean of answers on [min, max] lies there: the t interval is clamped to the scale.
  r.lower = std::fmax(static_cast<double>(scale_.min), r.point - half);
  r.upper = std::fmin(static_cast<double>(scale_.max), r.point + half);
  r.level = level;
  r.n = n;
  r.method = interval_method::student_t;
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
