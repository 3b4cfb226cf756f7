// SPDX-License-Identifier: MIT
// NPS and rating-scale tallies: bulk counting of one-byte answers measured against a plain read
// of the same buffer, each SIMD kernel on its own, a naive loop, per-answer add, intervals and
// merge. bench/report.py turns the JSON output into the tables of bench/README.md.
//
// Names: BM_Read_Baseline/<mix>, BM_Nps_AddBulk/<mix>, BM_Nps_Kernel/<kernel>/<mix>,
// BM_Nps_NaiveLoop/<mix>, BM_Nps_Add, BM_Nps_AddDouble, BM_Scale_Add,
// BM_Nps_ConfidenceInterval/<method>, BM_Nps_Merge.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#if defined(__linux__)
#  include <sys/mman.h>
#endif

#include "cxm/stats/interval.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "stats/nps_count.hpp"  // sdk/src: the run-time kernel table

namespace {

using cxm::detail::answer_counts;

/// Answers per bulk buffer: 100 MB at one byte each, far larger than any last-level cache, so
/// the bulk benchmarks measure streaming from memory.
constexpr std::size_t bulk_answers = 100'000'000;

/// splitmix64: the same sequence on every platform and standard library (std:: distributions
/// are not specified bit for bit), and fast enough to fill 100 MB in a fraction of a second.
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n), n < 2^32 (multiply-shift; the bias is below 2^-22 for n <= 1000).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

 private:
  std::uint64_t state_;
};

/// A distribution of 0-10 answers: relative weights of each answer, and the generator's seed.
struct answer_mix {
  const char* name;
  std::array<std::uint32_t, 11> weights;
  std::uint64_t seed;
};

// realistic: 4% each of 0-5, 8% of 6, 12% each of 7 and 8, 22% each of 9 and 10 (per mille
// below): 32% detractors, 24% passives, 44% promoters, NPS +12.
constexpr std::array<answer_mix, 3> mixes{{
    {"realistic", {40, 40, 40, 40, 40, 40, 80, 120, 120, 220, 220}, 0x63786d0000000001u},
    {"uniform", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0x63786d0000000002u},
    {"all_equal", {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 0x63786d0000000003u},
}};

/// Draws answers from a mix: a table of `sum(weights)` slots maps a uniform draw to an answer.
class answer_source {
 public:
  explicit answer_source(const answer_mix& mix) : rng_(mix.seed) {
    for (std::size_t v = 0; v < mix.weights.size(); ++v)
      table_.insert(table_.end(), mix.weights[v], static_cast<std::uint8_t>(v));
  }
  std::uint8_t next() noexcept { return table_[rng_.below(static_cast<std::uint32_t>(table_.size()))]; }

 private:
  splitmix64 rng_;
  std::vector<std::uint8_t> table_;
};

struct free_deleter {
  void operator()(std::uint8_t* p) const noexcept { std::free(p); }
};

/// One mix's 100 MB of answers, generated once, with the counts the generator produced (every
/// bulk benchmark checks its result against them).
struct answer_buffer {
  std::unique_ptr<std::uint8_t, free_deleter> bytes;
  std::size_t size = 0;
  answer_counts expected{};
};

const answer_buffer& bulk_buffer(std::size_t mix) {
  static std::array<answer_buffer, mixes.size()> cache;
  answer_buffer& b = cache[mix];
  if (b.bytes) return b;
  // 2 MiB aligned (a multiple of every vector width) and, on Linux, backed by transparent huge
  // pages where the system allows, so TLB misses do not blur the bandwidth figures. The pages
  // are all written here, so no page fault happens inside a timed loop.
  constexpr std::size_t align = std::size_t{2} << 20;
  const std::size_t capacity = (bulk_answers + align - 1) / align * align;
  auto* p = static_cast<std::uint8_t*>(std::aligned_alloc(align, capacity));
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  static_cast<void>(madvise(p, capacity, MADV_HUGEPAGE));
#endif
  b.bytes.reset(p);
  answer_source source(mixes[mix]);
  for (std::size_t i = 0; i < bulk_answers; ++i) {
    p[i] = source.next();
    ++b.expected[p[i]];
  }
  std::memset(p + bulk_answers, 0, capacity - bulk_answers);
  b.size = bulk_answers;
  return b;
}

void set_bulk_rates(benchmark::State& state, std::size_t size) {
  const std::int64_t bytes = state.iterations() * static_cast<std::int64_t>(size);
  state.SetBytesProcessed(bytes);  // one byte per answer: bytes/s ...
  state.SetItemsProcessed(bytes);  // ... equals answers/s
}

// The bandwidth yardstick: the buffer read once as native 64-bit words and summed. memcpy keeps
// it free of aliasing questions; GCC and Clang turn the loop into vector loads and adds. On x86
// the loop is compiled for AVX-512 and AVX2 too and the widest the CPU has is used, so the
// yardstick reads with the same vector width as the kernels compared with it.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#  define CXM_BENCH_WIDEST_VECTORS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#  define CXM_BENCH_WIDEST_VECTORS
#endif
CXM_BENCH_WIDEST_VECTORS std::uint64_t sum_words(const std::uint8_t* p, std::size_t size) noexcept {
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    sum += w;
  }
  for (; i < size; ++i) sum += p[i];
  return sum;
}

void bm_read_baseline(benchmark::State& state, std::size_t mix) {
  const answer_buffer& b = bulk_buffer(mix);
  for (auto _ : state) {
    std::uint64_t sum = sum_words(b.bytes.get(), b.size);
    benchmark::DoNotOptimize(sum);
  }
  set_bulk_rates(state, b.size);
}

// What nps_tally::add_bulk costs a caller: the kernel chosen at run time plus folding its
// counts into the tally.
void bm_add_bulk(benchmark::State& state, std::size_t mix) {
  const answer_buffer& b = bulk_buffer(mix);
  cxm::nps_tally tally;
  for (auto _ : state) {
    tally = cxm::nps_tally();
    std::uint64_t accepted = tally.add_bulk(b.bytes.get(), b.size);
    benchmark::DoNotOptimize(accepted);
    benchmark::DoNotOptimize(tally);
  }
  for (std::size_t v = 0; v < 11; ++v)
    if (tally.counts()[v] != b.expected[v])
      return state.SkipWithError("add_bulk counts differ from the generated answers");
  set_bulk_rates(state, b.size);
  state.SetLabel(cxm::detail::best_kernel().name);
}

// One kernel of the table, called directly: the numbers behind the dispatch order.
void bm_kernel(benchmark::State& state, cxm::detail::count_kernel kernel, std::size_t mix) {
  const answer_buffer& b = bulk_buffer(mix);
  answer_counts counts{};
  for (auto _ : state) {
    counts = answer_counts{};
    kernel(b.bytes.get(), b.size, counts);
    benchmark::DoNotOptimize(counts);
  }
  if (counts != b.expected) return state.SkipWithError("kernel counts differ from the generated answers");
  set_bulk_rates(state, b.size);
}

// The loop a caller would write without add_bulk. The compiler cannot see the data, so it
// cannot collapse the loop. On all_equal every increment hits the same counter and waits for
// the previous one through store-to-load forwarding, unless the CPU renames memory operands
// (AMD Zen 2 and later do, so there all_equal is not the slow case; see README.md).
void count_naive(const std::uint8_t* data, std::size_t size, answer_counts& counts) noexcept {
  for (std::size_t i = 0; i < size; ++i) ++counts[data[i] > 10 ? std::size_t{11} : std::size_t{data[i]}];
}

void bm_naive_loop(benchmark::State& state, std::size_t mix) {
  const answer_buffer& b = bulk_buffer(mix);
  answer_counts counts{};
  for (auto _ : state) {
    counts = answer_counts{};
    count_naive(b.bytes.get(), b.size, counts);
    benchmark::DoNotOptimize(counts);
  }
  if (counts != b.expected) return state.SkipWithError("naive counts differ from the generated answers");
  set_bulk_rates(state, b.size);
}

// Per-answer calls: 2^20 realistic answers (4 MiB of int, 8 MiB of double: cache resident, so
// the figure is the cost of the call, not of memory).
constexpr std::size_t per_answer_count = std::size_t{1} << 20;

const std::vector<int>& realistic_ints() {
  static const std::vector<int> answers = [] {
    std::vector<int> a(per_answer_count);
    answer_source source(mixes[0]);
    for (int& v : a) v = source.next();
    return a;
  }();
  return answers;
}

void BM_Nps_Add(benchmark::State& state) {
  const std::vector<int>& answers = realistic_ints();
  cxm::nps_tally tally;
  for (auto _ : state) {
    tally = cxm::nps_tally();
    std::uint64_t ok = 0;
    for (int v : answers) ok += tally.add(v).ok() ? 1u : 0u;
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(tally);
  }
  if (tally.total() != answers.size()) return state.SkipWithError("add rejected a valid answer");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(answers.size()));
}

void BM_Nps_AddDouble(benchmark::State& state) {
  static const std::vector<double> answers = [] {
    const std::vector<int>& ints = realistic_ints();
    return std::vector<double>(ints.begin(), ints.end());
  }();
  cxm::nps_tally tally;
  for (auto _ : state) {
    tally = cxm::nps_tally();
    std::uint64_t ok = 0;
    for (double v : answers) ok += tally.add(v).ok() ? 1u : 0u;
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(tally);
  }
  if (tally.total() != answers.size()) return state.SkipWithError("add(double) rejected a valid answer");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(answers.size()));
}

// CES 1-7, skewed to the easy end as CES usually is: 5% each of 1 and 2, 8% of 3, 12% of 4,
// 20% of 5, 25% each of 6 and 7.
void BM_Scale_Add(benchmark::State& state) {
  static const std::vector<int> answers = [] {
    constexpr answer_mix ces{"ces7", {0, 5, 5, 8, 12, 20, 25, 25, 0, 0, 0}, 0x63786d0000000004u};
    std::vector<int> a(per_answer_count);
    answer_source source(ces);
    for (int& v : a) v = source.next();
    return a;
  }();
  cxm::scale_tally tally;
  for (auto _ : state) {
    tally = cxm::scale_tally();
    std::uint64_t ok = 0;
    for (int v : answers) ok += tally.add(v).ok() ? 1u : 0u;
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(tally);
  }
  if (tally.total() != answers.size()) return state.SkipWithError("scale add rejected a valid answer");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(answers.size()));
}

/// 1,000 answers in the realistic proportions (320 detractors, 240 passives, 440 promoters).
cxm::nps_tally realistic_tally() {
  cxm::nps_tally::counts_type counts{};
  for (std::size_t v = 0; v < counts.size(); ++v) counts[v] = mixes[0].weights[v];
  return cxm::nps_tally(counts);
}

void bm_confidence_interval(benchmark::State& state, cxm::interval_method method) {
  cxm::nps_tally tally = realistic_tally();
  for (auto _ : state) {
    benchmark::DoNotOptimize(tally);
    auto ci = tally.confidence_interval(0.95, method);
    benchmark::DoNotOptimize(ci);
  }
  if (!tally.confidence_interval(0.95, method)) return state.SkipWithError("interval failed");
  state.SetItemsProcessed(state.iterations());
}

void BM_Nps_Merge(benchmark::State& state) {
  cxm::nps_tally into;
  const cxm::nps_tally from = realistic_tally();
  for (auto _ : state) {
    benchmark::DoNotOptimize(into.merge(from));
    benchmark::DoNotOptimize(into);
  }
  state.SetItemsProcessed(state.iterations());
}

std::string kernel_names() {
  std::array<cxm::detail::kernel_info, 8> k{};
  const std::size_t n = std::min(cxm::detail::available_kernels(k.data(), k.size()), k.size());
  std::string names;
  for (std::size_t i = 0; i < n; ++i) names += (i ? "," : "") + std::string(k[i].name);
  return names;
}

// Registered at start-up because the kernel list is only known at run time. Grouped by mix so
// that a mix's yardstick and the code compared with it run close together in time.
bool register_benchmarks() {
  benchmark::AddCustomContext("cxm_bulk_kernel", cxm::detail::best_kernel().name);
  benchmark::AddCustomContext("cxm_kernels", kernel_names());
  benchmark::AddCustomContext("cxm_bulk_answers", std::to_string(bulk_answers));

  std::array<cxm::detail::kernel_info, 8> kernels{};
  const std::size_t n_kernels =
      std::min(cxm::detail::available_kernels(kernels.data(), kernels.size()), kernels.size());
  for (std::size_t mix = 0; mix < mixes.size(); ++mix) {
    const std::string m = mixes[mix].name;
    benchmark::RegisterBenchmark(("BM_Read_Baseline/" + m).c_str(), bm_read_baseline, mix)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_Nps_AddBulk/" + m).c_str(), bm_add_bulk, mix)
        ->Unit(benchmark::kMillisecond);
    for (std::size_t k = 0; k < n_kernels; ++k)
      benchmark::RegisterBenchmark(("BM_Nps_Kernel/" + std::string(kernels[k].name) + "/" + m).c_str(),
                                   bm_kernel, kernels[k].fn, mix)
          ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_Nps_NaiveLoop/" + m).c_str(), bm_naive_loop, mix)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("BM_Nps_Add", BM_Nps_Add)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_Nps_AddDouble", BM_Nps_AddDouble)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_Scale_Add", BM_Scale_Add)->Unit(benchmark::kMicrosecond);
  for (cxm::interval_method method : {cxm::interval_method::wald, cxm::interval_method::adjusted_wald,
                                      cxm::interval_method::score})
    benchmark::RegisterBenchmark(
        ("BM_Nps_ConfidenceInterval/" + std::string(cxm::name(method))).c_str(),
        bm_confidence_interval, method);
  benchmark::RegisterBenchmark("BM_Nps_Merge", BM_Nps_Merge);
  return true;
}

[[maybe_unused]] const bool registered = register_benchmarks();

}  // namespace
