// SPDX-License-Identifier: MIT
// Answers on hostile bytes, decoded and scored against two fixed surveys: decoding returns
// answers or an error; scoring decides a state for every question, keeps only valid answers of
// shown questions, agrees with visible_questions and validate, and folds into a tally that
// survives encode/decode and merge.
#include <cmath>
#include <string>

#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"
#include "cxm/survey/tally.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

void score_against(const cxm::survey& s, cxm::answers_view answers) {
  const cxm::scored_response r = cxm::score(s, answers);
  CXM_FUZZ_CHECK(r.survey_id == s.id() && r.survey_version == s.version());
  CXM_FUZZ_CHECK(r.states.size() == s.questions().size());
  std::size_t answered = 0;
  for (std::size_t q = 0; q < r.states.size(); ++q) {
    const bool has = r.find(q) != nullptr;
    CXM_FUZZ_CHECK(has == (r.states[q] == cxm::question_state::answered));
    answered += has ? 1 : 0;
  }
  CXM_FUZZ_CHECK(answered == r.answers.size());
  for (std::size_t i = 0; i < r.answers.size(); ++i) {
    const cxm::scored_answer& a = r.answers[i];
    CXM_FUZZ_CHECK(a.question < s.questions().size());
    CXM_FUZZ_CHECK(i == 0 || r.answers[i - 1].question < a.question);
    const cxm::survey_question& q = s.questions()[a.question];
    CXM_FUZZ_CHECK(a.type == q.type);
    if (cxm::is_scored(q.type)) CXM_FUZZ_CHECK(a.score >= q.scale.min && a.score <= q.scale.max);
    for (std::size_t c : a.choices) CXM_FUZZ_CHECK(c < q.choices.size());
    if (q.type == cxm::question_type::text)
      CXM_FUZZ_CHECK(valid_utf8(a.text) && a.length <= static_cast<std::size_t>(q.max_length));
  }
  for (const cxm::problem& p : r.problems) {
    CXM_FUZZ_CHECK(p.code != cxm::errc::ok && !p.reason.empty() && p.line == 0);
    CXM_FUZZ_CHECK(answers.find(p.path) != nullptr || s.find(p.path) != cxm::survey::npos);  // the path is a question id
  }
  // Each answered-with-a-problem question's code is score_answer's verdict on its own.
  for (std::size_t q = 0; q < r.states.size(); ++q) {
    if (r.states[q] != cxm::question_state::invalid) continue;
    const cxm::survey_question& question = s.questions()[q];
    cxm::scored_answer out;
    std::string reason;
    const cxm::errc e = cxm::score_answer(question, *answers.find(question.id), out, &reason);
    bool found = false;
    for (const cxm::problem& p : r.problems) found = found || (p.path == question.id && p.code == e && p.reason == reason);
    CXM_FUZZ_CHECK_MSG(found, question.id);
  }
  CXM_FUZZ_CHECK(cxm::validate(s, answers).size() == r.problems.size());
  const std::vector<std::size_t> visible = cxm::visible_questions(s, answers);
  std::size_t k = 0;
  for (std::size_t q = 0; q < r.states.size(); ++q) {
    if (!r.shown(q)) continue;
    CXM_FUZZ_CHECK_MSG(k < visible.size() && visible[k] == q, "visible_questions disagrees with score");
    ++k;
  }
  CXM_FUZZ_CHECK(k == visible.size());

  cxm::survey_tally tally(s);
  const cxm::status st = tally.add(r);
  CXM_FUZZ_CHECK(st.ok() == r.ok());
  CXM_FUZZ_CHECK(tally.responses() + tally.rejected() == 1);
  check_survey_tally(tally);
}

}  // namespace

int survey_answers(const std::uint8_t* data, std::size_t size) {
  auto answers = cxm::answers::from_json(as_text(data, size));
  if (!answers) {
    CXM_FUZZ_CHECK(answers.code() != cxm::errc::ok && !answers.detail().empty());
    return 0;
  }
  const cxm::answers_view view = *answers;
  CXM_FUZZ_CHECK(view.size() == answers->size());
  for (const cxm::answer& e : view) {
    CXM_FUZZ_CHECK(valid_utf8(e.question));
    CXM_FUZZ_CHECK(answers->find(e.question) == &e.value);  // question ids are unique
    const cxm::answer_value& v = e.value;
    if (v.type == cxm::answer_type::number) CXM_FUZZ_CHECK(std::isfinite(v.number));
    if (v.type == cxm::answer_type::string) CXM_FUZZ_CHECK(valid_utf8(v.text));
    if (v.type == cxm::answer_type::strings) {
      CXM_FUZZ_CHECK(v.item_count == v.array_size && (v.item_count == 0 || v.items != nullptr));
      for (std::size_t k = 0; k < v.item_count; ++k) CXM_FUZZ_CHECK(valid_utf8(v.items[k]));
    } else {
      CXM_FUZZ_CHECK(v.item_count == 0);
    }
  }
  score_against(test_survey(), view);
  score_against(example_survey(), view);
  // A copy's view outlives the original (the view above dies with it here).
  const std::size_t n = answers->size();
  cxm::answers copy = *answers;
  answers = cxm::answers::from_json("{}");
  CXM_FUZZ_CHECK(copy.size() == n);
  score_against(test_survey(), copy);
  return 0;
}

}  // namespace cxm_fuzz
