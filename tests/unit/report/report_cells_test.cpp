// SPDX-License-Identifier: MIT
// report_builder::add_cell: responses pre-aggregated per time cell and group give the same
// report as the responses fed one by one (random data, many seeds).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "cxm/report/report.hpp"

namespace {

constexpr std::int64_t cell_ms = 15 * 60 * 1000;

struct generated {
  std::string line;         // the record
  std::optional<std::int64_t> t;
  bool has_probability = false;
  std::map<std::string, std::string> values;  // breakdown dimension -> value (present only)
};

std::string answer(std::mt19937_64& rng, int lo, int hi) {
  switch (rng() % 12) {
    case 0: return std::to_string(hi + 1);  // out of range
    case 1: return "\"" + std::to_string(lo) + "\"";  // wrong type
    case 2: return "7.5";  // not an integer
    default: return std::to_string(lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)));
  }
}

generated make_response(std::mt19937_64& rng, int i, int groups) {
  generated g;
  const std::int64_t t0 = 1790000000000;  // 2026-09
  g.line = "{\"id\":\"r" + std::to_string(i) + "\",\"survey_id\":\"s\"";
  if (rng() % 10 != 0) {
    g.t = t0 + static_cast<std::int64_t>(rng() % (40ULL * 86400000ULL));
    g.line += ",\"timestamp\":" + std::to_string(*g.t);
  }
  if (rng() % 4 != 0) {
    g.values["channel"] = "c" + std::to_string(rng() % static_cast<std::uint64_t>(groups));
    g.line += ",\"channel\":\"" + g.values["channel"] + "\"";
  }
  if (rng() % 3 != 0) {
    g.values["segment.plan"] = rng() % 2 ? "pro" : "free";
    g.line += ",\"segment\":{\"plan\":\"" + g.values["segment.plan"] + "\"}";
  }
  if (rng() % 5 == 0) {
    g.has_probability = true;
    g.line += ",\"inclusion_probability\":0.5";
  }
  g.line += ",\"answers\":{";
  std::string sep;
  if (rng() % 6 != 0) g.line += std::exchange(sep, ",") + "\"nps\":" + answer(rng, 0, 10);
  if (rng() % 3 != 0) g.line += std::exchange(sep, ",") + "\"ces\":" + answer(rng, 1, 7);
  g.line += "}}\n";
  return g;
}

cxm::report_options options(int seed) {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"ces", cxm::question_type::ces, cxm::scale::ces7()}};
  o.breakdowns = {"channel", "segment.plan"};
  o.period = seed % 3 == 0 ? cxm::period_unit::day : seed % 3 == 1 ? cxm::period_unit::week : cxm::period_unit::month;
  // +05:45: a multiple of the cell, so no cell straddles a local midnight.
  if (seed % 2 == 1) o.zone = *cxm::time_zone::fixed(5 * 3600 + 45 * 60);
  return o;
}

TEST(ReportCells, CellsEqualResponsesFedOneByOne) {
  for (int seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    const int n = 1 + static_cast<int>(rng() % 400);
    // Few groups mostly; some seeds pass max_groups so the overflow rule is exercised.
    const int groups = seed % 10 == 9 ? 300 : 6;
    std::vector<generated> rs;
    for (int i = 0; i < n; ++i) rs.push_back(make_response(rng, i, groups));
    const cxm::report_options o = options(seed);

    auto direct = cxm::report_builder::make(o);
    ASSERT_TRUE(direct) << direct.detail();
    cxm::response_reader reader;
    for (const generated& g : rs) reader.feed(g.line, *direct);
    reader.finish(*direct);

    // The cells: one survey_scorer per (cell, dimension, value) gives the tallies, and the
    // groups are added in order of their first response, as a store keeps them.
    struct cell {
      cxm::survey_scorer scorer{cxm::scorer_options{false}};
      cxm::report_cell c;
    };
    std::map<std::tuple<std::string, std::string, std::int64_t, bool>, cell> cells;
    std::vector<std::pair<std::string, std::string>> first_seen;
    for (const generated& g : rs) {
      std::vector<std::pair<std::string, std::string>> keys{{"", ""}};
      for (const auto& [d, v] : g.values) keys.emplace_back(d, v);
      for (const auto& [d, v] : keys) {
        const std::int64_t start = g.t ? *g.t - *g.t % cell_ms : 0;
        auto [it, made] = cells.try_emplace({d, v, start, g.t.has_value()});
        cell& c = it->second;
        if (made) {
          for (const auto& q : o.questions) ASSERT_TRUE(c.scorer.add_question(q.id, q.type, q.answer_scale));
          c.c.dimension = d;
          c.c.value = v;
          if (g.t) c.c.start_ms = start;
          if (!d.empty() && std::find(first_seen.begin(), first_seen.end(), std::make_pair(d, v)) == first_seen.end())
            first_seen.emplace_back(d, v);
        }
        cxm::response_reader one;
        one.feed(g.line, c.scorer);
        one.finish(c.scorer);
        ++c.c.responses;
        if (!g.has_probability) ++c.c.without_probability;
        if (g.t) {
          c.c.first_ms = c.c.first_ms ? std::min(*c.c.first_ms, *g.t) : *g.t;
          c.c.last_ms = c.c.last_ms ? std::max(*c.c.last_ms, *g.t) : *g.t;
        }
      }
    }
    auto from_cells = cxm::report_builder::make(o);
    ASSERT_TRUE(from_cells);
    // Totals in reverse order (any order must do), then the groups by first appearance.
    for (auto it = cells.rbegin(); it != cells.rend(); ++it) {
      if (!std::get<0>(it->first).empty()) continue;
      it->second.c.questions = it->second.scorer.totals();
      ASSERT_TRUE(from_cells->add_cell(it->second.c));
    }
    for (const auto& [d, v] : first_seen)
      for (auto& [key, c] : cells)
        if (std::get<0>(key) == d && std::get<1>(key) == v) {
          c.c.questions = c.scorer.totals();
          if (d.empty()) continue;
          c.c.without_probability = 0;
          c.c.first_ms.reset();
          c.c.last_ms.reset();
          ASSERT_TRUE(from_cells->add_cell(c.c));
        }
    EXPECT_EQ(cxm::to_json(direct->build()), cxm::to_json(from_cells->build())) << "seed " << seed;
  }
}

TEST(ReportCells, RefusesWhatItCannotAdd) {
  cxm::report_options o = options(0);
  auto b = cxm::report_builder::make(o);
  ASSERT_TRUE(b);
  cxm::report_cell c;
  c.dimension = "step";  // not a breakdown of this report
  c.value = "x";
  c.responses = 1;
  c.questions = b->scorer().totals();
  EXPECT_EQ(b->add_cell(c).code(), cxm::errc::invalid_argument);
  c.dimension.clear();
  c.questions.pop_back();  // another layout
  EXPECT_EQ(b->add_cell(c).code(), cxm::errc::invalid_argument);
  c.questions = b->scorer().totals();
  c.questions[0].shown = 2;  // more shown than responses
  EXPECT_EQ(b->add_cell(c).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(b->scorer().responses(), 0U);
  o.weighted = true;
  auto w = cxm::report_builder::make(o);
  ASSERT_TRUE(w);
  c.questions = w->scorer().totals();
  EXPECT_EQ(w->add_cell(c).code(), cxm::errc::invalid_argument);
}

}  // namespace
