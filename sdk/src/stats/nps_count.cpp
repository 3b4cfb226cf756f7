// SPDX-License-Identifier: MIT
// Bulk counting of one-byte NPS answers.
//
// The x86 kernels count with table lookups on nibble-packed counters. Each byte is clamped to
// 11 (so every invalid byte reads as 11), and six byte shuffles (pshufb / i8x16.swizzle) with
// 16-entry tables map answer 2j to 1 and 2j+1 to 16 in table j. Added into six byte
// accumulators, every byte then holds two 4-bit counts: answers (0,1), (2,3), ... (10, invalid).
// Before a nibble can wrap (15 vectors) the nibbles are split and folded into 64-bit sums with
// SAD. That is about 16 operations and 14 registers per vector, against 22 operations and 23
// registers for comparing with each of 0..10, and it reaches the memory bandwidth on AVX-512.
// The work does not depend on the data, so all-equal answers run at full speed, unlike a
// `counts[v]++` loop whose repeated increments of one counter can serialize on memory.
// The wasm kernel compares instead (see count_simd128 for why).
#include "stats/nps_count.hpp"

#include <cstring>

#include "cxm/stats/nps_tally.hpp"
#include "stats/statistics.hpp"

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


#if defined(CXM_X86_KERNELS)

// Answers 2j and 2j+1 as 1 and 16 in table j (the tables repeat in every 16-byte lane).
constexpr int pair_tables = 6;
constexpr std::size_t nibble_block = 15;  // vectors before a 4-bit count can wrap

__attribute__((target("avx2"))) std::uint64_t hsum256(__m256i v) noexcept {
  return static_cast<std::uint64_t>(_mm256_extract_epi64(v, 0)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(v, 1)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(v, 2)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(v, 3));
}

__attribute__((target("avx2"))) void count_avx2(const std::uint8_t* data, std::size_t size,
                                                answer_counts& out) noexcept {
  constexpr std::size_t width = 32;
  const __m256i eleven = _mm256_set1_epi8(11);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i zero = _mm256_setzero_si256();
  __m256i table[pair_tables];
  __m256i wide[12];
  for (int j = 0; j < pair_tables; ++j) {
    alignas(32) std::int8_t t[32] = {};
    t[2 * j] = t[16 + 2 * j] = 1;
    t[2 * j + 1] = t[16 + 2 * j + 1] = 16;
    table[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(t));
    wide[2 * j] = wide[2 * j + 1] = zero;
  }
  const std::size_t vectors = size / width;
  for (std::size_t done = 0; done < vectors;) {
    const std::size_t block = vectors - done < nibble_block ? vectors - done : nibble_block;
    __m256i acc[pair_tables];
    for (int j = 0; j < pair_tables; ++j) acc[j] = zero;
    const std::uint8_t* p = data + done * width;
    for (std::size_t k = 0; k < block; ++k, p += width) {
      const __m256i m = _mm256_min_epu8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), eleven);
      for (int j = 0; j < pair_tables; ++j) acc[j] = _mm256_add_epi8(acc[j], _mm256_shuffle_epi8(table[j], m));
    }
    for (int j = 0; j < pair_tables; ++j) {
      const __m256i lo = _mm256_and_si256(acc[j], nibble);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(acc[j], 4), nibble);
      wide[2 * j] = _mm256_add_epi64(wide[2 * j], _mm256_sad_epu8(lo, zero));
      wide[2 * j + 1] = _mm256_add_epi64(wide[2 * j + 1], _mm256_sad_epu8(hi, zero));
    }
    done += block;
  }
  for (std::size_t v = 0; v < 12; ++v) out[v] += hsum256(wide[v]);
  const std::size_t i = vectors * width;
  count_scalar(data + i, size - i, out);
}

__attribute__((target("avx512f,avx512bw"))) void count_avx512(const std::uint8_t* data,
                                                               std::size_t size,
                                                               answer_counts& out) noexcept {
  constexpr std::size_t width = 64;
  const __m512i eleven = _mm512_set1_epi8(11);
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  const __m512i zero = _mm512_setzero_si512();
  __m512i table[pair_tables];
  __m512i wide[12];
  for (int j = 0; j < pair_tables; ++j) {
    alignas(64) std::int8_t t[64] = {};
    for (int lane = 0; lane < 4; ++lane) {
      t[16 * lane + 2 * j] = 1;
      t[16 * lane + 2 * j + 1] = 16;
    }
    table[j] = _mm512_load_si512(t);
    wide[2 * j] = wide[2 * j + 1] = zero;
  }
  const std::size_t vectors = size / width;
  for (std::size_t done = 0; done < vectors;) {
    const std::size_t block = vectors - done < nibble_block ? vectors - done : nibble_block;
    __m512i acc[pair_tables];
    for (int j = 0; j < pair_tables; ++j) acc[j] = zero;
    const std::uint8_t* p = data + done * width;
    for (std::size_t k = 0; k < block; ++k, p += width) {
      const __m512i m = _mm512_min_epu8(_mm512_loadu_si512(p), eleven);
      for (int j = 0; j < pair_tables; ++j) acc[j] = _mm512_add_epi8(acc[j], _mm512_shuffle_epi8(table[j], m));
    }
    for (int j = 0; j < pair_tables; ++j) {
      const __m512i lo = _mm512_and_si512(acc[j], nibble);
      const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(acc[j], 4), nibble);
      wide[2 * j] = _mm512_add_epi64(wide[2 * j], _mm512_sad_epu8(lo, zero));
      wide[2 * j + 1] = _mm512_add_epi64(wide[2 * j + 1], _mm512_sad_epu8(hi, zero));
    }
    done += block;
  }
  for (std::size_t v = 0; v < 12; ++v) {
    alignas(64) std::uint64_t lanes[8];
    _mm512_store_si512(lanes, wide[v]);
    out[v] += lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
  }
  const std::size_t i = vectors * width;
  count_scalar(data + i, size - i, out);
}

#endif  // CXM_X86_KERNELS

#if defined(CXM_WASM_KERNEL)

// wasm keeps the compare kernel: V8 lowers i8x16.swizzle to two x86 instructions (it must
// zero indices >= 16), and wasm has no SAD to fold nibbles cheaply, so the lookup kernel measured
// about half the speed of comparing with 0..10. Comparing each vector with First..First+Count-1
// and subtracting the all-ones masks from byte accumulators (at most 255 vectors, so they cannot
// wrap) is split in two passes over the same L1-resident block: eleven accumulators plus eleven
// constants would exceed the registers V8 maps wasm SIMD onto and spill on every vector.
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
  std::uint64_t sum = 0;
  for (std::size_t v = 0; v < 11; ++v) {
    out[v] += valid[v];
    sum += valid[v];
  }
  out[11] += i - sum;  // bytes over 10
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
