// SPDX-License-Identifier: MIT
// Exact coverage of intervals for the mean of a rating scale (see scale_coverage.hpp).
#include "stats/scale_coverage.hpp"

#include <cmath>
#include <cstdint>

namespace cxm_test {

double scale_mix::mean() const noexcept {
  double m = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) m += static_cast<double>(i + 1) * shares[i];
  return m;
}

scale_mix scale_mix::mirrored() const {
  return {"mirror of " + name, std::vector<double>(shares.rbegin(), shares.rend())};
}

namespace {

// The multinomial as a chain of binomials: the count of point i given what is left is
// Binomial(left, share_i / (share_i + ... + share_last)); the last point takes the rest.
// Enumerating each binomial's kept range visits every outcome once, and the probability of an
// outcome is the product of its conditional binomial probabilities.
struct walker {
  int points;
  const std::vector<double>& shares;
  double cut;  // tail mass each binomial may drop
  std::vector<double> log_factorial;
  std::vector<std::uint64_t> counts;
  const std::function<void(const std::vector<std::uint64_t>&, double)>& visit;

  void walk(int i, int left, double rest, double log_p) {
    if (i == points - 1) {
      counts[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(left);
      if (left > 0 && shares[static_cast<std::size_t>(i)] <= 0) return;  // impossible outcome
      visit(counts, std::exp(log_p));
      return;
    }
    const double share = shares[static_cast<std::size_t>(i)];
    const double q = rest > 0 ? std::fmin(1.0, share / rest) : 0.0;
    if (q <= 0) {
      counts[static_cast<std::size_t>(i)] = 0;
      walk(i + 1, left, rest, log_p);
      return;
    }
    // Everything left falls here when the later points have (all but rounding) no share.
    if (rest - share <= 1e-15) {
      counts[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(left);
      for (int j = i + 1; j < points; ++j) counts[static_cast<std::size_t>(j)] = 0;
      visit(counts, std::exp(log_p));
      return;
    }
    std::vector<double> p(static_cast<std::size_t>(left) + 1);
    const double lq = std::log(q), l1q = std::log1p(-q);
    for (int x = 0; x <= left; ++x)
      p[static_cast<std::size_t>(x)] = log_factorial[static_cast<std::size_t>(left)] -
                                       log_factorial[static_cast<std::size_t>(x)] -
                                       log_factorial[static_cast<std::size_t>(left - x)] + x * lq + (left - x) * l1q;
    // Drop the least likely counts from both ends while each end drops at most cut/2.
    int lo = 0, hi = left;
    for (double dropped = 0; lo < hi && dropped + std::exp(p[static_cast<std::size_t>(lo)]) <= cut / 2; ++lo)
      dropped += std::exp(p[static_cast<std::size_t>(lo)]);
    for (double dropped = 0; hi > lo && dropped + std::exp(p[static_cast<std::size_t>(hi)]) <= cut / 2; --hi)
      dropped += std::exp(p[static_cast<std::size_t>(hi)]);
    for (int x = lo; x <= hi; ++x) {
      counts[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(x);
      walk(i + 1, left - x, rest - share, log_p + p[static_cast<std::size_t>(x)]);
    }
  }
};

}  // namespace

void for_each_outcome(int n, const std::vector<double>& shares, double tail,
                      const std::function<void(const std::vector<std::uint64_t>&, double)>& visit) {
  const int points = static_cast<int>(shares.size());
  walker w{points, shares, points > 1 ? tail / (points - 1) : 0.0, {}, std::vector<std::uint64_t>(shares.size()), visit};
  w.log_factorial.assign(static_cast<std::size_t>(n) + 1, 0.0);
  for (int k = 1; k <= n; ++k)
    w.log_factorial[static_cast<std::size_t>(k)] =
        w.log_factorial[static_cast<std::size_t>(k - 1)] + std::log(static_cast<double>(k));
  double total = 0;
  for (double s : shares) total += s;
  w.walk(0, n, total, 0.0);
}

coverage_result exact_coverage(int n, const scale_mix& mix, const std::vector<mean_method>& methods, double tail) {
  coverage_result r;
  r.coverage.assign(methods.size(), 0.0);
  const double truth = mix.mean();
  const int points = static_cast<int>(mix.shares.size());
  for_each_outcome(n, mix.shares, tail, [&](const std::vector<std::uint64_t>& counts, double p) {
    const cxm::detail::sample_moments m = cxm::detail::moments_of(counts.data(), points, 1);
    for (std::size_t k = 0; k < methods.size(); ++k) {
      const cxm::detail::mean_limits l = methods[k](m);
      if (l.lower <= truth && truth <= l.upper) r.coverage[k] += p;
    }
    r.mass += p;
    ++r.outcomes;
  });
  return r;
}

std::vector<scale_mix> ces_grid() {
  // Shares in % of answers 1..7. Easy-skewed is what CES usually looks like; the near-degenerate
  // one is a mature, well-liked flow; bimodal is a flow that fails a minority outright.
  const std::vector<scale_mix> base = {
      {"easy 1/1/2/4/12/30/50", {.01, .01, .02, .04, .12, .30, .50}},
      {"easy 2/3/5/10/20/30/30", {.02, .03, .05, .10, .20, .30, .30}},
      {"easy 1/1/1/2/5/20/70", {.01, .01, .01, .02, .05, .20, .70}},
      {"easy 0/0/1/1/3/15/80", {0, 0, .01, .01, .03, .15, .80}},
      {"near-degenerate 0/0/0/0/2/8/90", {0, 0, 0, 0, .02, .08, .90}},
      {"bimodal 20/5/5/10/10/20/30", {.20, .05, .05, .10, .10, .20, .30}},
      {"bimodal 30/5/5/5/5/10/40", {.30, .05, .05, .05, .05, .10, .40}},
      {"bimodal 10/5/5/5/5/10/60", {.10, .05, .05, .05, .05, .10, .60}},
  };
  std::vector<scale_mix> g = base;
  for (const scale_mix& m : base) g.push_back(m.mirrored());
  g.push_back({"neutral 5/10/15/40/15/10/5", {.05, .10, .15, .40, .15, .10, .05}});
  g.push_back({"uniform", std::vector<double>(7, 1.0 / 7)});
  return g;
}

}  // namespace cxm_test
