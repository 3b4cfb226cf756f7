// SPDX-License-Identifier: MIT
// Survey targeting: the stable sampling hash (version 1, specified at sampling_point in
// cxm/survey/definition.hpp) and the cooldown clocks. Integer arithmetic only, so native and wasm agree
// bit for bit.
#include <cstdint>

#include "cxm/survey/definition.hpp"
#include "core/hash.hpp"

CXM_BEGIN_NAMESPACE
namespace {

constexpr std::uint64_t fnv_offset_basis = 0xcbf29ce484222325ull;
constexpr std::uint64_t fnv_prime = 0x100000001b3ull;
constexpr std::int64_t ms_per_day = 86400000;

constexpr std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) noexcept {
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= fnv_prime;
  }
  return h;
}

// Whether a cooldown of `days` since `last_ms` still runs at `now_ms` (negative last = never).
constexpr bool cooling(std::int64_t now_ms, std::int64_t last_ms, int days) noexcept {
  if (last_ms < 0 || days <= 0) return false;
  if (now_ms < last_ms) return true;  // the clock went back: do not show twice
  return now_ms - last_ms < static_cast<std::int64_t>(days) * ms_per_day;
}

}  // namespace

const char* name(eligibility_reason r) noexcept {
  switch (r) {
    case eligibility_reason::ok: return "ok";
    case eligibility_reason::sampled_out: return "sampled_out";
    case eligibility_reason::cooldown: return "cooldown";
    case eligibility_reason::global_cooldown: return "global_cooldown";
  }
  return "unknown";
}

double sampling_point(std::string_view survey_id, std::string_view respondent_id) noexcept {
  std::uint64_t h = fnv1a(fnv_offset_basis, survey_id);
  h = fnv1a(h, std::string_view("\xFF", 1));
  // fmix64: FNV-1a alone mixes the last bytes poorly into the high bits the mapping uses.
  h = detail::fmix64(fnv1a(h, respondent_id));
  // The top 53 bits are an integer below 2^53, exactly representable; times 2^-53 is exact too.
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

sampling_decision survey::sample(std::string_view respondent_id) const noexcept {
  const double rate = targeting_.sample_rate;
  return {sampling_point(id_, respondent_id) < rate, rate};
}

eligibility survey::eligible(std::string_view respondent_id, std::int64_t now_ms, std::int64_t last_shown_ms,
                             std::int64_t last_shown_any_ms) const noexcept {
  if (!sample(respondent_id).included) return {false, eligibility_reason::sampled_out};
  if (cooling(now_ms, last_shown_ms, targeting_.cooldown_days)) return {false, eligibility_reason::cooldown};
  if (cooling(now_ms, last_shown_any_ms, targeting_.global_cooldown_days))
    return {false, eligibility_reason::global_cooldown};
  return {true, eligibility_reason::ok};
}

CXM_END_NAMESPACE
