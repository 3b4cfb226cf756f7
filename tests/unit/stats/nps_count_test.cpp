// SPDX-License-Identifier: MIT
// Every bulk-counting kernel the CPU supports agrees with a plain loop, at every length and
// alignment, on valid and invalid bytes.
#include "stats/nps_count.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "cxm/stats/nps_tally.hpp"

namespace {

cxm::detail::answer_counts reference(const std::uint8_t* p, std::size_t n) {
  cxm::detail::answer_counts c{};
  for (std::size_t i = 0; i < n; ++i) ++c[p[i] > 10 ? 11 : p[i]];
  return c;
}

std::vector<cxm::detail::kernel_info> kernels() {
  cxm::detail::kernel_info k[8];
  const std::size_t n = cxm::detail::available_kernels(k, 8);
  return {k, k + n};
}

}  // namespace

TEST(NpsCount, PortableKernelIsAlwaysAvailable) {
  auto ks = kernels();
  ASSERT_FALSE(ks.empty());
  EXPECT_STREQ(ks.back().name, "scalar");
  EXPECT_STREQ(cxm::detail::best_kernel().name, ks.front().name);
}

TEST(NpsCount, KernelsMatchAPlainLoop) {
  std::mt19937 rng(7);
  std::vector<std::uint8_t> data(100000 + 77);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng() % 13 == 0 ? rng() % 256 : rng() % 11);
  for (const auto& k : kernels()) {
    for (std::size_t offset : {0u, 1u, 31u}) {
      for (std::size_t len : {0u, 1u, 15u, 16u, 63u, 64u, 65u, 255u * 64u, 255u * 64u + 1, 99000u}) {
        cxm::detail::answer_counts got{};
        k.fn(data.data() + offset, len, got);
        EXPECT_EQ(got, reference(data.data() + offset, len)) << k.name << " off=" << offset << " len=" << len;
      }
    }
  }
}

TEST(NpsCount, AllEqualAnswersAndEveryByteValue) {
  // A run longer than 255 vectors of the same value exercises the accumulator flush.
  for (const auto& k : kernels()) {
    for (int v : {0, 6, 10, 11, 255}) {
      std::vector<std::uint8_t> same(300 * 64 + 5, static_cast<std::uint8_t>(v));
      cxm::detail::answer_counts got{};
      k.fn(same.data(), same.size(), got);
      EXPECT_EQ(got, reference(same.data(), same.size())) << k.name << " v=" << v;
    }
    std::vector<std::uint8_t> all(256 * 40);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    cxm::detail::answer_counts got{};
    k.fn(all.data(), all.size(), got);
    EXPECT_EQ(got, reference(all.data(), all.size())) << k.name;
  }
}

TEST(NpsCount, AddBulkCountsAndRejects) {
  const std::uint8_t answers[] = {0, 6, 7, 8, 9, 10, 11, 200, 10};
  cxm::nps_tally t;
  EXPECT_EQ(t.add_bulk(answers, sizeof answers), 7u);
  EXPECT_EQ(t.promoters(), 3u);
  EXPECT_EQ(t.passives(), 2u);
  EXPECT_EQ(t.detractors(), 2u);
  EXPECT_EQ(t.rejected(cxm::errc::out_of_range), 2u);
  EXPECT_EQ(t.add_bulk(nullptr, 5), 0u);
  cxm::nps_tally one_by_one;
  for (std::uint8_t a : answers) (void)one_by_one.add(static_cast<int>(a));
  EXPECT_EQ(t, one_by_one);
}
