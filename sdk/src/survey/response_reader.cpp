// SPDX-License-Identifier: MIT
// JSON Lines of responses, read by the SAX parser of io/jsonl_record.hpp straight into a
// response_view: no DOM, and strings point into the input line unless escapes forced the
// parser to copy them. The handler checks the record's fields and what Boost.JSON 1.81 lets
// through (duplicate keys). Everything per line is reused, so steady-state reading does not allocate
// (apart from remembering ids for de-duplication).
#include "cxm/survey/response_reader.hpp"

#include <cmath>
#include <cstring>

#include "io/jsonl_lines.hpp"
#include "io/jsonl_record.hpp"
#include "io/timestamp.hpp"

CXM_BEGIN_NAMESPACE

response_sink::~response_sink() = default;

namespace {

enum class field : std::uint8_t {
  id, survey_id, survey_version, respondent, timestamp, channel, segment, journey_id, step,
  answers, inclusion_probability, unknown
};
constexpr std::string_view field_names[] = {"id", "survey_id", "survey_version", "respondent",
                                            "timestamp", "channel", "segment", "journey_id",
                                            "step", "answers", "inclusion_probability"};
constexpr std::size_t field_count = 11;
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
    case 21: return is(field::inclusion_probability);
    default: return field::unknown;
  }
}

using detail::text_ref;

// An answer as the parser saw it; its strings are texts of the line or the arena, turned into
// views once the line is parsed (the arena may grow until then).
struct pending_answer {
  text_ref question;
  answer_value value;
  text_ref value_text;           // string
  std::size_t item_begin = 0;    // strings: the first of value.item_count texts in `items`
};

class record_handler : public detail::record_handler_base<record_handler> {
 public:
  // Parse results.
  text_ref fields[field_count];
  unsigned seen = 0;  // bit per field
  std::int64_t survey_version = -1;
  std::int64_t timestamp_ms = 0;
  bool has_timestamp = false;
  double inclusion_probability = 0;  // 0: absent
  std::vector<pending_answer> answers;
  std::vector<text_ref> items;  // the elements of string-array answers
  std::vector<std::pair<text_ref, text_ref>> segment;

  void start(std::string_view line, response_sink* sink) {
    start_line(line);
    sink_ = sink;
    seen = 0;
    survey_version = -1;
    has_timestamp = false;
    inclusion_probability = 0;
    answers.clear();
    items.clear();
    segment.clear();
    depth_ = 0;
    skipping_answer_ = false;
    // Nothing of the previous line may survive: key_ can point into its bytes.
    current_ = field::unknown;
    key_ = {};
  }

  // Answers keep any JSON type (a wrong type is the question's problem, judged by scoring):
  // an object answer is skipped and kept as `object`; an array answer keeps its strings while
  // all its elements are strings, and is an `array` (of non-strings) otherwise.
  bool object_begin() {
    switch (depth_) {
      case 0: depth_ = 1; return true;
      case 1:
        if (current_ == field::unknown) { skip(); return true; }
        if (current_ != field::segment && current_ != field::answers)
          return fail(errc::wrong_type, top_path(), expected_for(current_));
        depth_ = 2;
        return true;
      case 2:
        if (current_ != field::answers) return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
        skip();
        skipping_answer_ = true;
        return true;
      default:  // inside an answer array
        array_of_strings_ = false;
        skip();
        return true;
    }
  }
  bool object_end() {
    --depth_;
    return true;
  }
  bool skipped() {
    if (!skipping_answer_) return true;
    skipping_answer_ = false;
    answer_value v;
    v.type = answer_type::object;
    answers.push_back({key_, v, {}, 0});
    return true;
  }
  bool array_begin() {
    switch (depth_) {
      case 0: return not_an_object();
      case 1:
        if (current_ == field::unknown) { skip(); return true; }
        return fail(errc::wrong_type, top_path(), expected_for(current_));
      case 2:
        if (current_ != field::answers) return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
        depth_ = 3;
        array_of_strings_ = true;
        item_begin_ = items.size();
        return true;
      default:  // an array inside an answer array
        array_of_strings_ = false;
        skip();
        return true;
    }
  }
  bool array_end(std::size_t n) {
    depth_ = 2;
    answer_value v;
    v.array_size = n;
    if (array_of_strings_) {
      v.type = answer_type::strings;
      v.item_count = items.size() - item_begin_;
    } else {
      v.type = answer_type::array;
      items.resize(item_begin_);
    }
    answers.push_back({key_, v, {}, item_begin_});
    return true;
  }

  bool key(text_ref k) {
    const std::string_view key = view(k);
    if (depth_ == 1) {
      current_ = field_of(key);
      if (current_ == field::unknown) return unknown_key(k);
      const unsigned bit = 1u << static_cast<unsigned>(current_);
      if (seen & bit) return fail(errc::duplicate_key, std::string(key), "the key appears twice");
      seen |= bit;
      return true;
    }
    // depth 2: a question id or a segment attribute name; keys must be unique there too.
    key_ = k;
    if (current_ == field::answers) {
      for (const auto& a : answers)
        if (view(a.question) == key) return fail(errc::duplicate_key, inner_path(), "the question appears twice");
      if (answers.size() >= max_answers) return fail(errc::too_large, "answers", "more than 256 answers");
    } else {
      for (const auto& a : segment)
        if (view(a.first) == key) return fail(errc::duplicate_key, inner_path(), "the attribute appears twice");
      if (segment.size() >= max_attributes) return fail(errc::too_large, "segment", "more than 64 attributes");
    }
    return true;
  }

  bool string(text_ref t) {
    switch (depth_) {
      case 0: return not_an_object();
      case 1:
        switch (current_) {
          case field::unknown: return true;
          case field::survey_version: case field::segment: case field::answers:
          case field::inclusion_probability:
            return fail(errc::wrong_type, top_path(), expected_for(current_));
          case field::timestamp:
            if (!detail::parse_rfc3339_ms(view(t), timestamp_ms))
              return fail(errc::invalid_argument, "timestamp", "expected an RFC 3339 time such as 2026-10-02T09:14:03Z");
            has_timestamp = true;
            return true;
          default:
            fields[static_cast<std::size_t>(current_)] = t;
            if (current_ == field::id) sink_->on_id(view(t));  // a hint: the record may yet fail
            return true;
        }
      case 2:
        if (current_ == field::segment) {
          segment.emplace_back(key_, t);
          return true;
        }
        {
          answer_value v;
          v.type = answer_type::string;
          answers.push_back({key_, v, t, 0});
        }
        return true;
      default:  // an element of an answer array
        if (array_of_strings_) items.push_back(t);
        return true;
    }
  }

  bool integer(std::int64_t i) { return on_integer(static_cast<double>(i), i, true); }
  bool unsigned_integer(std::uint64_t u) { return on_integer(static_cast<double>(u), 0, false); }
  bool number(double d) {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 1) {
      if (current_ == field::unknown) return true;
      if (current_ == field::inclusion_probability) return probability(d);
      if (current_ == field::survey_version || current_ == field::timestamp)
        return fail(errc::not_integer, top_path(), expected_for(current_));
      return fail(errc::wrong_type, top_path(), expected_for(current_));
    }
    return scalar_answer(answer_type::number, d, false);
  }
  bool not_finite() { return fail(errc::not_finite, value_path(), "the number is out of the range of a double"); }
  bool boolean(bool b) {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 1) return current_ == field::unknown || fail(errc::wrong_type, top_path(), expected_for(current_));
    return scalar_answer(answer_type::boolean, 0, b);
  }
  bool null() {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 1) return current_ == field::unknown || fail(errc::wrong_type, top_path(), expected_for(current_));
    return scalar_answer(answer_type::null, 0, false);
  }

 private:
  bool on_integer(double d, std::int64_t i, bool is_signed) {
    if (depth_ == 0) return not_an_object();
    if (depth_ == 1) {
      switch (current_) {
        case field::unknown: return true;
        case field::survey_version:
          if (!is_signed || i < 0) return fail(errc::out_of_range, "survey_version", "expected an integer >= 0");
          survey_version = i;
          return true;
        case field::timestamp:
          if (!is_signed || i < 0) return fail(errc::out_of_range, "timestamp", "expected milliseconds since 1970 (>= 0)");
          timestamp_ms = i;
          has_timestamp = true;
          return true;
        case field::inclusion_probability:
          return probability(d);
        default:
          return fail(errc::wrong_type, top_path(), expected_for(current_));
      }
    }
    return scalar_answer(answer_type::number, d, false);
  }

  // A design weight is 1/π: π must be a probability above 0 (a respondent who could not be
  // sampled did not answer) and at most 1. Below one in a billion it is no sampling rate
  // anyone sets, and weights over 1e9 would let sums of squared weights overflow.
  bool probability(double p) {
    if (!(p >= 1e-9 && p <= 1))
      return fail(errc::out_of_range, "inclusion_probability", expected_for(field::inclusion_probability));
    inclusion_probability = p;
    return true;
  }

  bool not_an_object() { return fail(errc::wrong_type, "(root)", "a response is a JSON object"); }

  bool scalar_answer(answer_type type, double number, bool b) {
    if (depth_ == 3) {  // an element of an answer array that is not a string
      array_of_strings_ = false;
      return true;
    }
    if (current_ == field::segment) return fail(errc::wrong_type, inner_path(), "a segment attribute is a string");
    answer_value v;
    v.type = type;
    v.number = number;
    v.boolean = b;
    answers.push_back({key_, v, {}, 0});
    return true;
  }

  static const char* expected_for(field f) noexcept {
    switch (f) {
      case field::survey_version: return "expected an integer >= 0";
      case field::timestamp: return "expected an RFC 3339 string or integer milliseconds";
      case field::segment: return "expected an object of string attributes";
      case field::answers: return "expected an object of answers";
      case field::inclusion_probability: return "expected a number from 1e-9 to 1: the probability the respondent was sampled";
      default: return "expected a string";
    }
  }
  std::string top_path() const { return std::string(field_names[static_cast<std::size_t>(current_)]); }
  std::string inner_path() const { return top_path() + "." + std::string(view(key_)); }
  std::string value_path() const {
    if (depth_ == 0) return "(root)";
    if (depth_ >= 2) return inner_path();
    return current_ == field::unknown ? std::string(unknown_field()) : top_path();
  }

  int depth_ = 0;
  bool skipping_answer_ = false;  // the skipped value is an object answer, kept when it ends
  bool array_of_strings_ = true;  // the answer array being read holds only strings so far
  std::size_t item_begin_ = 0;
  field current_ = field::unknown;
  text_ref key_;
  response_sink* sink_ = nullptr;
};

}  // namespace

struct response_reader::impl {
  explicit impl(reader_options o) : options(o) {}

  reader_options options;
  detail::jsonl_parser<record_handler> parser;
  detail::jsonl_lines<reader_stats> lines{options.max_line_bytes, options.max_kept_errors};
  reader_stats& stats = lines.stats;
  std::vector<problem> problems;
  std::vector<answer> answers;
  std::vector<std::string_view> items;
  std::vector<attribute> segment;

  void reject_line(std::uint64_t line, errc code, std::string field, std::string reason) {
    lines.reject_line(line, code, std::move(field), std::move(reason));
  }

  void process(std::string_view line, response_sink& sink) {
    const std::uint64_t number =
        parser.parse(lines, line, [&](record_handler& h, std::string_view l) { h.start(l, &sink); });
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
    const auto opt_field = [&](field f) {
      return h.seen & 1u << static_cast<unsigned>(f) ? h.view(h.fields[static_cast<std::size_t>(f)]) : std::string_view{};
    };
    r.survey_version = h.survey_version;
    r.respondent = opt_field(field::respondent);
    r.has_timestamp = h.has_timestamp;
    r.timestamp_ms = h.timestamp_ms;
    r.inclusion_probability = h.inclusion_probability;
    r.channel = opt_field(field::channel);
    r.journey_id = opt_field(field::journey_id);
    r.step = opt_field(field::step);
    answers.clear();
    items.clear();
    for (const text_ref& t : h.items) items.push_back(h.view(t));  // sized before `answers` point in
    for (const pending_answer& a : h.answers) {
      answer out{h.view(a.question), a.value};
      if (a.value.type == answer_type::string) out.value.text = h.view(a.value_text);
      if (a.value.type == answer_type::strings) out.value.items = items.data() + a.item_begin;
      answers.push_back(out);
    }
    segment.clear();
    for (const auto& s : h.segment) segment.push_back({h.view(s.first), h.view(s.second)});
    r.answers = answers_view(answers.data(), answers.size());
    r.segment = segment.data();
    r.segment_size = segment.size();

    problems.clear();
    const bool taken = sink.on_response(r, problems);
    if (taken) {
      ++stats.responses;
      stats.answer_errors += problems.size();
    } else {  // refused whole: problems end with why
      ++stats.rejected_lines;
      if (!problems.empty() && problems.back().code == errc::duplicate_id) ++stats.duplicate_ids;
    }
    for (problem& p : problems) lines.report(number, p.code, std::move(p.path), std::move(p.reason));
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

const reader_stats& response_reader::stats() const noexcept { return impl_->stats; }
const std::vector<problem>& response_reader::errors() const noexcept { return impl_->lines.errors; }
std::uint64_t response_reader::error_count() const noexcept { return impl_->lines.error_count; }

CXM_END_NAMESPACE
