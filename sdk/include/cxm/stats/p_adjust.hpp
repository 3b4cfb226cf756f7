// SPDX-License-Identifier: MIT
/// @file p_adjust.hpp  Multiple-comparison adjustment of p-values (Bonferroni, Holm,
/// Benjamini-Hochberg), as R's `p.adjust` computes it.
#ifndef CXM_STATS_P_ADJUST_HPP
#define CXM_STATS_P_ADJUST_HPP

#include <cstdint>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// How the p-values of a family of comparisons (every group of a breakdown against the rest)
/// are adjusted for their number. With m comparisons at level α, about α·m of them look
/// significant by chance alone; an adjusted p-value compared with α keeps that in check.
///
/// - `bonferroni` and `holm` control the family-wise error rate (the chance of even one false
///   discovery). Holm is uniformly more powerful than Bonferroni under the same assumptions
///   (none: any dependence between the tests), so prefer it.
/// - `benjamini_hochberg` controls the false discovery rate (the expected share of false
///   discoveries among the discoveries) for independent or positively dependent tests: the
///   usual choice when a report scans many groups for ones worth a look.
enum class p_adjust_method : std::int32_t {
  none = 0,                ///< the raw p-values
  bonferroni = 1,          ///< min(1, m·p)
  holm = 2,                ///< Holm (1979): step-down, family-wise error rate
  benjamini_hochberg = 3,  ///< Benjamini & Hochberg (1995): step-up, false discovery rate
};

/// The short name of `m`: "none", "bonferroni", "holm", "benjamini_hochberg".
CXM_API const char* name(p_adjust_method m) noexcept;
/// Parses one of the names `name(p_adjust_method)` returns; false (and `out` unchanged) when
/// `text` is not one of them.
CXM_API bool parse_p_adjust_method(std::string_view text, p_adjust_method& out) noexcept;

/// The adjusted p-values of `p` for `m` comparisons (m = `p.size()`), in the order of `p`.
///
/// R's `p.adjust(p, method)` with its default n = length(p), computed with R's floating-point
/// operations in R's order (so R should give the same doubles). With p_(1) <= ... <= p_(m)
/// the sorted values:
/// - `none`: p itself.
/// - `bonferroni`: min(1, m·p_i).
/// - `holm`: adjusted p_(i) = min(1, max_{j <= i} (m − j + 1)·p_(j)).
/// - `benjamini_hochberg`: adjusted p_(i) = min(1, min_{j >= i} (m / j)·p_(j)).
///
/// Hypothesis i is rejected by the method's procedure at level α exactly when the adjusted
/// value is <= α (Wright 1992); `significant()` applies that rule. Equal p-values get equal
/// adjusted values, whatever their order. Every adjusted value lies in [p_i, 1], and for one
/// input holm <= bonferroni and benjamini_hochberg <= holm, element by element. An empty
/// input gives an empty result; a single value is returned unchanged by every method.
///
/// @par Complexity
/// O(m log m) (one sort of indices). Allocates the result and, for holm and
/// benjamini_hochberg, one vector of m indices.
///
/// @par Errors
/// `invalid_argument` when a value is NaN or outside [0, 1] (the detail names its index:
/// `p[3]: ...`; R would leave an NA out, but a missing p-value here is a caller's bug), or
/// `m` is not a `p_adjust_method`.
///
/// @par Thread safety
/// A pure function: any number of threads may call it at once.
CXM_API result<std::vector<double>> adjust_p_values(const std::vector<double>& p, p_adjust_method m);

/// Which adjusted p-values are significant at family level `alpha`: `adjusted[i] <= alpha`,
/// in the order of `adjusted`. For p-values from `adjust_p_values`, these are exactly the
/// hypotheses the method's procedure rejects at level `alpha` (the `<=` is the papers').
///
/// @par Errors
/// `invalid_argument` when `alpha` is not strictly between 0 and 1, or a value is NaN or
/// outside [0, 1] (the detail names its index: `adjusted[2]: ...`).
///
/// @par Complexity
/// O(m); allocates the result.
CXM_API result<std::vector<bool>> significant(const std::vector<double>& adjusted, double alpha);

CXM_END_NAMESPACE

#endif  // CXM_STATS_P_ADJUST_HPP
