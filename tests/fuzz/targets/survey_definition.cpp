// SPDX-License-Identifier: MIT
// Survey definitions on hostile bytes: parse returns a survey or an error naming a path; a
// parsed survey's canonical form parses back to the same canonical form, and every query a
// widget makes of it (locales, texts, visibility, sampling, eligibility) stays in bounds.
#include <cmath>
#include <string>

#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"
#include "cxm/survey/tally.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {

int survey_definition(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = as_text(data, size);
  auto parsed = cxm::survey::parse(input);
  if (!parsed) {
    CXM_FUZZ_CHECK(parsed.code() != cxm::errc::ok);
    CXM_FUZZ_CHECK(!parsed.detail().empty());
    return 0;
  }
  const cxm::survey& s = *parsed;
  const std::string canonical = s.to_json();
  auto again = cxm::survey::parse(canonical);
  CXM_FUZZ_CHECK_MSG(again.ok(), again.detail() + "\n" + canonical);
  CXM_FUZZ_CHECK_MSG(again->to_json() == canonical, canonical + "\n" + again->to_json());

  CXM_FUZZ_CHECK(!s.questions().empty() && !s.locales().empty());
  CXM_FUZZ_CHECK(s.default_locale() < s.locales().size());
  for (const cxm::survey_locale& l : s.locales()) {
    CXM_FUZZ_CHECK(s.resolve_locale(l.tag) < s.locales().size());
    CXM_FUZZ_CHECK(valid_utf8(l.tag));
  }
  for (std::string_view tag : {"", "he-IL", "EN", "x", "\xff"}) CXM_FUZZ_CHECK(s.resolve_locale(tag) < s.locales().size());
  for (std::size_t q = 0; q < s.questions().size(); ++q) {
    const cxm::survey_question& question = s.questions()[q];
    CXM_FUZZ_CHECK(s.find(question.id) == q);
    for (const cxm::survey_locale& l : s.locales()) {
      const cxm::question_text& t = s.text(q, l.tag);
      CXM_FUZZ_CHECK(!t.prompt.empty() && valid_utf8(t.prompt));
      if (cxm::has_choices(question.type)) CXM_FUZZ_CHECK(t.choice_labels.size() == question.choices.size());
    }
  }
  const cxm::sampling_decision d = s.sample(input.substr(0, 64));
  CXM_FUZZ_CHECK(d.probability >= 0 && d.probability <= 1);
  (void)s.eligible("r", 1000, -1, 999);
  (void)s.eligible("r", INT64_MIN, INT64_MAX, INT64_MIN);

  // The empty response: every question's state is decided, required ones are missing.
  const cxm::answers none;
  const cxm::scored_response r = cxm::score(s, none);
  CXM_FUZZ_CHECK(r.states.size() == s.questions().size());
  CXM_FUZZ_CHECK(r.answers.empty());
  const std::vector<std::size_t> visible = cxm::visible_questions(s, none);
  for (std::size_t q : visible) CXM_FUZZ_CHECK(r.shown(q));
  cxm::survey_tally tally(s);
  (void)tally.add(r);
  check_survey_tally(tally);
  return 0;
}

}  // namespace cxm_fuzz
