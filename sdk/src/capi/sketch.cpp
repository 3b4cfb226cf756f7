// SPDX-License-Identifier: MIT
// The C ABI of the duration sketch (cxm.h): translation of cxm/sketch only.
#include <optional>
#include <string>
#include <string_view>

#include "capi/capi.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"

namespace capi = cxm::capi;

extern "C" {

CXM_C_API void cxm_sketch_options_init(cxm_sketch_options* options) {
  if (options == nullptr) return;
  const cxm::sketch_options defaults;
  options->scale = defaults.scale;
  options->max_buckets = defaults.max_buckets;
  options->zero_threshold = defaults.zero_threshold;
}

CXM_C_API cxm_status cxm_duration_sketch_create(const cxm_sketch_options* options, cxm_duration_sketch** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    cxm::sketch_options o;
    if (options != nullptr) {
      o.scale = options->scale;
      o.max_buckets = options->max_buckets;
      o.zero_threshold = options->zero_threshold;
    }
    auto r = cxm::duration_sketch::make(o);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_duration_sketch_destroy(cxm_duration_sketch* sketch) { delete sketch; }

CXM_C_API cxm_status cxm_duration_sketch_record(cxm_duration_sketch* sketch, double value) {
  if (sketch == nullptr) return capi::null_argument(__func__, "sketch");
  return capi::guard([&] { return capi::from(sketch->value.record(value)); });
}

CXM_C_API cxm_status cxm_duration_sketch_stats(const cxm_duration_sketch* sketch, cxm_sketch_stats* out) {
  if (sketch == nullptr) return capi::null_argument(__func__, "sketch");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    const cxm::duration_sketch& s = sketch->value;
    *out = cxm_sketch_stats{};
    out->count = s.count();
    out->sum = s.sum();
    out->min = s.min();
    out->max = s.max();
    out->mean = s.mean();
    out->zero_count = s.zero_count();
    out->rejected = s.rejected_total();
    out->scale = s.scale();
    out->max_buckets = s.max_buckets();
    out->relative_error = s.relative_error();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_duration_sketch_quantile(const cxm_duration_sketch* sketch, double q, double* out) {
  if (out != nullptr) *out = 0;
  if (sketch == nullptr) return capi::null_argument(__func__, "sketch");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    const auto r = sketch->value.quantile(q);
    if (!r.ok()) return capi::from(r);
    *out = r.value();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_duration_sketch_merge(cxm_duration_sketch* sketch, const cxm_duration_sketch* other) {
  if (sketch == nullptr) return capi::null_argument(__func__, "sketch");
  if (other == nullptr) return capi::null_argument(__func__, "other");
  return capi::guard([&] {
    std::optional<cxm::duration_sketch> copy;
    return capi::from(sketch->value.merge(capi::merge_source(sketch->value, other->value, copy)));
  });
}

CXM_C_API cxm_status cxm_duration_sketch_to_json(const cxm_duration_sketch* sketch, char** out,
                                                 std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (sketch == nullptr) return capi::null_argument(__func__, "sketch");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::give_string(cxm::to_json(sketch->value), out, out_len); });
}

CXM_C_API cxm_status cxm_duration_sketch_from_json(const char* json, std::size_t len, cxm_duration_sketch** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    auto r = cxm::duration_sketch_from_json(text);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API cxm_status cxm_duration_sketch_encode(const cxm_duration_sketch* sketch, std::uint8_t** out,
                                                std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (sketch == nullptr) return capi::null_argument(__func__, "sketch");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  if (out_len == nullptr) return capi::null_argument(__func__, "out_len");
  return capi::guard([&] { return capi::give_bytes(cxm::encode(sketch->value), out, out_len); });
}

CXM_C_API cxm_status cxm_duration_sketch_decode(const std::uint8_t* bytes, std::size_t len, cxm_duration_sketch** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view data;
  if (const cxm_status s = capi::text_argument(__func__, "bytes", reinterpret_cast<const char*>(bytes), len, data);
      s != CXM_OK)
    return s;
  return capi::guard([&] {
    auto r = cxm::decode_duration_sketch(data);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

}  // extern "C"
