// SPDX-License-Identifier: MIT
// The report builder: a survey_scorer for totals and breakdowns, one scorer per period for the
// trend, and build(), which turns their tallies into the report's statistics.
#include "cxm/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "cxm/core/version.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/survey/scoring.hpp"
#include "report/report_metric.hpp"
#include "report/report_weighted.hpp"

CXM_BEGIN_NAMESPACE
namespace {

bool valid_p_adjust(p_adjust_method m) noexcept {
  switch (m) {
    case p_adjust_method::none:
    case p_adjust_method::bonferroni:
    case p_adjust_method::holm:
    case p_adjust_method::benjamini_hochberg: return true;
  }
  return false;
}

bool same_options(const report_options& a, const report_options& b) {
  if (a.questions.size() != b.questions.size()) return false;
  for (std::size_t i = 0; i < a.questions.size(); ++i) {
    const report_question& x = a.questions[i];
    const report_question& y = b.questions[i];
    if (x.id != y.id || x.type != y.type || !(x.answer_scale == y.answer_scale)) return false;
  }
  const auto zone_name = [](const report_options& o) { return o.zone ? o.zone->name() : std::string(); };
  return a.breakdowns == b.breakdowns && a.level == b.level && a.nps_method == b.nps_method &&
         a.p_adjust == b.p_adjust && a.min_n == b.min_n && a.period == b.period && zone_name(a) == zone_name(b) &&
         a.since_ms == b.since_ms && a.until_ms == b.until_ms && a.count_ids_once == b.count_ids_once &&
         a.weighted == b.weighted;
}

}  // namespace

// One question's numbers. The interval's own small_sample uses the SDK-wide threshold; the
// report's uses min_n, which the analyst chose.
report_metric detail::metric_of(const question_tally& q, const report_options& o, const weighted_questions* w,
                                std::size_t qi) {
  report_metric m;
  if (w != nullptr) m.weighted = detail::weighted_metric(*w, qi, o);
  m.question = q.id;
  m.type = q.type;
  m.n = q.answered;
  m.skipped = q.skipped();
  m.invalid = q.invalid;
  m.small_sample = m.n < o.min_n;
  if (q.type == question_type::nps) {
    m.distribution.assign(q.nps.counts().begin(), q.nps.counts().end());
    m.promoters = q.nps.promoters();
    m.passives = q.nps.passives();
    m.detractors = q.nps.detractors();
    if (auto ci = q.nps.confidence_interval(o.level, o.nps_method)) m.score = *ci;
    return m;
  }
  const scale& s = q.ratings.answer_scale();
  m.distribution.assign(q.ratings.counts().begin(), q.ratings.counts().begin() + s.points());
  m.top_box_min = s.top_box_min;
  if (m.n > 0) m.mean = q.ratings.mean();
  if (auto ci = q.ratings.mean_interval(o.level)) m.mean_interval = *ci;
  if (auto ci = q.ratings.top_box_interval(o.level)) m.top_box = *ci;
  return m;
}

namespace {

using detail::metric_of;

// compare() has no score-interval difference: adjusted Wald stands in (as widest_nps_gap does).
interval_method comparison_method(interval_method nps_method) noexcept {
  return nps_method == interval_method::wald ? interval_method::wald : interval_method::adjusted_wald;
}

// a − b on question tallies of one layout; empty when either side lacks what the test needs.
std::optional<report_comparison> compare_tallies(const question_tally& a, const question_tally& b,
                                                 const report_options& o) {
  report_comparison c;
  if (a.type == question_type::nps) {
    auto d = compare(a.nps, b.nps, o.level, comparison_method(o.nps_method));
    if (!d) return std::nullopt;
    c.difference = d->difference;
    c.lower = d->lower;
    c.upper = d->upper;
    c.p_value = d->p_value;
    c.method = name(d->method);
    return c;
  }
  auto d = compare_means(a.ratings, b.ratings, o.level);
  if (!d) return std::nullopt;
  c.difference = d->difference;
  c.lower = d->lower;
  c.upper = d->upper;
  c.p_value = d->p_value;
  c.method = "welch_t";
  return c;
}

// The tally of every group but one: the breakdown's sum minus the group. Counts cannot
// overflow: all the groups together hold at most the scorer's responses (<= max_count).
question_tally rest_of(const question_tally& sum, const question_tally& group) {
  question_tally rest = sum;  // id, type and scale; only the answer counts matter below
  if (sum.type == question_type::nps) {
    nps_tally::counts_type c = sum.nps.counts();
    for (std::size_t i = 0; i < c.size(); ++i) c[i] -= group.nps.counts()[i];
    rest.nps = nps_tally(c);
  } else {
    scale_tally::counts_type c = sum.ratings.counts();
    for (std::size_t i = 0; i < c.size(); ++i) c[i] -= group.ratings.counts()[i];
    (void)rest.ratings.set_counts(c);  // same scale and a smaller total: cannot fail
  }
  return rest;
}

// `layout`: empty tallies of the report's questions, in order.
// `wb`: the breakdown's weighted groups when the report is weighted (then the comparisons are
// of the weighted estimates), else nullptr.
report_breakdown breakdown_of(const score_breakdown& b, const std::vector<question_tally>& layout,
                              const report_options& o, const detail::weighted_breakdown* wb,
                              const detail::weighted_questions& weighted_layout) {
  report_breakdown out;
  out.dimension = b.dimension;
  out.overflow = b.overflow;
  // The rest of a group is the breakdown's other groups, not the totals minus the group: a
  // response without the dimension, or in the overflow, is in no group, and comparing a group
  // with responses that have no value for the dimension would mix two questions.
  std::vector<question_tally> sums = layout;  // empty tallies of the report's questions
  for (const score_group& g : b.groups)
    for (std::size_t qi = 0; qi < sums.size(); ++qi) {
      question_tally& s = sums[qi];
      if (s.type == question_type::nps) {
        nps_tally::counts_type c = s.nps.counts();
        for (std::size_t i = 0; i < c.size(); ++i) c[i] += g.questions[qi].nps.counts()[i];
        s.nps = nps_tally(c);
      } else {
        scale_tally::counts_type c = s.ratings.counts();
        for (std::size_t i = 0; i < c.size(); ++i) c[i] += g.questions[qi].ratings.counts()[i];
        (void)s.ratings.set_counts(c);
      }
    }
  // Weighted: the scorer's groups' weighted tallies, and each group's rest merged from the
  // groups before it (prefix) and after it (suffix), in group order: deterministic, and no
  // floating-point subtraction.
  std::vector<const detail::weighted_questions*> wg;
  std::vector<detail::weighted_questions> suffix;
  if (wb != nullptr) {
    for (const score_group& g : b.groups) {
      const detail::weighted_questions* w = detail::find_weighted_group(*wb, g.value);
      wg.push_back(w != nullptr ? w : &weighted_layout);  // always found: the same groups
    }
    suffix.assign(wg.size() + 1, weighted_layout);
    for (std::size_t i = wg.size(); i-- > 0;) {
      suffix[i] = suffix[i + 1];
      detail::weighted_merge(suffix[i], *wg[i]);
    }
  }
  detail::weighted_questions prefix = weighted_layout;
  for (std::size_t gi = 0; gi < b.groups.size(); ++gi) {
    const score_group& g = b.groups[gi];
    report_group rg;
    rg.value = g.value;
    rg.responses = g.responses;
    detail::weighted_questions rest;
    if (wb != nullptr) {
      rest = prefix;
      detail::weighted_merge(rest, suffix[gi + 1]);
    }
    for (std::size_t qi = 0; qi < g.questions.size(); ++qi) {
      if (wb != nullptr) {
        rg.questions.push_back(metric_of(g.questions[qi], o, wg[gi], qi));
        rg.vs_rest.push_back(detail::compare_weighted(*wg[gi], rest, qi, o));
      } else {
        rg.questions.push_back(metric_of(g.questions[qi], o));
        rg.vs_rest.push_back(compare_tallies(g.questions[qi], rest_of(sums[qi], g.questions[qi]), o));
      }
    }
    if (wb != nullptr) detail::weighted_merge(prefix, *wg[gi]);
    out.groups.push_back(std::move(rg));
  }
  // One family per question: the groups' comparisons on it are the tests a reader scans
  // together. Flags follow the adjusted p-value only (docs/report.md).
  for (std::size_t qi = 0; qi < layout.size(); ++qi) {
    std::vector<double> p;
    std::vector<report_comparison*> tested;
    for (auto& g : out.groups)
      if (g.vs_rest[qi]) {
        p.push_back(g.vs_rest[qi]->p_value);
        tested.push_back(&*g.vs_rest[qi]);
      }
    auto adjusted = adjust_p_values(p, o.p_adjust);
    if (!adjusted) continue;  // only for a p-value outside [0, 1], which the tests never give
    for (std::size_t i = 0; i < tested.size(); ++i) {
      report_comparison& c = *tested[i];
      c.p_adjusted = (*adjusted)[i];
      if (*c.p_adjusted < 1.0 - o.level && c.difference != 0.0) c.flag = c.difference > 0.0 ? 1 : -1;
    }
  }
  return out;
}

}  // namespace

report_builder::report_builder(report_options options)
    : options_(std::move(options)), scorer_(scorer_options{options_.count_ids_once}),
      period_template_(scorer_options{false}) {}

result<report_builder> report_builder::make(report_options options) {
  if (options.questions.empty()) return {errc::invalid_argument, "questions: a report needs at least one question"};
  if (!(options.level > 0.0 && options.level < 1.0))
    return {errc::invalid_argument, "level: must lie strictly between 0 and 1"};
  if (options.nps_method != interval_method::wald && options.nps_method != interval_method::adjusted_wald &&
      options.nps_method != interval_method::score)
    return {errc::invalid_argument, "nps_method: expected wald, adjusted_wald or score"};
  if (!valid_p_adjust(options.p_adjust))
    return {errc::invalid_argument, "p_adjust: expected none, bonferroni, holm or benjamini_hochberg"};
  if (options.since_ms && options.until_ms && *options.since_ms >= *options.until_ms)
    return {errc::invalid_argument, "since: must come before until"};
  if (options.zone && !options.period) return {errc::invalid_argument, "time_zone: given without a period"};
  report_builder b(std::move(options));
  for (std::size_t i = 0; i < b.options_.questions.size(); ++i) {
    const report_question& q = b.options_.questions[i];
    if (!b.scorer_.add_question(q.id, q.type, q.answer_scale) ||
        !b.period_template_.add_question(q.id, q.type, q.answer_scale))
      return {errc::invalid_argument, "questions[" + std::to_string(i) +
                                          "]: a non-empty id not given before, type nps, ces or csat on its scale"};
  }
  for (std::size_t i = 0; i < b.options_.breakdowns.size(); ++i)
    if (!b.scorer_.add_breakdown(b.options_.breakdowns[i]))
      return {errc::invalid_argument, "breakdowns[" + std::to_string(i) +
                                          "]: expected channel, step, survey_id, journey_id or segment.<name>, "
                                          "each once"};
  if (b.options_.weighted) {
    for (const report_question& q : b.options_.questions) {
      survey_question sq;
      sq.id = q.id;
      sq.type = q.type;
      sq.scale = q.answer_scale;
      b.weighted_questions_.push_back(std::move(sq));
    }
    b.weighted_template_ = detail::weighted_layout(b.options_.questions);
    b.weighted_totals_ = b.weighted_template_;
    b.weighted_breakdowns_.resize(b.options_.breakdowns.size());
    b.weighted_scores_.resize(b.options_.questions.size());
  }
  return b;
}

bool report_builder::on_response(const response_view& r, std::vector<problem>& problems) {
  if (r.has_timestamp && ((options_.since_ms && r.timestamp_ms < *options_.since_ms) ||
                          (options_.until_ms && r.timestamp_ms >= *options_.until_ms))) {
    // Taken, not refused: the record is valid, the analyst only asked about another time.
    ++input_.out_of_range;
    return true;
  }
  const std::size_t before = problems.size();
  if (!scorer_.on_response(r, problems)) return false;  // a duplicate id: the scorer counts it
  input_.answer_problems += problems.size() - before;
  if (r.inclusion_probability == 0.0) ++input_.without_probability;
  if (options_.weighted) add_weighted(r);
  if (!r.has_timestamp) {
    ++input_.missing_timestamps;  // in the totals and breakdowns, in no period: never guessed
    return true;
  }
  const std::int64_t t = r.timestamp_ms;
  input_.first_ms = input_.first_ms ? std::min(*input_.first_ms, t) : t;
  input_.last_ms = input_.last_ms ? std::max(*input_.last_ms, t) : t;
  if (!options_.period) return true;
  if (!cached_ || t < cached_start_ms_ || t >= cached_end_ms_) {
    const period p = period_of(t, *options_.period, options_.zone ? *options_.zone : time_zone());
    cached_start_ms_ = p.start_ms;
    cached_end_ms_ = p.end_ms;
    cached_index_ = p.index;
    cached_ = true;
  }
  auto it = periods_.find(cached_index_);
  if (it == periods_.end())
    it = periods_.emplace(cached_index_, period_bucket{0, period_template_, weighted_template_}).first;
  ++it->second.responses;
  if (options_.weighted)
    detail::weighted_add(it->second.weighted, options_.questions, weighted_scores_, r.inclusion_probability);
  // The main scorer has judged and reported this record's answers; the period's scorer scores
  // them the same way (the same score_answer), and its copy of the problems is dropped.
  scratch_.clear();
  (void)it->second.scorer.on_response(r, scratch_);
  return true;
}

// Scores the record's answers as the scorer did (the same score_answer; the scorer reported the
// problems) and adds them with the record's π to the weighted totals and groups. The period's
// weighted tallies take weighted_scores_ in on_response.
void report_builder::add_weighted(const response_view& r) {
  scored_answer scored;
  for (std::size_t i = 0; i < weighted_questions_.size(); ++i) {
    const answer_value* v = r.find(weighted_questions_[i].id);
    weighted_scores_[i] = v != nullptr && score_answer(weighted_questions_[i], *v, scored) == errc::ok ? scored.score : -1;
  }
  detail::weighted_add(weighted_totals_, options_.questions, weighted_scores_, r.inclusion_probability);
  for (std::size_t b = 0; b < weighted_breakdowns_.size(); ++b) {
    const std::string_view value = breakdown_value(r, options_.breakdowns[b]);
    if (value.empty()) continue;
    if (detail::weighted_questions* g = detail::weighted_group(weighted_breakdowns_[b], value, weighted_template_))
      detail::weighted_add(*g, options_.questions, weighted_scores_, r.inclusion_probability);
  }
}

status report_builder::add_cell(const report_cell& c) {
  if (options_.weighted) return errc::invalid_argument;
  if (!c.dimension.empty()) {
    const auto it = std::find(options_.breakdowns.begin(), options_.breakdowns.end(), c.dimension);
    if (it == options_.breakdowns.end()) return errc::invalid_argument;
    return scorer_.add_tallies(static_cast<std::size_t>(it - options_.breakdowns.begin()), c.value, c.responses,
                               c.questions);
  }
  // The main scorer checks the layout and the counts first, so a refused cell changes nothing.
  if (status s = scorer_.add_tallies(survey_scorer::totals_only, {}, c.responses, c.questions); !s) return s;
  for (const question_tally& t : c.questions) input_.answer_problems += t.invalid;
  input_.without_probability += c.without_probability;
  if (!c.start_ms) {
    input_.missing_timestamps += c.responses;
    return errc::ok;
  }
  if (c.first_ms) input_.first_ms = input_.first_ms ? std::min(*input_.first_ms, *c.first_ms) : *c.first_ms;
  if (c.last_ms) input_.last_ms = input_.last_ms ? std::max(*input_.last_ms, *c.last_ms) : *c.last_ms;
  if (!options_.period || c.responses == 0) return errc::ok;
  const period p = period_of(*c.start_ms, *options_.period, options_.zone ? *options_.zone : time_zone());
  auto it = periods_.find(p.index);
  if (it == periods_.end()) it = periods_.emplace(p.index, period_bucket{0, period_template_, weighted_template_}).first;
  it->second.responses += c.responses;
  (void)it->second.scorer.add_tallies(survey_scorer::totals_only, {}, c.responses, c.questions);
  return errc::ok;
}

void report_builder::add_reader_stats(const reader_stats& s) noexcept {
  input_.rejected_lines += s.rejected_lines - std::min(s.rejected_lines, s.duplicate_ids);
}

status report_builder::merge(const report_builder& other) {
  if (!same_options(options_, other.options_)) return errc::incompatible;
  // Merge the periods into a copy first, so that a failure of either step leaves this builder
  // as it was.
  std::map<std::int64_t, period_bucket> periods = periods_;
  for (const auto& [index, bucket] : other.periods_) {
    auto it = periods.find(index);
    if (it == periods.end()) {
      periods.emplace(index, bucket);
      continue;
    }
    if (status s = it->second.scorer.merge(bucket.scorer); !s) return s;
    it->second.responses += bucket.responses;
    detail::weighted_merge(it->second.weighted, bucket.weighted);
  }
  detail::weighted_questions totals = weighted_totals_;
  std::vector<detail::weighted_breakdown> breakdowns = weighted_breakdowns_;
  if (options_.weighted) {
    detail::weighted_merge(totals, other.weighted_totals_);
    for (std::size_t b = 0; b < breakdowns.size(); ++b) detail::weighted_merge(breakdowns[b], other.weighted_breakdowns_[b]);
  }
  if (status s = scorer_.merge(other.scorer_); !s) return s;
  periods_ = std::move(periods);
  weighted_totals_ = std::move(totals);
  weighted_breakdowns_ = std::move(breakdowns);
  const report_input& o = other.input_;
  input_.rejected_lines += o.rejected_lines;
  input_.answer_problems += o.answer_problems;
  input_.missing_timestamps += o.missing_timestamps;
  input_.out_of_range += o.out_of_range;
  input_.without_probability += o.without_probability;
  if (o.first_ms) input_.first_ms = input_.first_ms ? std::min(*input_.first_ms, *o.first_ms) : *o.first_ms;
  if (o.last_ms) input_.last_ms = input_.last_ms ? std::max(*input_.last_ms, *o.last_ms) : *o.last_ms;
  return errc::ok;
}

report report_builder::build() const {
  report out;
  out.generator = std::string("cxm ") + CXM_VERSION_STRING;
  out.settings = options_;
  out.input = input_;
  out.input.responses = scorer_.responses();
  out.input.duplicates = scorer_.duplicates();
  out.questions = options_.questions;
  const bool weighted = options_.weighted;
  for (std::size_t qi = 0; qi < scorer_.totals().size(); ++qi)
    out.totals.push_back(metric_of(scorer_.totals()[qi], options_, weighted ? &weighted_totals_ : nullptr, qi));

  if (options_.period) {
    report_trend trend;
    trend.unit = *options_.period;
    const time_zone zone = options_.zone ? *options_.zone : time_zone();
    trend.time_zone = zone.name();
    if (!periods_.empty()) {
      const std::int64_t first = periods_.begin()->first, last = periods_.rbegin()->first;
      const std::vector<question_tally>& empty = period_template_.totals();
      const std::vector<question_tally>* previous = nullptr;
      const detail::weighted_questions* previous_weighted = nullptr;
      std::int64_t previous_index = 0;
      const auto add = [&](std::int64_t i) {
        const period p = period_at(i, trend.unit, zone);
        report_period rp;
        rp.label = p.label;
        rp.start_ms = p.start_ms;
        rp.end_ms = p.end_ms;
        auto it = periods_.find(i);
        const std::vector<question_tally>& tallies = it == periods_.end() ? empty : it->second.scorer.totals();
        const detail::weighted_questions& w = it == periods_.end() ? weighted_template_ : it->second.weighted;
        rp.responses = it == periods_.end() ? 0 : it->second.responses;
        // A change is against the period just before, never against an older one.
        const bool adjacent = previous != nullptr && previous_index == i - 1;
        for (std::size_t qi = 0; qi < tallies.size(); ++qi) {
          rp.questions.push_back(metric_of(tallies[qi], options_, weighted ? &w : nullptr, qi));
          if (!adjacent) rp.change.push_back(std::nullopt);
          else if (weighted) rp.change.push_back(detail::compare_weighted(w, *previous_weighted, qi, options_));
          else rp.change.push_back(compare_tallies(tallies[qi], (*previous)[qi], options_));
        }
        previous = &tallies;
        previous_weighted = &w;
        previous_index = i;
        trend.periods.push_back(std::move(rp));
      };
      // Every period from the first to the last, the empty ones too: a gap in a chart must
      // show as a period with no responses, not as two neighbours joined by a line. Unless
      // the span is absurd (one response stamped 1970 or 9999 among this year's would make
      // millions of empty days): then only the periods holding responses are listed, so the
      // report stays proportional to its input, and the trend says so.
      if (static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first) < max_dense_periods) {
        for (std::int64_t i = first; i <= last; ++i) add(i);
      } else {
        trend.gaps_omitted = true;
        for (const auto& entry : periods_) add(entry.first);
      }
    }
    out.trend = std::move(trend);
  }

  for (std::size_t b = 0; b < scorer_.breakdowns().size(); ++b)
    out.breakdowns.push_back(breakdown_of(scorer_.breakdowns()[b], period_template_.totals(), options_,
                                          weighted ? &weighted_breakdowns_[b] : nullptr, weighted_template_));
  return out;
}

CXM_END_NAMESPACE
