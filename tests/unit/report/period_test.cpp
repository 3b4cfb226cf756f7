// SPDX-License-Identifier: MIT
// Time zones and calendar periods: golden values computed independently by CPython's zoneinfo
// (tests/data/golden/period_golden.py), the POSIX TZ rule forms, hostile TZif bytes, and the
// properties every period keeps (it holds its instant, its index gives it back, neighbours abut,
// labels sort like indexes).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cxm/report/period.hpp"
#include "io/strict_json.hpp"
#include "test_support.hpp"

namespace json = boost::json;
using cxm::period;
using cxm::period_unit;
using cxm::time_zone;

namespace {

constexpr period_unit units[] = {period_unit::day, period_unit::week, period_unit::month};
constexpr std::int64_t hour_ms = 3600 * 1000;
constexpr std::int64_t day_ms = 24 * hour_ms;

const char* const zone_files[] = {
    "UTC", "Europe/Berlin", "America/New_York", "Asia/Jerusalem", "Australia/Lord_Howe", "Asia/Kolkata",
    "America/Sao_Paulo", "Pacific/Chatham", "Asia/Beirut", "America/Havana", "Pacific/Apia", "America/Nuuk",
    "Antarctica/Troll", "Asia/Tehran"};

std::string tz_bytes(const std::string& name) { return cxm_test::test_data("tz/" + name); }

cxm::result<time_zone> from_bytes(const std::string& name, const std::string& bytes) {
  return time_zone::from_tzif(name, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

time_zone zone(const std::string& name) {
  auto z = from_bytes(name, tz_bytes(name));
  EXPECT_TRUE(z.ok()) << name << ": " << z.detail();
  return z.ok() ? z.value() : time_zone();
}

// Milliseconds of a UTC civil time, counted naively year by year and month by month: slow,
// obviously right, and independent of cxm's era arithmetic and of the C library's time_t
// width (the wasm build runs these tests too).
std::int64_t utc_ms(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  const auto leap = [](int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); };
  const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t days = 0;
  for (int year = 1970; year < y; ++year) days += leap(year) ? 366 : 365;
  for (int year = y; year < 1970; ++year) days -= leap(year) ? 366 : 365;
  for (int month = 1; month < mo; ++month) days += month_days[month - 1] + (month == 2 && leap(y) ? 1 : 0);
  days += d - 1;
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000;
}

// ---- TZif bytes built by hand ------------------------------------------------------------------

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}
void put64(std::string& out, std::uint64_t v) {
  put32(out, static_cast<std::uint32_t>(v >> 32));
  put32(out, static_cast<std::uint32_t>(v));
}

struct tzif_type {
  std::int32_t offset;
  bool dst;
};

// A version `version` file: a minimal version 1 block (one type), then the 64-bit block with
// `times`, `types` and the footer. Version 1 files get the transitions in the 32-bit block.
std::string make_tzif(char version, const std::vector<std::int64_t>& times, const std::vector<std::uint8_t>& indexes,
                      const std::vector<tzif_type>& types, const std::string& footer) {
  const auto header = [](std::string& out, char v, std::size_t ntimes, std::size_t ntypes, std::size_t nchars) {
    out += "TZif";
    out += v;
    out.append(15, '\0');
    put32(out, 0);  // isutcnt
    put32(out, 0);  // isstdcnt
    put32(out, 0);  // leapcnt
    put32(out, static_cast<std::uint32_t>(ntimes));
    put32(out, static_cast<std::uint32_t>(ntypes));
    put32(out, static_cast<std::uint32_t>(nchars));
  };
  const auto block = [&](std::string& out, bool wide) {
    for (std::int64_t t : times) wide ? put64(out, static_cast<std::uint64_t>(t)) : put32(out, static_cast<std::uint32_t>(t));
    for (std::uint8_t i : indexes) out += static_cast<char>(i);
    for (const tzif_type& t : types) {
      put32(out, static_cast<std::uint32_t>(t.offset));
      out += static_cast<char>(t.dst ? 1 : 0);
      out += '\0';  // designation index 0: "ZZZ"
    }
    out += std::string("ZZZ\0", 4);
  };
  std::string out;
  if (version == '\0') {
    header(out, version, times.size(), types.size(), 4);
    block(out, false);
    return out;
  }
  header(out, version, 0, 1, 4);
  put32(out, 0);
  out += std::string("\0\0ZZZ\0", 6);
  header(out, version, times.size(), types.size(), 4);
  block(out, true);
  return out + "\n" + footer + "\n";
}

time_zone rule_zone(const std::string& footer) {
  const std::string bytes = make_tzif('2', {}, {}, {{0, false}}, footer);
  auto z = from_bytes(footer, bytes);
  EXPECT_TRUE(z.ok()) << footer << ": " << z.detail();
  return z.ok() ? z.value() : time_zone();
}

// ---- Golden values ------------------------------------------------------------------------------

TEST(PeriodGolden, OffsetsAndPeriodsMatchAnIndependentComputation) {
  cxm::detail::json_limits limits;
  limits.max_bytes = std::size_t{8} << 20;
  auto doc = cxm::detail::parse_strict(cxm_test::test_data("period_golden.json"), limits);
  ASSERT_TRUE(doc.ok()) << doc.detail();
  std::size_t checked = 0;
  for (const json::value& zv : doc->as_object().at("zones").as_array()) {
    const std::string name(zv.at("name").as_string());
    const time_zone z = zone(name);
    ASSERT_EQ(z.name(), name);
    for (const json::value& cv : zv.at("cases").as_array()) {
      const json::array& c = cv.as_array();
      const std::int64_t t = c.at(0).to_number<std::int64_t>();
      const std::string where = name + " at " + std::to_string(t);
      EXPECT_EQ(z.offset_at(t), c.at(1).to_number<std::int32_t>()) << where;
      for (std::size_t u = 0; u < 3; ++u) {
        const json::array& e = c.at(2 + u).as_array();
        const period p = cxm::period_of(t, units[u], z);
        EXPECT_EQ(p.label, std::string(e.at(0).as_string())) << where;
        EXPECT_EQ(p.start_ms, e.at(1).to_number<std::int64_t>()) << where << " " << p.label;
        EXPECT_EQ(p.end_ms, e.at(2).to_number<std::int64_t>()) << where << " " << p.label;
        EXPECT_EQ(p.index, e.at(3).to_number<std::int64_t>()) << where << " " << p.label;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 3000u);
}

// ---- Units and fixed zones ---------------------------------------------------------------------

TEST(PeriodUnit, NamesRoundTripAndUnknownNamesListTheValidOnes) {
  for (period_unit u : units) {
    auto back = cxm::parse_period_unit(cxm::name(u));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, u);
  }
  auto bad = cxm::parse_period_unit("Week");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), cxm::errc::invalid_argument);
  EXPECT_NE(bad.detail().find("day, week or month"), std::string::npos) << bad.detail();
}

TEST(TimeZone, DefaultIsUtcAndNeverChanges) {
  const time_zone z;
  EXPECT_EQ(z.name(), "UTC");
  EXPECT_EQ(z.offset_at(0), 0);
  EXPECT_EQ(z.offset_at(std::numeric_limits<std::int64_t>::min()), 0);
  EXPECT_EQ(z.next_change_ms(0), std::numeric_limits<std::int64_t>::max());
}

TEST(TimeZone, FixedOffsetsAreNamedAndBounded) {
  auto z = time_zone::fixed(5 * 3600 + 1800);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->name(), "+05:30");
  EXPECT_EQ(z->offset_at(123), 19800);
  EXPECT_EQ(time_zone::fixed(-3 * 3600)->name(), "-03:00");
  EXPECT_TRUE(time_zone::fixed(18 * 3600).ok());
  EXPECT_EQ(time_zone::fixed(18 * 3600 + 1).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(time_zone::fixed(std::numeric_limits<std::int32_t>::min()).code(), cxm::errc::invalid_argument);
}

TEST(TimeZone, ParseFixedAcceptsTheDocumentedFormsOnly) {
  struct {
    const char* text;
    const char* name;
    std::int32_t offset;
  } good[] = {{"UTC", "UTC", 0}, {"Z", "UTC", 0}, {"+05:30", "+05:30", 19800}, {"-03:00", "-03:00", -10800},
              {"+05", "+05:00", 18000}, {"+0530", "+05:30", 19800}, {"-18:00", "-18:00", -64800}};
  for (const auto& g : good) {
    auto z = time_zone::parse_fixed(g.text);
    ASSERT_TRUE(z.ok()) << g.text << ": " << z.detail();
    EXPECT_EQ(z->name(), g.name);
    EXPECT_EQ(z->offset_at(0), g.offset);
  }
  for (const char* bad : {"", "utc", "5:30", "+5:30", "+19:00", "+05:60", "+05:3", "+05:300", "+0a", "Europe/Berlin",
                          "+05-30"}) {
    auto z = time_zone::parse_fixed(bad);
    EXPECT_FALSE(z.ok()) << bad;
    EXPECT_EQ(z.code(), cxm::errc::invalid_argument) << bad;
  }
}

TEST(TimeZone, CopiesShareTheirRules) {
  const time_zone a = zone("Europe/Berlin");
  const time_zone b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(&a.name(), &b.name());
  EXPECT_EQ(b.offset_at(utc_ms(2026, 7, 1)), 7200);
}

// ---- POSIX TZ rules (the footer) ---------------------------------------------------------------

TEST(TimeZone, FooterRuleMonthWeekDay) {
  const time_zone berlin = rule_zone("CET-1CEST,M3.5.0,M10.5.0/3");
  // 2026: DST from Sunday March 29 01:00 UTC to Sunday October 25 01:00 UTC.
  EXPECT_EQ(berlin.offset_at(utc_ms(2026, 3, 29, 1) - 1), 3600);
  EXPECT_EQ(berlin.offset_at(utc_ms(2026, 3, 29, 1)), 7200);
  EXPECT_EQ(berlin.offset_at(utc_ms(2026, 10, 25, 1) - 1), 7200);
  EXPECT_EQ(berlin.offset_at(utc_ms(2026, 10, 25, 1)), 3600);
  EXPECT_EQ(berlin.next_change_ms(utc_ms(2026, 1, 1)), utc_ms(2026, 3, 29, 1));
  const time_zone ny = rule_zone("EST5EDT,M3.2.0,M11.1.0");
  EXPECT_EQ(ny.offset_at(utc_ms(2026, 3, 8, 7) - 1), -18000);  // second Sunday of March, 02:00 EST
  EXPECT_EQ(ny.offset_at(utc_ms(2026, 3, 8, 7)), -14400);
  EXPECT_EQ(ny.offset_at(utc_ms(2026, 11, 1, 6) - 1), -14400);  // first Sunday of November, 02:00 EDT
  EXPECT_EQ(ny.offset_at(utc_ms(2026, 11, 1, 6)), -18000);
}

TEST(TimeZone, FooterRuleQuotedNamesAndMinutes) {
  const time_zone tehran = rule_zone("<+0330>-3:30");
  EXPECT_EQ(tehran.offset_at(utc_ms(2100, 6, 1)), 12600);
  EXPECT_EQ(tehran.next_change_ms(0), std::numeric_limits<std::int64_t>::max());
  const time_zone chatham = rule_zone("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45");
  EXPECT_EQ(chatham.offset_at(utc_ms(2030, 1, 1)), 13 * 3600 + 45 * 60);  // southern summer
  EXPECT_EQ(chatham.offset_at(utc_ms(2030, 7, 1)), 12 * 3600 + 45 * 60);
}

TEST(TimeZone, FooterRuleExtendedHoursAndNegativeTimes) {
  // Israel: Friday before the last Sunday of March at 02:00 is "Thursday 26:00".
  const time_zone jerusalem = rule_zone("IST-2IDT,M3.4.4/26,M10.5.0");
  EXPECT_EQ(jerusalem.offset_at(utc_ms(2026, 3, 27, 0) - 1), 7200);  // 2026-03-27 02:00 IST = 00:00 UTC
  EXPECT_EQ(jerusalem.offset_at(utc_ms(2026, 3, 27, 0)), 10800);
  // Greenland: DST starts on the last Sunday of March at -01:00, i.e. Saturday 23:00 local.
  const time_zone nuuk = rule_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  EXPECT_EQ(nuuk.offset_at(utc_ms(2026, 3, 29, 1) - 1), -7200);  // Sat 28 23:00 -02 = Sun 01:00 UTC
  EXPECT_EQ(nuuk.offset_at(utc_ms(2026, 3, 29, 1)), -3600);
  // Signed hours up to 167 parse.
  EXPECT_TRUE(from_bytes("x", make_tzif('3', {}, {}, {{0, false}}, "AAA0BBB,M3.1.0/-167,M10.1.0/167")).ok());
}

TEST(TimeZone, FooterRuleJulianDayForms) {
  // Jn never counts February 29: J60 is March 1 in every year.
  const time_zone j = rule_zone("AAA0BBB,J60/0,J300/0");
  EXPECT_EQ(j.offset_at(utc_ms(2024, 3, 1) - 1), 0);
  EXPECT_EQ(j.offset_at(utc_ms(2024, 3, 1)), 3600);
  EXPECT_EQ(j.offset_at(utc_ms(2023, 3, 1)), 3600);
  // n counts from 0 and does count February 29: day 59 is Feb 29 in 2024, March 1 in 2023.
  const time_zone n = rule_zone("AAA0BBB,59/0,299/0");
  EXPECT_EQ(n.offset_at(utc_ms(2024, 2, 29) - 1), 0);
  EXPECT_EQ(n.offset_at(utc_ms(2024, 2, 29)), 3600);
  EXPECT_EQ(n.offset_at(utc_ms(2023, 2, 28, 12)), 0);
  EXPECT_EQ(n.offset_at(utc_ms(2023, 3, 1)), 3600);
}

TEST(TimeZone, FirstLocalTimeTypeRulesBeforeTheFirstTransition) {
  // Type 0 is +1 h; the one transition switches to type 1 (+2 h) at t = 1000 s.
  const std::string bytes = make_tzif('2', {1000}, {1}, {{3600, false}, {7200, false}}, "");
  auto z = from_bytes("two", bytes);
  ASSERT_TRUE(z.ok()) << z.detail();
  EXPECT_EQ(z->offset_at(999'999), 3600);
  EXPECT_EQ(z->offset_at(1'000'000), 7200);
  EXPECT_EQ(z->offset_at(std::numeric_limits<std::int64_t>::max()), 7200);  // empty footer: the last type stays
  EXPECT_EQ(z->next_change_ms(-5'000'000), 1'000'000);
  EXPECT_EQ(z->next_change_ms(1'000'000), std::numeric_limits<std::int64_t>::max());
}

TEST(TimeZone, ReadsVersionOneFiles) {
  const std::string bytes = make_tzif('\0', {1000}, {1}, {{3600, false}, {-7200, true}}, "");
  auto z = from_bytes("v1", bytes);
  ASSERT_TRUE(z.ok()) << z.detail();
  EXPECT_EQ(z->offset_at(0), 3600);
  EXPECT_EQ(z->offset_at(2'000'000), -7200);
  // The 32-bit block of a real file, read as a version 1 file, agrees where it has transitions.
  std::string berlin = tz_bytes("Europe/Berlin");
  berlin[4] = '\0';
  auto old = from_bytes("Europe/Berlin", berlin);
  ASSERT_TRUE(old.ok()) << old.detail();
  EXPECT_EQ(old->offset_at(utc_ms(2026, 7, 1)), 7200);
  EXPECT_EQ(old->offset_at(utc_ms(2026, 1, 1)), 3600);
}

// ---- Hostile bytes -----------------------------------------------------------------------------

void expect_error(const std::string& bytes, cxm::errc code, const std::string& detail_part) {
  auto z = from_bytes("hostile", bytes);
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.code(), code) << z.detail();
  EXPECT_NE(z.detail().find(detail_part), std::string::npos) << z.detail();
}

TEST(TimeZone, EveryTruncationOfEveryFileIsAnError) {
  for (const char* name : zone_files) {
    const std::string bytes = tz_bytes(name);
    ASSERT_FALSE(bytes.empty()) << name;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto z = from_bytes(name, bytes.substr(0, n));
      ASSERT_FALSE(z.ok()) << name << " cut at " << n;
      ASSERT_EQ(z.code(), cxm::errc::parse_error) << name << " cut at " << n << ": " << z.detail();
      ASSERT_EQ(z.detail().rfind("TZif: ", 0), 0u) << z.detail();
    }
  }
}

TEST(TimeZone, BadCountsIndexesAndOffsetsAreNamed) {
  const std::string good = make_tzif('2', {1000, 2000}, {1, 0}, {{0, false}, {3600, true}}, "AAA0");
  ASSERT_TRUE(from_bytes("good", good).ok());
  const std::size_t second = 44 + 6 + 4;  // the 64-bit header follows the minimal version 1 block
  std::string huge = good;
  huge.replace(second + 32, 4, "\xff\xff\xff\xff");  // timecnt
  expect_error(huge, cxm::errc::parse_error, "truncated: the data block needs");
  std::string bad_index = good;
  bad_index[second + 44 + 16 + 1] = 9;
  expect_error(bad_index, cxm::errc::parse_error, "TZif: transition 1 names local time type 9 of 2");
  expect_error(make_tzif('2', {2000, 1000}, {1, 0}, {{0, false}, {3600, true}}, ""), cxm::errc::parse_error,
               "transition 1 is not after transition 0");
  expect_error(make_tzif('2', {}, {}, {{93600, false}}, ""), cxm::errc::parse_error, "outside [-89999, 93599]");
  expect_error(make_tzif('2', {}, {}, {}, ""), cxm::errc::parse_error, "no local time types");
  std::string v5 = good;
  v5[4] = '5';
  expect_error(v5, cxm::errc::unsupported_version, "version byte");
  std::string leap = good;
  leap.replace(second + 28, 4, std::string("\0\0\0\1", 4));
  leap.append(12, '\0');  // room for the one 12-byte record, so only the leap count is wrong
  expect_error(leap, cxm::errc::unsupported_version, "leap-second");
  std::string magic = good;
  magic[second] = 'X';
  expect_error(magic, cxm::errc::parse_error, "no TZif magic");
  expect_error(std::string((std::size_t{1} << 20) + 1, 'x'), cxm::errc::too_large, "over the limit");
}

TEST(TimeZone, BadFootersAreNamed) {
  for (const char* footer : {"CET-1CEST", "C-1", "CET", "CET-25", "CET-1CEST,M13.1.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
                             "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,J0,J100", "CET-1CEST,366,100", "CET-1CEST,M3.5.0",
                             "CET-1CEST,M3.5.0,M10.5.0/168", "<+01-1", "<+1>-1", "CET-1CEST,M3.5.0,M10.5.0x", "\x01\xff"}) {
    const std::string bytes = make_tzif('2', {}, {}, {{0, false}}, footer);
    expect_error(bytes, cxm::errc::parse_error, "TZif: footer \"");
  }
  std::string unclosed = make_tzif('2', {}, {}, {{0, false}}, "UTC0");
  unclosed.pop_back();
  expect_error(unclosed, cxm::errc::parse_error, "not closed by a newline");
}

TEST(TimeZone, RandomlyCorruptedFilesNeverMisbehave) {
  std::mt19937_64 rng(20261203);
  for (const char* name : zone_files) {
    const std::string original = tz_bytes(name);
    for (int round = 0; round < 300; ++round) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<char>(rng());
      auto z = from_bytes(name, bytes);
      if (!z.ok()) continue;
      for (std::int64_t t : {std::numeric_limits<std::int64_t>::min(), std::int64_t{0}, utc_ms(2026, 6, 1),
                             std::numeric_limits<std::int64_t>::max()}) {
        const std::int32_t o = z->offset_at(t);
        EXPECT_GE(o, -89999);
        EXPECT_LE(o, 93599);
        const period p = cxm::period_of(t, period_unit::week, *z);
        EXPECT_LE(p.start_ms, p.end_ms);
      }
      const period p = cxm::period_of(utc_ms(2026, 6, 1), period_unit::day, *z);
      EXPECT_LE(p.start_ms, utc_ms(2026, 6, 1));
      EXPECT_GT(p.end_ms, utc_ms(2026, 6, 1));
    }
  }
}

// ---- Periods -----------------------------------------------------------------------------------

TEST(Period, IsoWeeksAndLabels) {
  const time_zone utc;
  EXPECT_EQ(cxm::period_of(utc_ms(2020, 12, 31, 12), period_unit::week, utc).label, "2020-W53");
  EXPECT_EQ(cxm::period_of(utc_ms(2021, 1, 3, 12), period_unit::week, utc).label, "2020-W53");
  EXPECT_EQ(cxm::period_of(utc_ms(2021, 1, 4), period_unit::week, utc).label, "2021-W01");
  EXPECT_EQ(cxm::period_of(utc_ms(2024, 12, 30), period_unit::week, utc).label, "2025-W01");
  const std::int64_t t = utc_ms(2026, 10, 5, 9, 30);
  const period day = cxm::period_of(t, period_unit::day, utc);
  EXPECT_EQ(day.label, "2026-10-05");
  EXPECT_EQ(day.start_ms, utc_ms(2026, 10, 5));
  EXPECT_EQ(day.end_ms, utc_ms(2026, 10, 6));
  EXPECT_EQ(day.index, utc_ms(2026, 10, 5) / day_ms);
  const period week = cxm::period_of(t, period_unit::week, utc);
  EXPECT_EQ(week.label, "2026-W41");
  EXPECT_EQ(week.start_ms, utc_ms(2026, 10, 5));
  EXPECT_EQ(week.end_ms, utc_ms(2026, 10, 12));
  const period month = cxm::period_of(t, period_unit::month, utc);
  EXPECT_EQ(month.label, "2026-10");
  EXPECT_EQ(month.start_ms, utc_ms(2026, 10, 1));
  EXPECT_EQ(month.end_ms, utc_ms(2026, 11, 1));
  EXPECT_EQ(month.index, 2026 * 12 + 9);
  EXPECT_EQ(cxm::period_of(0, period_unit::week, utc).index, 0);  // the week of Monday 1969-12-29
}

TEST(Period, DaysStartWhereDstSkipsMidnight) {
  // Sao Paulo, 2018-11-04: at 00:00 -03 the clocks went to 01:00 -02, so the day began at
  // 01:00 local, 03:00 UTC, and the day before lasted 24 hours.
  const time_zone sp = zone("America/Sao_Paulo");
  const period d = cxm::period_of(utc_ms(2018, 11, 4, 12), period_unit::day, sp);
  EXPECT_EQ(d.label, "2018-11-04");
  EXPECT_EQ(d.start_ms, utc_ms(2018, 11, 4, 3));
  EXPECT_EQ(d.end_ms, utc_ms(2018, 11, 5, 2));
  EXPECT_EQ(cxm::period_of(d.start_ms - 1, period_unit::day, sp).label, "2018-11-03");
  // Apia skipped 2011-12-30 entirely: its period is empty and its neighbours abut.
  const time_zone apia = zone("Pacific/Apia");
  const period before = cxm::period_of(utc_ms(2011, 12, 30, 9), period_unit::day, apia);
  EXPECT_EQ(before.label, "2011-12-29");
  const period skipped = cxm::period_at(before.index + 1, period_unit::day, apia);
  EXPECT_EQ(skipped.label, "2011-12-30");
  EXPECT_EQ(skipped.start_ms, before.end_ms);
  EXPECT_EQ(skipped.end_ms, skipped.start_ms);
  EXPECT_EQ(cxm::period_of(before.end_ms, period_unit::day, apia).label, "2011-12-31");
}

void expect_properties(std::int64_t t, period_unit unit, const time_zone& z) {
  const period p = cxm::period_of(t, unit, z);
  const std::string where = z.name() + " " + cxm::name(unit) + " at " + std::to_string(t) + " " + p.label;
  ASSERT_LE(p.start_ms, t) << where;
  ASSERT_LT(t, p.end_ms) << where;
  const period again = cxm::period_at(p.index, unit, z);
  ASSERT_EQ(again.start_ms, p.start_ms) << where;
  ASSERT_EQ(again.end_ms, p.end_ms) << where;
  ASSERT_EQ(again.label, p.label) << where;
  ASSERT_EQ(again.index, p.index) << where;
  const period next = cxm::period_at(p.index + 1, unit, z);
  const period previous = cxm::period_at(p.index - 1, unit, z);
  ASSERT_EQ(next.start_ms, p.end_ms) << where;
  ASSERT_EQ(previous.end_ms, p.start_ms) << where;
  ASSERT_LT(previous.label, p.label) << where;
  ASSERT_LT(p.label, next.label) << where;
  ASSERT_EQ(cxm::period_of(p.end_ms, unit, z).index, p.index + 1 + (next.start_ms == next.end_ms ? 1 : 0)) << where;
}

TEST(Period, PropertiesHoldEverywhereInTheSupportedRange) {
  std::mt19937_64 rng(7);
  // A month inside each end of the supported dates, so the neighbours are not clamped.
  const std::int64_t lo = utc_ms(1, 2, 2), hi = utc_ms(9999, 11, 29);
  std::uniform_int_distribution<std::int64_t> anywhere(lo, hi), modern(utc_ms(1900, 1, 1), utc_ms(2110, 1, 1));
  for (const char* name : zone_files) {
    const time_zone z = zone(name);
    for (int k = 0; k < 300; ++k) {
      const std::int64_t t = k % 3 == 0 ? anywhere(rng) : modern(rng);
      for (period_unit u : units) expect_properties(t, u, z);
    }
    for (std::int64_t t : {lo, hi})
      for (period_unit u : units) expect_properties(t, u, z);
    // Around every change of offset in 2018-2020 and 2100, to the millisecond.
    for (std::int64_t from : {utc_ms(2018, 1, 1), utc_ms(2100, 1, 1)}) {
      std::int64_t t = from;
      for (int k = 0; k < 8 && t < from + 3 * 366 * day_ms; ++k) {
        t = z.next_change_ms(t);
        if (t == std::numeric_limits<std::int64_t>::max()) break;
        for (std::int64_t d : {-1, 0, 1})
          for (period_unit u : units) expect_properties(t + d, u, z);
      }
    }
  }
}

TEST(Period, ExtremeInstantsAndIndexesAreClamped) {
  const time_zone z = zone("Pacific/Chatham");
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min(), max = std::numeric_limits<std::int64_t>::max();
  for (period_unit u : units) {
    const period first = cxm::period_of(min, u, z);
    const period last = cxm::period_of(max, u, z);
    EXPECT_EQ(first.label.substr(0, 4), "0001") << first.label;
    EXPECT_EQ(last.label.substr(0, 4), "9999") << last.label;
    EXPECT_EQ(cxm::period_at(min, u, z).label, first.label);
    EXPECT_EQ(cxm::period_at(max, u, z).label, last.label);
    EXPECT_LT(first.start_ms, first.end_ms);
    EXPECT_LT(last.start_ms, last.end_ms);
  }
  EXPECT_EQ(cxm::period_of(min, period_unit::day, z).label, "0001-01-01");
  EXPECT_EQ(cxm::period_of(max, period_unit::day, z).label, "9999-12-31");
  EXPECT_EQ(cxm::period_of(max, period_unit::week, z).label, "9999-W52");
  EXPECT_EQ(cxm::period_of(min, period_unit::week, z).label, "0001-W01");
}

}  // namespace

TEST(PeriodParseInstant, DatesAreLocalMidnightsAndTimesAreAsWritten) {
  auto berlin_offset = cxm::time_zone::parse_fixed("+02:00");
  ASSERT_TRUE(berlin_offset);
  // 2026-10-05T00:00:00Z is 1791158400000 ms (date -u -d 2026-10-05 +%s).
  EXPECT_EQ(*cxm::parse_instant("2026-10-05", cxm::time_zone()), 1791158400000);
  EXPECT_EQ(*cxm::parse_instant("2026-10-05", *berlin_offset), 1791158400000 - 2 * 3600000);
  EXPECT_EQ(*cxm::parse_instant("2026-10-05T09:00:00Z", *berlin_offset), 1791158400000 + 9 * 3600000);
  EXPECT_EQ(*cxm::parse_instant("2026-10-05T11:00:00+02:00", cxm::time_zone()), 1791158400000 + 9 * 3600000);
  for (const char* bad : {"", "2026-02-30", "2026-13-01", "26-10-05", "2026-10-05T", "yesterday", "2026/10/05"})
    EXPECT_EQ(cxm::parse_instant(bad, cxm::time_zone()).code(), cxm::errc::invalid_argument) << bad;
}
