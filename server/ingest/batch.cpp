// SPDX-License-Identifier: MIT
#include "server/ingest/batch.hpp"

#include <boost/json.hpp>

#include "io/strict_json.hpp"

namespace cxm::server {
namespace {

// The scanner below walks text that parse_strict has already accepted, so it only needs to find
// where each value starts and ends: it never has to diagnose anything.
void skip_ws(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

void skip_string(std::string_view s, std::size_t& i) {
  for (++i; i < s.size() && s[i] != '"'; ++i)
    if (s[i] == '\\') ++i;
  ++i;
}

void skip_value(std::string_view s, std::size_t& i) {
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] == '{' || s[i] == '[') {
    std::size_t depth = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"') {
        skip_string(s, i);
        continue;
      }
      ++i;
      if (c == '{' || c == '[') ++depth;
      else if ((c == '}' || c == ']') && --depth == 0) return;
    }
    return;
  }
  while (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != '}' && s[i] != ' ' && s[i] != '\t' &&
         s[i] != '\n' && s[i] != '\r')
    ++i;
}

// One line: raw CR and LF can only be whitespace between tokens (JSON strings cannot hold them
// unescaped), so turning them into spaces changes no value.
std::string one_line(std::string_view raw) {
  std::string out(raw);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

struct array_member {
  const char* name;
  std::vector<batch_record>* into;
};

// Copies the element texts of the arrays named in `wanted` (members of the top-level object, in
// the DOM's order, which is the text's), pairing each with its value.
void collect(std::string_view text, const boost::json::object& top, const std::vector<array_member>& wanted) {
  std::size_t i = 0;
  skip_ws(text, i);
  ++i;  // '{'
  for (const auto& member : top) {
    skip_ws(text, i);
    skip_string(text, i);  // the key
    skip_ws(text, i);
    ++i;  // ':'
    skip_ws(text, i);
    std::vector<batch_record>* into = nullptr;
    for (const auto& w : wanted)
      if (member.key() == w.name) into = w.into;
    if (into == nullptr) {
      skip_value(text, i);
    } else {
      const auto& arr = member.value().get_array();
      ++i;  // '['
      for (const auto& element : arr) {
        skip_ws(text, i);
        std::size_t start = i;
        skip_value(text, i);
        into->push_back({one_line(text.substr(start, i - start)), element});
        skip_ws(text, i);
        if (i < text.size() && text[i] == ',') ++i;
      }
      skip_ws(text, i);
      ++i;  // ']'
    }
    skip_ws(text, i);
    if (i < text.size() && text[i] == ',') ++i;
  }
}

result<batch> refuse(errc code, std::string detail) { return result<batch>(code, std::move(detail)); }

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

}  // namespace

result<batch> split_batch(std::string_view body, const batch_limits& limits) {
  if (body.size() > limits.max_bytes)
    return refuse(errc::too_large, "the body has " + std::to_string(body.size()) + " bytes; the limit is " +
                                       std::to_string(limits.max_bytes));
  auto parsed = detail::parse_strict(body, {limits.max_bytes, limits.max_depth});
  if (!parsed) return refuse(parsed.code(), "body: " + parsed.detail());
  const boost::json::value& root = *parsed;
  if (!root.is_object()) return refuse(errc::wrong_type, "body: expected a JSON object");
  const auto& top = root.get_object();

  batch out;
  const std::vector<const char*> arrays = {"responses", "events", "aggregates"};
  std::size_t elements = 0;
  if (top.contains("format")) {
    out.kind = batch_kind::outbox;
    const auto* format = top.if_contains("format");
    if (!format->is_string() || format->get_string() != "cxm.batch")
      return refuse(errc::invalid_argument, "format: expected \"cxm.batch\"");
    const auto* version = top.if_contains("version");
    if (version == nullptr) return refuse(errc::missing_field, "version: missing");
    if (!version->is_int64() && !version->is_uint64()) return refuse(errc::wrong_type, "version: expected an integer");
    if (!version->is_int64() || version->get_int64() != 1)
      return refuse(errc::unsupported_version, "version: this collector reads cxm.batch version 1");
    for (const char* name : {"batch", "source", "sent_at"}) {
      const auto* v = top.if_contains(name);
      if (v == nullptr) return refuse(errc::missing_field, std::string(name) + ": missing");
      if (!v->is_string()) return refuse(errc::wrong_type, std::string(name) + ": expected a string");
    }
    out.id = std::string(top.at("batch").get_string());
    out.source = std::string(top.at("source").get_string());
    if (out.source.empty() || out.source.size() > 128 || !printable_ascii(out.source))
      return refuse(errc::invalid_argument, "source: expected 1-128 bytes of printable ASCII");
    for (const auto& member : top) {
      std::string_view key = member.key();
      bool known = key == "format" || key == "version" || key == "batch" || key == "source" || key == "sent_at";
      for (const char* a : arrays) known = known || key == a;
      if (!known) return refuse(errc::invalid_argument, std::string(key) + ": not a member of cxm.batch version 1");
    }
  } else {
    out.kind = batch_kind::widget;
    out.source = "web";
    if (!top.contains("responses")) return refuse(errc::missing_field, "responses: missing");
    if (const auto* via = top.if_contains("via")) {
      if (!via->is_string()) return refuse(errc::wrong_type, "via: expected a string");
      out.beacon = via->get_string() == "beacon";
    }
    // A widget body carries responses only; other members are ignored (newer widgets).
    if (top.contains("events") || top.contains("aggregates"))
      return refuse(errc::invalid_argument, "events, aggregates: only a cxm.batch carries them");
  }
  for (const char* name : arrays) {
    const auto* v = top.if_contains(name);
    if (v == nullptr) continue;
    if (!v->is_array()) return refuse(errc::wrong_type, std::string(name) + ": expected an array");
    const auto& arr = v->get_array();
    for (std::size_t k = 0; k < arr.size(); ++k)
      if (!arr[k].is_object())
        return refuse(errc::wrong_type, std::string(name) + "[" + std::to_string(k) + "]: expected an object");
    elements += arr.size();
  }
  if (elements > limits.max_records)
    return refuse(errc::too_large, "the batch has " + std::to_string(elements) + " records; the limit is " +
                                       std::to_string(limits.max_records));
  collect(body, top, {{"responses", &out.responses}, {"events", &out.events}, {"aggregates", &out.aggregates}});
  return out;
}

}  // namespace cxm::server
