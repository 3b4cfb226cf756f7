// SPDX-License-Identifier: MIT
// Internal: kernels that count one-byte NPS answers (0-10) in bulk, selected at run time.
#ifndef CXM_SRC_NPS_COUNT_HPP
#define CXM_SRC_NPS_COUNT_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// counts[v] for v = 0..10, counts[11] = bytes over 10.
using answer_counts = std::array<std::uint64_t, 12>;

/// A counting kernel: adds the counts of `size` bytes at `data` to `out`.
using count_kernel = void (*)(const std::uint8_t* data, std::size_t size, answer_counts& out) noexcept;

struct kernel_info {
  const char* name;  ///< "avx512bw", "avx2", "simd128", "scalar"
  count_kernel fn;
};

/// The kernels this build contains that the running CPU supports, fastest first; the last one
/// is always the portable scalar kernel.
CXM_API std::size_t available_kernels(kernel_info* out, std::size_t capacity) noexcept;
/// The kernel nps_tally::add_bulk uses (the first of available_kernels), chosen once.
CXM_API kernel_info best_kernel() noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_NPS_COUNT_HPP
