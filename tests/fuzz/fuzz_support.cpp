// SPDX-License-Identifier: MIT
#include "fuzz_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace cxm_fuzz {

void fail(const char* file, int line, const char* expression, const std::string& detail) {
  std::fprintf(stderr, "cxm fuzz check failed at %s:%d: %s%s%s\n", file, line, expression,
               detail.empty() ? "" : "\n  ", detail.c_str());
  std::fflush(stderr);
  std::abort();
}

std::vector<std::size_t> chunk_lengths(std::string_view input) {
  std::vector<std::size_t> lengths;
  for (std::size_t i = 0; i < 4 && i < input.size(); ++i)
    lengths.push_back(static_cast<unsigned char>(input[input.size() - 1 - i]) + std::size_t{1});
  if (lengths.empty()) lengths.push_back(1);
  return lengths;
}

std::size_t line_limit_near_first_line(std::string_view input) noexcept {
  const std::size_t first = std::min(input.find('\n'), input.size());
  const int delta = input.empty() ? 0 : static_cast<unsigned char>(input.back()) % 5 - 2;
  const std::size_t limit = first + static_cast<std::size_t>(delta + 2);
  return limit > 2 ? limit - 2 : 1;
}

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    std::size_t n;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07u; }
    else return false;
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

}  // namespace cxm_fuzz
