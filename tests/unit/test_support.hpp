// SPDX-License-Identifier: MIT
// Helpers shared by the unit tests: reading test files and seeded random answers.
#ifndef CXM_TESTS_TEST_SUPPORT_HPP
#define CXM_TESTS_TEST_SUPPORT_HPP

#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cxm_test {

/// The whole content of a file under tests/data (or an absolute path); empty if unreadable.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Feeds the file at `path` to a JSON Lines reader in chunks of `chunk` bytes, then finishes:
/// what a host that reads files does (the core reads none). False if the file is unreadable.
template <class Reader, class Sink>
bool feed_file(Reader& reader, const std::string& path, Sink& sink, std::size_t chunk = std::size_t{1} << 16) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string buffer(chunk, '\0');
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
    reader.feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())), sink);
  reader.finish(sink);
  return !in.bad();
}

inline std::string test_data(const std::string& name) {
  return read_file(std::string(CXM_TEST_DATA_DIR) + "/" + name);
}

/// `n` seeded answers uniformly from [lo, hi].
inline std::vector<int> random_answers(std::uint32_t seed, std::size_t n, int lo, int hi) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int> v(n);
  for (int& x : v) x = d(rng);
  return v;
}

}  // namespace cxm_test

#endif  // CXM_TESTS_TEST_SUPPORT_HPP
