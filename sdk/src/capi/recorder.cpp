// SPDX-License-Identifier: MIT
// The C ABI of the thread-safe recorder (cxm/c/recorder.h): translation of cxm/device only.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "capi/capi.hpp"
#include "cxm/device/recorder.hpp"
#include "device/recorder_impl.hpp"  // the record fast path, inline

namespace capi = cxm::capi;

static_assert(CXM_METRIC_NPS == static_cast<int>(cxm::metric_kind::nps), "metric kind");
static_assert(CXM_METRIC_SCALE == static_cast<int>(cxm::metric_kind::scale), "metric kind");
static_assert(CXM_METRIC_DURATION == static_cast<int>(cxm::metric_kind::duration), "metric kind");
static_assert(sizeof(cxm_metric_kind) == sizeof(std::int32_t), "cxm_metric_kind must stay 32 bits wide");

namespace {

const char* kind_word(cxm::metric_kind k) noexcept {
  switch (k) {
    case cxm::metric_kind::nps: return "an NPS";
    case cxm::metric_kind::scale: return "a scale";
    case cxm::metric_kind::duration: return "a duration";
  }
  return "an unknown";
}

// "function: metric 7 is past the recorder's 3 metrics", or of another kind than `wanted`
// (`code`). Formatted into a buffer: it runs in noexcept record paths, which must not allocate.
cxm_status metric_mismatch(const char* function, const cxm::recorder& rec, std::size_t metric, const char* wanted,
                           cxm::errc code) noexcept {
  char text[200];
  const auto& metrics = rec.metrics();
  if (metric >= metrics.size()) {
    std::snprintf(text, sizeof text, "%s: metric %zu is past the recorder's %zu metrics", function, metric,
                  metrics.size());
    return capi::fail(cxm::errc::invalid_argument, text);
  }
  std::snprintf(text, sizeof text, "%s: metric %zu is %s metric, not %s", function, metric,
                kind_word(metrics[metric].kind), wanted);
  return capi::fail(code, text);
}

// The status of a record call that did not count the value as recorded: rejections keep their
// code (the value was counted as rejected), misuse names the metric. Out of line: the fast
// path returns CXM_OK without calling it.
[[gnu::noinline]] cxm_status record_failed(const char* function, const cxm::recorder& rec, std::size_t metric,
                                           cxm::status s, const char* wanted) noexcept {
  if (s.code() == cxm::errc::invalid_argument)
    return metric_mismatch(function, rec, metric, wanted, cxm::errc::invalid_argument);
  if (s.code() == cxm::errc::too_large) return capi::out_of_memory();
  return capi::from(s);
}

// One metric of a snapshot as a new handle of its kind.
template <class T, class H>
cxm_status snapshot_metric(const char* function, const cxm_recorder* recorder, std::size_t metric,
                           cxm::metric_kind kind, const char* wanted, H** out) {
  const auto& metrics = recorder->value.metrics();
  if (metric >= metrics.size() || metrics[metric].kind != kind)
    return metric_mismatch(function, recorder->value, metric, wanted, cxm::errc::wrong_type);
  cxm::recorder_snapshot snapshot = recorder->value.snapshot();
  return capi::make_handle(std::get<T>(std::move(snapshot.values[metric])), out);
}

// A C spec as a C++ one; the name is copied. `at` is "metrics[i]" for messages.
cxm_status to_spec(const cxm_metric_spec& m, const std::string& at, cxm::metric_spec& out) {
  if (m.name == nullptr && m.name_len != 0) return capi::null_argument("cxm_recorder_create", (at + ".name").c_str());
  // Refused before reading: a length no name has (the core's rule and words).
  if (m.name_len > cxm::recorder::max_name_bytes)
    return capi::fail(cxm::errc::invalid_argument, at + ".name: a name has 1 to 128 bytes");
  out.name.assign(m.name == nullptr ? "" : m.name, m.name_len);
  out.kind = static_cast<cxm::metric_kind>(static_cast<std::int32_t>(m.kind));  // the core checks it
  if (m.kind == CXM_METRIC_SCALE) {
    switch (m.scale) {
      case CXM_SCALE_CES7: out.scale = cxm::scale::ces7(); break;
      case CXM_SCALE_CES5: out.scale = cxm::scale::ces5(); break;
      case CXM_SCALE_CSAT5: out.scale = cxm::scale::csat5(); break;
      default:
        return capi::fail(cxm::errc::invalid_argument,
                          at + ".scale: unknown scale id " + std::to_string(static_cast<long long>(m.scale)) +
                              " (CXM_SCALE_CES7, CXM_SCALE_CES5, CXM_SCALE_CSAT5)");
    }
  }
  if (m.kind == CXM_METRIC_DURATION && m.sketch != nullptr) {
    out.sketch.scale = m.sketch->scale;
    out.sketch.max_buckets = m.sketch->max_buckets;
    out.sketch.zero_threshold = m.sketch->zero_threshold;
  }
  return CXM_OK;
}

// A record call other than the common case, in full (see the record functions below).
[[gnu::noinline]] cxm_status record_int_other(cxm_recorder* recorder, std::size_t metric,
                                              std::int32_t answer) noexcept {
  if (recorder == nullptr) return capi::null_argument("cxm_recorder_record_int", "recorder");
  const cxm::status s = cxm::recorder::impl::record_answer(recorder->value, metric, static_cast<int>(answer));
  if (s.ok()) return CXM_OK;
  return record_failed("cxm_recorder_record_int", recorder->value, metric, s, "an NPS or scale");
}

[[gnu::noinline]] cxm_status record_other(cxm_recorder* recorder, std::size_t metric, double answer) noexcept {
  if (recorder == nullptr) return capi::null_argument("cxm_recorder_record", "recorder");
  const cxm::status s = cxm::recorder::impl::record_number(recorder->value, metric, answer);
  if (s.ok()) return CXM_OK;
  return record_failed("cxm_recorder_record", recorder->value, metric, s, "an NPS or scale");
}

[[gnu::noinline]] cxm_status record_duration_other(cxm_recorder* recorder, std::size_t metric,
                                                   double duration) noexcept {
  if (recorder == nullptr) return capi::null_argument("cxm_recorder_record_duration", "recorder");
  const cxm::status s = cxm::recorder::impl::record_duration(recorder->value, metric, duration);
  if (s.ok()) return CXM_OK;
  return record_failed("cxm_recorder_record_duration", recorder->value, metric, s, "a duration");
}

}  // namespace

extern "C" {

CXM_C_API cxm_status cxm_recorder_create(const cxm_metric_spec* metrics, std::size_t count, cxm_recorder** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  if (metrics == nullptr && count != 0) return capi::null_argument(__func__, "metrics");
  // Refused before reading `count` specs (the core's rule and words).
  if (count > cxm::recorder::max_metrics)
    return capi::fail(cxm::errc::invalid_argument,
                      "metrics: a recorder has 1 to 4096 metrics, got " + std::to_string(count));
  return capi::guard([&] {
    std::vector<cxm::metric_spec> specs(count);
    for (std::size_t i = 0; i < count; ++i)
      if (const cxm_status s = to_spec(metrics[i], "metrics[" + std::to_string(i) + "]", specs[i]); s != CXM_OK)
        return s;
    auto r = cxm::recorder::make(std::move(specs));
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_recorder_destroy(cxm_recorder* recorder) { delete recorder; }

CXM_C_API cxm_status cxm_recorder_find(const cxm_recorder* recorder, const char* name, std::size_t len,
                                       std::size_t* out) {
  // SIZE_MAX on failure: an index that every other call refuses, should the status be ignored.
  if (out != nullptr) *out = SIZE_MAX;
  if (recorder == nullptr) return capi::null_argument(__func__, "recorder");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "name", name, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    const auto i = recorder->value.find(text);
    if (!i) return capi::fail_static(cxm::errc::not_found, "cxm_recorder_find: no metric has this name");
    *out = *i;
    return CXM_OK;
  });
}

// The three record functions run the core's noexcept fast path inline (recorder_impl.hpp, the
// code recorder::record runs): nothing can be thrown, so the firewall would only cost time.
// The common case (this thread's shard is cached, the metric is of the right kind) returns
// from here; everything else (a NULL handle, the thread's first record, misuse) goes through
// one out-of-line function that names the problem.

CXM_C_API cxm_status cxm_recorder_record_int(cxm_recorder* recorder, std::size_t metric, std::int32_t answer) {
  cxm::status s;
  if (recorder != nullptr && cxm::recorder::impl::try_record_answer(recorder->value, metric, answer, s))
    return s.ok() ? CXM_OK : capi::from(s);  // a rejection: counted, and reported
  return record_int_other(recorder, metric, answer);
}

CXM_C_API cxm_status cxm_recorder_record(cxm_recorder* recorder, std::size_t metric, double answer) {
  cxm::status s;
  if (recorder != nullptr && cxm::recorder::impl::try_record_number(recorder->value, metric, answer, s))
    return s.ok() ? CXM_OK : capi::from(s);
  return record_other(recorder, metric, answer);
}

CXM_C_API cxm_status cxm_recorder_record_duration(cxm_recorder* recorder, std::size_t metric, double duration) {
  cxm::status s;
  if (recorder != nullptr && cxm::recorder::impl::try_record_duration(recorder->value, metric, duration, s))
    return s.ok() ? CXM_OK : capi::from(s);
  return record_duration_other(recorder, metric, duration);
}

CXM_C_API cxm_status cxm_recorder_snapshot_json(const cxm_recorder* recorder, char** out, std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (recorder == nullptr) return capi::null_argument(__func__, "recorder");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::give_string(cxm::to_json(recorder->value.snapshot()), out, out_len); });
}

CXM_C_API cxm_status cxm_recorder_snapshot_nps(const cxm_recorder* recorder, std::size_t metric, cxm_nps_tally** out) {
  capi::clear(out);
  if (recorder == nullptr) return capi::null_argument(__func__, "recorder");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  const char* function = __func__;  // inside the lambda __func__ is "operator()"
  return capi::guard([&] {
    return snapshot_metric<cxm::nps_tally>(function, recorder, metric, cxm::metric_kind::nps, "an NPS", out);
  });
}

CXM_C_API cxm_status cxm_recorder_snapshot_scale(const cxm_recorder* recorder, std::size_t metric,
                                                 cxm_scale_tally** out) {
  capi::clear(out);
  if (recorder == nullptr) return capi::null_argument(__func__, "recorder");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  const char* function = __func__;
  return capi::guard([&] {
    return snapshot_metric<cxm::scale_tally>(function, recorder, metric, cxm::metric_kind::scale, "a scale", out);
  });
}

CXM_C_API cxm_status cxm_recorder_snapshot_duration(const cxm_recorder* recorder, std::size_t metric,
                                                    cxm_duration_sketch** out) {
  capi::clear(out);
  if (recorder == nullptr) return capi::null_argument(__func__, "recorder");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  const char* function = __func__;
  return capi::guard([&] {
    return snapshot_metric<cxm::duration_sketch>(function, recorder, metric, cxm::metric_kind::duration,
                                                 "a duration", out);
  });
}

}  // extern "C"
