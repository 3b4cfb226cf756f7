// SPDX-License-Identifier: MIT
// JSON Lines ingestion end to end (parse + validate + score) against Boost.JSON parsing the same
// lines into a DOM with a reused parser — the yardstick the issue quotes (~780 MB/s here).
#include <benchmark/benchmark.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <cstdio>
#include <random>
#include <string>

#include "cxm/survey/response_reader.hpp"
#include "cxm/survey/scorer.hpp"
#include "datasets.hpp"

namespace {

cxm::survey_scorer make_scorer(bool dedupe) {
  cxm::scorer_options o;
  o.count_ids_once = dedupe;
  cxm::survey_scorer s(o);
  (void)s.add_question("nps", cxm::question_type::nps, cxm::scale::nps());
  (void)s.add_question("ces", cxm::question_type::ces, cxm::scale::ces7());
  (void)s.add_question("csat", cxm::question_type::csat, cxm::scale::csat5());
  (void)s.add_breakdown("channel");
  (void)s.add_breakdown("step");
  return s;
}

// Feeds the corpus in 1 MiB chunks, as the CLI does with a file.
void ingest(benchmark::State& state, bool dedupe) {
  const std::string& text = cxm_bench::responses_jsonl();
  for (auto _ : state) {
    cxm::response_reader reader;
    auto scorer = make_scorer(dedupe);
    for (std::size_t i = 0; i < text.size(); i += std::size_t{1} << 20)
      reader.feed(std::string_view(text).substr(i, std::size_t{1} << 20), scorer);
    reader.finish(scorer);
    if (reader.stats().responses != 200000) state.SkipWithError("records were lost");
    benchmark::DoNotOptimize(scorer.totals().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 200000);
}

void BM_Reader_ScoreJsonl(benchmark::State& state) { ingest(state, true); }
void BM_Reader_ScoreJsonlNoDedupe(benchmark::State& state) { ingest(state, false); }

// Boost.JSON alone: each line parsed into a DOM by a reused parser on a reused buffer.
void BM_Reader_BoostJsonDom(benchmark::State& state) {
  const std::string& text = cxm_bench::responses_jsonl();
  unsigned char buffer[4096];
  boost::json::parser p;
  for (auto _ : state) {
    std::size_t pos = 0;
    std::size_t docs = 0;
    while (pos < text.size()) {
      const std::size_t nl = text.find('\n', pos);
      boost::json::monotonic_resource mr(buffer, sizeof buffer);
      p.reset(&mr);
      boost::system::error_code ec;
      p.write(text.data() + pos, nl - pos, ec);
      if (ec) state.SkipWithError("parse error");
      benchmark::DoNotOptimize(p.release());
      ++docs;
      pos = nl + 1;
    }
    benchmark::DoNotOptimize(docs);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 200000);
}

}  // namespace

BENCHMARK(BM_Reader_BoostJsonDom)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reader_ScoreJsonl)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reader_ScoreJsonlNoDedupe)->Unit(benchmark::kMillisecond);
