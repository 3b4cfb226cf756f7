// SPDX-License-Identifier: MIT
// Internal: the JSON of the outbox: checking a record before it is queued, and writing the
// `cxm.batch` payload (format below and in docs/outbox.md) around the stored records.
#ifndef CXM_SRC_DEVICE_BATCH_JSON_HPP
#define CXM_SRC_DEVICE_BATCH_JSON_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/device/outbox.hpp"
#include "device/uuid7.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// A record ready to be stored: its JSON without surrounding whitespace (so it starts with '{'
/// and ends with '}'; an empty object is exactly "{}") and whether it has its own string "id".
struct checked_record {
  std::string_view json;
  bool own_id = false;
};

/// The deepest nesting accepted in a record.
inline constexpr std::size_t max_record_depth = 32;

/// Checks that `json` is one JSON object of at most `max_bytes`, strict (cxm's reader: valid
/// UTF-8, no duplicate keys, finite numbers) and nested at most max_record_depth deep, whose
/// "id", when present, is a string. Errors: too_large, parse_error, invalid_utf8,
/// duplicate_key, not_finite, too_deep, wrong_type (not an object; an "id" that is not a
/// string, which could not be kept beside the one the outbox would add).
result<checked_record> check_record_json(std::string_view json, std::size_t max_bytes);

/// `ms` since 1970 as RFC 3339 UTC with milliseconds, "2026-10-02T09:14:03.123Z" (24
/// characters; times outside years 0000-9999 are clamped to them).
std::string format_time_ms(std::int64_t ms);
inline constexpr std::size_t time_text_size = 24;

/// "/v1/responses" for responses and events, "/v1/aggregates" for aggregates.
std::string_view endpoint_of(record_kind kind) noexcept;
/// Whether two kinds go to the same endpoint (and so may share a batch).
inline bool same_endpoint(record_kind a, record_kind b) noexcept {
  return (a == record_kind::aggregates) == (b == record_kind::aggregates);
}

/// Writes one `cxm.batch` payload, version 1:
///
///   {"format":"cxm.batch","version":1,"batch":"<uuid>","source":"<source>",
///    "sent_at":"<RFC 3339 UTC, ms>","responses":[...],"events":[...]}
///
/// for the responses endpoint (each array only when not empty; each element is the record's
/// own JSON object, with "id":"<record uuid>" inserted as its first member when it had no string
/// "id"), or, for the aggregates endpoint,
///
///   {"format":"cxm.batch","version":1,"batch":"<uuid>","source":"<source>","sent_at":"...",
///    "aggregates":[{"id":"<uuid>","captured_at":"<RFC 3339>","snapshot":<cxm.recorder_snapshot>}]}
///
/// The size of the payload is known before a record is added (`size_with`), so a batch is
/// filled up to a byte budget without writing anything twice.
class batch_writer {
 public:
  batch_writer(std::string_view batch_id, std::string_view source, std::int64_t sent_at_ms);
  batch_writer(const batch_writer&) = delete;  // w_ points into out_
  batch_writer& operator=(const batch_writer&) = delete;

  /// The payload's size in bytes if a record of `kind` with `json_size` bytes were added.
  std::size_t size_with(record_kind kind, std::size_t json_size, bool own_id) const noexcept;
  /// The payload's size so far (closing brace included).
  std::size_t size() const noexcept;
  /// Counts a record of `json_size` bytes into size() without adding it (to choose a batch's
  /// records before reading them).
  void count(record_kind kind, std::size_t json_size, bool own_id) noexcept;
  /// Adds a record; `json` must stay valid until finish().
  void add(record_kind kind, const uuid_bytes& id, bool own_id, std::int64_t capture_ms, std::string_view json);
  /// The payload.
  std::string finish();

 private:
  struct item {
    uuid_bytes id;
    bool own_id;
    std::int64_t capture_ms;
    std::string_view json;
  };
  static std::size_t item_size(record_kind kind, std::size_t json_size, bool own_id) noexcept;

  std::string out_;
  json_writer w_{out_};
  std::size_t header_size_ = 0;
  std::vector<item> items_[3];  // by record_kind
  std::size_t counted_[3] = {0, 0, 0};  // records counted, added or not
  std::size_t bytes_[3] = {0, 0, 0};
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_BATCH_JSON_HPP
