// SPDX-License-Identifier: MIT
/// @file response_reader.hpp  Reads JSON Lines of survey responses: validates each record,
/// hands good ones to a sink, and reports every bad line with its line number, field and reason.
#ifndef CXM_SURVEY_RESPONSE_READER_HPP
#define CXM_SURVEY_RESPONSE_READER_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/survey/response.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// Receives each structurally valid response. The sink is what aggregates, so it is the one
/// that knows whether it has counted a response before (survey_scorer and journey_tracker
/// count each response id once, however many files or calls deliver it).
class CXM_API response_sink {
 public:
  virtual ~response_sink();
  /// Takes `r` and returns true; appends to `problems` the answers it refused (the rest of the
  /// record counts), with the answer's path ("answers.nps"). Returns false when it refused the
  /// record whole, with the reason last in `problems` (duplicate_id, path "id"): the reader
  /// counts the line as rejected. The reader adds the line number.
  virtual bool on_response(const response_view& r, std::vector<problem>& problems) = 0;
  /// A hint, called as soon as a record's id is parsed and before the rest of its line: a sink
  /// that looks ids up in a table too large for the cache can start loading the id's entry
  /// while the reader parses on (the scorer does). The record may still be rejected; `id` is
  /// valid only during the call. Does nothing by default.
  virtual void on_id(std::string_view id) noexcept { (void)id; }
};

struct reader_options {
  /// Longer lines are rejected (too_large) without being parsed; the next line is read normally.
  std::size_t max_line_bytes = std::size_t{1} << 20;
  /// Detailed errors kept; all of them are counted in reader_stats either way.
  std::size_t max_kept_errors = 1000;
};

struct reader_stats {
  std::uint64_t lines = 0;           ///< lines seen, blank ones included
  std::uint64_t blank_lines = 0;     ///< empty or whitespace-only lines (skipped, not errors)
  std::uint64_t responses = 0;       ///< records the sink took
  std::uint64_t rejected_lines = 0;  ///< records rejected whole (malformed, or refused by the sink)
  std::uint64_t duplicate_ids = 0;   ///< of rejected_lines, those the sink refused as duplicate_id
  std::uint64_t answer_errors = 0;   ///< answers the sink rejected inside good records
  std::uint64_t bytes = 0;
};

/// Streams JSON Lines. Feed chunks split anywhere; complete lines are processed as they
/// arrive, and `finish()` processes a last line that has no trailing newline.
///
/// @par Policy
/// A line that is not a valid record (bad JSON, trailing garbage, a duplicate key, a number
/// outside double range, invalid UTF-8, a missing or mistyped field) is rejected whole and
/// reported; so is a record the sink refuses whole (a response id it counted before). An
/// answer the sink cannot score (NPS 11, "9") is reported and the rest of its record is
/// scored. Good lines next to bad ones are never affected.
///
/// @par Thread safety
/// None; one reader per stream.
class CXM_API response_reader {
 public:
  explicit response_reader(reader_options options = {});
  ~response_reader();
  response_reader(response_reader&&) noexcept;
  response_reader& operator=(response_reader&&) noexcept;

  void feed(std::string_view chunk, response_sink& sink);
  void finish(response_sink& sink);

  const reader_stats& stats() const noexcept;
  /// The first `max_kept_errors` problems, in line order.
  const std::vector<problem>& errors() const noexcept;
  /// Total problems (line and answer), including those not kept.
  std::uint64_t error_count() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_RESPONSE_READER_HPP
