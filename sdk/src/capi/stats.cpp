// SPDX-License-Identifier: MIT
// The C ABI of the NPS and scale tallies (cxm.h): translation of cxm/stats only.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "capi/capi.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/stats/tally_json.hpp"

namespace capi = cxm::capi;

namespace {

void to_c(const cxm::interval& i, cxm_interval& out) noexcept {
  out.point = i.point;
  out.center = i.center;
  out.lower = i.lower;
  out.upper = i.upper;
  out.level = i.level;
  out.n = i.n;
  out.method = static_cast<cxm_interval_method>(static_cast<std::int32_t>(i.method));
  out.small_sample = i.small_sample ? 1 : 0;
  out.point_inside = i.point_inside() ? 1 : 0;
}

// The interval of a core result into `out` (zeroed on failure).
cxm_status give_interval(const cxm::result<cxm::interval>& r, cxm_interval* out) noexcept {
  *out = cxm_interval{};
  if (!r.ok()) return capi::from(r);
  to_c(r.value(), *out);
  return CXM_OK;
}

}  // namespace

extern "C" {

// ---- NPS tally -----------------------------------------------------------------------------

CXM_C_API cxm_status cxm_nps_tally_create(cxm_nps_tally** out) {
  if (out == nullptr) return capi::null_argument(__func__, "out");
  *out = nullptr;
  return capi::guard([&] { return capi::make_handle(cxm::nps_tally(), out); });
}

CXM_C_API void cxm_nps_tally_destroy(cxm_nps_tally* tally) { delete tally; }

CXM_C_API cxm_status cxm_nps_tally_add(cxm_nps_tally* tally, double answer) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  return capi::guard([&] { return capi::from(tally->value.add(answer)); });
}

CXM_C_API cxm_status cxm_nps_tally_add_bulk(cxm_nps_tally* tally, const std::uint8_t* answers, std::size_t count,
                                            std::uint64_t* accepted) {
  if (accepted != nullptr) *accepted = 0;
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (answers == nullptr && count != 0) return capi::null_argument(__func__, "answers");
  if (count > static_cast<std::size_t>(PTRDIFF_MAX))
    return capi::fail_static(cxm::errc::invalid_argument, "a length over PTRDIFF_MAX (no buffer is that large)");
  return capi::guard([&] {
    const std::uint64_t n = count == 0 ? 0 : tally->value.add_bulk(answers, count);
    if (accepted != nullptr) *accepted = n;
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_nps_tally_counts(const cxm_nps_tally* tally, cxm_nps_counts* out) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    const cxm::nps_tally& t = tally->value;
    *out = cxm_nps_counts{};
    for (std::size_t i = 0; i < t.counts().size(); ++i) out->answers[i] = t.counts()[i];
    out->promoters = t.promoters();
    out->passives = t.passives();
    out->detractors = t.detractors();
    out->total = t.total();
    out->rejected = t.rejected_total();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_nps_tally_score(const cxm_nps_tally* tally, double* out) {
  if (out != nullptr) *out = 0;
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    if (tally->value.empty()) return capi::fail_static(cxm::errc::empty, "no NPS answers: the score is undefined");
    *out = tally->value.score();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_nps_tally_interval(const cxm_nps_tally* tally, double level, cxm_interval_method method,
                                            cxm_interval* out) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    // Any int32 is a value of interval_method (fixed underlying type); the core refuses those
    // it does not compute for NPS.
    const auto m = static_cast<cxm::interval_method>(static_cast<std::int32_t>(method));
    return give_interval(tally->value.confidence_interval(level, m), out);
  });
}

CXM_C_API cxm_status cxm_nps_tally_merge(cxm_nps_tally* tally, const cxm_nps_tally* other) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (other == nullptr) return capi::null_argument(__func__, "other");
  return capi::guard([&] {
    std::optional<cxm::nps_tally> copy;
    return capi::from(tally->value.merge(capi::merge_source(tally->value, other->value, copy)));
  });
}

CXM_C_API cxm_status cxm_nps_tally_to_json(const cxm_nps_tally* tally, char** out, std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::give_string(cxm::to_json(tally->value), out, out_len); });
}

CXM_C_API cxm_status cxm_nps_tally_from_json(const char* json, std::size_t len, cxm_nps_tally** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    auto r = cxm::nps_tally_from_json(text);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

// ---- scale tally ---------------------------------------------------------------------------

CXM_C_API cxm_status cxm_scale_tally_create(cxm_scale_id scale, cxm_scale_tally** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    cxm::scale s;
    switch (scale) {
      case CXM_SCALE_CES7: s = cxm::scale::ces7(); break;
      case CXM_SCALE_CES5: s = cxm::scale::ces5(); break;
      case CXM_SCALE_CSAT5: s = cxm::scale::csat5(); break;
      default:
        return capi::fail(cxm::errc::invalid_argument,
                          "unknown scale id " + std::to_string(static_cast<long long>(scale)) +
                              " (CXM_SCALE_CES7, CXM_SCALE_CES5, CXM_SCALE_CSAT5)");
    }
    auto r = cxm::scale_tally::make(s);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API cxm_status cxm_scale_tally_create_custom(std::int32_t min, std::int32_t max, std::int32_t top_box_min,
                                                   cxm_scale_tally** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    auto r = cxm::scale_tally::make(cxm::scale{min, max, top_box_min});
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_scale_tally_destroy(cxm_scale_tally* tally) { delete tally; }

CXM_C_API cxm_status cxm_scale_tally_add(cxm_scale_tally* tally, double answer) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  return capi::guard([&] { return capi::from(tally->value.add(answer)); });
}

CXM_C_API cxm_status cxm_scale_tally_counts(const cxm_scale_tally* tally, cxm_scale_counts* out) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    const cxm::scale_tally& t = tally->value;
    const cxm::scale& s = t.answer_scale();
    *out = cxm_scale_counts{};
    out->min = s.min;
    out->max = s.max;
    out->top_box_min = s.top_box_min;
    out->points = s.points();
    for (std::size_t i = 0; i < t.counts().size(); ++i) out->answers[i] = t.counts()[i];
    out->total = t.total();
    out->top_box = t.top_box_count();
    out->rejected = t.rejected_total();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_scale_tally_mean(const cxm_scale_tally* tally, double* out) {
  if (out != nullptr) *out = 0;
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    if (tally->value.empty()) return capi::fail_static(cxm::errc::empty, "no answers: the mean is undefined");
    *out = tally->value.mean();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_scale_tally_mean_interval(const cxm_scale_tally* tally, double level, cxm_interval* out) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return give_interval(tally->value.mean_interval(level), out); });
}

CXM_C_API cxm_status cxm_scale_tally_mean_interval_with(const cxm_scale_tally* tally, double level,
                                                        cxm_interval_method method, cxm_interval* out) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    // As for NPS: any int32 is an interval_method; the core refuses those it does not compute.
    const auto m = static_cast<cxm::interval_method>(static_cast<std::int32_t>(method));
    return give_interval(tally->value.mean_interval(level, m), out);
  });
}

CXM_C_API cxm_status cxm_scale_tally_top_box_interval(const cxm_scale_tally* tally, double level,
                                                      cxm_interval* out) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return give_interval(tally->value.top_box_interval(level), out); });
}

CXM_C_API cxm_status cxm_scale_tally_merge(cxm_scale_tally* tally, const cxm_scale_tally* other) {
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (other == nullptr) return capi::null_argument(__func__, "other");
  return capi::guard([&] {
    std::optional<cxm::scale_tally> copy;
    return capi::from(tally->value.merge(capi::merge_source(tally->value, other->value, copy)));
  });
}

CXM_C_API cxm_status cxm_scale_tally_to_json(const cxm_scale_tally* tally, char** out, std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (tally == nullptr) return capi::null_argument(__func__, "tally");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::give_string(cxm::to_json(tally->value), out, out_len); });
}

CXM_C_API cxm_status cxm_scale_tally_from_json(const char* json, std::size_t len, cxm_scale_tally** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    auto r = cxm::scale_tally_from_json(text);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

}  // extern "C"
