// SPDX-License-Identifier: MIT
// Adjusted p-values for a family of comparisons: Bonferroni, Holm's step-down procedure and
// Benjamini & Hochberg's step-up procedure, computed as R's p.adjust computes them.
//
// Sources:
// - Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian
//   Journal of Statistics 6:65-70. With p_(1) <= ... <= p_(m), reject H_(1), ..., H_(k-1)
//   where k is the first index with p_(k) > α/(m − k + 1).
// - Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical
//   and powerful approach to multiple testing. JRSS B 57:289-300. Reject H_(1), ..., H_(k)
//   for the largest k with p_(k) <= k·α/m.
// - Wright, S. P. (1992). Adjusted p-values for simultaneous inference. Biometrics
//   48:1005-1013: the adjusted p-value is the smallest α at which the procedure rejects the
//   hypothesis. For Holm that is the running maximum of (m − j + 1)·p_(j) from the smallest
//   p up; for BH the running minimum of (m/j)·p_(j) from the largest p down; both capped at 1.
//
// R computes (m − j + 1)·p and (m/j)·p in that order of operations (the quotient m/j first);
// so does this file, so that the results are R's doubles, not merely close to them (the
// exact values differ by at most about one ulp: tests/data/golden checks against them). The running
// maximum/minimum also makes tied p-values share one adjusted value, so the order a sort
// leaves ties in does not matter.
#include "cxm/stats/p_adjust.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "stats/statistics.hpp"

CXM_BEGIN_NAMESPACE

namespace {

constexpr const char* method_names[] = {"none", "bonferroni", "holm", "benjamini_hochberg"};
constexpr std::size_t method_count = sizeof(method_names) / sizeof(method_names[0]);

/// The detail for a value that is not a probability, or an empty string when `x` is one.
/// `!(x >= 0 && x <= 1)` is how NaN fails too.
std::string check_probability(const char* what, std::size_t i, double x) {
  if (x >= 0.0 && x <= 1.0) return {};
  const char* got = std::isnan(x) ? "NaN" : (x < 0.0 ? "a negative number" : "a number above 1");
  return std::string(what) + "[" + std::to_string(i) + "]: expected a p-value in [0, 1], got " + got;
}

/// The indices of `p` in increasing order of p (ties by index: deterministic, and std::sort
/// does not allocate as std::stable_sort may).
std::vector<std::size_t> increasing_order(const std::vector<double>& p) {
  std::vector<std::size_t> order(p.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&p](std::size_t a, std::size_t b) { return p[a] < p[b] || (p[a] == p[b] && a < b); });
  return order;
}

}  // namespace

const char* name(p_adjust_method m) noexcept {
  const auto i = static_cast<std::size_t>(m);
  return i < method_count ? method_names[i] : "unknown";
}

bool parse_p_adjust_method(std::string_view text, p_adjust_method& out) noexcept {
  for (std::size_t i = 0; i < method_count; ++i)
    if (text == method_names[i]) {
      out = static_cast<p_adjust_method>(i);
      return true;
    }
  return false;
}

result<std::vector<double>> adjust_p_values(const std::vector<double>& p, p_adjust_method m) {
  if (static_cast<std::size_t>(m) >= method_count)
    return {errc::invalid_argument, "a p-value adjustment is none, bonferroni, holm or benjamini_hochberg"};
  for (std::size_t i = 0; i < p.size(); ++i)
    if (std::string bad = check_probability("p", i, p[i]); !bad.empty())
      return {errc::invalid_argument, std::move(bad)};

  const std::size_t size = p.size();
  const double n = static_cast<double>(size);  // exact: a vector holds far fewer than 2^53
  std::vector<double> out(p);
  // R returns one value unchanged (n <= 1); the formulas below would give the same.
  if (m == p_adjust_method::none || size <= 1) return out;

  if (m == p_adjust_method::bonferroni) {
    for (double& x : out) x = std::fmin(1.0, n * x);
    return out;
  }

  const std::vector<std::size_t> order = increasing_order(p);
  if (m == p_adjust_method::holm) {
    // Step down from the smallest p: rank j (1-based) is multiplied by m − j + 1. The running
    // maximum is the "stop at the first acceptance" of the procedure.
    double running = 0.0;
    for (std::size_t k = 0; k < size; ++k) {
      const std::size_t i = order[k];
      running = std::fmax(running, static_cast<double>(size - k) * p[i]);
      out[i] = std::fmin(1.0, running);
    }
    return out;
  }

  // Benjamini-Hochberg: step up from the largest p, rank j multiplied by m/j. The running
  // minimum is "reject everything below the largest rank that passes". Starting it at 1 is
  // R's final pmin(1, ·).
  double running = 1.0;
  for (std::size_t k = size; k-- > 0;) {
    const std::size_t i = order[k];
    running = std::fmin(running, n / static_cast<double>(k + 1) * p[i]);
    out[i] = running;
  }
  return out;
}

result<std::vector<bool>> significant(const std::vector<double>& adjusted, double alpha) {
  if (!detail::valid_level(alpha))
    return {errc::invalid_argument, "alpha must lie strictly between 0 and 1"};
  std::vector<bool> out(adjusted.size());
  for (std::size_t i = 0; i < adjusted.size(); ++i) {
    if (std::string bad = check_probability("adjusted", i, adjusted[i]); !bad.empty())
      return {errc::invalid_argument, std::move(bad)};
    out[i] = adjusted[i] <= alpha;
  }
  return out;
}

CXM_END_NAMESPACE
