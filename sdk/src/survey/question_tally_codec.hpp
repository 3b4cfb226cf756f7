// SPDX-License-Identifier: MIT
// Internal: the JSON form of a question tally (specified in cxm/survey/question_tally.hpp),
// nested in survey tallies and journey reports.
#ifndef CXM_SRC_SURVEY_QUESTION_TALLY_CODEC_HPP
#define CXM_SRC_SURVEY_QUESTION_TALLY_CODEC_HPP

#include "cxm/survey/question_tally.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

void write_question_tally(json_writer& w, const question_tally& q);
/// Reads and checks one question tally (consistent counts, a known layout).
bool read_question_tally(json_reader& r, json_value v, const json_path& at, question_tally& q);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_SURVEY_QUESTION_TALLY_CODEC_HPP
