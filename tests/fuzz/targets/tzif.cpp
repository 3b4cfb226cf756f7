// SPDX-License-Identifier: MIT
// TZif bytes (RFC 8536) into a time zone, then offsets and calendar periods in it. A refused
// input has one of the documented codes and a detail; an accepted zone gives offsets within
// the promised range, constant up to the next change it announces, and periods that hold
// their instant, come back from their index and abut their neighbours. The instants probed are
// fixed ones, the zone's own changes, and one the input chooses with its last eight bytes.
#include <cstring>
#include <limits>
#include <string>

#include "cxm/report/period.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

constexpr std::int64_t min_ms = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t max_ms = std::numeric_limits<std::int64_t>::max();
// Periods are checked strictly for local dates in 0001-9999 (outside, they are clamped): these
// are 0001-01-03 and 9999-12-29 UTC, more than a day's offset inside.
constexpr std::int64_t supported_lo = -62135424000000;
constexpr std::int64_t supported_hi = 253402041600000;

void check_offset(const cxm::time_zone& z, std::int64_t t) {
  const std::int32_t o = z.offset_at(t);
  CXM_FUZZ_CHECK_MSG(o >= -89999 && o <= 93599, std::to_string(o) + " at " + std::to_string(t));
  const std::int64_t next = z.next_change_ms(t);
  CXM_FUZZ_CHECK_MSG(next > t || next == max_ms, std::to_string(next) + " after " + std::to_string(t));
  if (next != max_ms) CXM_FUZZ_CHECK_MSG(z.offset_at(next - 1) == o, "the offset changed before " + std::to_string(next));
}

void check_periods(const cxm::time_zone& z, std::int64_t t) {
  for (cxm::period_unit u : {cxm::period_unit::day, cxm::period_unit::week, cxm::period_unit::month}) {
    const cxm::period p = cxm::period_of(t, u, z);
    const std::string where = std::string(cxm::name(u)) + " " + p.label + " at " + std::to_string(t);
    CXM_FUZZ_CHECK_MSG(p.start_ms <= p.end_ms, where);
    if (t < supported_lo || t > supported_hi) continue;
    CXM_FUZZ_CHECK_MSG(p.start_ms <= t && t < p.end_ms, where);
    const cxm::period again = cxm::period_at(p.index, u, z);
    CXM_FUZZ_CHECK_MSG(again.start_ms == p.start_ms && again.end_ms == p.end_ms && again.label == p.label, where);
    const cxm::period next = cxm::period_at(p.index + 1, u, z);
    if (next.index == p.index) continue;  // the last supported period: period_at clamps
    CXM_FUZZ_CHECK_MSG(next.start_ms == p.end_ms && p.label < next.label, where + " then " + next.label);
  }
}

}  // namespace

int tzif(const std::uint8_t* data, std::size_t size) {
  auto zone = cxm::time_zone::from_tzif("fuzz", data, size);
  if (!zone.ok()) {
    const cxm::errc e = zone.code();
    CXM_FUZZ_CHECK_MSG(e == cxm::errc::parse_error || e == cxm::errc::unsupported_version || e == cxm::errc::too_large,
                       zone.detail());
    CXM_FUZZ_CHECK_MSG(zone.detail().rfind("TZif: ", 0) == 0, zone.detail());
    return 0;
  }
  const cxm::time_zone z = zone.value();
  CXM_FUZZ_CHECK(z.name() == "fuzz");
  std::int64_t chosen = 0;
  if (size >= 8) std::memcpy(&chosen, data + size - 8, 8);
  for (std::int64_t t : {min_ms, min_ms + 1, std::int64_t{-1}, std::int64_t{0}, std::int64_t{1'790'000'000'000},
                         std::int64_t{4'102'444'800'000}, max_ms - 1, max_ms, chosen}) {
    check_offset(z, t);
    check_periods(z, t);
  }
  // Around the zone's first changes from 1970 on: both sides of each.
  std::int64_t t = 0;
  for (int k = 0; k < 6; ++k) {
    t = z.next_change_ms(t);
    if (t == max_ms) break;
    for (std::int64_t d : {std::int64_t{-1}, std::int64_t{0}}) {
      check_offset(z, t + d);
      check_periods(z, t + d);
    }
  }
  return 0;
}

}  // namespace cxm_fuzz
