// SPDX-License-Identifier: MIT
// embind bindings of the cxm core for JavaScript. They only translate: numbers cross as double,
// statuses as their errc int code, results as value_objects; no C++ exception ever crosses.
//
// This layer is the raw module. Users import js/cxm.mjs, whose modules (for this file
// nps_tally.mjs and scale_tally.mjs) validate every argument before it gets here (embind turns
// 9.5 and "9" into 9 and NaN/null into 0 for integer parameters; see TOOLCHAIN.md). Answers
// therefore cross as double and the core rejects NaN, 9.5 and 11 itself; the integers this layer
// takes (codes) are range-checked here too.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "binding.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/stats/tally_json.hpp"

namespace {

using cxm_wasm::as_double;
using cxm_wasm::code_of;
using cxm_wasm::errc_of;
using cxm_wasm::in_memory;
using emscripten::val;

// "wald" -> interval_method::wald; false for an unknown name.
bool method_of(const std::string& name, cxm::interval_method& out) noexcept {
  return cxm_wasm::from_name(name, cxm::interval_method::hall_t, out);
}

// ---- value objects ----------------------------------------------------------------------

/// {code, point, center, pointInside, lower, upper, level, n, method, smallSample, detail}; code 0 = ok.
struct js_interval {
  int code = 0;
  double point = 0, center = 0, lower = 0, upper = 0, level = 0, n = 0;
  bool point_inside = false;
  std::string method;
  bool small_sample = false;
  std::string detail;
};

js_interval to_js(const cxm::result<cxm::interval>& r) {
  js_interval o;
  o.code = code_of(r.code());
  if (!r.ok()) {
    o.detail = r.detail();
    return o;
  }
  const cxm::interval& i = r.value();
  o.point = i.point;
  o.center = i.center;
  o.lower = i.lower;
  o.upper = i.upper;
  o.point_inside = i.point_inside();
  o.level = i.level;
  o.n = as_double(i.n);
  o.method = cxm::name(i.method);
  o.small_sample = i.small_sample;
  return o;
}

js_interval interval_error(cxm::errc e, std::string detail) {
  js_interval o;
  o.code = code_of(e);
  o.detail = std::move(detail);
  return o;
}

/// {code, difference, standardError, lower, upper, pValue, level, nA, nB, method, smallSample, detail}.
struct js_difference {
  int code = 0;
  double difference = 0, standard_error = 0, lower = 0, upper = 0, p_value = 0, level = 0;
  double n_a = 0, n_b = 0;
  std::string method;
  bool small_sample = false;
  std::string detail;
};

/// {min, max, topBoxMin}.
struct js_scale {
  int min = 0, max = 0, top_box_min = 0;
};

// {code, detail, tally}: `tally` (owned by JS, to be delete()d) only when code is 0.
template <class T>
val made(cxm::result<T>&& r) {
  return cxm_wasm::made(std::move(r), "tally");
}

// ---- NpsTally ---------------------------------------------------------------------------

int nps_add(cxm::nps_tally& t, double answer) { return code_of(t.add(answer)); }

// Returns the accepted count, or -invalid_argument when [ptr, ptr + size) is not wasm memory.
double nps_add_bulk(cxm::nps_tally& t, std::uintptr_t ptr, std::size_t size) {
  if (size == 0) return 0;
  if (!in_memory(ptr, size)) return -code_of(cxm::errc::invalid_argument);
  return as_double(t.add_bulk(reinterpret_cast<const std::uint8_t*>(ptr), size));
}

int nps_reject(cxm::nps_tally& t, int code) { return code_of(t.reject(errc_of(code))); }
int nps_merge(cxm::nps_tally& t, const cxm::nps_tally& other) { return code_of(t.merge(other)); }

val nps_counts(const cxm::nps_tally& t) {
  val a = val::array();
  for (std::size_t i = 0; i < t.counts().size(); ++i) a.set(i, as_double(t.counts()[i]));
  return a;
}

double nps_promoters(const cxm::nps_tally& t) { return as_double(t.promoters()); }
double nps_passives(const cxm::nps_tally& t) { return as_double(t.passives()); }
double nps_detractors(const cxm::nps_tally& t) { return as_double(t.detractors()); }
double nps_total(const cxm::nps_tally& t) { return as_double(t.total()); }
double nps_rejected(const cxm::nps_tally& t, int code) { return as_double(t.rejected(errc_of(code))); }
double nps_rejected_total(const cxm::nps_tally& t) { return as_double(t.rejected_total()); }
double nps_score(const cxm::nps_tally& t) { return t.score(); }
double nps_standard_error(const cxm::nps_tally& t) { return t.standard_error(); }
double nps_adjusted_score(const cxm::nps_tally& t) { return t.adjusted_score(); }
double nps_adjusted_standard_error(const cxm::nps_tally& t) { return t.adjusted_standard_error(); }

js_interval nps_confidence_interval(const cxm::nps_tally& t, double level, const std::string& method) {
  cxm::interval_method m{};
  if (!method_of(method, m))
    return interval_error(cxm::errc::invalid_argument, "unknown interval method: " + method);
  return to_js(t.confidence_interval(level, m));
}

std::string nps_to_json(const cxm::nps_tally& t) { return cxm::to_json(t); }
val nps_from_json(const std::string& text) { return made(cxm::nps_tally_from_json(text)); }

js_difference compare_nps(const cxm::nps_tally& a, const cxm::nps_tally& b, double level,
                          const std::string& method) {
  js_difference o;
  cxm::interval_method m{};
  if (!method_of(method, m)) {
    o.code = code_of(cxm::errc::invalid_argument);
    o.detail = "unknown interval method: " + method;
    return o;
  }
  const auto r = cxm::compare(a, b, level, m);
  o.code = code_of(r.code());
  if (!r.ok()) {
    o.detail = r.detail();
    return o;
  }
  const cxm::nps_difference& d = r.value();
  o.difference = d.difference;
  o.standard_error = d.standard_error;
  o.lower = d.lower;
  o.upper = d.upper;
  o.p_value = d.p_value;
  o.level = d.level;
  o.n_a = as_double(d.n_a);
  o.n_b = as_double(d.n_b);
  o.method = cxm::name(d.method);
  o.small_sample = d.small_sample;
  return o;
}

// ---- ScaleTally -------------------------------------------------------------------------

val scale_make(double min, double max, double top_box_min) {
  cxm::scale s;
  constexpr int lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
  if (!cxm_wasm::int_of(min, lo, hi, s.min) || !cxm_wasm::int_of(max, lo, hi, s.max) ||
      !cxm_wasm::int_of(top_box_min, lo, hi, s.top_box_min))
    return made(cxm::result<cxm::scale_tally>(cxm::errc::invalid_argument,
                                              "scale bounds must be integers"));
  return made(cxm::scale_tally::make(s));
}

val scale_named(const std::string& name) {
  if (name == "ces7") return made(cxm::scale_tally::make(cxm::scale::ces7()));
  if (name == "ces5") return made(cxm::scale_tally::make(cxm::scale::ces5()));
  if (name == "csat5") return made(cxm::scale_tally::make(cxm::scale::csat5()));
  return made(cxm::result<cxm::scale_tally>(cxm::errc::invalid_argument,
                                            "unknown scale name: " + name + " (ces7, ces5, csat5)"));
}

js_scale scale_of(const cxm::scale_tally& t) {
  const cxm::scale& s = t.answer_scale();
  return {s.min, s.max, s.top_box_min};
}

int scale_add(cxm::scale_tally& t, double answer) { return code_of(t.add(answer)); }
int scale_reject(cxm::scale_tally& t, int code) { return code_of(t.reject(errc_of(code))); }
int scale_merge(cxm::scale_tally& t, const cxm::scale_tally& other) { return code_of(t.merge(other)); }

val scale_counts(const cxm::scale_tally& t) {
  val a = val::array();
  const auto points = static_cast<std::size_t>(t.answer_scale().points());
  for (std::size_t i = 0; i < points; ++i) a.set(i, as_double(t.counts()[i]));
  return a;
}

double scale_total(const cxm::scale_tally& t) { return as_double(t.total()); }
double scale_top_box_count(const cxm::scale_tally& t) { return as_double(t.top_box_count()); }
double scale_rejected(const cxm::scale_tally& t, int code) { return as_double(t.rejected(errc_of(code))); }
double scale_rejected_total(const cxm::scale_tally& t) { return as_double(t.rejected_total()); }
double scale_mean(const cxm::scale_tally& t) { return t.mean(); }
double scale_standard_deviation(const cxm::scale_tally& t) { return t.standard_deviation(); }
double scale_top_box_share(const cxm::scale_tally& t) { return t.top_box_share(); }
js_interval scale_mean_interval(const cxm::scale_tally& t, double level, const std::string& method) {
  cxm::interval_method m{};
  if (!method_of(method, m))
    return interval_error(cxm::errc::invalid_argument, "unknown interval method: " + method);
  return to_js(t.mean_interval(level, m));
}
js_interval scale_top_box_interval(const cxm::scale_tally& t, double level) {
  return to_js(t.top_box_interval(level));
}
std::string scale_to_json(const cxm::scale_tally& t) { return cxm::to_json(t); }
val scale_from_json(const std::string& text) { return made(cxm::scale_tally_from_json(text)); }

// ---- free functions ---------------------------------------------------------------------

std::string error_name(int code) { return cxm::name(static_cast<cxm::errc>(code)); }
std::string error_message(int code) { return cxm::message(static_cast<cxm::errc>(code)); }

// The read baseline of wasm/bench/bulk.mjs: a plain sequential read of [ptr, ptr + size),
// summing 64-bit words (the tail bytes are added one by one). Returns the sum mod 2^64 as a
// double, or -1 when the range is not wasm memory. A member of the raw module only, not of the
// JS API: the benchmark calls it as module.sumBytes(ptr, size).
double sum_bytes(std::uintptr_t ptr, std::size_t size) {
  if (size == 0) return 0;
  if (!in_memory(ptr, size)) return -1;
  const auto* p = reinterpret_cast<const unsigned char*>(ptr);
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    sum += word;
  }
  for (; i < size; ++i) sum += p[i];
  return as_double(sum);
}

}  // namespace

EMSCRIPTEN_BINDINGS(cxm) {
  using namespace emscripten;

  value_object<js_interval>("Interval")
      .field("code", &js_interval::code)
      .field("point", &js_interval::point)
      .field("center", &js_interval::center)
      .field("pointInside", &js_interval::point_inside)
      .field("lower", &js_interval::lower)
      .field("upper", &js_interval::upper)
      .field("level", &js_interval::level)
      .field("n", &js_interval::n)
      .field("method", &js_interval::method)
      .field("smallSample", &js_interval::small_sample)
      .field("detail", &js_interval::detail);

  value_object<js_difference>("NpsDifference")
      .field("code", &js_difference::code)
      .field("difference", &js_difference::difference)
      .field("standardError", &js_difference::standard_error)
      .field("lower", &js_difference::lower)
      .field("upper", &js_difference::upper)
      .field("pValue", &js_difference::p_value)
      .field("level", &js_difference::level)
      .field("nA", &js_difference::n_a)
      .field("nB", &js_difference::n_b)
      .field("method", &js_difference::method)
      .field("smallSample", &js_difference::small_sample)
      .field("detail", &js_difference::detail);

  value_object<js_scale>("Scale")
      .field("min", &js_scale::min)
      .field("max", &js_scale::max)
      .field("topBoxMin", &js_scale::top_box_min);

  class_<cxm::nps_tally>("NpsTally")
      .constructor<>()
      .function("add", &nps_add)
      .function("addBulk", &nps_add_bulk)
      .function("reject", &nps_reject)
      .function("merge", &nps_merge)
      .function("counts", &nps_counts)
      .function("promoters", &nps_promoters)
      .function("passives", &nps_passives)
      .function("detractors", &nps_detractors)
      .function("total", &nps_total)
      .function("rejected", &nps_rejected)
      .function("rejectedTotal", &nps_rejected_total)
      .function("score", &nps_score)
      .function("standardError", &nps_standard_error)
      .function("adjustedScore", &nps_adjusted_score)
      .function("adjustedStandardError", &nps_adjusted_standard_error)
      .function("confidenceInterval", &nps_confidence_interval)
      .function("toJson", &nps_to_json)
      .class_function("fromJson", &nps_from_json);

  class_<cxm::scale_tally>("ScaleTally")
      .class_function("make", &scale_make)
      .class_function("named", &scale_named)
      .class_function("fromJson", &scale_from_json)
      .function("scale", &scale_of)
      .function("add", &scale_add)
      .function("reject", &scale_reject)
      .function("merge", &scale_merge)
      .function("counts", &scale_counts)
      .function("total", &scale_total)
      .function("topBoxCount", &scale_top_box_count)
      .function("rejected", &scale_rejected)
      .function("rejectedTotal", &scale_rejected_total)
      .function("mean", &scale_mean)
      .function("standardDeviation", &scale_standard_deviation)
      .function("topBoxShare", &scale_top_box_share)
      .function("meanInterval", &scale_mean_interval)
      .function("topBoxInterval", &scale_top_box_interval)
      .function("toJson", &scale_to_json);

  function("compareNps", &compare_nps);
  function("errorName", &error_name);
  function("errorMessage", &error_message);
  function("sumBytes", &sum_bytes);

  cxm_wasm::publish_enum("intervalMethod", cxm::interval_method::hall_t);
  cxm_wasm::publish_list<cxm::nps_tally::rejected_reasons>("tallyRejectionReasons");
  cxm_wasm::publish_limit("maxCount", static_cast<std::int64_t>(cxm::max_count));
  cxm_wasm::publish_json_limits("tallyJsonBytes", "tallyJsonDepth", cxm::tally_json_limits);
}
