// SPDX-License-Identifier: MIT
// embind bindings of cxm::duration_sketch and its OTLP export. Translation only: numbers cross
// as double, statuses as their errc int code, results as plain objects; no exception crosses.
// js/duration_sketch.mjs validates every argument before it gets here; the integers this layer
// takes (counts, scales, codes) are taken as double and range-checked here too.
#include <emscripten/bind.h>
#include <emscripten/em_macros.h>
#include <emscripten/val.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "binding.hpp"
#include "cxm/core/status.hpp"
#include "cxm/export/otlp.hpp"
#include "cxm/sketch/dense_store.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "cxm/sketch/log_mapping.hpp"

namespace {

using cxm_wasm::as_double;
using cxm_wasm::code_of;
using cxm_wasm::count_of;
using cxm_wasm::in_memory;
using cxm_wasm::int_of;
using emscripten::val;

// {code, detail, sketch}: `sketch` (owned by JS, to be delete()d) only when code is 0.
val made(cxm::result<cxm::duration_sketch>&& r) { return cxm_wasm::made(std::move(r), "sketch"); }

val make_sketch(double scale, double max_buckets, double zero_threshold) {
  cxm::sketch_options options;
  std::uint64_t budget = 0;
  if (!int_of(scale, cxm::log_mapping::min_scale, cxm::log_mapping::max_scale, options.scale))
    return made({cxm::errc::invalid_argument, "scale must be an integer " +
                                                  std::to_string(cxm::log_mapping::min_scale) + ".." +
                                                  std::to_string(cxm::log_mapping::max_scale)});
  if (!count_of(max_buckets, budget) || budget > 0xffffffffu)
    return made({cxm::errc::invalid_argument, "maxBuckets must be an integer"});
  options.max_buckets = static_cast<std::uint32_t>(budget);
  options.zero_threshold = zero_threshold;
  return made(cxm::duration_sketch::make(options));
}

int record(cxm::duration_sketch& s, double value, double count) {
  std::uint64_t n = 0;
  if (!count_of(count, n)) return code_of(cxm::errc::invalid_argument);
  return code_of(s.record(value, n));
}

// Records `size` doubles at ptr (8-byte aligned wasm memory). Returns the number accepted, or
// -invalid_argument when the range is not wasm memory or misaligned. Rejected values are counted
// by the sketch, as record() counts them.
double record_bulk(cxm::duration_sketch& s, std::uintptr_t ptr, std::size_t size) {
  if (size == 0) return 0;
  if (size > SIZE_MAX / sizeof(double) || !in_memory(ptr, size * sizeof(double)) || ptr % alignof(double) != 0)
    return -code_of(cxm::errc::invalid_argument);
  const double* values = reinterpret_cast<const double*>(ptr);
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < size; ++i) accepted += static_cast<std::size_t>(s.record(values[i]).ok());
  return static_cast<double>(accepted);
}

// {code, value, detail}
val quantile(const cxm::duration_sketch& s, double q) {
  const auto r = s.quantile(q);
  val o = val::object();
  o.set("code", code_of(r.code()));
  o.set("value", r.ok() ? r.value() : 0.0);
  o.set("detail", r.ok() ? std::string() : r.detail());
  return o;
}

// {code, detail}
val merge(cxm::duration_sketch& s, const cxm::duration_sketch& other) {
  const cxm::status st = s.merge(other);
  return cxm_wasm::reply(st.code(), st.ok() ? std::string()
                                   : st.code() == cxm::errc::incompatible ? std::string("the zero thresholds differ")
                                                                          : std::string(st.message()));
}

double count(const cxm::duration_sketch& s) { return as_double(s.count()); }
double sum(const cxm::duration_sketch& s) { return s.sum(); }
double min(const cxm::duration_sketch& s) { return s.min(); }
double max(const cxm::duration_sketch& s) { return s.max(); }
double mean(const cxm::duration_sketch& s) { return s.mean(); }
double zero_count(const cxm::duration_sketch& s) { return as_double(s.zero_count()); }
double zero_threshold(const cxm::duration_sketch& s) { return s.zero_threshold(); }
int scale(const cxm::duration_sketch& s) { return s.scale(); }
double relative_error(const cxm::duration_sketch& s) { return s.relative_error(); }
double max_buckets(const cxm::duration_sketch& s) { return s.max_buckets(); }
double memory_bytes(const cxm::duration_sketch& s) { return static_cast<double>(s.memory_bytes()); }
double rejected(const cxm::duration_sketch& s, int code) {
  return code == code_of(cxm::errc::out_of_range) || code == code_of(cxm::errc::not_finite)
             ? as_double(s.rejected(static_cast<cxm::errc>(code)))
             : 0.0;
}
void clear(cxm::duration_sketch& s) { s.clear(); }
bool equals(const cxm::duration_sketch& a, const cxm::duration_sketch& b) { return a == b; }

// {offset, counts: number[]}
val buckets(const cxm::duration_sketch& s) {
  val counts = val::array();
  for (std::size_t i = 0; i < s.bucket_count(); ++i) counts.set(i, as_double(s.bucket(i)));
  val o = val::object();
  o.set("offset", s.offset());
  o.set("counts", counts);
  return o;
}

std::string to_json(const cxm::duration_sketch& s) { return cxm::to_json(s); }
val from_json(const std::string& text) { return made(cxm::duration_sketch_from_json(text)); }

// The binary form, as a view of a buffer reused by the next encode (JS copies it at once).
val encode(const cxm::duration_sketch& s) {
  static std::string buffer;
  cxm::encode(s, buffer);
  return val(emscripten::typed_memory_view(buffer.size(), reinterpret_cast<const std::uint8_t*>(buffer.data())));
}
val decode(const std::string& bytes) { return made(cxm::decode_duration_sketch(bytes)); }

bool u64_of(const std::string& text, std::uint64_t& out) {
  if (text.empty()) return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

// attributes: [{key, type: 's'|'i'|'d'|'b', value}] with validated types (duration_sketch.mjs); the
// times: decimal strings of nanoseconds since the Unix epoch. {code, detail, json}
val to_otlp_json(const cxm::duration_sketch& s, const std::string& name, const std::string& unit, val attributes,
                 const std::string& start_ns, const std::string& time_ns) {
  val o = val::object();
  cxm::otlp_time time;
  cxm::otlp_attributes attrs;
  int code = 0;
  std::string detail;
  if (!u64_of(start_ns, time.start_unix_nano) || !u64_of(time_ns, time.time_unix_nano)) {
    code = code_of(cxm::errc::invalid_argument);
    detail = "times must be unsigned 64-bit nanoseconds";
  } else {
    const auto n = attributes["length"].as<unsigned>();
    for (unsigned i = 0; i < n && code == 0; ++i) {
      val a = attributes[i];
      const auto key = a["key"].as<std::string>();
      const auto type = a["type"].as<std::string>();
      if (type == "s") {
        attrs.push_back(cxm::otlp_attribute::str(key, a["value"].as<std::string>()));
      } else if (type == "i") {
        std::int64_t v = 0;
        if (!cxm_wasm::safe_int_of(a["value"].as<double>(), v)) {
          code = code_of(cxm::errc::invalid_argument);
          detail = "attribute " + key + ": not a safe integer";
        } else {
          attrs.push_back(cxm::otlp_attribute::integer(key, v));
        }
      } else if (type == "d") {
        attrs.push_back(cxm::otlp_attribute::real(key, a["value"].as<double>()));
      } else if (type == "b") {
        attrs.push_back(cxm::otlp_attribute::boolean(key, a["value"].as<bool>()));
      } else {
        code = code_of(cxm::errc::invalid_argument);
        detail = "attribute " + key + ": unknown type";
      }
    }
    if (code == 0) {
      auto r = cxm::duration_sketch_to_otlp_json(name, unit, s, attrs, time);
      code = code_of(r.code());
      if (r.ok()) o.set("json", std::move(r).value());
      else detail = r.detail();
    }
  }
  o.set("code", code);
  o.set("detail", detail);
  return o;
}

// The bucket index of each of `size` doubles at in_ptr at `scale`, written as int32 at out_ptr
// (the OpenTelemetry cross-check and tools). Values must be positive and finite (else the index
// is unspecified). Returns 0, or invalid_argument for a bad scale or range.
int bucket_indices(std::uintptr_t in_ptr, std::size_t size, double scale_value, std::uintptr_t out_ptr) {
  int sc = 0;
  if (!int_of(scale_value, cxm::log_mapping::min_scale, cxm::log_mapping::max_scale, sc))
    return code_of(cxm::errc::invalid_argument);
  if (size == 0) return 0;
  if (size > SIZE_MAX / sizeof(double) || !in_memory(in_ptr, size * sizeof(double)) ||
      !in_memory(out_ptr, size * sizeof(std::int32_t)) || in_ptr % alignof(double) != 0 ||
      out_ptr % alignof(std::int32_t) != 0)
    return code_of(cxm::errc::invalid_argument);
  const cxm::log_mapping mapping(sc);
  const double* in = reinterpret_cast<const double*>(in_ptr);
  std::int32_t* out = reinterpret_cast<std::int32_t*>(out_ptr);
  for (std::size_t i = 0; i < size; ++i) out[i] = mapping.index(in[i]);
  return 0;
}

// The sketch's address, for the direct per-value entry point below.
double address(const cxm::duration_sketch& s) { return static_cast<double>(reinterpret_cast<std::uintptr_t>(&s)); }

}  // namespace

// Per-value recording without embind: an embind method call costs several hundred ns in a
// -sDYNAMIC_EXECUTION=0 build (no generated invokers), a plain wasm export a few.
// duration_sketch.mjs calls it with the address of a live DurationSketch (from address()) only.
extern "C" EMSCRIPTEN_KEEPALIVE int cxm_sketch_record(cxm::duration_sketch* s, double value) {
  return code_of(s->record(value));
}

EMSCRIPTEN_BINDINGS(cxm_sketch) {
  using namespace emscripten;

  class_<cxm::duration_sketch>("DurationSketch")
      .constructor<>()
      .class_function("make", &make_sketch)
      .class_function("fromJson", &from_json)
      .class_function("decode", &decode)
      .class_function("bucketIndices", &bucket_indices, allow_raw_pointers())
      .function("record", &record)
      .function("address", &address)
      .function("recordBulk", &record_bulk, allow_raw_pointers())
      .function("quantile", &quantile)
      .function("merge", &merge)
      .function("count", &count)
      .function("sum", &sum)
      .function("min", &min)
      .function("max", &max)
      .function("mean", &mean)
      .function("zeroCount", &zero_count)
      .function("zeroThreshold", &zero_threshold)
      .function("scale", &scale)
      .function("relativeError", &relative_error)
      .function("maxBuckets", &max_buckets)
      .function("memoryBytes", &memory_bytes)
      .function("rejected", &rejected)
      .function("clear", &clear)
      .function("equals", &equals)
      .function("buckets", &buckets)
      .function("toJson", &to_json)
      .function("encode", &encode)
      .function("toOtlpJson", &to_otlp_json);

  // What duration_sketch.mjs checks (and its defaults): the core's ranges and rejection reasons.
  cxm_wasm::publish_list<cxm::duration_sketch::rejected_reasons>("sketchRejectionReasons");
  cxm_wasm::publish_limit("sketchMinScale", cxm::log_mapping::min_scale);
  cxm_wasm::publish_limit("sketchMaxScale", cxm::log_mapping::max_scale);
  cxm_wasm::publish_limit("sketchDefaultScale", cxm::log_mapping::default_scale);
  cxm_wasm::publish_limit("sketchMinBuckets", cxm::dense_store::min_buckets);
  cxm_wasm::publish_limit("sketchMaxBuckets", cxm::dense_store::max_buckets_limit);
  cxm_wasm::publish_limit("sketchDefaultMaxBuckets", cxm::dense_store::default_max_buckets);
  cxm_wasm::publish_json_limits("sketchJsonBytes", "sketchJsonDepth", cxm::duration_sketch_json_limits);
}
