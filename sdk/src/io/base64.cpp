// SPDX-License-Identifier: MIT
// base64 (io/base64.hpp).
#include "io/base64.hpp"

#include <cstdint>

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {
constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string to_base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(in[i])} << 16 |
                            std::uint32_t{static_cast<unsigned char>(in[i + 1])} << 8 |
                            std::uint32_t{static_cast<unsigned char>(in[i + 2])};
    out += b64[v >> 18 & 63];
    out += b64[v >> 12 & 63];
    out += b64[v >> 6 & 63];
    out += b64[v & 63];
  }
  if (i < in.size()) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(in[i])} << 16;
    if (i + 1 < in.size()) v |= std::uint32_t{static_cast<unsigned char>(in[i + 1])} << 8;
    out += b64[v >> 18 & 63];
    out += b64[v >> 12 & 63];
    out += i + 1 < in.size() ? b64[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

bool from_base64(std::string_view in, std::string& out) {
  out.clear();
  if (in.size() % 4 != 0) return false;
  const auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    const int pad = last ? (in[i + 3] == '=') + (in[i + 2] == '=') : 0;
    if (pad == 1 && in[i + 2] == '=') return false;
    int v[4] = {val(in[i]), val(in[i + 1]), pad >= 2 ? 0 : val(in[i + 2]), pad >= 1 ? 0 : val(in[i + 3])};
    for (int x : v)
      if (x < 0) return false;
    // The bits the padding leaves unused must be zero: one byte string, one text.
    if ((pad == 2 && (v[1] & 15) != 0) || (pad == 1 && (v[2] & 3) != 0)) return false;
    const std::uint32_t w = static_cast<std::uint32_t>(v[0]) << 18 | static_cast<std::uint32_t>(v[1]) << 12 |
                            static_cast<std::uint32_t>(v[2]) << 6 | static_cast<std::uint32_t>(v[3]);
    out += static_cast<char>(w >> 16 & 0xFF);
    if (pad < 2) out += static_cast<char>(w >> 8 & 0xFF);
    if (pad < 1) out += static_cast<char>(w & 0xFF);
  }
  return true;
}

}  // namespace detail
CXM_END_NAMESPACE
