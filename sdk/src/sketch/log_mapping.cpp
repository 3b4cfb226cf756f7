// SPDX-License-Identifier: MIT
// The exponential mapping's cold parts: the exact lookup table, subnormal values, the
// logarithm path of scales above the table, and bucket boundaries.
#include <cfloat>
#include <cmath>

#include "cxm/sketch/log_mapping.hpp"
#include "sketch/exact.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

log_table make_table() noexcept {
  log_table t{};
  constexpr int n = log_table::sub_buckets;
  t.boundary[0] = 0;
  for (int k = 1; k < n; ++k) t.boundary[k] = boundary_fraction(log_table::scale, k);
  t.boundary[n] = std::uint64_t{1} << 52;
  // first[u]: the number of boundaries at or below the start of slice u.
  constexpr int slices = 1 << log_table::slice_bits;
  int j = 0;
  for (int u = 0; u < slices; ++u) {
    const std::uint64_t start = static_cast<std::uint64_t>(u) << (52 - log_table::slice_bits);
    while (j + 1 < n && t.boundary[j + 1] <= start) ++j;
    t.first[u] = static_cast<std::uint16_t>(j);
  }
  return t;
}

// The index from the logarithm, made exact: floor(ln(v) · 2^s / ln 2) is right unless the
// product lies within its rounding error of an integer (the error of std::log and of the
// product is a few ulps of |x|); there the sub-bucket is decided by exact comparisons.
std::int32_t index_by_log(double value, int scale, double scale_factor) noexcept {
  const normalized_double n = normalize(value);
  const std::int64_t per_octave = std::int64_t{1} << scale;
  const std::int64_t octave = std::int64_t{n.exponent} * per_octave;
  if (n.fraction == 0) return static_cast<std::int32_t>(octave - 1);
  const double x = std::log(value) * scale_factor;
  const double fl = std::floor(x);
  const double distance = x - fl;
  const double tolerance = (std::fabs(x) + 1.0) * 0x1p-40;
  if (distance > tolerance && distance < 1.0 - tolerance) return static_cast<std::int32_t>(fl);
  std::int64_t j = static_cast<std::int64_t>(fl) - octave;
  if (j < 0) j = 0;
  if (j > per_octave - 1) j = per_octave - 1;
  while (j > 0 && compare_with_boundary(n.fraction, scale, j) <= 0) --j;
  while (j + 1 < per_octave && compare_with_boundary(n.fraction, scale, j + 1) > 0) ++j;
  return static_cast<std::int32_t>(octave + j);
}

}  // namespace

const log_table& exact_log_table() noexcept {
  static const log_table table = make_table();
  return table;
}

}  // namespace detail

log_mapping::log_mapping(int scale) noexcept
    : scale_(scale < min_scale ? min_scale : (scale > max_scale ? max_scale : scale)),
      shift_(0),
      table_(nullptr),
      scale_factor_(std::ldexp(1.44269504088896340736, scale_)) {
  CXM_ASSERT(scale >= min_scale && scale <= max_scale);
  if (scale_ <= 0) {
    shift_ = -scale_;
  } else if (scale_ <= table_max_scale) {
    table_ = &detail::exact_log_table();
    shift_ = table_max_scale - scale_;
  }
}

result<log_mapping> log_mapping::make(int scale) {
  if (scale < min_scale || scale > max_scale)
    return {errc::invalid_argument, "scale: " + std::to_string(scale) + " is outside [" +
                                        std::to_string(min_scale) + ", " + std::to_string(max_scale) + "]"};
  return log_mapping(scale);
}

std::int32_t log_mapping::index_slow(double value) const noexcept {
  if (!(value > 0.0 && value <= DBL_MAX)) return value > 0.0 ? max_index() : min_index();
  const detail::normalized_double n = detail::normalize(value);
  if (scale_ <= 0)
    return static_cast<std::int32_t>(
        detail::floor_shift(n.exponent - static_cast<std::int32_t>(n.fraction == 0), -scale_));
  if (table_ != nullptr) {
    const auto slice = static_cast<std::size_t>(n.fraction >> (52 - detail::log_table::slice_bits));
    std::int64_t j = table_->first[slice];
    j += static_cast<std::int64_t>(n.fraction >= table_->boundary[static_cast<std::size_t>(j) + 1]);
    j -= static_cast<std::int64_t>(n.fraction == 0);
    return static_cast<std::int32_t>(
        detail::floor_shift(std::int64_t{n.exponent} * detail::log_table::sub_buckets + j, shift_));
  }
  return detail::index_by_log(value, scale_, scale_factor_);
}

std::int32_t log_mapping::index_by_logarithm(double value) const noexcept {
  if (scale_ <= 0) return index_slow(value);
  if (!(value > 0.0 && value <= DBL_MAX)) return value > 0.0 ? max_index() : min_index();
  return detail::index_by_log(value, scale_, scale_factor_);
}

double log_mapping::boundary(std::int64_t index) const noexcept {
  if (scale_ <= 0) {
    const std::int64_t e = index * (std::int64_t{1} << -scale_);
    return std::ldexp(1.0, static_cast<int>(e < -2200 ? -2200 : (e > 2200 ? 2200 : e)));
  }
  const std::int64_t e = detail::floor_shift(index, scale_);
  const std::int64_t k = index - e * (std::int64_t{1} << scale_);
  const double in_octave = std::exp2(std::ldexp(static_cast<double>(k), -scale_));  // [1, 2)
  return std::ldexp(in_octave, static_cast<int>(e < -2200 ? -2200 : (e > 2200 ? 2200 : e)));
}

double log_mapping::lower_boundary(std::int32_t index) const noexcept { return boundary(index); }
double log_mapping::upper_boundary(std::int32_t index) const noexcept {
  return boundary(std::int64_t{index} + 1);
}

CXM_END_NAMESPACE
