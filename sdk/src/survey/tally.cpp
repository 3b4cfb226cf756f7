// SPDX-License-Identifier: MIT
// Per-question tallies of valid survey responses, their merge and their JSON encoding
// (cxm.survey_tally version 1, specified in cxm/survey_tally.hpp).
#include "cxm/survey/tally.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <limits>
#include <utility>

#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE

namespace json = boost::json;

namespace {

constexpr std::uint64_t saturated = std::numeric_limits<std::uint64_t>::max();

// For sums that must not wrap where max_count (limits.hpp) is not in force.
void add_saturating(std::uint64_t& a, std::uint64_t b) noexcept { a = b > saturated - a ? saturated : a + b; }

std::uint64_t sum(const std::uint64_t* begin, const std::uint64_t* end) noexcept {
  std::uint64_t s = 0;
  for (const std::uint64_t* p = begin; p != end; ++p) add_saturating(s, *p);
  return s;
}

bool same_layout(const survey_question_tally& a, const survey_question_tally& b) noexcept {
  return a.id == b.id && a.type == b.type && a.multiple == b.multiple && a.choices == b.choices &&
         a.ratings.answer_scale() == b.ratings.answer_scale();
}

}  // namespace

double survey_question_tally::choice_share(std::size_t i) const noexcept {
  if (answered == 0 || i >= choice_counts.size()) return 0;
  return static_cast<double>(choice_counts[i]) / static_cast<double>(answered);
}

bool operator==(const survey_question_tally& a, const survey_question_tally& b) noexcept {
  return same_layout(a, b) && a.shown == b.shown && a.answered == b.answered && a.nps == b.nps &&
         a.ratings == b.ratings && a.choice_counts == b.choice_counts;
}

bool operator==(const survey_tally& a, const survey_tally& b) noexcept {
  return a.survey_id_ == b.survey_id_ && a.survey_version_ == b.survey_version_ && a.responses_ == b.responses_ &&
         a.rejected_ == b.rejected_ && a.questions_ == b.questions_;
}

survey_tally::survey_tally(const survey& definition)
    : survey_id_(definition.id()), survey_version_(definition.version()) {
  questions_.reserve(definition.questions().size());
  for (const survey_question& q : definition.questions()) {
    survey_question_tally t;
    t.id = q.id;
    t.type = q.type;
    if (q.type == question_type::ces || q.type == question_type::csat) {
      auto r = scale_tally::make(q.scale);  // a parsed survey's scales are valid
      CXM_ASSERT(r.ok());
      if (r.ok()) t.ratings = std::move(r).value();
    }
    if (has_choices(q.type)) {
      t.multiple = q.multiple;
      t.choices = q.choices;
      t.choice_counts.assign(q.choices.size(), 0);
    }
    questions_.push_back(std::move(t));
  }
}

const survey_question_tally* survey_tally::find(std::string_view id) const noexcept {
  for (const survey_question_tally& q : questions_)
    if (q.id == id) return &q;
  return nullptr;
}

status survey_tally::add(const scored_response& r) noexcept {
  if (r.survey_id != survey_id_ || r.survey_version != survey_version_ || r.states.size() != questions_.size())
    return errc::incompatible;
  // Check everything first, so that an incompatible response changes nothing.
  for (const scored_answer& a : r.answers) {
    if (a.question >= questions_.size()) return errc::incompatible;
    const survey_question_tally& q = questions_[a.question];
    if (q.type != a.type || r.states[a.question] != question_state::answered) return errc::incompatible;
    if (a.type == question_type::nps && (a.score < nps_tally::min_answer || a.score > nps_tally::max_answer))
      return errc::incompatible;
    if ((a.type == question_type::ces || a.type == question_type::csat) &&
        (a.score < q.ratings.answer_scale().min || a.score > q.ratings.answer_scale().max))
      return errc::incompatible;
    if (has_choices(a.type)) {
      if (a.choices.empty() || (a.choices.size() > 1 && !q.multiple)) return errc::incompatible;
      for (std::size_t k : a.choices)
        if (k >= q.choices.size()) return errc::incompatible;
    }
  }
  if (!r.ok()) {
    add_saturating(rejected_, 1);
    return errc::invalid_argument;
  }
  add_saturating(responses_, 1);
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (r.states[i] != question_state::hidden) add_saturating(questions_[i].shown, 1);
  for (const scored_answer& a : r.answers) {
    survey_question_tally& q = questions_[a.question];
    add_saturating(q.answered, 1);
    switch (a.type) {
      case question_type::nps: (void)q.nps.add(a.score); break;
      case question_type::ces:
      case question_type::csat: (void)q.ratings.add(a.score); break;
      case question_type::emotion:
      case question_type::choice:
        for (std::size_t k : a.choices) add_saturating(q.choice_counts[k], 1);
        break;
      case question_type::text: break;
    }
  }
  return errc::ok;
}

status survey_tally::add(const survey& definition, const survey_answers& answers, std::vector<survey_problem>* problems) {
  scored_response r = score(definition, answers);
  const status s = add(r);
  if (problems != nullptr) *problems = std::move(r.problems);
  return s;
}

bool survey_tally::compatible(const survey_tally& other) const noexcept {
  if (survey_id_ != other.survey_id_ || survey_version_ != other.survey_version_ ||
      questions_.size() != other.questions_.size())
    return false;
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (!same_layout(questions_[i], other.questions_[i])) return false;
  return true;
}

status survey_tally::merge(const survey_tally& other) noexcept {
  if (!compatible(other)) return errc::incompatible;
  // Every count of a question is at most `responses`, so this one check covers them all.
  if (other.responses_ > max_count - responses_) return errc::out_of_range;
  add_saturating(responses_, other.responses_);
  add_saturating(rejected_, other.rejected_);
  for (std::size_t i = 0; i < questions_.size(); ++i) {
    survey_question_tally& q = questions_[i];
    const survey_question_tally& o = other.questions_[i];
    add_saturating(q.shown, o.shown);
    add_saturating(q.answered, o.answered);
    (void)q.nps.merge(o.nps);          // within max_count: checked above
    (void)q.ratings.merge(o.ratings);  // same scale: checked by compatible()
    for (std::size_t k = 0; k < q.choice_counts.size(); ++k) add_saturating(q.choice_counts[k], o.choice_counts[k]);
  }
  return errc::ok;
}

// ---- JSON ---------------------------------------------------------------------------------

namespace {

json::array counts_json(const std::uint64_t* begin, const std::uint64_t* end) {
  json::array a;
  for (const std::uint64_t* p = begin; p != end; ++p) a.push_back(*p);
  return a;
}

}  // namespace

std::string survey_tally::to_json() const {
  json::object root;
  root["format"] = "cxm.survey_tally";
  root["version"] = format_version;
  root["survey_id"] = survey_id_;
  root["survey_version"] = survey_version_;
  root["responses"] = responses_;
  root["rejected"] = rejected_;
  json::array questions;
  for (const survey_question_tally& q : questions_) {
    json::object o;
    o["id"] = q.id;
    o["type"] = name(q.type);
    if (q.type == question_type::ces || q.type == question_type::csat) {
      const scale& s = q.ratings.answer_scale();
      o["scale"] = json::object{{"min", s.min}, {"max", s.max}, {"top_box_min", s.top_box_min}};
    }
    if (q.type == question_type::choice) o["multiple"] = q.multiple;
    if (has_choices(q.type)) {
      json::array c;
      for (const std::string& id : q.choices) c.push_back(json::string(id));
      o["choices"] = std::move(c);
    }
    o["shown"] = q.shown;
    o["answered"] = q.answered;
    if (q.type == question_type::nps) {
      o["counts"] = counts_json(q.nps.counts().data(), q.nps.counts().data() + q.nps.counts().size());
    } else if (q.type == question_type::ces || q.type == question_type::csat) {
      const auto points = static_cast<std::size_t>(q.ratings.answer_scale().points());
      o["counts"] = counts_json(q.ratings.counts().data(), q.ratings.counts().data() + points);
    } else if (has_choices(q.type)) {
      o["counts"] = counts_json(q.choice_counts.data(), q.choice_counts.data() + q.choice_counts.size());
    }
    questions.push_back(std::move(o));
  }
  root["questions"] = std::move(questions);
  return json::serialize(root);
}

/// Strict decoder of cxm.survey_tally; the first error wins.
class survey_tally_decoder {
 public:
  result<survey_tally> run(std::string_view text) {
    auto parsed = detail::parse_strict(text);
    if (!parsed) return {parsed.code(), parsed.detail()};
    const json::object* root = parsed.value().if_object();
    if (root == nullptr) return {errc::wrong_type, "(root): expected an object"};
    if (!read(*root)) return {code_, std::move(detail_)};
    return std::move(t_);
  }

 private:
  survey_tally t_;
  errc code_ = errc::ok;
  std::string detail_;

  bool fail(errc code, const std::string& path, std::string_view reason) {
    code_ = code;
    detail_ = path + ": " + std::string(reason);
    return false;
  }
  bool ok(errc e) { code_ = e; return e == errc::ok; }

  bool keys(const json::object& o, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o) {
      const std::string_view k(kv.key().data(), kv.key().size());
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        return fail(errc::invalid_argument, path.empty() ? "(root)" : path, "unknown field \"" + std::string(k) + "\"");
    }
    return true;
  }

  bool count(const json::object& o, std::string_view key, const std::string& path, std::uint64_t& out) {
    const json::value* v = o.if_contains(json::string_view(key.data(), key.size()));
    const std::string p = path.empty() ? std::string(key) : path + "." + std::string(key);
    if (v == nullptr) return fail(errc::missing_field, p, "missing");
    return ok(detail::get_u64(*v, p, out, detail_));
  }

  bool counts(const json::object& o, const std::string& path, std::size_t size, std::uint64_t* out) {
    const json::value* v = o.if_contains("counts");
    const std::string p = path + ".counts";
    if (v == nullptr) return fail(errc::missing_field, p, "missing");
    const json::array* a = v->if_array();
    if (a == nullptr) return fail(errc::wrong_type, p, "expected an array");
    if (a->size() != size)
      return fail(errc::invalid_argument, p, "expected " + std::to_string(size) + " entries, got " + std::to_string(a->size()));
    for (std::size_t i = 0; i < size; ++i)
      if (!ok(detail::get_u64((*a)[i], p + "[" + std::to_string(i) + "]", out[i], detail_))) return false;
    return true;
  }

  bool read(const json::object& root) {
    if (!ok(detail::check_header(root, "cxm.survey_tally", survey_tally::format_version, detail_))) return false;
    if (!keys(root, "", {"format", "version", "survey_id", "survey_version", "responses", "rejected", "questions"}))
      return false;
    std::string_view id;
    if (!ok(detail::get_string(root, "survey_id", "survey_id", id, detail_))) return false;
    if (id.empty()) return fail(errc::invalid_argument, "survey_id", "must not be empty");
    t_.survey_id_.assign(id);
    const json::value* version = root.if_contains("survey_version");
    if (version == nullptr) return fail(errc::missing_field, "survey_version", "missing");
    std::uint64_t v = 0;
    if (!ok(detail::get_u64(*version, "survey_version", v, detail_))) return false;
    if (v > (std::uint64_t{1} << 53) - 1) return fail(errc::out_of_range, "survey_version", "over 2^53-1");
    t_.survey_version_ = static_cast<std::int64_t>(v);
    if (!count(root, "responses", "", t_.responses_) || !count(root, "rejected", "", t_.rejected_)) return false;
    if (t_.responses_ > max_count) return fail(errc::out_of_range, "responses", "over 2^62, the most a tally counts");
    const json::value* qs = root.if_contains("questions");
    if (qs == nullptr) return fail(errc::missing_field, "questions", "missing");
    const json::array* a = qs->if_array();
    if (a == nullptr) return fail(errc::wrong_type, "questions", "expected an array");
    if (a->empty()) return fail(errc::missing_field, "questions", "a survey has at least one question");
    for (std::size_t i = 0; i < a->size(); ++i)
      if (!read_question((*a)[i], "questions[" + std::to_string(i) + "]")) return false;
    return true;
  }

  bool read_question(const json::value& v, const std::string& path) {
    const json::object* o = v.if_object();
    if (o == nullptr) return fail(errc::wrong_type, path, "expected an object");
    survey_question_tally q;
    std::string_view id, type;
    if (!ok(detail::get_string(*o, "id", path + ".id", id, detail_))) return false;
    if (id.empty()) return fail(errc::invalid_argument, path + ".id", "must not be empty");
    for (const survey_question_tally& other : t_.questions_)
      if (other.id == id) return fail(errc::invalid_argument, path + ".id", "duplicate question id \"" + std::string(id) + "\"");
    q.id.assign(id);
    if (!ok(detail::get_string(*o, "type", path + ".type", type, detail_))) return false;
    std::size_t t = 0;
    while (t <= static_cast<std::size_t>(question_type::text) && type != name(static_cast<question_type>(t))) ++t;
    if (t > static_cast<std::size_t>(question_type::text))
      return fail(errc::invalid_argument, path + ".type", "unknown question type \"" + std::string(type) + "\"");
    q.type = static_cast<question_type>(t);
    if (!count(*o, "shown", path, q.shown) || !count(*o, "answered", path, q.answered)) return false;
    if (q.shown > t_.responses_) return fail(errc::invalid_argument, path + ".shown", "more than responses");
    if (q.answered > q.shown) return fail(errc::invalid_argument, path + ".answered", "more than shown");

    switch (q.type) {
      case question_type::nps: {
        if (!keys(*o, path, {"id", "type", "shown", "answered", "counts"})) return false;
        nps_tally::counts_type c{};
        if (!counts(*o, path, c.size(), c.data())) return false;
        q.nps = nps_tally(c);
        if (sum(c.data(), c.data() + c.size()) != q.answered)
          return fail(errc::invalid_argument, path + ".counts", "do not add up to answered");
        break;
      }
      case question_type::ces:
      case question_type::csat: {
        if (!keys(*o, path, {"id", "type", "scale", "shown", "answered", "counts"})) return false;
        const json::object* so = nullptr;
        if (!ok(detail::get_object(*o, "scale", path + ".scale", so, detail_))) return false;
        if (!keys(*so, path + ".scale", {"min", "max", "top_box_min"})) return false;
        scale s;
        if (!ok(detail::get_int(*so, "min", path + ".scale.min", s.min, detail_)) ||
            !ok(detail::get_int(*so, "max", path + ".scale.max", s.max, detail_)) ||
            !ok(detail::get_int(*so, "top_box_min", path + ".scale.top_box_min", s.top_box_min, detail_)))
          return false;
        const bool known = q.type == question_type::ces ? (s == scale::ces7() || s == scale::ces5()) : s == scale::csat5();
        if (!known) return fail(errc::invalid_argument, path + ".scale", q.type == question_type::ces ? "not a CES scale (1-7/5 or 1-5/4)" : "not the CSAT scale (1-5/4)");
        auto tally = scale_tally::make(s);
        if (!tally) return fail(tally.code(), path + ".scale", tally.detail());
        scale_tally::counts_type c{};
        if (!counts(*o, path, static_cast<std::size_t>(s.points()), c.data())) return false;
        if (sum(c.data(), c.data() + c.size()) != q.answered)
          return fail(errc::invalid_argument, path + ".counts", "do not add up to answered");
        if (tally->set_counts(c) != errc::ok) return fail(errc::internal, path + ".counts", "set_counts");
        q.ratings = std::move(tally).value();
        break;
      }
      case question_type::emotion:
      case question_type::choice: {
        const bool choice = q.type == question_type::choice;
        if (choice ? !keys(*o, path, {"id", "type", "multiple", "choices", "shown", "answered", "counts"})
                   : !keys(*o, path, {"id", "type", "choices", "shown", "answered", "counts"}))
          return false;
        if (choice) {
          const json::value* m = o->if_contains("multiple");
          if (m == nullptr) return fail(errc::missing_field, path + ".multiple", "missing");
          if (!m->is_bool()) return fail(errc::wrong_type, path + ".multiple", "expected true or false");
          q.multiple = m->get_bool();
        }
        const json::value* cv = o->if_contains("choices");
        if (cv == nullptr) return fail(errc::missing_field, path + ".choices", "missing");
        const json::array* ca = cv->if_array();
        if (ca == nullptr) return fail(errc::wrong_type, path + ".choices", "expected an array");
        if (ca->empty()) return fail(errc::missing_field, path + ".choices", "must not be empty");
        for (std::size_t i = 0; i < ca->size(); ++i) {
          const std::string p = path + ".choices[" + std::to_string(i) + "]";
          const json::string* s = (*ca)[i].if_string();
          if (s == nullptr) return fail(errc::wrong_type, p, "expected a string");
          const std::string_view c(s->data(), s->size());
          if (c.empty()) return fail(errc::invalid_argument, p, "must not be empty");
          if (!choice && std::find(emotion_set.begin(), emotion_set.end(), c) == emotion_set.end())
            return fail(errc::invalid_argument, p, "not an emotion");
          if (std::find(q.choices.begin(), q.choices.end(), c) != q.choices.end())
            return fail(errc::invalid_argument, p, "duplicate choice");
          q.choices.emplace_back(c);
        }
        q.choice_counts.assign(q.choices.size(), 0);
        if (!counts(*o, path, q.choices.size(), q.choice_counts.data())) return false;
        const std::uint64_t total = sum(q.choice_counts.data(), q.choice_counts.data() + q.choice_counts.size());
        if (q.multiple) {
          for (std::uint64_t c : q.choice_counts)
            if (c > q.answered) return fail(errc::invalid_argument, path + ".counts", "a choice counted more often than answered");
          if (total < q.answered) return fail(errc::invalid_argument, path + ".counts", "fewer choices than answers");
        } else if (total != q.answered) {
          return fail(errc::invalid_argument, path + ".counts", "do not add up to answered");
        }
        break;
      }
      case question_type::text:
        if (!keys(*o, path, {"id", "type", "shown", "answered"})) return false;
        break;
    }
    t_.questions_.push_back(std::move(q));
    return true;
  }
};

result<survey_tally> survey_tally::from_json(std::string_view json) { return survey_tally_decoder().run(json); }

CXM_END_NAMESPACE
