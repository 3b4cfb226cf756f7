// SPDX-License-Identifier: MIT
// Replays every checked-in corpus input (seeds, and the minimized inputs of past findings)
// through its fuzz target, so the default and debug presets guard against regressions without
// a fuzzer. A failing check aborts with its message, which fails the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"

namespace {

namespace fs = std::filesystem;

using target_fn = int (*)(const std::uint8_t*, std::size_t);

std::size_t replay(const char* name, target_fn target) {
  const fs::path dir = fs::path(CXM_FUZZ_CORPUS_DIR) / name;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(f.string());
    target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  return files.size();
}

// Targets a preset compiles out (see tests/fuzz/CMakeLists.txt) are skipped, with the reason.
const char* unavailable(const char* name) {
#ifdef CXM_FUZZ_NO_SERVER_REQUEST_PARTS
  if (std::string_view(name) == "server_request_parts")
    return "needs cxm serve's Beast and Asio headers, which need exceptions: replayed by the presets with exceptions";
#endif
  (void)name;
  return nullptr;
}

#define CXM_FUZZ_REPLAY(name)                                          \
  TEST(FuzzCorpus, name) {                                             \
    if (const char* why = unavailable(#name)) GTEST_SKIP() << why;     \
    EXPECT_GT(replay(#name, &cxm_fuzz::name), 0u);                     \
  }
CXM_FUZZ_TARGETS(CXM_FUZZ_REPLAY)
#undef CXM_FUZZ_REPLAY

}  // namespace
