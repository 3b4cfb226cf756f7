// SPDX-License-Identifier: MIT
// Differences of two design-weighted estimates (weighted_tally.hpp: compare, compare_means):
// the difference of two Hájek ratios with the sum of their linearization variances.
#include <cmath>

#include "cxm/stats/weighted_tally.hpp"
#include "stats/statistics.hpp"

CXM_BEGIN_NAMESPACE

result<nps_difference> compare(const weighted_nps_tally& a, const weighted_nps_tally& b, double level) {
  if (!detail::valid_level(level))
    return {errc::invalid_argument, "confidence level must lie strictly between 0 and 1"};
  if (a.total() < 2 || b.total() < 2)
    return {errc::empty, "a weighted difference needs two responses in each sample"};
  const double se_a = a.standard_error(), se_b = b.standard_error();
  nps_difference r;
  r.difference = a.score() - b.score();
  r.standard_error = std::sqrt(se_a * se_a + se_b * se_b);
  r.level = level;
  r.n_a = a.total();
  r.n_b = b.total();
  r.method = interval_method::wald;
  r.small_sample = a.effective_n() < static_cast<double>(small_sample_threshold) ||
                   b.effective_n() < static_cast<double>(small_sample_threshold);
  if (!(r.standard_error > 0.0)) {
    // Every response of each sample in one NPS group: no spread, no z statistic.
    r.lower = r.upper = r.difference;
    r.p_value = r.difference == 0.0 ? 1.0 : 0.0;
    return r;
  }
  const double z = detail::normal_critical(level);
  r.lower = r.difference - z * r.standard_error;
  r.upper = r.difference + z * r.standard_error;
  r.p_value = detail::normal_two_sided_p(r.difference / r.standard_error);
  return r;
}

result<mean_difference> compare_means(const weighted_scale_tally& a, const weighted_scale_tally& b, double level) {
  if (!detail::valid_level(level))
    return {errc::invalid_argument, "confidence level must lie strictly between 0 and 1"};
  if (!(a.answer_scale() == b.answer_scale()))
    return {errc::incompatible, "the means of different scales do not compare"};
  if (a.total() < 2 || b.total() < 2)
    return {errc::empty, "a weighted difference of means needs two responses in each sample"};
  const double se_a = a.mean_standard_error(), se_b = b.mean_standard_error();
  const double va = se_a * se_a, vb = se_b * se_b;
  const double df_a = a.effective_n() - 1.0, df_b = b.effective_n() - 1.0;
  mean_difference r;
  r.difference = a.mean() - b.mean();
  r.standard_error = std::sqrt(va + vb);
  r.level = level;
  r.n_a = a.total();
  r.n_b = b.total();
  if (!(r.standard_error > 0.0)) {
    r.degrees_of_freedom = df_a + df_b;
    r.lower = r.upper = r.difference;
    r.p_value = r.difference == 0.0 ? 1.0 : 0.0;
    return r;
  }
  // A sample with n >= 2 and positive weights has n_eff > 1; only rounding of wildly unequal
  // weights could bring it to 1, and then no degrees of freedom remain.
  if (!(df_a > 0.0 && df_b > 0.0)) return {errc::empty, "an effective sample size of 1 has no degrees of freedom"};
  r.degrees_of_freedom = (va + vb) * (va + vb) / (va * va / df_a + vb * vb / df_b);
  if (!(r.degrees_of_freedom > 0.0) || !std::isfinite(r.degrees_of_freedom))
    return {errc::empty, "no degrees of freedom for the weighted difference"};
  const double t = detail::student_t_critical(level, r.degrees_of_freedom);
  r.lower = r.difference - t * r.standard_error;
  r.upper = r.difference + t * r.standard_error;
  r.p_value = detail::student_t_two_sided_p(r.difference / r.standard_error, r.degrees_of_freedom);
  return r;
}

CXM_END_NAMESPACE
