// SPDX-License-Identifier: MIT
// Records checked before they are queued, and the `cxm.batch` payload written around them
// (batch_json.hpp specifies the format). Stored records were checked when they were queued
// and are protected by a CRC since, so they are inserted as they are, never parsed again.
#include "device/batch_json.hpp"

#include <ctime>

#include "io/json_reader.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

constexpr int batch_format_version = 1;
constexpr std::string_view array_names[3] = {"responses", "events", "aggregates"};
// The largest time RFC 3339's four-digit year can show: 9999-12-31T23:59:59.999Z.
constexpr std::int64_t max_time_ms = 253402300799999;

bool json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && json_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && json_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

result<checked_record> check_record_json(std::string_view json, std::size_t max_bytes) {
  if (json.size() > max_bytes)
    return {errc::too_large, "record of " + std::to_string(json.size()) + " bytes is over the limit of " +
                                 std::to_string(max_bytes) + " (max_record_bytes)"};
  json_reader r;
  if (!r.parse(json, max_bytes, max_record_depth) || !r.object(r.root(), json_path()))
    return r.error<checked_record>();
  const json_value id = r.root().find("id");
  const json_path root;
  const json_path at = root.member("id");
  if (id && !id.is_string() && !r.expected(id, at, "a string")) return r.error<checked_record>();
  // An empty object is stored as "{}" whatever its inner spacing, so that its size tells the
  // payload writer that the inserted id needs no comma after it.
  if (r.root().size() == 0) return checked_record{"{}", false};
  return checked_record{trim(json), id.present()};
}

std::string format_time_ms(std::int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms > max_time_ms) ms = max_time_ms;
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1,
                              t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, static_cast<int>(ms % 1000));
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::string_view endpoint_of(record_kind kind) noexcept {
  return kind == record_kind::aggregates ? "/v1/aggregates" : "/v1/responses";
}

batch_writer::batch_writer(std::string_view batch_id, std::string_view source, std::int64_t sent_at_ms) {
  w_.begin_object()
      .member("format", "cxm.batch")
      .member("version", batch_format_version)
      .member("batch", batch_id)
      .member("source", source)
      .member("sent_at", format_time_ms(sent_at_ms));
  header_size_ = out_.size();
}

std::size_t batch_writer::item_size(record_kind kind, std::size_t json_size, bool own_id) noexcept {
  // {"id":"<36>","captured_at":"<24>","snapshot":<json>}
  if (kind == record_kind::aggregates) return json_size + 98;
  if (own_id) return json_size;
  // "id":"<36>" after the '{', and a comma unless the object was empty ("{}").
  return json_size + 43 + (json_size == 2 ? 0 : 1);
}

std::size_t batch_writer::size() const noexcept {
  std::size_t n = header_size_ + 1;
  for (std::size_t k = 0; k < 3; ++k) {
    if (counted_[k] == 0) continue;
    n += 6 + array_names[k].size() + bytes_[k] + (counted_[k] - 1);  // ,"name":[ ... ] and commas
  }
  return n;
}

std::size_t batch_writer::size_with(record_kind kind, std::size_t json_size, bool own_id) const noexcept {
  const auto k = static_cast<std::size_t>(kind);
  return size() + item_size(kind, json_size, own_id) + (counted_[k] == 0 ? 6 + array_names[k].size() : 1);
}

void batch_writer::count(record_kind kind, std::size_t json_size, bool own_id) noexcept {
  const auto k = static_cast<std::size_t>(kind);
  ++counted_[k];
  bytes_[k] += item_size(kind, json_size, own_id);
}

void batch_writer::add(record_kind kind, const uuid_bytes& id, bool own_id, std::int64_t capture_ms,
                       std::string_view json) {
  count(kind, json.size(), own_id);
  items_[static_cast<std::size_t>(kind)].push_back({id, own_id, capture_ms, json});
}

std::string batch_writer::finish() {
  std::string text;  // one record with its id inserted, reused
  for (std::size_t k = 0; k < 3; ++k) {
    if (items_[k].empty()) continue;
    w_.key(array_names[k]).begin_array();
    for (const item& it : items_[k]) {
      if (k == static_cast<std::size_t>(record_kind::aggregates)) {
        w_.begin_object()
            .member("id", format_uuid(it.id))
            .member("captured_at", format_time_ms(it.capture_ms))
            .key("snapshot")
            .raw(it.json)
            .end_object();
      } else if (it.own_id) {
        w_.raw(it.json);
      } else {
        // The stored object starts with '{' (and is "{}" when empty): the id goes right after it.
        text.assign("{\"id\":\"");
        text.append(format_uuid(it.id));
        text.push_back('"');
        if (it.json.size() > 2) text.push_back(',');
        text.append(it.json.substr(1));
        w_.raw(text);
      }
    }
    w_.end_array();
  }
  w_.end_object();
  CXM_ASSERT(out_.size() == size());
  return std::move(out_);
}

}  // namespace detail
CXM_END_NAMESPACE
