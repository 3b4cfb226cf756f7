// SPDX-License-Identifier: MIT
// cxm_instructions: a fixed amount of one hot-path workload, for counting instructions with
// callgrind (repeatable whatever else the machine does, unlike times). bench/instructions.sh
// runs each workload at two sizes and prints the difference per operation, which cancels the
// set-up (generating the data, making the objects).
//
//   cxm_instructions sketch N     N (<= 1M) values of the lognormal set recorded into one sketch
//   cxm_instructions journey N    the first N events of the journey set through record() (with
//                                 advance() every 4096 events) and finish()
//   cxm_instructions responses N  the first N lines of the responses set through the JSON Lines
//                                 reader into a scorer (NPS, CES, CSAT by channel and step)
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cxm/journey/tracker.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/survey/scorer.hpp"
#include "datasets.hpp"

namespace {

int sketch(std::size_t n) {
  const auto& values = cxm_bench::lognormal_values();
  if (n > values.size()) n = values.size();
  cxm::duration_sketch s;
  for (std::size_t i = 0; i < n; ++i) (void)s.record(values[i]);
  return s.count() == n ? 0 : 1;
}

int journey(std::size_t n) {
  const auto& events = cxm_bench::journey_data().events;
  cxm::journey_tracker t = cxm::journey_tracker::make(cxm_bench::journey_definition()).value();
  for (std::size_t i = 0; i < n && i < events.size(); ++i) {
    (void)t.record(events[i]);
    if ((i + 1) % cxm_bench::journey_advance_every == 0) t.advance(events[i].timestamp_ms);
  }
  t.finish();
  return 0;
}

int responses(std::size_t n) {
  const std::string& text = cxm_bench::responses_jsonl();
  std::size_t end = 0;
  for (std::size_t i = 0; i < n && end < text.size(); ++i) end = text.find('\n', end) + 1;
  cxm::survey_scorer scorer;
  (void)scorer.add_question("nps", cxm::question_type::nps, cxm::scale::nps());
  (void)scorer.add_question("ces", cxm::question_type::ces, cxm::scale::ces7());
  (void)scorer.add_question("csat", cxm::question_type::csat, cxm::scale::csat5());
  (void)scorer.add_breakdown("channel");
  (void)scorer.add_breakdown("step");
  cxm::response_reader reader;
  const std::string_view lines(text.data(), end);
  for (std::size_t at = 0; at < lines.size(); at += std::size_t{1} << 20)
    reader.feed(lines.substr(at, std::size_t{1} << 20), scorer);
  reader.finish(scorer);
  return reader.stats().responses == n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cxm_instructions sketch|journey|responses N\n");
    return 2;
  }
  const std::string what = argv[1];
  const std::size_t n = std::strtoull(argv[2], nullptr, 10);
  // Generate the data set first, so that both sizes pay the same set-up.
  if (what == "sketch") return (cxm_bench::lognormal_values(), sketch(n));
  if (what == "journey") return (cxm_bench::journey_data(), journey(n));
  if (what == "responses") return (cxm_bench::responses_jsonl(), responses(n));
  std::fprintf(stderr, "cxm_instructions: unknown workload %s\n", what.c_str());
  return 2;
}
