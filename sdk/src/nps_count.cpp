// SPDX-License-Identifier: MIT
// Bulk counting of one-byte NPS answers.
//
// The SIMD kernels compare each vector of answers with 0..10 and subtract the all-ones
// comparison masks from per-value byte accumulators; every 255 vectors (before a byte can
// wrap) the accumulators are folded into 64-bit sums with SAD. The work per byte is the same
// whatever the data, so uniform and all-equal answers run at one speed, unlike a
// `counts[v]++` loop whose repeated increments of one counter serialize on memory.
// Bytes over 10 are counted as invalid: the total minus the eleven valid counts.
#include "nps_count.hpp"

#include <cstring>

#include "cxm/nps_tally.hpp"
#include "statistics.hpp"

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__EMSCRIPTEN__)
#  define CXM_X86_KERNELS 1
#  include <immintrin.h>
#endif
#if defined(__EMSCRIPTEN__) && defined(__wasm_simd128__)
#  define CXM_WASM_KERNEL 1
#  include <wasm_simd128.h>
#endif

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

// Portable kernel: a lookup maps each byte to its slot (0..10, or 11 for invalid), and four
// interleaved counter sets keep runs of equal answers from serializing on one counter.
void count_scalar(const std::uint8_t* data, std::size_t size, answer_counts& out) noexcept {
  std::uint64_t c[4][12] = {};
  std::size_t i = 0;
  const auto slot = [](std::uint8_t b) { return b > 10 ? 11 : b; };
  for (; i + 4 <= size; i += 4) {
    ++c[0][slot(data[i])];
    ++c[1][slot(data[i + 1])];
    ++c[2][slot(data[i + 2])];
    ++c[3][slot(data[i + 3])];
  }
  for (; i < size; ++i) ++c[0][slot(data[i])];
  for (std::size_t v = 0; v < 12; ++v) out[v] += c[0][v] + c[1][v] + c[2][v] + c[3][v];
}

// Adds the invalid count (size minus the valid ones) once the valid counts are known.
void finish_invalid(std::size_t size, const std::uint64_t (&valid)[11], answer_counts& out) noexcept {
  std::uint64_t sum = 0;
  for (std::size_t v = 0; v < 11; ++v) {
    out[v] += valid[v];
    sum += valid[v];
  }
  out[11] += size - sum;
}

#if defined(CXM_X86_KERNELS)

__attribute__((target("avx2"))) std::uint64_t hsum256(__m256i v) noexcept {
  return static_cast<std::uint64_t>(_mm256_extract_epi64(v, 0)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(v, 1)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(v, 2)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(v, 3));
}

// Values First..First+Count-1 over `vectors` 32-byte vectors (at most 255): see the wasm
// kernel for why the eleven values are split in two passes over an L1-resident block.
template <std::size_t First, std::size_t Count>
__attribute__((target("avx2"))) void count_avx2_range(const std::uint8_t* data, std::size_t vectors,
                                                      __m256i (&wide)[11]) noexcept {
  const __m256i zero = _mm256_setzero_si256();
  __m256i acc[Count];
  __m256i value[Count];
  for (std::size_t v = 0; v < Count; ++v) {
    acc[v] = zero;
    value[v] = _mm256_set1_epi8(static_cast<char>(First + v));
  }
  for (std::size_t k = 0; k < vectors; ++k) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + 32 * k));
    for (std::size_t v = 0; v < Count; ++v) acc[v] = _mm256_sub_epi8(acc[v], _mm256_cmpeq_epi8(x, value[v]));
  }
  for (std::size_t v = 0; v < Count; ++v) wide[First + v] = _mm256_add_epi64(wide[First + v], _mm256_sad_epu8(acc[v], zero));
}

__attribute__((target("avx2"))) void count_avx2(const std::uint8_t* data, std::size_t size,
                                                answer_counts& out) noexcept {
  constexpr std::size_t width = 32;
  __m256i wide[11];
  for (int v = 0; v < 11; ++v) wide[v] = _mm256_setzero_si256();
  const std::size_t vectors = size / width;
  for (std::size_t done = 0; done < vectors;) {
    const std::size_t block = vectors - done < 255 ? vectors - done : 255;
    count_avx2_range<0, 6>(data + done * width, block, wide);
    count_avx2_range<6, 5>(data + done * width, block, wide);
    done += block;
  }
  std::uint64_t valid[11];
  for (int v = 0; v < 11; ++v) valid[v] = hsum256(wide[v]);
  const std::size_t i = vectors * width;
  finish_invalid(i, valid, out);
  count_scalar(data + i, size - i, out);
}

__attribute__((target("avx512f,avx512bw"))) void count_avx512(const std::uint8_t* data,
                                                               std::size_t size,
                                                               answer_counts& out) noexcept {
  constexpr std::size_t width = 64;
  const __m512i zero = _mm512_setzero_si512();
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i value[11];
  __m512i wide[11];
  for (int v = 0; v < 11; ++v) {
    value[v] = _mm512_set1_epi8(static_cast<char>(v));
    wide[v] = zero;
  }
  std::size_t i = 0;
  const std::size_t vectors = size / width;
  std::size_t done = 0;
  while (done < vectors) {
    const std::size_t block = vectors - done < 255 ? vectors - done : 255;
    __m512i acc[11];
    for (int v = 0; v < 11; ++v) acc[v] = zero;
    for (std::size_t k = 0; k < block; ++k, i += width) {
      const __m512i x = _mm512_loadu_si512(data + i);
      for (int v = 0; v < 11; ++v)
        acc[v] = _mm512_mask_add_epi8(acc[v], _mm512_cmpeq_epi8_mask(x, value[v]), acc[v], ones);
    }
    for (int v = 0; v < 11; ++v) wide[v] = _mm512_add_epi64(wide[v], _mm512_sad_epu8(acc[v], zero));
    done += block;
  }
  std::uint64_t valid[11];
  for (int v = 0; v < 11; ++v) {
    alignas(64) std::uint64_t lanes[8];
    _mm512_store_si512(lanes, wide[v]);
    valid[v] = lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
  }
  finish_invalid(i, valid, out);
  count_scalar(data + i, size - i, out);
}

#endif  // CXM_X86_KERNELS

#if defined(CXM_WASM_KERNEL)

// Counts values First..First+Count-1 over `vectors` 16-byte vectors (at most 255, so byte
// accumulators cannot wrap). Split in two passes over the same block (which stays in L1):
// eleven accumulators plus eleven constants would exceed the registers V8 maps wasm SIMD onto
// and spill on every vector.
template <std::size_t First, std::size_t Count>
void count_simd128_range(const std::uint8_t* data, std::size_t vectors, std::uint64_t (&valid)[11]) noexcept {
  v128_t acc[Count];
  v128_t value[Count];
  for (std::size_t v = 0; v < Count; ++v) {
    acc[v] = wasm_i8x16_splat(0);
    value[v] = wasm_i8x16_splat(static_cast<std::int8_t>(First + v));
  }
  for (std::size_t k = 0; k < vectors; ++k) {
    const v128_t x = wasm_v128_load(data + 16 * k);
    for (std::size_t v = 0; v < Count; ++v) acc[v] = wasm_i8x16_sub(acc[v], wasm_i8x16_eq(x, value[v]));
  }
  for (std::size_t v = 0; v < Count; ++v) {
    const v128_t s32 = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(acc[v]));
    valid[First + v] += static_cast<std::uint64_t>(wasm_u32x4_extract_lane(s32, 0)) +
                        wasm_u32x4_extract_lane(s32, 1) + wasm_u32x4_extract_lane(s32, 2) +
                        wasm_u32x4_extract_lane(s32, 3);
  }
}

void count_simd128(const std::uint8_t* data, std::size_t size, answer_counts& out) noexcept {
  constexpr std::size_t width = 16;
  std::uint64_t valid[11] = {};
  const std::size_t vectors = size / width;
  for (std::size_t done = 0; done < vectors;) {
    const std::size_t block = vectors - done < 255 ? vectors - done : 255;
    count_simd128_range<0, 6>(data + done * width, block, valid);
    count_simd128_range<6, 5>(data + done * width, block, valid);
    done += block;
  }
  const std::size_t i = vectors * width;
  finish_invalid(i, valid, out);
  count_scalar(data + i, size - i, out);
}

#endif  // CXM_WASM_KERNEL

}  // namespace

std::size_t available_kernels(kernel_info* out, std::size_t capacity) noexcept {
  std::size_t n = 0;
  const auto push = [&](const char* name, count_kernel fn) {
    if (n < capacity) out[n] = {name, fn};
    ++n;
  };
#if defined(CXM_X86_KERNELS)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f"))
    push("avx512bw", count_avx512);
  if (__builtin_cpu_supports("avx2")) push("avx2", count_avx2);
#endif
#if defined(CXM_WASM_KERNEL)
  push("simd128", count_simd128);
#endif
  push("scalar", count_scalar);
  return n;
}

kernel_info best_kernel() noexcept {
  static const kernel_info best = [] {
    kernel_info k[4];
    available_kernels(k, 4);
    return k[0];
  }();
  return best;
}

}  // namespace detail

std::uint64_t nps_tally::add_bulk(const std::uint8_t* answers, std::size_t size) noexcept {
  if (answers == nullptr || size == 0) return 0;
  detail::answer_counts c{};
  detail::best_kernel().fn(answers, size, c);
  std::uint64_t accepted = 0;
  for (std::size_t v = 0; v < 11; ++v) {
    counts_[v] = detail::add_saturating(counts_[v], c[v]);
    accepted += c[v];
  }
  rejected_[0] = detail::add_saturating(rejected_[0], c[11]);
  return accepted;
}

CXM_END_NAMESPACE
