// SPDX-License-Identifier: MIT
// Interval method names; distribution quantiles from Boost.Math (errno policies: nothing
// throws), and Wilson intervals.
#include "stats/statistics.hpp"

#include "cxm/stats/interval.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

CXM_BEGIN_NAMESPACE

const char* name(interval_method m) noexcept {
  switch (m) {
    case interval_method::wald: return "wald";
    case interval_method::adjusted_wald: return "adjusted_wald";
    case interval_method::score: return "score";
    case interval_method::student_t: return "student_t";
    case interval_method::wilson: return "wilson";
    case interval_method::hall_t: return "hall_t";
  }
  return "unknown";
}

namespace detail {

double normal_critical(double level) noexcept {
  const boost::math::normal_distribution<double> n;
  return boost::math::quantile(boost::math::complement(n, (1.0 - level) / 2.0));
}

double student_t_critical(double level, double df) noexcept {
  const boost::math::students_t_distribution<double> t(df);
  return boost::math::quantile(boost::math::complement(t, (1.0 - level) / 2.0));
}

double normal_two_sided_p(double z) noexcept {
  const boost::math::normal_distribution<double> n;
  return 2.0 * boost::math::cdf(boost::math::complement(n, std::fabs(z)));
}

double student_t_two_sided_p(double t, double df) noexcept {
  const boost::math::students_t_distribution<double> d(df);
  return 2.0 * boost::math::cdf(boost::math::complement(d, std::fabs(t)));
}

interval wilson_formula(double p, double nn, double level) noexcept {
  const double z = normal_critical(level);
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nn;
  const double centre = (p + z2 / (2.0 * nn)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
  interval r;
  r.point = p;
  r.center = centre;
  r.lower = std::fmax(0.0, centre - half);
  r.upper = std::fmin(1.0, centre + half);
  r.level = level;
  r.method = interval_method::wilson;
  return r;
}

interval wilson_interval(std::uint64_t successes, std::uint64_t n, double level) noexcept {
  const double nn = static_cast<double>(n);
  interval r = wilson_formula(static_cast<double>(successes) / nn, nn, level);
  r.n = n;
  r.small_sample = n < small_sample_threshold;
  return r;
}

int rejection_slot(errc reason) noexcept {
  switch (reason) {
    case errc::out_of_range: return 0;
    case errc::not_integer: return 1;
    case errc::not_finite: return 2;
    case errc::wrong_type: return 3;
    default: return -1;
  }
}

status count_rejection(rejection_counts& r, errc reason) noexcept {
  const int slot = rejection_slot(reason);
  if (slot < 0) return errc::invalid_argument;
  auto& c = r[static_cast<std::size_t>(slot)];
  c = add_saturating(c, 1);
  return reason;
}

std::uint64_t rejection_count(const rejection_counts& r, errc reason) noexcept {
  const int slot = rejection_slot(reason);
  return slot < 0 ? 0 : r[static_cast<std::size_t>(slot)];
}

}  // namespace detail
CXM_END_NAMESPACE
