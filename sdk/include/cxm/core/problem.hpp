// SPDX-License-Identifier: MIT
/// @file problem.hpp  The one description of something wrong with an input, used by every reader,
/// decoder and validator: what (code), where (path), why (reason) and, from readers, the line.
#ifndef CXM_CORE_PROBLEM_HPP
#define CXM_CORE_PROBLEM_HPP

#include <cstdint>
#include <string>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// One problem with an input.
///
/// - `path` names the place in the document: a JSON path such as `answers.nps`,
///   `segment.age` or `questions[3].scale`, `(root)` for the document itself, and empty when a
///   whole line is at fault (malformed JSON, a line over the size limit). Validating answers
///   against a survey gives the question id as the path.
/// - `reason` says why, in words a person can act on ("expected an integer 0-10, got 11").
/// - `line` is the 1-based line of a JSON Lines input, set by the readers; 0 elsewhere.
struct problem {
  errc code = errc::ok;
  std::string path;
  std::string reason;
  std::uint64_t line = 0;

  friend bool operator==(const problem& a, const problem& b) noexcept {
    return a.code == b.code && a.path == b.path && a.reason == b.reason && a.line == b.line;
  }
  friend bool operator!=(const problem& a, const problem& b) noexcept { return !(a == b); }
};

CXM_END_NAMESPACE

#endif  // CXM_CORE_PROBLEM_HPP
