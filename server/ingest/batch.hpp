// SPDX-License-Identifier: MIT
// The two request bodies POST /v1/responses and /v1/aggregates take, split into records:
//   the widget's   {"responses":[record, ...]}            (beacons add "via":"beacon")
//   an outbox's    {"format":"cxm.batch","version":1,"batch":...,"source":...,"sent_at":...,
//                   "responses":[...],"events":[...]}  or  {...,"aggregates":[...]}
// (docs/server.md; the outbox side: docs/outbox.md). Pure: bytes in, records out, so the fuzz
// target and the tests drive it without a server.
#ifndef CXM_SERVER_INGEST_BATCH_HPP
#define CXM_SERVER_INGEST_BATCH_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include <cxm/core/status.hpp>

namespace cxm::server {

/// One element of a batch's array: its bytes (a JSON object on one line: the line breaks a
/// pretty-printed body had between tokens are spaces) and its parsed value.
struct batch_record {
  std::string text;
  boost::json::value value;
};

enum class batch_kind : std::uint8_t {
  widget = 0,  ///< {"responses":[...]}
  outbox = 1,  ///< cxm.batch version 1
};

struct batch {
  batch_kind kind = batch_kind::widget;
  std::string id;       ///< the outbox batch id (empty for the widget)
  std::string source;   ///< the outbox's source id, or "web"
  bool beacon = false;  ///< the widget's "via":"beacon"
  std::vector<batch_record> responses;
  std::vector<batch_record> events;
  std::vector<batch_record> aggregates;
  std::size_t records() const noexcept { return responses.size() + events.size() + aggregates.size(); }
};

struct batch_limits {
  std::size_t max_bytes = std::size_t{1} << 20;  ///< the body
  std::size_t max_records = 500;                 ///< responses + events + aggregates
  std::size_t max_depth = 32;                    ///< JSON nesting of the body
};

/// Splits `body`. Errors (the whole body is refused; the detail names where and why):
/// parse_error, duplicate_key, not_finite, invalid_utf8, too_deep (the body's JSON),
/// too_large (bytes or records over the limits), wrong_type / missing_field /
/// unsupported_version / invalid_argument (the envelope: not an object, no array, an unknown
/// member, a cxm.batch of another version, an element that is not an object).
result<batch> split_batch(std::string_view body, const batch_limits& limits = {});

}  // namespace cxm::server

#endif  // CXM_SERVER_INGEST_BATCH_HPP
