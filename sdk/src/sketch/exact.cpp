// SPDX-License-Identifier: MIT
// Exact boundary comparisons for the exponential mapping: 128-bit interval squaring.
#include "sketch/exact.hpp"

#include <cmath>
#include <cstring>

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

constexpr std::uint64_t fraction_mask = (std::uint64_t{1} << 52) - 1;

struct u128 {
  std::uint64_t hi;
  std::uint64_t lo;
};

// The full 128-bit product of two 64-bit words.
u128 multiply(std::uint64_t a, std::uint64_t b) noexcept {
#if defined(__SIZEOF_INT128__)
  __extension__ using wide = unsigned __int128;
  const wide p = static_cast<wide>(a) * b;
  return {static_cast<std::uint64_t>(p >> 64), static_cast<std::uint64_t>(p)};
#else
  const std::uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
  const std::uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
  const std::uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
  return {hh + (lh >> 32) + (hl >> 32) + (mid >> 32), (mid << 32) | (ll & 0xFFFFFFFFu)};
#endif
}

// Adds `x` into the 256-bit number r[0..3] (little-endian words) starting at word `at`.
void accumulate(std::uint64_t (&r)[4], u128 x, int at) noexcept {
  std::uint64_t carry = 0;
  const std::uint64_t add[2] = {x.lo, x.hi};
  for (int i = at; i < 4; ++i) {
    const std::uint64_t a = (i - at < 2) ? add[i - at] : 0;
    const std::uint64_t s1 = r[i] + a;
    const std::uint64_t c1 = s1 < a ? 1 : 0;
    const std::uint64_t s2 = s1 + carry;
    const std::uint64_t c2 = s2 < carry ? 1 : 0;
    r[i] = s2;
    carry = c1 + c2;
    if (carry == 0 && i - at >= 1) break;
  }
}

// A positive number m · 2^e with a normalized 128-bit significand: 2^127 <= m < 2^128.
struct wide_float {
  u128 m;
  std::int64_t e;
};

// Squares x, rounding the significand down (round_up = false) or up.
wide_float square(const wide_float& x, bool round_up) noexcept {
  std::uint64_t r[4] = {0, 0, 0, 0};
  accumulate(r, multiply(x.m.lo, x.m.lo), 0);
  const u128 cross = multiply(x.m.hi, x.m.lo);
  accumulate(r, cross, 1);
  accumulate(r, cross, 1);
  accumulate(r, multiply(x.m.hi, x.m.hi), 2);
  // The product lies in [2^254, 2^256): keep its top 128 bits.
  wide_float y;
  bool rest_nonzero;
  if ((r[3] >> 63) != 0) {
    y.m = {r[3], r[2]};
    y.e = 2 * x.e + 128;
    rest_nonzero = (r[1] | r[0]) != 0;
  } else {
    y.m = {(r[3] << 1) | (r[2] >> 63), (r[2] << 1) | (r[1] >> 63)};
    y.e = 2 * x.e + 127;
    rest_nonzero = ((r[1] << 1) | r[0]) != 0;
  }
  if (round_up && rest_nonzero) {
    if (++y.m.lo == 0 && ++y.m.hi == 0) {  // 2^128: renormalize to 2^127 · 2
      y.m = {std::uint64_t{1} << 63, 0};
      ++y.e;
    }
  }
  return y;
}

}  // namespace

normalized_double normalize(double value) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const auto raw_exponent = static_cast<std::int32_t>((bits >> 52) & 0x7FF);
  std::uint64_t fraction = bits & fraction_mask;
  if (raw_exponent != 0) return {raw_exponent - 1023, fraction};
  // Subnormal: value = fraction · 2^-1074. Move the leading one to bit 52 and drop it.
  int top = 51;
  while (top > 0 && ((fraction >> top) & 1) == 0) --top;
  fraction = (fraction << (52 - top)) & fraction_mask;
  return {top - 1074, fraction};
}

int compare_with_boundary(std::uint64_t fraction, int scale, std::int64_t k) noexcept {
  // (1.f) = ((2^52 + f) · 2^75) · 2^-127, both bounds start exact.
  const std::uint64_t significand = (std::uint64_t{1} << 52) | (fraction & fraction_mask);
  wide_float lo{{significand << 11, 0}, -127};
  wide_float hi = lo;
  for (int i = 0; i < scale; ++i) {
    lo = square(lo, false);
    hi = square(hi, true);
  }
  // 2^k = 2^127 · 2^(k - 127).
  const std::int64_t k_e = k - 127;
  const bool lo_above = lo.e > k_e || (lo.e == k_e && (lo.m.hi != (std::uint64_t{1} << 63) || lo.m.lo != 0));
  if (lo_above) return 1;
  const bool hi_below = hi.e < k_e;
  if (hi_below) return -1;
  return 0;
}

std::uint64_t boundary_fraction(int scale, std::int64_t k) noexcept {
  // A first guess from exp2 (within a few ulps), then exact steps to the smallest fraction above.
  const double guess = std::exp2(std::ldexp(static_cast<double>(k), -scale));
  std::uint64_t bits;
  std::memcpy(&bits, &guess, sizeof bits);
  std::uint64_t f = (bits >> 52) == 1023 ? (bits & fraction_mask) : (guess < 1.5 ? 0 : fraction_mask);
  while (f > 0 && compare_with_boundary(f - 1, scale, k) > 0) --f;
  while (f < fraction_mask && compare_with_boundary(f, scale, k) <= 0) ++f;
  return f;
}

}  // namespace detail
CXM_END_NAMESPACE
