// SPDX-License-Identifier: MIT
#include "server/ingest/ingest.hpp"

#include <boost/json.hpp>

#include <cxm/device/recorder.hpp>
#include <cxm/journey/event_reader.hpp>
#include <cxm/survey/response_reader.hpp>
#include <cxm/survey/scoring.hpp>

#include "io/json_writer.hpp"
#include "io/timestamp.hpp"
#include "server/cells.hpp"

namespace cxm::server {
namespace {

problem make_problem(errc code, std::string path, std::string reason) {
  problem p;
  p.code = code;
  p.path = std::move(path);
  p.reason = std::move(reason);
  return p;
}

// True when the record's "local_score" (the widget's own classification of each scored answer,
// {"<question>":{"category":"promoter","top_box":true}}) differs from the core's. Records
// without one (apps, older widgets) match by definition.
bool local_score_differs(const boost::json::object& record, const survey& def, const scored_response& core) {
  const auto* local = record.if_contains("local_score");
  if (local == nullptr) return false;
  if (!local->is_object()) return true;
  std::size_t scored = 0;
  for (const auto& a : core.answers) {
    if (a.type != question_type::nps && a.type != question_type::ces && a.type != question_type::csat) continue;
    ++scored;
    const auto* mine = local->get_object().if_contains(def.questions()[a.question].id);
    if (mine == nullptr || !mine->is_object()) return true;
    const auto* top = mine->get_object().if_contains("top_box");
    if (top == nullptr || !top->is_bool() || top->get_bool() != a.top_box) return true;
    if (a.type == question_type::nps) {
      const auto* cat = mine->get_object().if_contains("category");
      if (cat == nullptr || !cat->is_string() || cat->get_string() != name(a.category)) return true;
    }
  }
  return scored != local->get_object().size();
}

// The scored questions of the survey last seen: a batch is mostly one survey.
struct cells_cache {
  const survey* def = nullptr;
  std::vector<survey_question> questions;
};

// Takes the one response the reader hands over: checks it against its survey and keeps the row.
class response_check final : public response_sink {
 public:
  response_check(const survey_registry& surveys, std::int64_t now_ms, cells_cache& cache)
      : surveys_(surveys), now_ms_(now_ms), cache_(cache) {}

  bool on_response(const response_view& r, std::vector<problem>& problems) override {
    taken_ = true;
    const survey* def = r.survey_version < 0 ? surveys_.latest(r.survey_id) : surveys_.find(r.survey_id, r.survey_version);
    if (def == nullptr) {
      bool known = surveys_.latest(r.survey_id) != nullptr;
      problems.push_back(make_problem(
          errc::not_found, known ? "survey_version" : "survey_id",
          known ? "survey \"" + std::string(r.survey_id) + "\" has no version " + std::to_string(r.survey_version)
                : "no survey \"" + std::string(r.survey_id) + "\" is served here"));
      return false;
    }
    scored_ = score(*def, r.answers);
    if (!scored_.ok()) {
      problem p = scored_.problems.front();
      p.path = "answers." + p.path;
      problems.push_back(std::move(p));
      return false;
    }
    def_ = def;
    row_.id = std::string(r.id);
    row_.survey_id = std::string(r.survey_id);
    row_.survey_version = def->version();
    row_.received_ms = now_ms_;
    row_.answered_ms = r.has_timestamp ? r.timestamp_ms : now_ms_;
    // Against the survey's latest version, the one GET /v1/analysis reports with.
    row_.cells.clear();
    if (const survey* latest = surveys_.latest(r.survey_id)) {
      if (latest != cache_.def) {
        cache_.def = latest;
        cache_.questions = analysis_questions(*latest);
      }
      cells_of(r, row_.answered_ms, cache_.questions, row_.cells);
    }
    return true;
  }

  bool taken_ = false;
  const survey* def_ = nullptr;
  scored_response scored_;
  response_row row_;

 private:
  const survey_registry& surveys_;
  std::int64_t now_ms_;
  cells_cache& cache_;
};

class event_check final : public journey_event_sink {
 public:
  void on_event(const journey_event&) override { taken_ = true; }
  bool taken_ = false;
};

// The reader's verdict on one line: the problem it added, or a generic one.
problem last_problem(const std::vector<problem>& errors, std::size_t before, errc fallback) {
  if (errors.size() > before) {
    problem p = errors.back();
    p.line = 0;
    return p;
  }
  return make_problem(fallback, "", "the record was refused");
}

std::string id_of(const boost::json::value& v) {
  const auto* id = v.get_object().if_contains("id");
  return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
}

// The id rule of the outbox (docs/outbox.md): 1-128 bytes.
bool check_id(const boost::json::value& v, record_verdict& out) {
  const auto* id = v.get_object().if_contains("id");
  if (id == nullptr) out.why = make_problem(errc::missing_field, "id", "a record needs an id (its idempotency key)");
  else if (!id->is_string()) out.why = make_problem(errc::wrong_type, "id", "expected a string");
  else if (id->get_string().empty() || id->get_string().size() > 128)
    out.why = make_problem(errc::invalid_argument, "id", "expected 1-128 bytes");
  else return true;
  out.outcome = verdict::rejected;
  return false;
}

}  // namespace

const char* name(verdict v) noexcept {
  switch (v) {
    case verdict::pending: return "pending";
    case verdict::accepted: return "accepted";
    case verdict::duplicate: return "duplicate";
    case verdict::rejected: return "rejected";
  }
  return "unknown";
}

prepared_batch prepare(const batch& b, const survey_registry& surveys, std::int64_t now_ms) {
  prepared_batch p;
  std::vector<std::size_t> event_slots, aggregate_slots;

  reader_options ro;
  ro.max_line_bytes = std::size_t{1} << 20;
  response_reader responses(ro);
  cells_cache cache;
  for (std::size_t i = 0; i < b.responses.size(); ++i) {
    const batch_record& rec = b.responses[i];
    record_verdict v{"responses", i, id_of(rec.value), verdict::pending, {}};
    response_check check(surveys, now_ms, cache);
    std::size_t before = responses.errors().size();
    responses.feed(rec.text, check);
    responses.feed("\n", check);
    if (!check.taken_ || check.def_ == nullptr || responses.errors().size() > before) {
      v.outcome = verdict::rejected;
      v.why = last_problem(responses.errors(), before, errc::invalid_argument);
    } else {
      check.row_.source = b.source;
      check.row_.score_mismatch = local_score_differs(rec.value.get_object(), *check.def_, check.scored_);
      p.score_mismatches += check.row_.score_mismatch ? 1 : 0;
      check.row_.record = rec.text;
      p.slots.push_back(p.verdicts.size());
      p.rows.push_back(std::move(check.row_));
    }
    p.verdicts.push_back(std::move(v));
  }

  journey_event_reader events;
  for (std::size_t i = 0; i < b.events.size(); ++i) {
    const batch_record& rec = b.events[i];
    record_verdict v{"events", i, id_of(rec.value), verdict::pending, {}};
    if (check_id(rec.value, v)) {
      event_check check;
      std::size_t before = events.errors().size();
      events.feed(rec.text, check);
      events.feed("\n", check);
      if (!check.taken_) {
        v.outcome = verdict::rejected;
        v.why = last_problem(events.errors(), before, errc::invalid_argument);
      } else {
        event_slots.push_back(p.verdicts.size());
        p.events.push_back({v.id, b.source, now_ms, rec.text});
      }
    }
    p.verdicts.push_back(std::move(v));
  }

  for (std::size_t i = 0; i < b.aggregates.size(); ++i) {
    const batch_record& rec = b.aggregates[i];
    const auto& obj = rec.value.get_object();
    record_verdict v{"aggregates", i, id_of(rec.value), verdict::pending, {}};
    if (check_id(rec.value, v)) {
      const auto* captured = obj.if_contains("captured_at");
      const auto* snapshot = obj.if_contains("snapshot");
      std::int64_t captured_ms = 0;
      if (captured == nullptr || !captured->is_string() ||
          !detail::parse_rfc3339_ms(std::string_view(captured->get_string()), captured_ms)) {
        v.outcome = verdict::rejected;
        v.why = make_problem(errc::invalid_argument, "captured_at", "expected an RFC 3339 time");
      } else if (snapshot == nullptr || !snapshot->is_object()) {
        v.outcome = verdict::rejected;
        v.why = make_problem(snapshot == nullptr ? errc::missing_field : errc::wrong_type, "snapshot",
                             "expected a cxm.recorder_snapshot object");
      } else {
        std::string text = boost::json::serialize(*snapshot);
        auto decoded = recorder_snapshot_from_json(text);
        if (!decoded) {
          v.outcome = verdict::rejected;
          v.why = make_problem(decoded.code(), "snapshot", decoded.detail());
        } else {
          aggregate_slots.push_back(p.verdicts.size());
          // Stored canonical (the core's own encoding) so that reports decode what they wrote.
          p.aggregates.push_back({b.source, v.id, captured_ms, now_ms, to_json(*decoded)});
        }
      }
    }
    p.verdicts.push_back(std::move(v));
  }
  p.slots.insert(p.slots.end(), event_slots.begin(), event_slots.end());
  p.slots.insert(p.slots.end(), aggregate_slots.begin(), aggregate_slots.end());
  return p;
}

void settle(prepared_batch& p, const std::vector<insert_outcome>& outcomes) {
  for (std::size_t k = 0; k < p.slots.size() && k < outcomes.size(); ++k)
    p.verdicts[p.slots[k]].outcome = outcomes[k] == insert_outcome::stored ? verdict::accepted : verdict::duplicate;
}

std::string verdicts_json(const batch& b, const prepared_batch& p) {
  std::uint64_t counts[4] = {0, 0, 0, 0};
  for (const auto& v : p.verdicts) ++counts[static_cast<int>(v.outcome)];
  detail::json_writer w;
  w.begin_object().member("format", "cxm.verdicts").member("version", 1);
  if (!b.id.empty()) w.member("batch", b.id);
  w.member("accepted", counts[1]).member("duplicate", counts[2]).member("rejected", counts[3]);
  w.key("records").begin_array();
  for (const auto& v : p.verdicts) {
    w.begin_object().member("array", v.array).member("index", static_cast<std::uint64_t>(v.index));
    if (!v.id.empty()) w.member("id", v.id);
    w.member("verdict", name(v.outcome));
    if (v.outcome == verdict::rejected)
      w.member("path", v.why.path).member("code", cxm::name(v.why.code)).member("reason", v.why.reason);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace cxm::server
