// SPDX-License-Identifier: MIT
/// @file event_reader.hpp  Reads JSON Lines of journey events (format in
/// cxm/journey/event.hpp): validates each record, hands good ones to a sink, and reports every bad
/// line with its line number, field path and reason.
#ifndef CXM_JOURNEY_EVENT_READER_HPP
#define CXM_JOURNEY_EVENT_READER_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/journey/event.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// Receives each structurally valid event (the views are valid during the call only).
class CXM_API journey_event_sink {
 public:
  virtual ~journey_event_sink();
  virtual void on_event(const journey_event& e) = 0;
};

struct journey_reader_options {
  /// Longer lines are rejected (too_large) without being parsed.
  std::size_t max_line_bytes = std::size_t{64} << 10;
  /// Detailed errors kept; all are counted.
  std::size_t max_kept_errors = 1000;
};

struct journey_reader_stats {
  std::uint64_t lines = 0;           ///< lines seen, blank ones included
  std::uint64_t blank_lines = 0;
  std::uint64_t events = 0;          ///< records handed to the sink
  std::uint64_t rejected_lines = 0;  ///< records rejected whole
  std::uint64_t bytes = 0;
};

/// Streams JSON Lines of journey events with Boost.JSON's SAX parser (no DOM; strings are
/// views into the line unless escapes made the parser copy them; buffers are reused, so
/// steady-state reading does not allocate). Feed chunks split anywhere; `finish()` processes a
/// last line without a newline.
///
/// @par Policy
/// A line that is not a valid record (bad JSON, trailing garbage, a duplicate key, a number
/// outside double range, invalid UTF-8, a missing or mistyped field, a field its type needs
/// missing, an unknown type) is rejected whole and reported with the field path; good lines
/// next to it are unaffected. Whether the event makes sense for its journey (an end without a
/// begin...) is the tracker's business, not the reader's.
///
/// @par Thread safety
/// None; one reader per stream.
class CXM_API journey_event_reader {
 public:
  explicit journey_event_reader(journey_reader_options options = {});
  ~journey_event_reader();
  journey_event_reader(journey_event_reader&&) noexcept;
  journey_event_reader& operator=(journey_event_reader&&) noexcept;

  void feed(std::string_view chunk, journey_event_sink& sink);
  void finish(journey_event_sink& sink);
  const journey_reader_stats& stats() const noexcept;
  /// The first `max_kept_errors` problems, in line order.
  const std::vector<problem>& errors() const noexcept;
  std::uint64_t error_count() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

CXM_END_NAMESPACE

#endif  // CXM_JOURNEY_EVENT_READER_HPP
