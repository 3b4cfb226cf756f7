// SPDX-License-Identifier: MIT
/// @file choice_tally.hpp  Answers that pick from a fixed list of ids (emotions, choice
/// questions): a mergeable tally of how often each was picked.
#ifndef CXM_STATS_CHOICE_TALLY_HPP
#define CXM_STATS_CHOICE_TALLY_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// How often each of a fixed list of choices was picked, over `answers()` answers. With
/// `multiple`, one answer may pick several choices, so the counts can add up to more than the
/// answers; a choice's share is count / answers either way.
///
/// A commutative monoid over tallies of the same choices (same ids, same order, same
/// `multiple`); merging others is `errc::incompatible`.
///
/// @par Thread safety
/// None: use one tally per thread or session and merge them.
class CXM_API choice_tally {
 public:
  /// The most choices a tally holds.
  static constexpr std::size_t max_choices = 256;

  /// A tally of no choices (every add is out of range).
  choice_tally() = default;
  /// A tally of `choices` (distinct ids, at most max_choices; checked by `make`).
  static result<choice_tally> make(std::vector<std::string> choices, bool multiple = false);

  /// Adds one answer picking the choices at `indices` (distinct, each < choices().size(); one
  /// unless multiple). O(n), no allocation.
  /// @par Errors
  /// `out_of_range` for an index past the choices, `invalid_argument` for no pick (an empty
  /// pick is "not answered"), a repeated index or several picks without `multiple`; nothing
  /// changes then.
  status add(const std::size_t* indices, std::size_t n) noexcept;
  status add(std::size_t index) noexcept { return add(&index, 1); }

  /// Adds `other`'s counts. `incompatible` unless both tally the same choices alike;
  /// `out_of_range` when the answers would add up to more than `max_count`. No change on error.
  status merge(const choice_tally& other) noexcept;

  const std::vector<std::string>& choices() const noexcept { return choices_; }
  bool multiple() const noexcept { return multiple_; }
  /// The index of `id`, or npos.
  std::size_t index_of(std::string_view id) const noexcept;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// Answers folded in.
  std::uint64_t answers() const noexcept { return answers_; }
  /// Picks per choice, parallel to choices().
  const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }
  /// count / answers of choice `i` (0 without answers or for an unknown index).
  double share(std::size_t i) const noexcept;

  /// Rebuilds a tally from its parts (decoders): counts parallel to choices, each at most
  /// `answers`, adding up to `answers` for a single choice and to at least `answers` with
  /// `multiple` (every answer picks one), at most `max_count` answers.
  /// Errors: `invalid_argument` or `out_of_range` naming the part.
  static result<choice_tally> restore(std::vector<std::string> choices, bool multiple, std::uint64_t answers,
                                      std::vector<std::uint64_t> counts);

  /// Whether merge(other) would succeed as to layout.
  bool same_choices(const choice_tally& other) const noexcept {
    return multiple_ == other.multiple_ && choices_ == other.choices_;
  }
  friend bool operator==(const choice_tally& a, const choice_tally& b) noexcept {
    return a.same_choices(b) && a.answers_ == b.answers_ && a.counts_ == b.counts_;
  }
  friend bool operator!=(const choice_tally& a, const choice_tally& b) noexcept { return !(a == b); }

 private:
  std::vector<std::string> choices_;
  bool multiple_ = false;
  std::uint64_t answers_ = 0;
  std::vector<std::uint64_t> counts_;
};

CXM_END_NAMESPACE

#endif  // CXM_STATS_CHOICE_TALLY_HPP
