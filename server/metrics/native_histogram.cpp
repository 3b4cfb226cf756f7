// SPDX-License-Identifier: MIT
#include "server/metrics/native_histogram.hpp"

#include <algorithm>
#include <limits>

namespace cxm::prometheus {
namespace {

// Floor division by 2^k for negative indices too (bucket -1 at scale s is inside bucket -1 at
// scale s - 1): an arithmetic shift, spelled out because >> on a negative value is only
// implementation-defined before C++20.
std::int64_t shift_down(std::int64_t i, int k) {
  if (k <= 0) return i;
  if (k >= 62) return i < 0 ? -1 : 0;
  const std::int64_t d = std::int64_t{1} << k;
  return i >= 0 ? i / d : -((-i + d - 1) / d);
}

}  // namespace

result<native_histogram> native_histogram::from_sketch(const duration_sketch& s) {
  if (s.scale() < min_schema)
    return {errc::out_of_range, "scale " + std::to_string(s.scale()) + " is below Prometheus's lowest schema -4"};
  native_histogram h;
  h.schema = s.scale();
  h.zero_threshold = s.zero_threshold();
  h.zero_count = s.zero_count();
  h.sum = s.sum();
  h.offset = s.offset();
  h.counts.reserve(s.bucket_count());
  std::uint64_t total = h.zero_count;
  for (std::size_t i = 0; i < s.bucket_count(); ++i) {
    h.counts.push_back(s.bucket(i));
    total += h.counts.back();
  }
  h.count = total;
  if (h.schema > max_schema) h.downscale(h.schema - max_schema);
  return h;
}

void native_histogram::downscale(int k) {
  if (k <= 0) return;
  schema -= k;
  if (counts.empty()) return;
  const std::int64_t first = shift_down(offset, k);
  const std::int64_t last = shift_down(std::int64_t{offset} + static_cast<std::int64_t>(counts.size()) - 1, k);
  std::vector<std::uint64_t> out(static_cast<std::size_t>(last - first + 1), 0);
  for (std::size_t i = 0; i < counts.size(); ++i)
    out[static_cast<std::size_t>(shift_down(std::int64_t{offset} + static_cast<std::int64_t>(i), k) - first)] +=
        counts[i];
  offset = static_cast<std::int32_t>(first);
  counts = std::move(out);
}

status native_histogram::merge(const native_histogram& other) {
  if (zero_threshold != other.zero_threshold) return errc::incompatible;
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  if (other.count > max - count) return errc::out_of_range;
  native_histogram b = other;
  native_histogram a = *this;
  const int to = std::min(a.schema, b.schema);
  a.downscale(a.schema - to);
  b.downscale(b.schema - to);
  if (!b.counts.empty()) {
    if (a.counts.empty()) {
      a.offset = b.offset;
      a.counts = std::move(b.counts);
    } else {
      const std::int64_t first = std::min<std::int64_t>(a.offset, b.offset);
      const std::int64_t last = std::max<std::int64_t>(a.offset + static_cast<std::int64_t>(a.counts.size()),
                                                       b.offset + static_cast<std::int64_t>(b.counts.size()));
      std::vector<std::uint64_t> out(static_cast<std::size_t>(last - first), 0);
      for (std::size_t i = 0; i < a.counts.size(); ++i) out[static_cast<std::size_t>(a.offset - first) + i] += a.counts[i];
      for (std::size_t i = 0; i < b.counts.size(); ++i) out[static_cast<std::size_t>(b.offset - first) + i] += b.counts[i];
      a.offset = static_cast<std::int32_t>(first);
      a.counts = std::move(out);
    }
  }
  a.zero_count += b.zero_count;
  a.count += b.count;
  a.sum += b.sum;
  *this = std::move(a);
  return errc::ok;
}

}  // namespace cxm::prometheus
