// SPDX-License-Identifier: MIT
// The JSON form of a scored response (format in cxm/survey/scoring.hpp).
#include <cstdint>
#include <string>

#include "cxm/survey/scoring.hpp"
#include "io/json_writer.hpp"
#include "io/problem_json.hpp"

CXM_BEGIN_NAMESPACE

std::string to_json(const survey& definition, const scored_response& r) {
  const std::vector<survey_question>& questions = definition.questions();
  detail::json_writer w;
  w.begin_object();
  w.key("format").value("cxm.scored_response");
  w.key("version").value(scored_response_json_version);
  w.key("survey_id").value(r.survey_id);
  w.key("survey_version").value(r.survey_version);
  w.key("ok").value(r.ok());
  w.key("questions").begin_array();
  // r.answers are in question order: one pass pairs each question with its answer.
  auto answer = r.answers.begin();
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const survey_question& q = questions[i];
    const question_state state = i < r.states.size() ? r.states[i] : question_state::hidden;
    w.begin_object();
    w.key("id").value(q.id);
    w.key("type").value(name(q.type));
    w.key("state").value(name(state));
    while (answer != r.answers.end() && answer->question < i) ++answer;
    if (state == question_state::answered && answer != r.answers.end() && answer->question == i) {
      const scored_answer& a = *answer;
      switch (q.type) {
        case question_type::nps:
        case question_type::ces:
        case question_type::csat:
          w.key("score").value(a.score);
          if (q.type == question_type::nps) w.key("category").value(name(a.category));
          w.key("top_box").value(a.top_box);
          break;
        case question_type::emotion:
        case question_type::choice:
          w.key("choices").begin_array();
          for (const std::size_t k : a.choices)
            if (k < q.choices.size()) w.value(q.choices[k]);
          w.end_array();
          break;
        case question_type::text:
          w.key("text").value(a.text);
          w.key("length").value(static_cast<std::uint64_t>(a.length));
          break;
      }
    }
    w.end_object();
  }
  w.end_array();
  w.key("problems");
  detail::write_problems(w, r.problems);
  w.end_object();
  return w.take();
}

CXM_END_NAMESPACE
