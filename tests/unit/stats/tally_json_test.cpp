// SPDX-License-Identifier: MIT
// Tally JSON: round trips, frozen format, and strict decoding with errors that name the field.
#include "cxm/stats/tally_json.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "io/strict_json.hpp"
#include "test_support.hpp"

using cxm::errc;

TEST(Json, NpsTallyFormatIsFrozen) {
  cxm::nps_tally t;
  for (int a : {0, 6, 7, 9, 10, 10}) ASSERT_TRUE(t.add(a).ok());
  (void)t.add(11);
  (void)t.reject(errc::wrong_type);
  EXPECT_EQ(cxm::to_json(t),
            R"({"format":"cxm.nps_tally","version":1,"counts":[1,0,0,0,0,0,1,1,0,1,2],)"
            R"("rejected":{"out_of_range":1,"not_integer":0,"not_finite":0,"wrong_type":1}})");
}

TEST(Json, ScaleTallyFormatIsFrozen) {
  auto t = cxm::scale_tally::make(cxm::scale::csat5()).value();
  for (int a : {1, 4, 5, 5}) ASSERT_TRUE(t.add(a).ok());
  EXPECT_EQ(cxm::to_json(t),
            R"({"format":"cxm.scale_tally","version":1,"scale":{"min":1,"max":5,"top_box_min":4},)"
            R"("counts":[1,0,0,1,2],"rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}})");
}

TEST(Json, RoundTripsExactlyIncludingHugeCounts) {
  cxm::nps_tally::counts_type c{};
  c[9] = (std::uint64_t{1} << 53) + 1;  // not representable as a double
  c[0] = cxm::max_count - c[9];         // the total is exactly the limit
  cxm::nps_tally t(c);
  (void)t.add(-3);
  t.set_rejected_counts({std::numeric_limits<std::uint64_t>::max(), 0, 0, 1});  // diagnostics saturate
  auto back = cxm::nps_tally_from_json(cxm::to_json(t));
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(back.value(), t);

  // Found by fuzzing: counts whose total passed 2^64 decoded into a tally whose total() had
  // wrapped (2^63 + 2^63 answers read as an empty tally). Totals are now bounded by max_count.
  const std::string rejected = R"("rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0})";
  auto wraps = cxm::nps_tally_from_json(R"({"format":"cxm.nps_tally","version":1,"counts":[9223372036854775808,)"
                                        R"(9223372036854775808,0,0,0,0,0,0,0,0,0],)" + rejected + "}");
  EXPECT_EQ(wraps.code(), cxm::errc::out_of_range);
  EXPECT_EQ(wraps.detail(), "counts: the total exceeds 2^62, the most a tally counts");
  auto over = cxm::scale_tally_from_json(R"({"format":"cxm.scale_tally","version":1,"scale":{"min":1,"max":5,"top_box_min":4},)"
                                         R"("counts":[4611686018427387904,0,0,0,1],)" + rejected + "}");
  EXPECT_EQ(over.code(), cxm::errc::out_of_range);

  auto s = cxm::scale_tally::make({0, 10, 9}).value();
  for (int a = 0; a <= 10; ++a) ASSERT_TRUE(s.add(a).ok());
  auto sback = cxm::scale_tally_from_json(cxm::to_json(s));
  ASSERT_TRUE(sback.ok()) << sback.detail();
  EXPECT_EQ(sback.value(), s);
}

TEST(Json, DecodingErrorsNameTheFieldAndReason) {
  struct row { const char* text; errc code; const char* where; };
  const std::string rej = R"("rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0})";
  const std::string counts = R"("counts":[0,0,0,0,0,0,0,0,0,0,0])";
  const std::string bad_version = R"({"format":"cxm.nps_tally","version":2,)" + counts + "," + rej + "}";
  const std::string other_kind = R"({"format":"cxm.scale_tally","version":1,)" + counts + "," + rej + "}";
  const std::string short_counts = R"({"format":"cxm.nps_tally","version":1,"counts":[1,2],)" + rej + "}";
  const std::string neg = R"({"format":"cxm.nps_tally","version":1,"counts":[0,0,0,-1,0,0,0,0,0,0,0],)" + rej + "}";
  const std::string frac = R"({"format":"cxm.nps_tally","version":1,"counts":[0,0,0,1.5,0,0,0,0,0,0,0],)" + rej + "}";
  const std::string dup = R"({"format":"cxm.nps_tally","version":1,"version":1,)" + counts + "," + rej + "}";
  const std::string inf = R"({"format":"cxm.nps_tally","version":1,"counts":[0,0,0,1e309,0,0,0,0,0,0,0],)" + rej + "}";
  const std::string no_rej = R"({"format":"cxm.nps_tally","version":1,)" + counts + "}";
  const row rows[] = {
      {bad_version.c_str(), errc::unsupported_version, "version"},
      {other_kind.c_str(), errc::incompatible, "format"},
      {short_counts.c_str(), errc::invalid_argument, "counts"},
      {neg.c_str(), errc::out_of_range, "counts[3]"},
      {frac.c_str(), errc::not_integer, "counts[3]"},
      {dup.c_str(), errc::duplicate_key, "version"},
      {inf.c_str(), errc::not_finite, "counts"},
      {no_rej.c_str(), errc::missing_field, "rejected"},
      {"{\"format\":\"cxm.nps_tally\"} trailing", errc::parse_error, "after the JSON value"},
      {"[1,2]", errc::wrong_type, "(root)"},
      {"", errc::parse_error, ""},
      {"{\"format\":\"\xff\"}", errc::invalid_utf8, "byte"},
  };
  for (const row& r : rows) {
    auto t = cxm::nps_tally_from_json(r.text);
    EXPECT_EQ(t.code(), r.code) << r.text << " -> " << t.detail();
    EXPECT_NE(t.detail().find(r.where), std::string::npos) << t.detail();
  }
}

TEST(Json, DepthAndSizeAreBounded) {
  std::string deep(100000, '[');
  auto d = cxm::nps_tally_from_json(deep);
  EXPECT_EQ(d.code(), errc::too_deep) << d.detail();
  std::string big(std::size_t{2} << 20, ' ');
  EXPECT_EQ(cxm::nps_tally_from_json(big).code(), errc::too_large);
}

TEST(Json, ScaleMustBeValid) {
  auto bad = cxm::scale_tally_from_json(
      R"({"format":"cxm.scale_tally","version":1,"scale":{"min":1,"max":5,"top_box_min":9},"counts":[0,0,0,0,0],)"
      R"("rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}})");
  EXPECT_EQ(bad.code(), errc::invalid_argument);
  EXPECT_NE(bad.detail().find("scale"), std::string::npos);
}
