// SPDX-License-Identifier: MIT
/// @file latest.hpp  Keeps only each respondent's latest response (per period, when the report
/// has periods): an analyst's choice when a customer who answered five times should weigh as
/// one voice, not five. Off by default: every response counts.
///
/// Two passes over the same responses: `observe` each one, then `keep` tells, for each, whether
/// it is its respondent's latest in its period. Latest means the greatest timestamp; on equal
/// timestamps the greatest response id, so the choice does not depend on the order of the
/// input or of its files. A response without a respondent or without a timestamp cannot be
/// placed and is always kept (and counted, `unplaced`). Memory grows with the number of
/// (respondent, period) pairs, about 100 bytes each.
#ifndef CXM_REPORT_LATEST_HPP
#define CXM_REPORT_LATEST_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "cxm/core/config.hpp"
#include "cxm/report/period.hpp"
#include "cxm/survey/response.hpp"

CXM_BEGIN_NAMESPACE

class CXM_API latest_per_respondent {
 public:
  /// Per respondent overall (no unit), or per period of `unit` in `zone`.
  explicit latest_per_respondent(std::optional<period_unit> unit = std::nullopt, time_zone zone = time_zone());
  ~latest_per_respondent();
  latest_per_respondent(latest_per_respondent&&) noexcept;
  latest_per_respondent& operator=(latest_per_respondent&&) noexcept;
  latest_per_respondent(const latest_per_respondent&) = delete;
  latest_per_respondent& operator=(const latest_per_respondent&) = delete;

  /// First pass: notes `r` as a candidate for its respondent's latest.
  void observe(const response_view& r);
  /// Second pass: true when `r` is its respondent's latest in its period (or cannot be placed).
  bool keep(const response_view& r) const;

  /// (respondent, period) pairs seen: the responses `keep` will keep, besides the unplaced.
  std::size_t respondents() const noexcept;
  /// Responses observed without a respondent or a timestamp.
  std::uint64_t unplaced() const noexcept { return unplaced_; }

 private:
  struct state;
  std::unique_ptr<state> state_;
  std::uint64_t unplaced_ = 0;
};

CXM_END_NAMESPACE

#endif  // CXM_REPORT_LATEST_HPP
