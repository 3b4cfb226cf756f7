// SPDX-License-Identifier: MIT
/// @file survey.hpp  The survey module: definitions, answers and their scoring, per-question
/// tallies, response records and their JSON Lines reader, and scoring with breakdowns.
#ifndef CXM_SURVEY_HPP
#define CXM_SURVEY_HPP

#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/question_tally.hpp"
#include "cxm/survey/response.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/survey/scorer.hpp"
#include "cxm/survey/scoring.hpp"
#include "cxm/survey/tally.hpp"

#endif  // CXM_SURVEY_HPP
