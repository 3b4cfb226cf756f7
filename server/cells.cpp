// SPDX-License-Identifier: MIT
// The cells of one response (cells.hpp). The slots mirror what survey_scorer counts per
// question: shown (n), valid answers by score, invalid answers by reason; skipped is what is
// left. The rebuild parses stored records with the same reader as the rescan.
#include "server/cells.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include <cxm/survey/question_tally.hpp>
#include <cxm/survey/response_reader.hpp>
#include <cxm/survey/scoring.hpp>

namespace cxm::server {
namespace {

// The slot of a verdict (schema::cell_counts): 2 + score − min for a valid answer, 13 + the
// reason's place in answer_problems for an invalid one (any other reason as invalid_argument,
// as question_tally::add_invalid counts it), 0 for a skipped one.
int slot_of(const survey_question& q, const answer_value* v) {
  if (v == nullptr) return 0;
  scored_answer scored;
  const errc e = score_answer(q, *v, scored);
  if (e == errc::ok) return 2 + scored.score - q.scale.min;
  auto at = std::find(answer_problems.begin(), answer_problems.end(), e);
  if (at == answer_problems.end()) at = std::find(answer_problems.begin(), answer_problems.end(), errc::invalid_argument);
  return 13 + static_cast<int>(at - answer_problems.begin());
}

void add_group(std::vector<cell_key>& out, std::string_view dimension, std::int64_t start, std::string_view group,
               int response_slot, const std::vector<survey_question>& questions, const std::vector<int>& slots) {
  const std::string d = cell_text(dimension), g = cell_text(group);
  out.push_back({d, start, g, std::string(), response_slot});
  for (std::size_t i = 0; i < questions.size(); ++i) out.push_back({d, start, g, questions[i].id, slots[i]});
}

class cell_sink final : public response_sink {
 public:
  cell_sink(const survey_registry& surveys, std::int64_t answered_ms, std::vector<cell_key>& out)
      : surveys_(surveys), answered_ms_(answered_ms), out_(out) {}
  bool on_response(const response_view& r, std::vector<problem>&) override {
    if (const survey* def = surveys_.latest(r.survey_id)) cells_of(r, answered_ms_, analysis_questions(*def), out_);
    return true;
  }

 private:
  const survey_registry& surveys_;
  std::int64_t answered_ms_;
  std::vector<cell_key>& out_;
};

}  // namespace

std::string cell_text(std::string_view value) {
  if (value.find('\0') == std::string_view::npos && (value.empty() || value.front() != '\x01')) return std::string(value);
  std::string out = "\x01";
  for (const char c : value) {
    if (c == '\0' || c == '\x01') {
      out += '\x01';
      out += c == '\0' ? '0' : '1';
    } else {
      out += c;
    }
  }
  return out;
}

std::string cell_text_value(std::string_view text) {
  if (text.empty() || text.front() != '\x01') return std::string(text);
  std::string out;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\x01' && i + 1 < text.size()) {
      out += text[++i] == '0' ? '\0' : '\x01';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<survey_question> analysis_questions(const survey& def) {
  std::vector<survey_question> out;
  for (const auto& question : def.questions())
    if (question.type == question_type::nps || question.type == question_type::ces ||
        question.type == question_type::csat) {
      // As survey_scorer::add_question makes it: id, type and scale only (no condition).
      survey_question q;
      q.id = question.id;
      q.type = question.type;
      q.scale = question.scale;
      out.push_back(std::move(q));
    }
  return out;
}

std::vector<report_question> report_questions(const std::vector<survey_question>& questions) {
  std::vector<report_question> out;
  for (const survey_question& q : questions) out.push_back({q.id, q.type, q.scale});
  return out;
}

void cells_of(const response_view& r, std::int64_t answered_ms, const std::vector<survey_question>& questions,
              std::vector<cell_key>& out) {
  std::vector<int> slots(questions.size());
  for (std::size_t i = 0; i < questions.size(); ++i) slots[i] = slot_of(questions[i], r.find(questions[i].id));
  const std::int64_t start = cell_start(answered_ms);
  const int response_slot = r.inclusion_probability == 0.0 ? 1 : 0;
  add_group(out, "", start, r.has_timestamp ? "" : "u", response_slot, questions, slots);
  // Groups count responses only (p is a totals count).
  for (const char* dimension : {"channel", "step", "survey_id", "journey_id"}) {
    const std::string_view value = breakdown_value(r, dimension);
    if (!value.empty()) add_group(out, dimension, start, value, 0, questions, slots);
  }
  for (std::size_t i = 0; i < r.segment_size; ++i) {
    const auto& a = r.segment[i];
    // The breakdown reads a name's first attribute: later ones of the same name are not it.
    if (a.value.empty() || r.segment_value(a.name).data() != a.value.data()) continue;
    add_group(out, "segment." + std::string(a.name), start, a.value, 0, questions, slots);
  }
}

cell_maker stored_cells(const survey_registry& surveys) {
  return [&surveys](const response_row& row, std::vector<cell_key>& out) {
    cell_sink sink(surveys, row.answered_ms, out);
    response_reader reader;
    reader.feed(row.record, sink);
    reader.feed("\n", sink);
    reader.finish(sink);
  };
}

}  // namespace cxm::server
