// SPDX-License-Identifier: MIT
// Choice tallies (emotions, choice questions).
#include "cxm/stats/choice_tally.hpp"

#include <algorithm>
#include <utility>

CXM_BEGIN_NAMESPACE

result<choice_tally> choice_tally::make(std::vector<std::string> choices, bool multiple) {
  if (choices.size() > max_choices) return {errc::too_large, "more than 256 choices"};
  for (std::size_t i = 0; i < choices.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (choices[i] == choices[j]) return {errc::invalid_argument, "choice \"" + choices[i] + "\" appears twice"};
  choice_tally t;
  t.counts_.assign(choices.size(), 0);
  t.choices_ = std::move(choices);
  t.multiple_ = multiple;
  return t;
}

status choice_tally::add(const std::size_t* indices, std::size_t n) noexcept {
  // An answer picks one choice, or with `multiple` at least one (an empty pick is "not answered").
  if (n == 0 || (n > 1 && !multiple_)) return errc::invalid_argument;
  for (std::size_t i = 0; i < n; ++i) {
    if (indices[i] >= counts_.size()) return errc::out_of_range;
    for (std::size_t j = 0; j < i; ++j)
      if (indices[j] == indices[i]) return errc::invalid_argument;
  }
  // One answer adds at most one to any count, and no count exceeds the answers.
  if (answers_ >= max_count) return errc::out_of_range;
  ++answers_;
  for (std::size_t i = 0; i < n; ++i) ++counts_[indices[i]];
  return errc::ok;
}

status choice_tally::merge(const choice_tally& other) noexcept {
  if (!same_choices(other)) return errc::incompatible;
  if (other.answers_ > max_count - answers_) return errc::out_of_range;
  answers_ += other.answers_;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  return errc::ok;
}

std::size_t choice_tally::index_of(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < choices_.size(); ++i)
    if (choices_[i] == id) return i;
  return npos;
}

double choice_tally::share(std::size_t i) const noexcept {
  if (answers_ == 0 || i >= counts_.size()) return 0;
  return static_cast<double>(counts_[i]) / static_cast<double>(answers_);
}

result<choice_tally> choice_tally::restore(std::vector<std::string> choices, bool multiple, std::uint64_t answers,
                                           std::vector<std::uint64_t> counts) {
  if (counts.size() != choices.size())
    return {errc::invalid_argument, "counts: expected " + std::to_string(choices.size()) + " entries, one per choice"};
  if (answers > max_count) return {errc::out_of_range, "answered: over 2^62, the most a tally counts"};
  std::uint64_t sum = 0;  // of a single choice's counts: checked against answers as it grows
  for (std::uint64_t c : counts) {
    if (c > answers) return {errc::invalid_argument, "counts: a choice picked more often than answered"};
    if (!multiple && c > answers - sum) return {errc::invalid_argument, "counts: do not add up to answered"};
    sum += multiple ? 0 : c;
  }
  if (!multiple && sum != answers) return {errc::invalid_argument, "counts: do not add up to answered"};
  if (multiple) {  // each answer picks at least one choice
    std::uint64_t picks = 0;
    for (std::uint64_t c : counts) picks = c > UINT64_MAX - picks ? UINT64_MAX : picks + c;
    if (picks < answers) return {errc::invalid_argument, "counts: fewer choices than answers"};
  }
  auto t = make(std::move(choices), multiple);
  if (!t) return t;
  t->answers_ = answers;
  t->counts_ = std::move(counts);
  return t;
}

CXM_END_NAMESPACE
