// SPDX-License-Identifier: MIT
// The exception firewall: when memory runs out inside cxm, the C ABI returns CXM_TOO_LARGE
// with the detail "out of memory" instead of letting std::bad_alloc cross into C, and the
// handles stay usable. This program replaces the global operator new (libcxm.so's allocations
// come here too) so that allocations can be made to fail. Built only with exceptions.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "capi_test_support.hpp"

namespace {
std::atomic<bool> fail_allocations{false};
}  // namespace

// These replacements pair malloc with free; GCC, inlining them into this file's own new and
// delete expressions, would take free(p) for the wrong partner of operator new.
#if defined(__GNUC__) && !defined(__clang__)
#  pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
  if (fail_allocations.load(std::memory_order_relaxed)) throw std::bad_alloc();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (fail_allocations.load(std::memory_order_relaxed)) return nullptr;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace capi_test;

namespace {

// Runs `f` with every operator new failing; returns its status.
template <class F>
cxm_status without_memory(F&& f) {
  fail_allocations = true;
  const cxm_status s = f();
  fail_allocations = false;
  return s;
}

}  // namespace

TEST(CapiOutOfMemory, IsTooLargeWithADetailAndNothingCrosses) {
  const std::string definition = test_data("surveys/conditions.json");
  cxm_survey* s = reinterpret_cast<cxm_survey*>(&s);
  EXPECT_EQ(without_memory([&] { return cxm_survey_parse(definition.data(), definition.size(), &s); }), CXM_TOO_LARGE);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(detail(), "out of memory");

  // Handles themselves: a tally cannot even be created.
  cxm_nps_tally* t = nullptr;
  EXPECT_EQ(without_memory([&] { return cxm_nps_tally_create(&t); }), CXM_TOO_LARGE);
  EXPECT_EQ(t, nullptr);

  // With memory back, the same calls work, and a tally that failed to serialize is intact.
  ASSERT_EQ(cxm_survey_parse(definition.data(), definition.size(), &s), CXM_OK) << detail();
  const survey hs(s);
  ASSERT_EQ(cxm_nps_tally_create(&t), CXM_OK);
  const nps_tally ht(t);
  ASSERT_EQ(cxm_nps_tally_add(t, 9), CXM_OK);
  EXPECT_EQ(without_memory([&] { return cxm_nps_tally_add(t, 10); }), CXM_OK);  // the hot path does not allocate
  char* out = nullptr;
  EXPECT_EQ(without_memory([&] { return cxm_nps_tally_to_json(t, &out, nullptr); }), CXM_TOO_LARGE);
  EXPECT_EQ(out, nullptr);
  ASSERT_EQ(cxm_nps_tally_to_json(t, &out, nullptr), CXM_OK);
  EXPECT_NE(std::string(out).find("\"counts\":[0,0,0,0,0,0,0,0,0,1,1]"), std::string::npos) << out;
  cxm_string_free(out);

  // Scoring and journeys: every call that allocates reports it.
  const std::string answers = R"({"nps":3,"why_low":"slow"})";
  EXPECT_EQ(without_memory([&] { return cxm_survey_score(s, answers.data(), answers.size(), &out, nullptr); }),
            CXM_TOO_LARGE);
  const std::string journey = test_data("journeys/definition.json");
  cxm_journey_definition* d = nullptr;
  EXPECT_EQ(without_memory([&] { return cxm_journey_definition_from_json(journey.data(), journey.size(), &d); }),
            CXM_TOO_LARGE);
  ASSERT_EQ(cxm_journey_definition_from_json(journey.data(), journey.size(), &d), CXM_OK);
  const journey_definition hd(d);
  cxm_journey_tracker* tr = nullptr;
  EXPECT_EQ(without_memory([&] { return cxm_journey_tracker_create(d, &tr); }), CXM_TOO_LARGE);
  EXPECT_EQ(tr, nullptr);
  EXPECT_EQ(detail(), "out of memory");
}
