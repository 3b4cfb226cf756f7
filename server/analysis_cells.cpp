// SPDX-License-Identifier: MIT
// GET /v1/analysis from the response cells: the store sums whole cells in SQL, the rows of
// the partial cells at the range's edges are made into cells here (cells.cpp, as ingest makes
// them), and the sums go into the report builder with report_builder::add_cell. The report is
// the rescan's: the totals per period, each breakdown's groups added in order of their first
// response (answered_ms, then id: the rescan's scan order), the same max_groups cap.
#include "server/analysis_cells.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include <cxm/survey/response_reader.hpp>

#include "server/cells.hpp"
#include "server/storage/schema.hpp"

namespace cxm::server {
namespace {

constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t highest = std::numeric_limits<std::int64_t>::max();

// One (group, question)'s counts: n, the 19 slots, the first (answered_ms, id), the last ms.
struct counts {
  std::int64_t n = 0;
  std::array<std::int64_t, schema::cell_counts> slots{};
  std::int64_t first_ms = highest;
  std::string first_id;
  std::int64_t last_ms = lowest;

  void add(const cell_sum& s) {
    n += s.n;
    for (std::size_t i = 0; i < slots.size(); ++i) slots[i] += s.counts[i];
    if (s.first_ms < first_ms) {
      first_ms = s.first_ms;
      first_id.clear();  // not in the sums: first_in_cells brings it
    }
    last_ms = std::max(last_ms, s.last_ms);
  }
  // An empty first_id is one not known yet (ids are never empty).
  void add_first(std::int64_t ms, const std::string& id) {
    if (ms < first_ms || (ms == first_ms && (first_id.empty() || id < first_id))) {
      first_ms = ms;
      first_id = id;
    }
  }
};
using by_question = std::map<std::string, counts>;  // "" holds the responses

// The report_cell of one group's (or totals cell's) counts; false when a question's shown
// count is not the responses' (cells made before the question was in the survey).
bool to_cell(const by_question& g, const std::vector<survey_question>& questions, report_cell& c) {
  const auto responses = g.find("");
  if (responses == g.end()) return false;
  c.responses = static_cast<std::uint64_t>(responses->second.n);
  c.questions.clear();
  for (const survey_question& q : questions) {
    question_tally t = question_tally::of(q);
    const auto it = g.find(q.id);
    if (it == g.end() || it->second.n != responses->second.n) return false;
    const counts& k = it->second;
    t.shown = static_cast<std::uint64_t>(k.n);
    if (q.type == question_type::nps) {
      nps_tally::counts_type v{};
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint64_t>(k.slots[1 + i]);
      t.nps = nps_tally(v);
      t.answered = t.nps.total();
    } else {
      scale_tally::counts_type v{};
      for (std::size_t i = 0; i < static_cast<std::size_t>(q.scale.points()); ++i)
        v[i] = static_cast<std::uint64_t>(k.slots[1 + i]);
      if (!t.ratings.set_counts(v)) return false;
      for (std::size_t i = 0; i < v.size(); ++i) t.answered += v[i];
    }
    for (std::size_t i = 0; i < t.problems.size(); ++i) {
      t.problems[i] = static_cast<std::uint64_t>(k.slots[12 + i]);
      t.invalid += t.problems[i];
    }
    if (t.answered + t.invalid > t.shown) return false;
    c.questions.push_back(std::move(t));
  }
  return true;
}

// The rows of the partial cells at the edges, made into cells as ingest makes them.
class edge_sink final : public response_sink {
 public:
  using key = std::tuple<std::string, std::int64_t, std::string>;  // dimension, start, group
  edge_sink(const std::vector<survey_question>& questions, std::map<key, by_question>& out)
      : questions_(questions), out_(out) {}
  const response_row* row = nullptr;

  bool on_response(const response_view& r, std::vector<problem>&) override {
    keys_.clear();
    cells_of(r, row->answered_ms, questions_, keys_);
    for (const cell_key& k : keys_) {
      counts& c = out_[{k.dimension, k.start_ms, k.group}][k.question];
      ++c.n;
      if (k.slot > 0) ++c.slots[static_cast<std::size_t>(k.slot - 1)];
      c.add_first(row->answered_ms, row->id);
      c.last_ms = std::max(c.last_ms, row->answered_ms);
    }
    return true;
  }

 private:
  const std::vector<survey_question>& questions_;
  std::map<key, by_question>& out_;
  std::vector<cell_key> keys_;
};

bool aligned(std::int64_t ms) { return cell_start(ms) == ms; }

// Far enough for any timestamp, and a whole number of days: an open end of the range.
constexpr std::int64_t far = std::int64_t{86400000} * 50000000000;

// [from, to) (on the finest grid) as ranges of whole cells of one size each: the coarsest
// that fit in the middle, finer ones towards the ends.
void pieces(std::int64_t from, std::int64_t to, std::size_t level, std::vector<std::array<std::int64_t, 3>>& out) {
  if (from >= to) return;
  const std::int64_t size = schema::cell_sizes_ms[level];
  if (level == 0) {
    out.push_back({from, to, size});
    return;
  }
  const auto floor_to = [size](std::int64_t ms) {
    const std::int64_t r = ms % size;
    return ms - (r < 0 ? r + size : r);
  };
  const std::int64_t c1 = floor_to(from) == from ? from : floor_to(from) + size, c2 = floor_to(to);
  if (c1 >= c2) return pieces(from, to, level - 1, out);
  pieces(from, c1, level - 1, out);
  out.push_back({c1, c2, size});
  pieces(c2, to, level - 1, out);
}
std::vector<std::array<std::int64_t, 3>> pieces(std::int64_t from, std::int64_t to) {
  std::vector<std::array<std::int64_t, 3>> out;
  pieces(from, to, std::size(schema::cell_sizes_ms) - 1, out);
  return out;
}

}  // namespace

status add_from_cells(store& s, const response_query& q, const std::vector<survey_question>& questions,
                      report_builder& builder, bool& used, std::string& detail) {
  used = false;
  const report_options& o = builder.options();
  // Whole cells lie in [a, b); the rows of [from, a) and [b, to) are read as they are.
  static_assert(schema::cell_sizes_ms[0] == cell_size_ms, "the analysis reads the finest cells at its edges");
  std::int64_t a = -far, b = far;
  if (q.from_ms) {
    if (*q.from_ms > far || *q.from_ms < -far) return {};
    a = aligned(*q.from_ms) ? *q.from_ms : cell_start(*q.from_ms) + cell_size_ms;
  }
  if (q.to_ms) {
    if (*q.to_ms > far || *q.to_ms < -far) return {};
    b = cell_start(*q.to_ms);
  }
  if (a >= b) return {};  // inside one or two cells: the rescan reads as few rows

  std::map<edge_sink::key, by_question> edges;
  edge_sink sink(questions, edges);
  const auto scan_edge = [&](std::int64_t from, std::int64_t to) -> status {
    response_reader reader;
    return s.scan_responses({q.survey_id, from, to}, [&](const response_row& row) {
      sink.row = &row;
      reader.feed(row.record, sink);
      reader.feed("\n", sink);
      return true;
    }, detail);
  };
  if (q.from_ms && *q.from_ms < a)
    if (status st = scan_edge(*q.from_ms, a); !st) return st;
  if (q.to_ms && b < *q.to_ms)
    if (status st = scan_edge(b, *q.to_ms); !st) return st;

  const time_zone zone = o.zone ? *o.zone : time_zone();
  // A cell must lie in one period: every period the cells touch starts and ends on a cell
  // boundary (always so for offsets that are whole quarter hours).
  const auto period_fits = [&](std::int64_t start) {
    if (!o.period) return true;
    const period p = period_of(start, *o.period, zone);
    return aligned(p.start_ms) && aligned(p.end_ms);
  };

  // The totals: per period when there is a trend (one summed query per period), else at once.
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;  // [from, to) of cell starts
  if (o.period) {
    std::optional<std::int64_t> first, last;
    if (status st = s.cell_span({q.survey_id, "", a, b, cell_size_ms}, first, last, detail); !st) return st;
    if (first) {
      const period p0 = period_of(*first, *o.period, zone), p1 = period_of(*last, *o.period, zone);
      if (static_cast<std::uint64_t>(p1.index) - static_cast<std::uint64_t>(p0.index) >= report_builder::max_dense_periods)
        return {};  // a span of decades: the rescan lists only the periods it finds
      for (std::int64_t i = p0.index; i <= p1.index; ++i) {
        const period p = period_at(i, *o.period, zone);
        if (!aligned(p.start_ms) || !aligned(p.end_ms)) return {};
        spans.emplace_back(std::max(a, p.start_ms), std::min(b, p.end_ms));
      }
    }
  } else {
    spans.emplace_back(a, b);
  }
  std::vector<report_cell> cells;
  for (const auto& [from, to] : spans) {
    std::map<std::string, by_question> groups;  // "" with a timestamp, "u" without
    for (const auto& [lo, hi, size] : pieces(from, to))
      if (status st = s.sum_cells({q.survey_id, "", lo, hi, size},
                                  [&](const cell_sum& c) { groups[c.group][c.question].add(c); }, detail);
          !st)
        return st;
    for (const auto& [group, g] : groups) {
      report_cell c;
      if (!to_cell(g, questions, c)) return {};
      if (group.empty()) {
        c.start_ms = from;
        c.first_ms = g.at("").first_ms;
        c.last_ms = g.at("").last_ms;
      }
      c.without_probability = static_cast<std::uint64_t>(g.at("").slots[0]);
      cells.push_back(std::move(c));
    }
  }
  for (const auto& [k, g] : edges) {
    if (!std::get<0>(k).empty()) continue;
    report_cell c;
    if (!to_cell(g, questions, c)) return {};
    if (std::get<2>(k).empty()) {
      if (!period_fits(std::get<1>(k))) return {};
      c.start_ms = std::get<1>(k);
      c.first_ms = g.at("").first_ms;
      c.last_ms = g.at("").last_ms;
    }
    c.without_probability = static_cast<std::uint64_t>(g.at("").slots[0]);
    cells.push_back(std::move(c));
  }

  // Each breakdown: its groups summed over the range plus the edges, added in order of first
  // appearance so that the cap (survey_scorer::max_groups) keeps the rescan's groups.
  std::vector<report_cell> group_cells;
  for (const std::string& asked : o.breakdowns) {
    const std::string dimension = cell_text(asked);  // as the cells hold it
    std::map<std::string, by_question> groups;
    for (const auto& [lo, hi, size] : pieces(a, b)) {
      if (status st = s.sum_cells({q.survey_id, dimension, lo, hi, size},
                                  [&](const cell_sum& c) { groups[c.group][c.question].add(c); }, detail);
          !st)
        return st;
      if (status st = s.first_in_cells({q.survey_id, dimension, lo, hi, size},
                                       [&](const std::string& group, std::int64_t ms, const std::string& id) {
                                         groups[group][""].add_first(ms, id);
                                       },
                                       detail);
          !st)
        return st;
    }
    for (const auto& [k, g] : edges) {
      if (std::get<0>(k) != dimension) continue;
      by_question& into = groups[std::get<2>(k)];
      for (const auto& [question, c] : g) {
        counts& t = into[question];
        t.n += c.n;
        for (std::size_t i = 0; i < t.slots.size(); ++i) t.slots[i] += c.slots[i];
        t.add_first(c.first_ms, c.first_id);
      }
    }
    std::vector<std::pair<std::string, by_question>> ordered(groups.begin(), groups.end());
    std::sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) {
      const counts& cx = x.second.at("");
      const counts& cy = y.second.at("");
      return std::tie(cx.first_ms, cx.first_id) < std::tie(cy.first_ms, cy.first_id);
    });
    for (const auto& [group, g] : ordered) {
      report_cell c;
      if (!to_cell(g, questions, c)) return {};
      c.dimension = asked;
      c.value = cell_text_value(group);
      group_cells.push_back(std::move(c));
    }
  }

  // Everything checked: only now does the builder change.
  for (const report_cell& c : cells)
    if (status st = builder.add_cell(c); !st) {
      detail = "analysis: a cell the report refuses";
      return st;
    }
  for (const report_cell& c : group_cells)
    if (status st = builder.add_cell(c); !st) {
      detail = "analysis: a group the report refuses";
      return st;
    }
  used = true;
  return {};
}

}  // namespace cxm::server
