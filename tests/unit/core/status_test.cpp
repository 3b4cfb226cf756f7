// SPDX-License-Identifier: MIT
#include "cxm/core/status.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

TEST(Status, EveryCodeHasADistinctNameAndAMessage) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(cxm::last_errc); ++i) {
    const auto e = static_cast<cxm::errc>(i);
    EXPECT_STRNE(cxm::message(e), "unknown error") << i;
    EXPECT_TRUE(names.insert(cxm::name(e)).second) << cxm::name(e);
  }
  EXPECT_STREQ(cxm::message(static_cast<cxm::errc>(9999)), "unknown error");
}

TEST(Status, ValuesAreAppendOnly) {
  // The C ABI and the JS API expose these numbers: they must never change.
  EXPECT_EQ(static_cast<int>(cxm::errc::ok), 0);
  EXPECT_EQ(static_cast<int>(cxm::errc::invalid_argument), 1);
  EXPECT_EQ(static_cast<int>(cxm::errc::out_of_range), 2);
  EXPECT_EQ(static_cast<int>(cxm::errc::incompatible), 6);
  EXPECT_EQ(static_cast<int>(cxm::errc::unsupported_version), 7);
  EXPECT_EQ(static_cast<int>(cxm::errc::internal), 17);
  EXPECT_EQ(static_cast<int>(cxm::errc::locked), 18);
  EXPECT_EQ(static_cast<int>(cxm::errc::retry_later), 23);
}

TEST(Status, ConvertsToStdErrorCode) {
  std::error_code ec = cxm::errc::duplicate_key;
  EXPECT_STREQ(ec.category().name(), "cxm");
  EXPECT_EQ(ec.message(), "duplicate key");
  EXPECT_TRUE(ec);
}

TEST(Status, ResultCarriesValueOrDetail) {
  cxm::result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 42);
  cxm::result<int> bad{cxm::errc::missing_field, "answers: missing"};
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), cxm::errc::missing_field);
  EXPECT_EQ(bad.detail(), "answers: missing");
  int out = 0;
  EXPECT_EQ(std::move(bad).get(out), cxm::errc::missing_field);
  EXPECT_EQ(out, 0);
  cxm::result<int> plain{cxm::errc::empty};
  EXPECT_EQ(plain.detail(), "no data");
}
