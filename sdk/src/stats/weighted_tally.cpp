// SPDX-License-Identifier: MIT
// Design-weighted tallies: Hájek estimates with w = 1/π, their with-replacement linearization
// standard errors, Kish's effective n, and Wald / Student t / Wilson intervals on them.
// The formulas and their sources are in weighted_tally.hpp.
#include "cxm/stats/weighted_tally.hpp"

#include <cmath>

#include "core/saturating.hpp"
#include "stats/statistics.hpp"

CXM_BEGIN_NAMESPACE

namespace {

// The probability rejection counters: out_of_range, not_finite.
using probability_rejections = std::array<std::uint64_t, 2>;

status count_probability_rejection(probability_rejections& r, errc reason) noexcept {
  std::uint64_t& slot = r[reason == errc::not_finite ? 1 : 0];
  slot = detail::add_saturating(slot, std::uint64_t{1});
  return reason;
}

std::uint64_t probability_rejection_count(const probability_rejections& r, errc reason) noexcept {
  if (reason == errc::out_of_range) return r[0];
  if (reason == errc::not_finite) return r[1];
  return 0;
}

// Adds one response of weight 1/π to `cell`, or counts why π is refused.
status add_to_cell(weighted_cell& cell, double inclusion_probability, probability_rejections& rejected) noexcept {
  if (const errc e = classify_inclusion_probability(inclusion_probability); e != errc::ok)
    return count_probability_rejection(rejected, e);
  const double w = 1.0 / inclusion_probability;
  ++cell.n;
  cell.weight += w;
  cell.weight_squared += w * w;
  return errc::ok;
}

// Sums over the first `size` cells.
struct cell_sums {
  std::uint64_t n = 0;
  double weight = 0;
  double weight_squared = 0;
};

template <std::size_t N>
cell_sums sum_cells(const std::array<weighted_cell, N>& cells, std::size_t size = N) noexcept {
  cell_sums s;
  for (std::size_t j = 0; j < size; ++j) {
    s.n += cells[j].n;
    s.weight += cells[j].weight;
    s.weight_squared += cells[j].weight_squared;
  }
  return s;
}

// The Hájek estimate Σ_j W_j y_j / W of a variable constant within each cell (y[j]).
template <std::size_t N>
double hajek(const std::array<weighted_cell, N>& cells, const std::array<double, N>& y, std::size_t size,
             const cell_sums& s) noexcept {
  double num = 0;
  for (std::size_t j = 0; j < size; ++j) num += cells[j].weight * y[j];
  return num / s.weight;
}

// The with-replacement linearization variance of the Hájek estimate `estimate`:
// n/(n−1) · Σ_i w_i²(y_i − estimate)² / W² = n/(n−1) · Σ_j Q_j (y_j − estimate)² / W².
// Summed as squares of deviations (never Σw²y² − ..., which cancels). 0 when n < 2.
template <std::size_t N>
double linearized_variance(const std::array<weighted_cell, N>& cells, const std::array<double, N>& y,
                           std::size_t size, const cell_sums& s, double estimate) noexcept {
  if (s.n < 2) return 0.0;
  double ss = 0;
  for (std::size_t j = 0; j < size; ++j) {
    const double d = y[j] - estimate;
    ss += cells[j].weight_squared * d * d;
  }
  const double n = static_cast<double>(s.n);
  return n / (n - 1.0) * (ss / (s.weight * s.weight));
}

// Kish's (Σw)²/Σw², capped at n (equal only for equal weights, where rounding may exceed n).
double kish(const cell_sums& s) noexcept {
  if (s.n == 0) return 0.0;
  return std::fmin(static_cast<double>(s.n), s.weight * (s.weight / s.weight_squared));
}

template <std::size_t N>
std::uint64_t n_total(const std::array<weighted_cell, N>& cells) noexcept {
  std::uint64_t n = 0;
  for (const weighted_cell& c : cells) n += c.n;
  return n;
}

template <std::size_t N>
void merge_cells(std::array<weighted_cell, N>& into, const std::array<weighted_cell, N>& other) noexcept {
  for (std::size_t j = 0; j < N; ++j) {
    into[j].n += other[j].n;
    into[j].weight += other[j].weight;
    into[j].weight_squared += other[j].weight_squared;
  }
}

constexpr const char* bad_level = "confidence level must lie strictly between 0 and 1";
constexpr const char* too_few = "a linearization variance needs at least two responses";

// NPS groups scored on the -1..1 scale, in nps_category order.
constexpr std::array<double, 3> nps_y{-1.0, 0.0, 1.0};

}  // namespace

// ---------------------------------------------------------------------------------------------
// weighted_nps_tally

status weighted_nps_tally::add_valid(nps_category c, double inclusion_probability) noexcept {
  return add_to_cell(cells_[static_cast<std::size_t>(c)], inclusion_probability, rejected_probability_);
}

status weighted_nps_tally::add(double answer, double inclusion_probability) noexcept {
  if (const errc e = classify_answer(answer, scale::nps()); e != errc::ok) return reject(e);
  return add(static_cast<int>(answer), inclusion_probability);
}

status weighted_nps_tally::add(int answer) noexcept {
  const status s = add(answer, 1.0);
  if (s.ok()) ++missing_probability_;
  return s;
}

status weighted_nps_tally::add(double answer) noexcept {
  const status s = add(answer, 1.0);
  if (s.ok()) ++missing_probability_;
  return s;
}

status weighted_nps_tally::reject(errc reason) noexcept { return detail::count_rejection(rejected_, reason); }

status weighted_nps_tally::merge(const weighted_nps_tally& other) noexcept {
  if (other.total() > max_count - total()) return errc::out_of_range;
  merge_cells(cells_, other.cells_);
  missing_probability_ += other.missing_probability_;  // at most total(): cannot wrap
  detail::merge_rejections(rejected_, other.rejected_);
  for (std::size_t i = 0; i < rejected_probability_.size(); ++i)
    rejected_probability_[i] = detail::add_saturating(rejected_probability_[i], other.rejected_probability_[i]);
  return errc::ok;
}

std::uint64_t weighted_nps_tally::total() const noexcept { return n_total(cells_); }
double weighted_nps_tally::weight_total() const noexcept { return sum_cells(cells_).weight; }
double weighted_nps_tally::weight_squared_total() const noexcept { return sum_cells(cells_).weight_squared; }

std::uint64_t weighted_nps_tally::rejected(errc reason) const noexcept {
  return detail::rejection_count(rejected_, reason);
}
std::uint64_t weighted_nps_tally::rejected_probability(errc reason) const noexcept {
  return probability_rejection_count(rejected_probability_, reason);
}
std::uint64_t weighted_nps_tally::rejected_total() const noexcept {
  return detail::add_saturating(detail::rejection_total(rejected_),
                        detail::add_saturating(rejected_probability_[0], rejected_probability_[1]));
}

double weighted_nps_tally::score() const noexcept {
  const cell_sums s = sum_cells(cells_);
  return s.n == 0 ? 0.0 : 100.0 * hajek(cells_, nps_y, 3, s);
}

double weighted_nps_tally::standard_error() const noexcept {
  const cell_sums s = sum_cells(cells_);
  if (s.n < 2) return 0.0;
  return 100.0 * std::sqrt(linearized_variance(cells_, nps_y, 3, s, hajek(cells_, nps_y, 3, s)));
}

double weighted_nps_tally::effective_n() const noexcept { return kish(sum_cells(cells_)); }

result<interval> weighted_nps_tally::confidence_interval(double level) const {
  if (!detail::valid_level(level)) return {errc::invalid_argument, bad_level};
  const cell_sums s = sum_cells(cells_);
  if (s.n < 2) return {errc::empty, too_few};
  const double est = hajek(cells_, nps_y, 3, s);
  const double half = detail::normal_critical(level) * std::sqrt(linearized_variance(cells_, nps_y, 3, s, est));
  interval r;
  r.point = r.center = 100.0 * est;
  r.lower = std::fmax(-100.0, 100.0 * (est - half));
  r.upper = std::fmin(100.0, 100.0 * (est + half));
  r.level = level;
  r.n = s.n;
  r.method = interval_method::wald;
  r.small_sample = kish(s) < static_cast<double>(small_sample_threshold);
  return r;
}

// ---------------------------------------------------------------------------------------------
// weighted_scale_tally

result<weighted_scale_tally> weighted_scale_tally::make(scale s) {
  if (!s.valid())
    return {errc::invalid_argument, "a scale needs min <= top_box_min <= max and at most 11 points"};
  return weighted_scale_tally(s);
}

status weighted_scale_tally::add_valid(std::size_t index, double inclusion_probability) noexcept {
  return add_to_cell(cells_[index], inclusion_probability, rejected_probability_);
}

status weighted_scale_tally::add(double answer, double inclusion_probability) noexcept {
  if (const errc e = classify_answer(answer, scale_); e != errc::ok) return reject(e);
  return add(static_cast<int>(answer), inclusion_probability);
}

status weighted_scale_tally::add(int answer) noexcept {
  const status s = add(answer, 1.0);
  if (s.ok()) ++missing_probability_;
  return s;
}

status weighted_scale_tally::add(double answer) noexcept {
  const status s = add(answer, 1.0);
  if (s.ok()) ++missing_probability_;
  return s;
}

status weighted_scale_tally::reject(errc reason) noexcept { return detail::count_rejection(rejected_, reason); }

status weighted_scale_tally::merge(const weighted_scale_tally& other) noexcept {
  if (other.scale_ != scale_) return errc::incompatible;
  if (other.total() > max_count - total()) return errc::out_of_range;
  merge_cells(cells_, other.cells_);
  missing_probability_ += other.missing_probability_;
  detail::merge_rejections(rejected_, other.rejected_);
  for (std::size_t i = 0; i < rejected_probability_.size(); ++i)
    rejected_probability_[i] = detail::add_saturating(rejected_probability_[i], other.rejected_probability_[i]);
  return errc::ok;
}

weighted_cell weighted_scale_tally::cell(int answer) const noexcept {
  if (answer < scale_.min || answer > scale_.max) return {};
  return cells_[static_cast<std::size_t>(answer - scale_.min)];
}

std::uint64_t weighted_scale_tally::total() const noexcept { return n_total(cells_); }
double weighted_scale_tally::weight_total() const noexcept { return sum_cells(cells_).weight; }
double weighted_scale_tally::weight_squared_total() const noexcept { return sum_cells(cells_).weight_squared; }

std::uint64_t weighted_scale_tally::rejected(errc reason) const noexcept {
  return detail::rejection_count(rejected_, reason);
}
std::uint64_t weighted_scale_tally::rejected_probability(errc reason) const noexcept {
  return probability_rejection_count(rejected_probability_, reason);
}
std::uint64_t weighted_scale_tally::rejected_total() const noexcept {
  return detail::add_saturating(detail::rejection_total(rejected_),
                        detail::add_saturating(rejected_probability_[0], rejected_probability_[1]));
}

double weighted_scale_tally::effective_n() const noexcept { return kish(sum_cells(cells_)); }

namespace {

// Offsets from scale.min (the mean is shifted back afterwards: small, exact y values), and the
// top-box indicator.
std::array<double, scale::max_points> offsets(const scale& s) noexcept {
  std::array<double, scale::max_points> y{};
  for (int j = 0; j < s.points(); ++j) y[static_cast<std::size_t>(j)] = j;
  return y;
}

std::array<double, scale::max_points> top_box_indicator(const scale& s) noexcept {
  std::array<double, scale::max_points> y{};
  for (int j = s.top_box_min - s.min; j < s.points(); ++j) y[static_cast<std::size_t>(j)] = 1.0;
  return y;
}

}  // namespace

double weighted_scale_tally::mean() const noexcept {
  const cell_sums s = sum_cells(cells_);
  const std::size_t size = static_cast<std::size_t>(scale_.points());
  return s.n == 0 ? 0.0 : scale_.min + hajek(cells_, offsets(scale_), size, s);
}

double weighted_scale_tally::mean_standard_error() const noexcept {
  const cell_sums s = sum_cells(cells_);
  if (s.n < 2) return 0.0;
  const std::size_t size = static_cast<std::size_t>(scale_.points());
  const auto y = offsets(scale_);
  return std::sqrt(linearized_variance(cells_, y, size, s, hajek(cells_, y, size, s)));
}

double weighted_scale_tally::top_box_share() const noexcept {
  const cell_sums s = sum_cells(cells_);
  const std::size_t size = static_cast<std::size_t>(scale_.points());
  return s.n == 0 ? 0.0 : hajek(cells_, top_box_indicator(scale_), size, s);
}

double weighted_scale_tally::top_box_standard_error() const noexcept {
  const cell_sums s = sum_cells(cells_);
  if (s.n < 2) return 0.0;
  const std::size_t size = static_cast<std::size_t>(scale_.points());
  const auto y = top_box_indicator(scale_);
  return std::sqrt(linearized_variance(cells_, y, size, s, hajek(cells_, y, size, s)));
}

result<interval> weighted_scale_tally::mean_interval(double level) const {
  if (!detail::valid_level(level)) return {errc::invalid_argument, bad_level};
  const cell_sums s = sum_cells(cells_);
  if (s.n < 2) return {errc::empty, too_few};
  const double lo = scale_.min;
  const double hi = scale_.max;
  interval r;
  r.point = r.center = mean();
  // n_eff > 1 whenever n >= 2; should rounding leave no degrees of freedom, the interval is
  // the whole scale.
  const double df = kish(s) - 1.0;
  const double half = df > 0 ? detail::student_t_critical(level, df) * mean_standard_error() : HUGE_VAL;
  r.lower = std::fmax(lo, r.point - half);
  r.upper = std::fmin(hi, r.point + half);
  r.level = level;
  r.n = s.n;
  r.method = interval_method::student_t;
  r.small_sample = kish(s) < static_cast<double>(small_sample_threshold);
  return r;
}

result<interval> weighted_scale_tally::top_box_interval(double level) const {
  if (!detail::valid_level(level)) return {errc::invalid_argument, bad_level};
  const cell_sums s = sum_cells(cells_);
  if (s.n < 2) return {errc::empty, too_few};
  const double p = top_box_share();
  const double se = top_box_standard_error();
  // Korn & Graubard's effective n: the n for which p(1 - p)/n is the design variance.
  const double n_star = p > 0.0 && p < 1.0 && se > 0.0 ? p * (1.0 - p) / (se * se) : kish(s);
  interval r = detail::wilson_formula(p, n_star, level);
  r.n = s.n;
  r.small_sample = kish(s) < static_cast<double>(small_sample_threshold);
  return r;
}

CXM_END_NAMESPACE
