// SPDX-License-Identifier: MIT
// JSON Lines of journey events, read by the SAX parser of io/jsonl_record.hpp straight into a
// journey_event (as response_reader.cpp reads responses): no DOM, views into the line, every
// buffer reused. The handler checks the event's fields and refuses duplicate keys.
#include "cxm/journey/event_reader.hpp"

#include <cmath>
#include <cstring>

#include "io/jsonl_lines.hpp"
#include "io/jsonl_record.hpp"
#include "io/timestamp.hpp"

CXM_BEGIN_NAMESPACE

journey_event_sink::~journey_event_sink() = default;

namespace {

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

using detail::text_ref;

class event_handler : public detail::record_handler_base<event_handler> {
 public:
  text_ref fields[field_count];
  std::uint32_t seen = 0;
  bool value_is_number = false;
  double number_value = 0;
  std::int64_t timestamp_ms = 0;
  std::int64_t duration_ms = 0;
  std::vector<std::pair<text_ref, text_ref>> segment;

  void start(std::string_view line) {
    start_line(line);
    seen = 0;
    value_is_number = false;
    segment.clear();
    depth_ = 0;
    // Nothing of the previous line may survive: key_ can point into its bytes.
    current_ = field::unknown;
    key_ = {};
  }
  bool has(field f) const noexcept { return (seen >> static_cast<unsigned>(f) & 1u) != 0; }
  std::string_view get(field f) const noexcept { return has(f) ? view(fields[static_cast<std::size_t>(f)]) : std::string_view{}; }

  bool object_begin() {
    if (depth_ == 0) { depth_ = 1; return true; }
    if (depth_ == 1) {
      if (current_ == field::unknown) { skip(); return true; }
      if (current_ != field::segment) return fail(errc::wrong_type, top_path(), expected_for(current_));
      depth_ = 2;
      return true;
    }
    return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
  }
  bool object_end() {
    --depth_;
    return true;
  }
  bool array_begin() {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 1 && current_ == field::unknown) { skip(); return true; }
    if (depth_ == 1) return fail(errc::wrong_type, top_path(), expected_for(current_));
    return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
  }
  bool array_end(std::size_t) { return true; }  // arrays are only ever skipped
  bool skipped() { return true; }
  bool key(text_ref k) {
    const std::string_view key = view(k);
    if (depth_ == 1) {
      current_ = field_of(key);
      if (current_ == field::unknown) return unknown_key(k);
      const std::uint32_t bit = 1u << static_cast<unsigned>(current_);
      if (seen & bit) return fail(errc::duplicate_key, std::string(key), "the key appears twice");
      seen |= bit;
      return true;
    }
    key_ = k;
    for (const auto& a : segment)
      if (view(a.first) == key) return fail(errc::duplicate_key, inner_path(), "the attribute appears twice");
    if (segment.size() >= max_attributes) return fail(errc::too_large, "segment", "more than 64 attributes");
    return true;
  }
  bool string(text_ref t) {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 2) {
      segment.emplace_back(key_, t);
      return true;
    }
    switch (current_) {
      case field::unknown: return true;
      case field::segment: case field::duration_ms:
        return fail(errc::wrong_type, top_path(), expected_for(current_));
      case field::timestamp:
        if (!detail::parse_rfc3339_ms(view(t), timestamp_ms))
          return fail(errc::invalid_argument, "timestamp", "expected an RFC 3339 time such as 2026-10-02T09:14:03Z");
        return true;
      default:
        fields[static_cast<std::size_t>(current_)] = t;
        return true;
    }
  }
  bool integer(std::int64_t i) { return on_integer(static_cast<double>(i), i >= 0, i); }
  bool unsigned_integer(std::uint64_t u) {
    return on_integer(static_cast<double>(u), false, 0);  // over INT64_MAX: never a valid time
  }
  bool number(double d) {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 2) return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
    if (current_ == field::unknown) return true;
    if (current_ == field::value) {
      value_is_number = true;
      number_value = d;
      return true;
    }
    if (current_ == field::timestamp || current_ == field::duration_ms)
      return fail(errc::not_integer, top_path(), expected_for(current_));
    return fail(errc::wrong_type, top_path(), expected_for(current_));
  }
  bool not_finite() { return fail(errc::not_finite, value_path(), "the number is out of the range of a double"); }
  bool boolean(bool) { return scalar_other(); }
  bool null() { return scalar_other(); }

 private:
  bool not_an_object() { return fail(errc::wrong_type, "(root)", "an event is a JSON object"); }
  bool scalar_other() {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 2) return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
    return current_ == field::unknown || fail(errc::wrong_type, top_path(), expected_for(current_));
  }
  bool on_integer(double d, bool non_negative, std::int64_t i) {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 2) return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
    switch (current_) {
      case field::unknown: return true;
      case field::value:
        value_is_number = true;
        number_value = d;
        return true;
      case field::timestamp:
        if (!non_negative) return fail(errc::out_of_range, "timestamp", "expected milliseconds since 1970 (>= 0)");
        timestamp_ms = i;
        return true;
      case field::duration_ms:
        if (!non_negative) return fail(errc::out_of_range, "duration_ms", "expected an integer >= 0");
        duration_ms = i;
        return true;
      default: return fail(errc::wrong_type, top_path(), expected_for(current_));
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
  std::string top_path() const {
    return current_ == field::unknown ? "(unknown field)" : std::string(field_names[static_cast<std::size_t>(current_)]);
  }
  std::string inner_path() const { return "segment." + std::string(view(key_)); }
  std::string value_path() const {
    if (depth_ == 0) return "(root)";
    if (depth_ >= 2) return inner_path();
    return current_ == field::unknown ? std::string(unknown_field()) : top_path();
  }

  int depth_ = 0;
  field current_ = field::unknown;
  text_ref key_;
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
  explicit impl(journey_reader_options o) : options(o) {}

  journey_reader_options options;
  detail::jsonl_parser<event_handler> parser;
  detail::jsonl_lines<journey_reader_stats> lines{options.max_line_bytes, options.max_kept_errors};
  journey_reader_stats& stats = lines.stats;
  std::vector<attribute> segment;

  void reject_line(std::uint64_t line, errc code, std::string field_path, std::string reason) {
    lines.reject_line(line, code, std::move(field_path), std::move(reason));
  }

  void process(std::string_view line, journey_event_sink& sink) {
    const std::uint64_t number = parser.parse(lines, line, [](event_handler& h, std::string_view l) { h.start(l); });
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

const journey_reader_stats& journey_event_reader::stats() const noexcept { return impl_->stats; }
const std::vector<problem>& journey_event_reader::errors() const noexcept { return impl_->lines.errors; }
std::uint64_t journey_event_reader::error_count() const noexcept { return impl_->lines.error_count; }

CXM_END_NAMESPACE
