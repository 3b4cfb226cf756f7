// SPDX-License-Identifier: MIT
// Replaces the global operator new/delete with versions that count allocations, for the
// programs that prove a path never allocates. Include it in exactly one file of a test
// executable of its own (the replacement applies to the whole program).
#ifndef CXM_TESTS_COUNTING_NEW_HPP
#define CXM_TESTS_COUNTING_NEW_HPP

#include <atomic>
#include <cstdlib>
#include <new>

namespace cxm_test {
/// Calls of operator new (any form) since the program started.
inline std::atomic<std::size_t> allocations{0};
}  // namespace cxm_test

void* operator new(std::size_t size) {
  cxm_test::allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  cxm_test::allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& t) noexcept { return operator new(size, t); }
// These operators are the replacements: every operator new above takes its memory from malloc,
// so free is the matching release. GCC, inlining a delete of an object it saw created by `new`
// (at -O1, the tsan preset), takes this free for a mismatch; it is not one.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // CXM_TESTS_COUNTING_NEW_HPP
