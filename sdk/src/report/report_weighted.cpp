// SPDX-License-Identifier: MIT
// The report's design-weighted tallies: one weighted_nps_tally or weighted_scale_tally per
// question in the totals, each breakdown group and each period, and what build() reads of them.
#include "report/report_weighted.hpp"

#include <utility>

CXM_BEGIN_NAMESPACE
namespace detail {

weighted_questions weighted_layout(const std::vector<report_question>& questions) {
  weighted_questions w;
  for (const report_question& q : questions) {
    w.nps.emplace_back();
    // An NPS question keeps an unused CES tally in its slot; the scale was checked by make().
    auto t = weighted_scale_tally::make(q.type == question_type::nps ? scale::ces7() : q.answer_scale);
    w.ratings.push_back(t ? std::move(*t) : weighted_scale_tally());
  }
  return w;
}

void weighted_add(weighted_questions& w, const std::vector<report_question>& questions, const std::vector<int>& scores,
                  double inclusion_probability) noexcept {
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] < 0) continue;
    // The reader accepts π in [1e-9, 1] only, so these adds do not reject; 0 is "none".
    const bool nps = questions[i].type == question_type::nps;
    if (inclusion_probability > 0.0) {
      (void)(nps ? w.nps[i].add(scores[i], inclusion_probability) : w.ratings[i].add(scores[i], inclusion_probability));
    } else {
      (void)(nps ? w.nps[i].add(scores[i]) : w.ratings[i].add(scores[i]));
    }
  }
}

void weighted_merge(weighted_questions& into, const weighted_questions& from) noexcept {
  for (std::size_t i = 0; i < into.nps.size(); ++i) {
    (void)into.nps[i].merge(from.nps[i]);
    (void)into.ratings[i].merge(from.ratings[i]);
  }
}

weighted_questions* weighted_group(weighted_breakdown& b, std::string_view value, const weighted_questions& layout) {
  auto it = b.index.find(value);
  if (it != b.index.end()) return &b.groups[it->second];
  if (b.groups.size() >= survey_scorer::max_groups) return nullptr;
  b.index.emplace(std::string(value), b.groups.size());
  b.groups.push_back(layout);
  return &b.groups.back();
}

void weighted_merge(weighted_breakdown& into, const weighted_breakdown& from) {
  // In from's order of appearance, as survey_scorer::merge walks its groups.
  std::vector<const std::string*> order(from.groups.size());
  for (const auto& [value, position] : from.index) order[position] = &value;
  for (std::size_t g = 0; g < order.size(); ++g) {
    auto it = into.index.find(*order[g]);
    if (it != into.index.end()) {
      weighted_merge(into.groups[it->second], from.groups[g]);
    } else if (into.groups.size() < survey_scorer::max_groups) {
      into.index.emplace(*order[g], into.groups.size());
      into.groups.push_back(from.groups[g]);
    }
  }
}

const weighted_questions* find_weighted_group(const weighted_breakdown& b, std::string_view value) noexcept {
  auto it = b.index.find(value);
  return it == b.index.end() ? nullptr : &b.groups[it->second];
}

std::string_view dimension_value(const response_view& r, std::string_view dimension) noexcept {
  if (dimension == "channel") return r.channel;
  if (dimension == "step") return r.step;
  if (dimension == "survey_id") return r.survey_id;
  if (dimension == "journey_id") return r.journey_id;
  return r.segment_value(dimension.substr(8));  // "segment.<name>"
}

namespace {

report_estimate estimate_of(double value, const result<interval>& ci, double standard_error) {
  report_estimate e;
  e.value = value;
  if (ci) {
    e.bounds = *ci;
    e.standard_error = standard_error;
  }
  return e;
}

}  // namespace

report_weighted weighted_metric(const weighted_questions& w, std::size_t qi, const report_options& o) {
  report_weighted m;
  const bool nps = o.questions[qi].type == question_type::nps;
  const std::uint64_t n = nps ? w.nps[qi].total() : w.ratings[qi].total();
  m.sum_weights = nps ? w.nps[qi].weight_total() : w.ratings[qi].weight_total();
  m.n_effective = nps ? w.nps[qi].effective_n() : w.ratings[qi].effective_n();
  m.small_sample = m.n_effective < static_cast<double>(o.min_n);
  if (n == 0) return m;
  if (nps) {
    const weighted_nps_tally& t = w.nps[qi];
    m.estimate = estimate_of(t.score(), t.confidence_interval(o.level), t.standard_error());
    return m;
  }
  const weighted_scale_tally& t = w.ratings[qi];
  m.estimate = estimate_of(t.mean(), t.mean_interval(o.level), t.mean_standard_error());
  m.top_box = estimate_of(t.top_box_share(), t.top_box_interval(o.level), t.top_box_standard_error());
  return m;
}

std::optional<report_comparison> compare_weighted(const weighted_questions& a, const weighted_questions& b,
                                                  std::size_t qi, const report_options& o) {
  report_comparison c;
  if (o.questions[qi].type == question_type::nps) {
    auto d = compare(a.nps[qi], b.nps[qi], o.level);
    if (!d) return std::nullopt;
    c.difference = d->difference;
    c.lower = d->lower;
    c.upper = d->upper;
    c.p_value = d->p_value;
    c.method = "weighted_wald";
    return c;
  }
  auto d = compare_means(a.ratings[qi], b.ratings[qi], o.level);
  if (!d) return std::nullopt;
  c.difference = d->difference;
  c.lower = d->lower;
  c.upper = d->upper;
  c.p_value = d->p_value;
  c.method = "weighted_welch_t";
  return c;
}

}  // namespace detail
CXM_END_NAMESPACE
