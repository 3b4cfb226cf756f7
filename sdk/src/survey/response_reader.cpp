// SPDX-License-Identifier: MIT
// JSON Lines of responses, read with Boost.JSON's SAX parser straight into a response_view:
// no DOM, and strings point into the input line unless escapes forced the parser to copy
// them. The handler checks what Boost.JSON 1.81 does not: duplicate keys and numbers outside
// double range. Everything per line is reused, so steady-state reading does not allocate
// (apart from remembering ids for de-duplication).
#include "cxm/survey/response_reader.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <cstring>

#include "survey/id_set.hpp"
#include "io/jsonl_lines.hpp"
#include "io/timestamp.hpp"

CXM_BEGIN_NAMESPACE

response_sink::~response_sink() = default;

namespace {

namespace json = boost::json;
using json::error_code;

enum class field : std::uint8_t {
  id, survey_id, survey_version, respondent, timestamp, channel, segment, journey_id, step,
  answers, unknown
};
constexpr std::string_view field_names[] = {"id", "survey_id", "survey_version", "respondent",
                                            "timestamp", "channel", "segment", "journey_id",
                                            "step", "answers"};
constexpr std::size_t field_count = 10;
constexpr std::size_t max_answers = 256;
constexpr std::size_t max_attributes = 64;
constexpr std::size_t max_id_bytes = 128;

// Dispatch on the length first: every key of every record goes through here.
field field_of(std::string_view key) noexcept {
  const auto is = [&](field f) { return key == field_names[static_cast<std::size_t>(f)] ? f : field::unknown; };
  switch (key.size()) {
    case 2: return is(field::id);
    case 4: return is(field::step);
    case 7: return key[0] == 'c' ? is(field::channel) : (key[0] == 's' ? is(field::segment) : is(field::answers));
    case 9: return key[0] == 's' ? is(field::survey_id) : is(field::timestamp);
    case 10: return key[0] == 'r' ? is(field::respondent) : is(field::journey_id);
    case 14: return is(field::survey_version);
    default: return field::unknown;
  }
}

// A string seen by the parser: a view into the input line, or a range of the arena.
struct text {
  const char* data = nullptr;  // non-null: points into the line
  std::size_t offset = 0;
  std::size_t size = 0;
};

struct pending_answer {
  text question;
  answer_value value;
  text value_text;
};

class record_handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = max_id_bytes * 8;
  static constexpr std::size_t max_string_size = std::size_t(-1);

  // When set, the id's slot is prefetched as soon as the id is parsed (see id_set::prefetch).
  const detail::id_set* ids = nullptr;
  std::uint64_t id_hash = 0;

  // Input line (to tell views into it from parser-owned temporaries).
  const char* line_begin = nullptr;
  const char* line_end = nullptr;

  // Parse results.
  errc error = errc::ok;
  std::string error_field;
  const char* error_reason = "";
  text fields[field_count];
  unsigned seen = 0;  // bit per field
  std::int64_t survey_version = -1;
  std::int64_t timestamp_ms = 0;
  bool has_timestamp = false;
  std::vector<pending_answer> answers;
  std::vector<std::pair<text, text>> segment;
  std::string arena;

  void start(std::string_view line) {
    line_begin = line.data();
    line_end = line.data() + line.size();
    error = errc::ok;
    error_field.clear();
    error_reason = "";
    seen = 0;
    survey_version = -1;
    has_timestamp = false;
    answers.clear();
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

  std::string_view view(const text& t) const noexcept {
    return t.data != nullptr ? std::string_view(t.data, t.size) : std::string_view(arena.data() + t.offset, t.size);
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code& ec) {
    if (skip_depth_ > 0) { ++skip_depth_; return true; }
    switch (depth_) {
      case 0: depth_ = 1; return true;
      case 1:
        if (current_ == field::unknown) { skip_depth_ = 1; return true; }
        if (current_ != field::segment && current_ != field::answers)
          return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
        depth_ = 2;
        return true;
      default:
        return fail(ec, errc::wrong_type, inner_path(), inner_expectation());
    }
  }
  bool on_object_end(std::size_t, error_code&) {
    if (skip_depth_ > 0) { --skip_depth_; return true; }
    --depth_;
    return true;
  }
  bool on_array_begin(error_code& ec) {
    if (skip_depth_ > 0) { ++skip_depth_; return true; }
    switch (depth_) {
      case 0: return not_an_object(ec);
      case 1:
        if (current_ == field::unknown) { skip_depth_ = 1; return true; }
        return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
      case 2:
        if (current_ == field::answers) { depth_ = 3; return true; }
        return fail(ec, errc::wrong_type, inner_path(), inner_expectation());
      default:
        return fail(ec, errc::wrong_type, inner_path(), "an answer array holds numbers, strings, booleans or null");
    }
  }
  bool on_array_end(std::size_t n, error_code&) {
    if (skip_depth_ > 0) { --skip_depth_; return true; }
    depth_ = 2;
    answer_value v;
    v.type = answer_type::array;
    v.array_size = n;
    answers.push_back({key_, v, {}});
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
      const unsigned bit = 1u << static_cast<unsigned>(current_);
      if (seen & bit) return fail(ec, errc::duplicate_key, std::string(key), "the key appears twice");
      seen |= bit;
      return true;
    }
    // depth 2: a question id or a segment attribute name; keys must be unique there too.
    key_ = k;
    if (current_ == field::answers) {
      for (const auto& a : answers)
        if (view(a.question) == key) return fail(ec, errc::duplicate_key, inner_path(), "the question appears twice");
      if (answers.size() >= max_answers) return fail(ec, errc::too_large, "answers", "more than 256 answers");
    } else {
      for (const auto& a : segment)
        if (view(a.first) == key) return fail(ec, errc::duplicate_key, inner_path(), "the attribute appears twice");
      if (segment.size() >= max_attributes) return fail(ec, errc::too_large, "segment", "more than 64 attributes");
    }
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
    switch (depth_) {
      case 1:
        switch (current_) {
          case field::unknown: return true;
          case field::survey_version: case field::segment: case field::answers:
            return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
          case field::timestamp:
            if (!detail::parse_rfc3339_ms(view(t), timestamp_ms))
              return fail(ec, errc::invalid_argument, "timestamp",
                          "expected an RFC 3339 time such as 2026-10-02T09:14:03Z");
            has_timestamp = true;
            return true;
          case field::id:
            if (ids != nullptr) {
              id_hash = detail::id_set::hash(view(t));
              ids->prefetch(id_hash);
            }
            fields[static_cast<std::size_t>(current_)] = t;
            return true;
          default:
            fields[static_cast<std::size_t>(current_)] = t;
            return true;
        }
      case 2:
        if (current_ == field::segment) { segment.emplace_back(key_, t); return true; }
        {
          answer_value v;
          v.type = answer_type::string;
          answers.push_back({key_, v, t});
        }
        return true;
      default:
        return true;  // an element of an answer array: counted by on_array_end
    }
  }

  bool on_number_part(json::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, error_code& ec) { return on_integer(static_cast<double>(i), i, true, ec); }
  bool on_uint64(std::uint64_t u, json::string_view, error_code& ec) { return on_integer(static_cast<double>(u), 0, false, ec); }
  bool on_double(double d, json::string_view, error_code& ec) {
    // Anywhere in the record, the values of unknown fields too: such a line is not JSON that
    // every reader can hold (Boost.JSON reads 1e309 as infinity).
    if (!std::isfinite(d)) return fail(ec, errc::not_finite, value_path(), "the number is out of the range of a double");
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) {
      if (current_ == field::unknown) return true;
      if (current_ == field::survey_version || current_ == field::timestamp)
        return fail(ec, errc::not_integer, top_path(), expected_for(current_));
      return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
    }
    return scalar_answer(ec, answer_type::number, d, false);
  }
  bool on_bool(bool b, error_code& ec) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) return current_ == field::unknown || fail(ec, errc::wrong_type, top_path(), expected_for(current_));
    return scalar_answer(ec, answer_type::boolean, 0, b);
  }
  bool on_null(error_code& ec) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) return current_ == field::unknown || fail(ec, errc::wrong_type, top_path(), expected_for(current_));
    return scalar_answer(ec, answer_type::null, 0, false);
  }
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

  bool on_integer(double d, std::int64_t i, bool is_signed, error_code& ec) {
    if (skip_depth_ > 0) return true;
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) {
      switch (current_) {
        case field::unknown: return true;
        case field::survey_version:
          if (!is_signed || i < 0) return fail(ec, errc::out_of_range, "survey_version", "expected an integer >= 0");
          survey_version = i;
          return true;
        case field::timestamp:
          if (!is_signed || i < 0) return fail(ec, errc::out_of_range, "timestamp", "expected milliseconds since 1970 (>= 0)");
          timestamp_ms = i;
          has_timestamp = true;
          return true;
        default:
          return fail(ec, errc::wrong_type, top_path(), expected_for(current_));
      }
    }
    return scalar_answer(ec, answer_type::number, d, false);
  }

  bool not_an_object(error_code& ec) { return fail(ec, errc::wrong_type, "(root)", "a response is a JSON object"); }

  bool scalar_answer(error_code& ec, answer_type type, double number, bool b) {
    if (depth_ == 3) return true;  // array element
    if (current_ == field::segment) return fail(ec, errc::wrong_type, inner_path(), "a segment attribute is a string");
    answer_value v;
    v.type = type;
    v.number = number;
    v.boolean = b;
    answers.push_back({key_, v, {}});
    return true;
  }

  static const char* expected_for(field f) noexcept {
    switch (f) {
      case field::survey_version: return "expected an integer >= 0";
      case field::timestamp: return "expected an RFC 3339 string or integer milliseconds";
      case field::segment: return "expected an object of string attributes";
      case field::answers: return "expected an object of answers";
      default: return "expected a string";
    }
  }
  const char* inner_expectation() const noexcept {
    return current_ == field::segment ? "a segment attribute is a string"
                                      : "an answer is a number, string, boolean, null or array";
  }
  std::string top_path() const { return std::string(field_names[static_cast<std::size_t>(current_)]); }
  std::string inner_path() const { return top_path() + "." + std::string(view(key_)); }
  std::string value_path() const {
    if (depth_ == 0) return "(root)";
    if (depth_ >= 2) return inner_path();
    return current_ == field::unknown ? std::string(view(unknown_key_)) : top_path();
  }

  void append_part(json::string_view s) {
    if (!in_parts_) { parts_.clear(); in_parts_ = true; }
    parts_.append(s.data(), s.size());
  }
  // The final piece of a key or string: keep a view when it lies in the line, else copy.
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
  int skip_depth_ = 0;  // > 0 while inside the value of an unknown field
  field current_ = field::unknown;
  text key_;
  text unknown_key_;  // the unknown field being skipped, to name it in errors
  std::string parts_;
  bool in_parts_ = false;
  std::vector<text> unknown_keys_;
};

}  // namespace

struct response_reader::impl {
  explicit impl(reader_options o) : options(o), parser(make_options()) {}

  static json::parse_options make_options() {
    json::parse_options p;
    p.max_depth = 16;
    return p;
  }

  reader_options options;
  json::basic_parser<record_handler> parser;
  detail::jsonl_lines<reader_stats> lines{options.max_line_bytes, options.max_kept_errors};
  reader_stats& stats = lines.stats;
  detail::id_set ids;
  std::vector<answer_problem> problems;
  std::vector<answer> answers;
  std::vector<attribute> segment;

  void reject_line(std::uint64_t line, errc code, std::string field, std::string reason) {
    lines.reject_line(line, code, std::move(field), std::move(reason));
  }

  void process(std::string_view line, response_sink& sink) {
    const std::uint64_t number = lines.parse(line, parser, [&](record_handler& h, std::string_view l) {
      h.start(l);
      h.ids = options.dedupe_ids ? &ids : nullptr;
    });
    if (number == 0) return;
    const record_handler& h = parser.handler();
    if (!(h.seen & 1u << static_cast<unsigned>(field::id))) return reject_line(number, errc::missing_field, "id", "required");
    if (!(h.seen & 1u << static_cast<unsigned>(field::survey_id))) return reject_line(number, errc::missing_field, "survey_id", "required");
    if (!(h.seen & 1u << static_cast<unsigned>(field::answers))) return reject_line(number, errc::missing_field, "answers", "required");

    response_view r;
    r.line = number;
    r.id = h.view(h.fields[static_cast<std::size_t>(field::id)]);
    if (r.id.empty() || r.id.size() > max_id_bytes) return reject_line(number, errc::invalid_argument, "id", "expected 1 to 128 bytes");
    r.survey_id = h.view(h.fields[static_cast<std::size_t>(field::survey_id)]);
    if (r.survey_id.empty()) return reject_line(number, errc::invalid_argument, "survey_id", "must not be empty");
    if (options.dedupe_ids && !ids.insert(r.id, h.id_hash)) {
      ++stats.duplicate_ids;
      return reject_line(number, errc::duplicate_id, "id", "\"" + std::string(r.id) + "\" was seen on an earlier line");
    }
    const auto opt_field = [&](field f) {
      return h.seen & 1u << static_cast<unsigned>(f) ? h.view(h.fields[static_cast<std::size_t>(f)]) : std::string_view{};
    };
    r.survey_version = h.survey_version;
    r.respondent = opt_field(field::respondent);
    r.has_timestamp = h.has_timestamp;
    r.timestamp_ms = h.timestamp_ms;
    r.channel = opt_field(field::channel);
    r.journey_id = opt_field(field::journey_id);
    r.step = opt_field(field::step);
    answers.clear();
    for (const pending_answer& a : h.answers) {
      answer out{h.view(a.question), a.value};
      if (a.value.type == answer_type::string) out.value.text = h.view(a.value_text);
      answers.push_back(out);
    }
    segment.clear();
    for (const auto& s : h.segment) segment.push_back({h.view(s.first), h.view(s.second)});
    r.answers = answers.data();
    r.answers_size = answers.size();
    r.segment = segment.data();
    r.segment_size = segment.size();

    ++stats.responses;
    problems.clear();
    sink.on_response(r, problems);
    for (const answer_problem& p : problems) {
      ++stats.answer_errors;
      lines.report(number, p.code, "answers." + std::string(p.question), p.reason);
    }
  }

  void feed(std::string_view chunk, response_sink& sink) {
    lines.feed(chunk, [&](std::string_view line) { process(line, sink); });
  }
  void finish(response_sink& sink) {
    lines.finish([&](std::string_view line) { process(line, sink); });
  }
};

response_reader::response_reader(reader_options options) : impl_(std::make_unique<impl>(options)) {}
response_reader::~response_reader() = default;
response_reader::response_reader(response_reader&&) noexcept = default;
response_reader& response_reader::operator=(response_reader&&) noexcept = default;

void response_reader::feed(std::string_view chunk, response_sink& sink) { impl_->feed(chunk, sink); }
void response_reader::finish(response_sink& sink) { impl_->finish(sink); }

status response_reader::read_file(const std::string& path, response_sink& sink) {
  return detail::read_file_chunks(
      path, [&](std::string_view chunk) { feed(chunk, sink); }, [&] { finish(sink); });
}

const reader_stats& response_reader::stats() const noexcept { return impl_->stats; }
const std::vector<line_error>& response_reader::errors() const noexcept { return impl_->lines.errors; }
std::uint64_t response_reader::error_count() const noexcept { return impl_->lines.error_count; }

CXM_END_NAMESPACE
