// SPDX-License-Identifier: MIT
// JSON Lines of journey events, read with Boost.JSON's SAX parser straight into a
// journey_event (the same approach as response_reader.cpp): no DOM, views into the line,
// every buffer reused. The handler rejects what Boost.JSON 1.81 lets through: duplicate keys
// and numbers outside double range.
#include "cxm/journey/event_reader.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <cstring>

#include "io/jsonl_lines.hpp"
#include "io/timestamp.hpp"

CXM_BEGIN_NAMESPACE

journey_event_sink::~journey_event_sink() = default;

namespace {

namespace json = boost::json;
using json::error_code;

const char* const type_names[journey_event_type_count] = {
    "step_begin", "step_end", "contact", "transfer", "channel_switch", "wait",
    "repeat_info", "quote", "message", "touch", "complete", "abandon"};

enum class field : std::uint8_t {
  journey_id, customer, type, timestamp, step, channel, touchpoint, segment, reason, from_agent,
  to_agent, from, to, duration_ms, offer, key, value, unknown
};
constexpr std::string_view field_names[] = {"journey_id", "customer", "type", "timestamp", "step",
                                            "channel", "touchpoint", "segment", "reason", "from_agent",
                                            "to_agent", "from", "to", "duration_ms", "offer", "key", "value"};
constexpr std::size_t field_count = 17;
constexpr std::size_t max_attributes = 64;
constexpr std::size_t max_id_bytes = 128;

field field_of(std::string_view key) noexcept {
  // Length first: every key of every record goes through here.
  const auto is = [&](field f) { return key == field_names[static_cast<std::size_t>(f)] ? f : field::unknown; };
  switch (key.size()) {
    case 2: return is(field::to);
    case 3: return is(field::key);
    case 4: return key[0] == 't' ? is(field::type) : (key[0] == 's' ? is(field::step) : is(field::from));
    case 5: return key[0] == 'o' ? is(field::offer) : is(field::value);
    case 6: return is(field::reason);
    case 7: return key[0] == 'c' ? is(field::channel) : is(field::segment);
    case 8: return key[0] == 'c' ? is(field::customer) : is(field::to_agent);
    case 9: return is(field::timestamp);
    case 10: return key[0] == 'j' ? is(field::journey_id) : (key[0] == 't' ? is(field::touchpoint) : is(field::from_agent));
    case 11: return is(field::duration_ms);
    default: return field::unknown;
  }
}

struct text {
  const char* data = nullptr;  // non-null: points into the line
  std::size_t offset = 0;      // else: a range of the arena
  std::size_t size = 0;
};

class event_handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = 1024;
  static constexpr std::size_t max_string_size = std::size_t(-1);

  const char* line_begin = nullptr;
  const char* line_end = nullptr;
  errc error = errc::ok;
  std::string error_field;
  const char* error_reason = "";
  text fields[field_count];
  std::uint32_t seen = 0;
  bool value_is_number = false;
  double number_value = 0;
  std::int64_t timestamp_ms = 0;
  std::int64_t duration_ms = 0;
  std::vector<std::pair<text, text>> segment;
  std::string arena;

  void start(std::string_view line) {
    line_begin = line.data();
    line_end = line.data() + line.size();
    error = errc::ok;
    error_field.clear();
    error_reason = "";
    seen = 0;
    value_is_number = false;
    segment.clear();
    arena.clear();
    depth_ = 0;
    skip_depth_ = 0;
    parts_.clear();
    in_parts_ = false;
    unknown_keys_.clear();
    // Nothing of the previous line may survive: key_ can point into its bytes.
    current_ = field::unknown;
    key_ = {};
    unknown_key_ = {};
  }
  bool has(field f) const noexcept { return (seen >> static_cast<unsigned>(f) & 1u) != 0; }
  std::string_view view(const text& t) const noexcept {
    return t.data != nullptr ? std::string_view(t.data, t.size) : std::string_view(arena.data() + t.offset, t.size);
  }
  std::string_view get(field f) const noexcept { return has(f) ? view(fields[static_cast<std::size_t>(f)]) : std::string_view{}; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code& ec) {
    if (skip_depth_ > 0) { ++skip_depth_; return true; }
    if (depth_ == 0) { depth_ = 1; return true; }
    if (depth_ == 1) {
      if (current_ == field::unknown) { skip_depth_ = 1; return true; }
      if (current_ != field::segment) return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
      depth_ = 2;
      return true;
    }
    return fail(ec, errc::wrong_type, inner_path(), "a segment attribute is a string");
  }
  bool on_object_end(std::size_t, error_code&) {
    if (skip_depth_ > 0) { --skip_depth_; return true; }
    --depth_;
    return true;
  }
  bool on_array_begin(error_code& ec) {
    if (skip_depth_ > 0) { ++skip_depth_; return true; }
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1 && current_ == field::unknown) { skip_depth_ = 1; return true; }
    if (depth_ == 1) return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
    return fail(ec, errc::wrong_type, inner_path(), "a segment attribute is a string");
  }
  bool on_array_end(std::size_t, error_code&) {
    if (skip_depth_ > 0) --skip_depth_;
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, error_code&) {
    append_part(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, error_code& ec) {
    if (skip_depth_ > 0) { parts_.clear(); in_parts_ = false; return true; }
    const text k = finish_text(s);
    const std::string_view key = view(k);
    if (depth_ == 1) {
      current_ = field_of(key);
      if (current_ == field::unknown) {
        for (const text& u : unknown_keys_)
          if (view(u) == key) return fail(ec, errc::duplicate_key, std::string(key), "the key appears twice");
        unknown_keys_.push_back(k);
        unknown_key_ = k;
        return true;
      }
      const std::uint32_t bit = 1u << static_cast<unsigned>(current_);
      if (seen & bit) return fail(ec, errc::duplicate_key, std::string(key), "the key appears twice");
      seen |= bit;
      return true;
    }
    key_ = k;
    for (const auto& a : segment)
      if (view(a.first) == key) return fail(ec, errc::duplicate_key, inner_path(), "the attribute appears twice");
    if (segment.size() >= max_attributes) return fail(ec, errc::too_large, "segment", "more than 64 attributes");
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, error_code&) {
    if (skip_depth_ == 0) append_part(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, error_code& ec) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    const text t = finish_text(s);
    if (depth_ == 2) { segment.emplace_back(key_, t); return true; }
    switch (current_) {
      case field::unknown: return true;
      case field::segment: case field::duration_ms:
        return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
      case field::timestamp:
        if (!detail::parse_rfc3339_ms(view(t), timestamp_ms))
          return fail(ec, errc::invalid_argument, "timestamp", "expected an RFC 3339 time such as 2026-10-02T09:14:03Z");
        return true;
      default:
        fields[static_cast<std::size_t>(current_)] = t;
        return true;
    }
  }
  bool on_number_part(json::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, error_code& ec) { return on_integer(static_cast<double>(i), i >= 0, i, ec); }
  bool on_uint64(std::uint64_t u, json::string_view, error_code& ec) {
    return on_integer(static_cast<double>(u), false, 0, ec);  // over INT64_MAX: never a valid time
  }
  bool on_double(double d, json::string_view, error_code& ec) {
    // Anywhere in the record, the values of unknown fields too: such a line is not JSON that
    // every reader can hold (Boost.JSON reads 1e309 as infinity).
    if (!std::isfinite(d)) return fail(ec, errc::not_finite, value_path(), "the number is out of the range of a double");
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 2) return fail(ec, errc::wrong_type, inner_path(), "a segment attribute is a string");
    if (current_ == field::unknown) return true;
    if (current_ == field::value) { value_is_number = true; number_value = d; return true; }
    if (current_ == field::timestamp || current_ == field::duration_ms)
      return fail(ec, errc::not_integer, top_path(), expected_for(current_));
    return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
  }
  bool on_bool(bool, error_code& ec) { return scalar_other(ec); }
  bool on_null(error_code& ec) { return scalar_other(ec); }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }

 private:
  bool fail(error_code& ec, errc code, std::string where, const char* reason) {
    error = code;
    error_field = std::move(where);
    error_reason = reason;
    ec = json::error::test_failure;
    return false;
  }
  bool not_an_object(error_code& ec) { return fail(ec, errc::wrong_type, "(root)", "an event is a JSON object"); }
  bool scalar_other(error_code& ec) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 2) return fail(ec, errc::wrong_type, inner_path(), "a segment attribute is a string");
    return current_ == field::unknown || fail(ec, errc::wrong_type, top_path(), expected_for(current_));
  }
  bool on_integer(double d, bool non_negative, std::int64_t i, error_code& ec) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 2) return fail(ec, errc::wrong_type, inner_path(), "a segment attribute is a string");
    switch (current_) {
      case field::unknown: return true;
      case field::value: value_is_number = true; number_value = d; return true;
      case field::timestamp:
        if (!non_negative) return fail(ec, errc::out_of_range, "timestamp", "expected milliseconds since 1970 (>= 0)");
        timestamp_ms = i;
        return true;
      case field::duration_ms:
        if (!non_negative) return fail(ec, errc::out_of_range, "duration_ms", "expected an integer >= 0");
        duration_ms = i;
        return true;
      default: return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
    }
  }
  static const char* expected_for(field f) noexcept {
    switch (f) {
      case field::timestamp: return "expected an RFC 3339 string or integer milliseconds";
      case field::duration_ms: return "expected an integer >= 0";
      case field::segment: return "expected an object of string attributes";
      case field::value: return "expected a number (quote) or a string (message)";
      default: return "expected a string";
    }
  }
  std::string top_path() const { return current_ == field::unknown ? "(unknown field)" : std::string(field_names[static_cast<std::size_t>(current_)]); }
  std::string inner_path() const { return "segment." + std::string(view(key_)); }
  std::string value_path() const {
    if (depth_ == 0) return "(root)";
    if (depth_ >= 2) return inner_path();
    return current_ == field::unknown ? std::string(view(unknown_key_)) : top_path();
  }
  void append_part(json::string_view s) {
    if (!in_parts_) { parts_.clear(); in_parts_ = true; }
    parts_.append(s.data(), s.size());
  }
  text finish_text(json::string_view s) {
    if (!in_parts_ && s.data() >= line_begin && s.data() + s.size() <= line_end) return {s.data(), 0, s.size()};
    text t;
    t.offset = arena.size();
    if (in_parts_) arena += parts_;
    arena.append(s.data(), s.size());
    t.size = arena.size() - t.offset;
    parts_.clear();
    in_parts_ = false;
    return t;
  }

  int depth_ = 0;
  int skip_depth_ = 0;
  field current_ = field::unknown;
  text key_;
  text unknown_key_;  // the unknown field being skipped, to name it in errors
  std::string parts_;
  bool in_parts_ = false;
  std::vector<text> unknown_keys_;
};

}  // namespace

const char* name(journey_event_type t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < journey_event_type_count ? type_names[i] : "unknown";
}

bool parse_journey_event_type(std::string_view s, journey_event_type& out) noexcept {
  for (std::size_t i = 0; i < journey_event_type_count; ++i)
    if (s == type_names[i]) {
      out = static_cast<journey_event_type>(i);
      return true;
    }
  return false;
}

struct journey_event_reader::impl {
  explicit impl(journey_reader_options o) : options(o), parser(make_options()) {}
  static json::parse_options make_options() {
    json::parse_options p;
    p.max_depth = 16;
    return p;
  }

  journey_reader_options options;
  json::basic_parser<event_handler> parser;
  detail::jsonl_lines<journey_reader_stats> lines{options.max_line_bytes, options.max_kept_errors};
  journey_reader_stats& stats = lines.stats;
  std::vector<attribute> segment;

  void reject_line(std::uint64_t line, errc code, std::string field_path, std::string reason) {
    lines.reject_line(line, code, std::move(field_path), std::move(reason));
  }

  void process(std::string_view line, journey_event_sink& sink) {
    const std::uint64_t number = lines.parse(line, parser, [](event_handler& h, std::string_view l) { h.start(l); });
    if (number == 0) return;
    const event_handler& h = parser.handler();
    if (!h.has(field::journey_id)) return reject_line(number, errc::missing_field, "journey_id", "required");
    if (!h.has(field::type)) return reject_line(number, errc::missing_field, "type", "required");
    if (!h.has(field::timestamp)) return reject_line(number, errc::missing_field, "timestamp", "required");

    journey_event e;
    e.line = number;
    e.journey_id = h.get(field::journey_id);
    if (e.journey_id.empty() || e.journey_id.size() > max_id_bytes)
      return reject_line(number, errc::invalid_argument, "journey_id", "expected 1 to 128 bytes");
    if (!parse_journey_event_type(h.get(field::type), e.type))
      return reject_line(number, errc::invalid_argument, "type", "unknown event type");
    e.timestamp_ms = h.timestamp_ms;
    e.customer = h.get(field::customer);
    e.step = h.get(field::step);
    e.channel = h.get(field::channel);
    e.touchpoint = h.get(field::touchpoint);
    e.reason = h.get(field::reason);
    const auto require = [&](field f) {
      if (h.has(f)) return true;
      reject_line(number, errc::missing_field, std::string(field_names[static_cast<std::size_t>(f)]),
                  std::string("required for type ") + name(e.type));
      return false;
    };
    const auto differ = [&](field a, field b) {
      if (h.get(a) != h.get(b)) return true;
      reject_line(number, errc::invalid_argument, std::string(field_names[static_cast<std::size_t>(b)]),
                  std::string("must differ from ") + std::string(field_names[static_cast<std::size_t>(a)]));
      return false;
    };
    switch (e.type) {
      case journey_event_type::step_begin:
      case journey_event_type::step_end:
        if (!require(field::step)) return;
        break;
      case journey_event_type::transfer:
        if (!require(field::from_agent) || !require(field::to_agent) || !differ(field::from_agent, field::to_agent)) return;
        e.from = h.get(field::from_agent);
        e.to = h.get(field::to_agent);
        break;
      case journey_event_type::channel_switch:
        if (!require(field::from) || !require(field::to) || !differ(field::from, field::to)) return;
        e.from = h.get(field::from);
        e.to = h.get(field::to);
        break;
      case journey_event_type::wait:
        if (!require(field::duration_ms)) return;
        e.duration_ms = h.duration_ms;
        break;
      case journey_event_type::quote:
        if (!require(field::offer) || !require(field::value)) return;
        if (!h.value_is_number) return reject_line(number, errc::wrong_type, "value", "a quote's value is a number");
        e.key = h.get(field::offer);
        e.value = h.number_value;
        break;
      case journey_event_type::message:
        if (!require(field::key) || !require(field::value)) return;
        if (h.value_is_number) return reject_line(number, errc::wrong_type, "value", "a message's value is a string");
        e.key = h.get(field::key);
        e.text = h.get(field::value);
        break;
      case journey_event_type::touch:
        if (!require(field::touchpoint)) return;
        break;
      default:
        break;
    }
    segment.clear();
    for (const auto& s : h.segment) segment.push_back({h.view(s.first), h.view(s.second)});
    e.segment = segment.data();
    e.segment_size = segment.size();
    ++stats.events;
    sink.on_event(e);
  }

  void feed(std::string_view chunk, journey_event_sink& sink) {
    lines.feed(chunk, [&](std::string_view line) { process(line, sink); });
  }
  void finish(journey_event_sink& sink) {
    lines.finish([&](std::string_view line) { process(line, sink); });
  }
};

journey_event_reader::journey_event_reader(journey_reader_options options) : impl_(std::make_unique<impl>(options)) {}
journey_event_reader::~journey_event_reader() = default;
journey_event_reader::journey_event_reader(journey_event_reader&&) noexcept = default;
journey_event_reader& journey_event_reader::operator=(journey_event_reader&&) noexcept = default;

void journey_event_reader::feed(std::string_view chunk, journey_event_sink& sink) { impl_->feed(chunk, sink); }
void journey_event_reader::finish(journey_event_sink& sink) { impl_->finish(sink); }

status journey_event_reader::read_file(const std::string& path, journey_event_sink& sink) {
  return detail::read_file_chunks(
      path, [&](std::string_view chunk) { feed(chunk, sink); }, [&] { finish(sink); });
}

const journey_reader_stats& journey_event_reader::stats() const noexcept { return impl_->stats; }
const std::vector<line_error>& journey_event_reader::errors() const noexcept { return impl_->lines.errors; }
std::uint64_t journey_event_reader::error_count() const noexcept { return impl_->lines.error_count; }

CXM_END_NAMESPACE
