// SPDX-License-Identifier: MIT
// Every decoder refuses documents over the limits its format declares, at exactly those limits.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

#include "cxm/cxm.hpp"

namespace {

using cxm::errc;

struct format_case {
  const char* name;
  cxm::json_limits limits;
  std::function<errc(std::string_view)> decode;
};

template <class R>
errc code_of(const R& r) {
  return r.ok() ? errc::ok : r.code();
}

std::vector<format_case> formats() {
  return {
      {"nps tally", cxm::tally_json_limits, [](std::string_view t) { return code_of(cxm::nps_tally_from_json(t)); }},
      {"scale tally", cxm::tally_json_limits, [](std::string_view t) { return code_of(cxm::scale_tally_from_json(t)); }},
      {"survey tally", cxm::survey_tally_json_limits,
       [](std::string_view t) { return code_of(cxm::survey_tally::from_json(t)); }},
      {"duration sketch", cxm::duration_sketch_json_limits,
       [](std::string_view t) { return code_of(cxm::duration_sketch_from_json(t)); }},
      {"journey definition", cxm::journey_definition_json_limits,
       [](std::string_view t) { return code_of(cxm::journey_definition_from_json(t)); }},
      {"journey report", cxm::journey_report_json_limits,
       [](std::string_view t) { return code_of(cxm::journey_report_from_json(t)); }},
      {"survey", {cxm::survey::max_bytes, cxm::survey::max_depth},
       [](std::string_view t) { return code_of(cxm::survey::parse(t)); }},
      {"answers", {cxm::answers::max_bytes, cxm::answers::max_depth},
       [](std::string_view t) { return code_of(cxm::answers::from_json(t)); }},
  };
}

// An object whose "x" holds `depth` nested arrays: depth + 1 levels in all.
std::string nested(std::size_t depth) {
  return "{\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

TEST(JsonLimits, EveryDecoderStopsAtItsDeclaredSize) {
  for (const format_case& f : formats()) {
    SCOPED_TRACE(f.name);
    // A document of max_bytes bytes is read (and refused for what it says, not its size); one
    // byte more is too large before anything is parsed.
    std::string doc = "{}";
    doc.resize(f.limits.max_bytes, ' ');
    EXPECT_NE(f.decode(doc), errc::too_large);
    doc.push_back(' ');
    EXPECT_EQ(f.decode(doc), errc::too_large);
  }
}

TEST(JsonLimits, EveryDecoderStopsAtItsDeclaredDepth) {
  for (const format_case& f : formats()) {
    SCOPED_TRACE(f.name);
    EXPECT_NE(f.decode(nested(f.limits.max_depth - 1)), errc::too_deep);
    EXPECT_EQ(f.decode(nested(f.limits.max_depth)), errc::too_deep);
  }
}

}  // namespace
