// SPDX-License-Identifier: MIT
// Helpers of the C ABI tests: handles and strings owned by RAII (each freed with the function
// cxm.h names for it), calls that take strings from std::string, and JSON results parsed with
// the test's own Boost.JSON. Everything else is cxm.h.
#ifndef CXM_TESTS_CAPI_TEST_SUPPORT_HPP
#define CXM_TESTS_CAPI_TEST_SUPPORT_HPP

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/cxm.h"
#include "test_support.hpp"

namespace capi_test {

namespace json = boost::json;

template <class T, void (*Destroy)(T*)>
struct destroyer {
  void operator()(T* p) const noexcept { Destroy(p); }
};
using nps_tally = std::unique_ptr<cxm_nps_tally, destroyer<cxm_nps_tally, cxm_nps_tally_destroy>>;
using scale_tally = std::unique_ptr<cxm_scale_tally, destroyer<cxm_scale_tally, cxm_scale_tally_destroy>>;
using sketch = std::unique_ptr<cxm_duration_sketch, destroyer<cxm_duration_sketch, cxm_duration_sketch_destroy>>;
using survey = std::unique_ptr<cxm_survey, destroyer<cxm_survey, cxm_survey_destroy>>;
using journey_definition =
    std::unique_ptr<cxm_journey_definition, destroyer<cxm_journey_definition, cxm_journey_definition_destroy>>;
using journey_tracker = std::unique_ptr<cxm_journey_tracker, destroyer<cxm_journey_tracker, cxm_journey_tracker_destroy>>;
using journey_report = std::unique_ptr<cxm_journey_report, destroyer<cxm_journey_report, cxm_journey_report_destroy>>;

/// The text of a string cxm returned, which it then frees with cxm_string_free. Checks that
/// the length cxm reported is the string's and that it is NUL-terminated.
inline std::string take(char* s, std::size_t len) {
  EXPECT_NE(s, nullptr);
  if (s == nullptr) return {};
  std::string out(s, len);
  EXPECT_EQ(s[len], '\0');
  cxm_string_free(s);
  return out;
}

/// A (pointer, length) argument from a std::string.
struct text {
  explicit text(const std::string& s) : data(s.data()), size(s.size()) {}
  const char* data;
  std::size_t size;
};

/// JSON text parsed (null, with a test failure, when it is not JSON).
inline json::value parse(const std::string& s) {
  json::error_code ec;
  json::value v = json::parse(s, ec);
  EXPECT_FALSE(ec) << s.substr(0, 200);
  return ec ? json::value() : v;
}

/// A file of tests/data or examples/data.
inline std::string test_data(const std::string& name) { return cxm_test::test_data(name); }
inline std::string example_data(const std::string& name) {
  return cxm_test::read_file(std::string(CXM_EXAMPLES_DATA_DIR) + "/" + name);
}

/// The detail of the last failure, as a std::string.
inline std::string detail() { return cxm_last_error_detail(); }

/// Checks that every function of the given parts of cxm.h (e.g. {"outbox"}) that returns a
/// cxm_status is in `covered`, the functions a NULL-argument table called; returns how many
/// such functions the parts declare.
inline std::size_t expect_every_fallible_function_covered(std::initializer_list<const char*> parts,
                                                          const std::vector<std::string>& covered) {
  std::string header;
  for (const char* part : parts) header += cxm_test::read_file(std::string(CXM_C_HEADER_DIR) + "/" + part + ".h");
  const std::regex fallible(R"(CXM_C_API cxm_status (cxm_[a-z0-9_]+)\()");
  std::size_t functions = 0;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), fallible); it != std::sregex_iterator(); ++it) {
    ++functions;
    EXPECT_NE(std::find(covered.begin(), covered.end(), (*it)[1].str()), covered.end()) << (*it)[1].str();
  }
  return functions;
}

}  // namespace capi_test

#endif  // CXM_TESTS_CAPI_TEST_SUPPORT_HPP
