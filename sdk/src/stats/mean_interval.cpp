// SPDX-License-Identifier: MIT
// The intervals for the mean of a scale tally (see mean_interval.hpp and scale_tally.cpp).
#include "stats/mean_interval.hpp"

#include <cmath>

CXM_BEGIN_NAMESPACE
namespace detail {

sample_moments moments_of(const std::uint64_t* counts, int points, int min) noexcept {
  sample_moments r;
  double sum = 0;
  for (int i = 0; i < points; ++i) {
    r.n += static_cast<double>(counts[i]);
    sum += static_cast<double>(i) * static_cast<double>(counts[i]);
  }
  if (r.n == 0) return r;
  // Offsets from min, as scale_tally::mean() sums them; then central moments over the (at most
  // 11) distinct values: no cancellation from raw power sums.
  const double offset_mean = sum / r.n;
  r.mean = min + offset_mean;
  double m2 = 0, m3 = 0;
  for (int i = 0; i < points; ++i) {
    const double d = i - offset_mean, c = static_cast<double>(counts[i]);
    m2 += c * d * d;
    m3 += c * d * d * d;
  }
  if (r.n >= 2) r.sd = std::sqrt(m2 / (r.n - 1));
  // Rounding can leave a tiny m2 for equal answers only through offset_mean, which is then
  // exact: m2 > 0 means two different answers, and |γ̂| ≤ (n − 2)/√(n − 1).
  if (m2 > 0) r.skewness = (m3 / r.n) / std::pow(m2 / r.n, 1.5);
  return r;
}

mean_limits student_t_limits(const sample_moments& m, double t, const scale& s) noexcept {
  const double half = t * m.sd / std::sqrt(m.n);
  return {std::fmax(static_cast<double>(s.min), m.mean - half),
          std::fmin(static_cast<double>(s.max), m.mean + half)};
}

mean_limits all_equal_limits(double value, double n, double level, const scale& s) noexcept {
  const double q = -std::expm1(std::log((1.0 - level) / 2.0) / n);
  return {value - (value - s.min) * q, value + (s.max - value) * q};
}

mean_limits hall_t_limits(const sample_moments& m, double t, double level, const scale& s) noexcept {
  if (m.sd == 0) return all_equal_limits(m.mean, m.n, level, s);
  const double se = m.sd / std::sqrt(m.n);
  const double a = m.skewness / (3.0 * std::sqrt(m.n)), b = m.skewness / (6.0 * std::sqrt(m.n));
  // g(T) = T + a·T² + a²·T³/3 + b = ((1 + a·T)³ − 1)/(3a) + b is increasing; its inverse
  // ((1 + 3a(x − b))^{1/3} − 1)/a is written as 3(x − b)/(c² + c + 1), c the cube root, which
  // needs no special case for a → 0 (it tends to x − b) and does not cancel.
  auto inverse = [&](double x) {
    const double c = std::cbrt(1.0 + 3.0 * a * (x - b));
    return 3.0 * (x - b) / (c * c + c + 1.0);
  };
  // T = √n(mean − μ)/s, so g(T) in [−t, t] is μ in [mean − se·g⁻¹(t), mean − se·g⁻¹(−t)].
  return {std::fmax(static_cast<double>(s.min), m.mean - se * inverse(t)),
          std::fmin(static_cast<double>(s.max), m.mean - se * inverse(-t))};
}

}  // namespace detail
CXM_END_NAMESPACE
