// SPDX-License-Identifier: MIT
// The C ABI's status codes, per-thread error detail, string hand-over and version; and the
// compile-time checks that cxm.h's constants are the C++ enumerators' numbers.
#include <cstdlib>
#include <cstring>

#include "capi/capi.hpp"
#include "cxm/core/version.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/scale.hpp"

namespace {

// ---- cxm.h's numbers are the core's -------------------------------------------------------
// One case per errc and no default: a new errc without its CXM_ constant here fails the build
// (-Wswitch, an error under CXM_WERROR), and the static_assert below checks every number.
constexpr cxm_status c_constant(cxm::errc e) noexcept {
  switch (e) {
    case cxm::errc::ok: return CXM_OK;
    case cxm::errc::invalid_argument: return CXM_INVALID_ARGUMENT;
    case cxm::errc::out_of_range: return CXM_OUT_OF_RANGE;
    case cxm::errc::not_integer: return CXM_NOT_INTEGER;
    case cxm::errc::not_finite: return CXM_NOT_FINITE;
    case cxm::errc::wrong_type: return CXM_WRONG_TYPE;
    case cxm::errc::incompatible: return CXM_INCOMPATIBLE;
    case cxm::errc::unsupported_version: return CXM_UNSUPPORTED_VERSION;
    case cxm::errc::parse_error: return CXM_PARSE_ERROR;
    case cxm::errc::duplicate_key: return CXM_DUPLICATE_KEY;
    case cxm::errc::missing_field: return CXM_MISSING_FIELD;
    case cxm::errc::too_large: return CXM_TOO_LARGE;
    case cxm::errc::too_deep: return CXM_TOO_DEEP;
    case cxm::errc::invalid_utf8: return CXM_INVALID_UTF8;
    case cxm::errc::duplicate_id: return CXM_DUPLICATE_ID;
    case cxm::errc::empty: return CXM_EMPTY;
    case cxm::errc::io_error: return CXM_IO_ERROR;
    case cxm::errc::internal: return CXM_INTERNAL;
    case cxm::errc::locked: return CXM_LOCKED;
    case cxm::errc::no_space: return CXM_NO_SPACE;
    case cxm::errc::not_found: return CXM_NOT_FOUND;
    case cxm::errc::corrupt: return CXM_CORRUPT;
    case cxm::errc::not_permitted: return CXM_NOT_PERMITTED;
    case cxm::errc::retry_later: return CXM_RETRY_LATER;
  }
  return CXM_STATUS_FORCE_INT32_;
}

constexpr bool every_status_matches() noexcept {
  for (std::int32_t i = 0; i <= static_cast<std::int32_t>(cxm::last_errc); ++i)
    if (static_cast<std::int32_t>(c_constant(static_cast<cxm::errc>(i))) != i) return false;
  return true;
}
static_assert(every_status_matches(), "a CXM_ status constant differs from its cxm::errc number");
static_assert(CXM_RETRY_LATER == static_cast<int>(cxm::last_errc), "cxm.h lacks the last errc");
static_assert(sizeof(cxm_status) == sizeof(std::int32_t), "cxm_status must stay 32 bits wide");

static_assert(CXM_INTERVAL_WALD == static_cast<int>(cxm::interval_method::wald), "interval method");
static_assert(CXM_INTERVAL_ADJUSTED_WALD == static_cast<int>(cxm::interval_method::adjusted_wald), "interval method");
static_assert(CXM_INTERVAL_SCORE == static_cast<int>(cxm::interval_method::score), "interval method");
static_assert(CXM_INTERVAL_STUDENT_T == static_cast<int>(cxm::interval_method::student_t), "interval method");
static_assert(CXM_INTERVAL_WILSON == static_cast<int>(cxm::interval_method::wilson), "interval method");
static_assert(CXM_INTERVAL_HALL_T == static_cast<int>(cxm::interval_method::hall_t), "interval method");
static_assert(sizeof(cxm_interval_method) == sizeof(std::int32_t), "cxm_interval_method must stay 32 bits wide");

// The fixed arrays of cxm.h's structs hold what the core counts.
static_assert(sizeof(cxm_nps_counts::answers) / sizeof(std::uint64_t) == cxm::nps_tally::counts_type().size(),
              "cxm_nps_counts::answers holds one count per NPS answer");
static_assert(sizeof(cxm_scale_counts::answers) / sizeof(std::uint64_t) == cxm::scale::max_points,
              "cxm_scale_counts::answers holds one count per scale point");

// ---- the per-thread detail -----------------------------------------------------------------
// A fixed buffer: recording a detail never allocates (it may be reporting that memory ran
// out) and the thread-local needs no destructor.
constexpr std::size_t detail_capacity = 1024;
struct error_detail {
  char buffer[detail_capacity];
  const char* text;
};
thread_local error_detail last_error{{}, ""};

}  // namespace

namespace cxm::capi {

cxm_status fail(errc e, std::string_view detail) noexcept {
  std::size_t n = detail.size();
  if (n > detail_capacity - 1) {
    n = detail_capacity - 1;
    // Back up to the start of a UTF-8 sequence so the cut leaves valid text.
    while (n > 0 && (static_cast<unsigned char>(detail[n]) & 0xC0) == 0x80) --n;
  }
  char* b = last_error.buffer;
  for (std::size_t i = 0; i < n; ++i) b[i] = detail[i] == '\0' ? '?' : detail[i];
  b[n] = '\0';
  last_error.text = b;
  return c_status(e);
}

cxm_status fail_static(errc e, const char* detail) noexcept {
  last_error.text = detail != nullptr ? detail : "";
  return c_status(e);
}

cxm_status null_argument(const char* function, const char* argument) noexcept {
  char* b = last_error.buffer;
  std::size_t n = 0;
  for (const char* part : {function, ": ", argument, " is NULL"})
    for (const char* c = part; *c != '\0' && n < detail_capacity - 1; ++c) b[n++] = *c;
  b[n] = '\0';
  last_error.text = b;
  return CXM_INVALID_ARGUMENT;
}

cxm_status text_argument(const char* function, const char* argument, const char* s, std::size_t len,
                         std::string_view& out) noexcept {
  if (s == nullptr && len != 0) return null_argument(function, argument);
  if (len > static_cast<std::size_t>(PTRDIFF_MAX))
    return fail_static(errc::invalid_argument, "a length over PTRDIFF_MAX (no buffer is that large)");
  out = s == nullptr ? std::string_view() : std::string_view(s, len);
  return CXM_OK;
}

cxm_status give_string(std::string_view text, char** out, std::size_t* out_len) noexcept {
  auto* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (p == nullptr) return out_of_memory();
  if (!text.empty()) std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  *out = p;
  if (out_len != nullptr) *out_len = text.size();
  return CXM_OK;
}

cxm_status give_bytes(std::string_view bytes, std::uint8_t** out, std::size_t* out_len) noexcept {
  // At least one byte: malloc(0) may return NULL, which would read as a failure.
  auto* p = static_cast<std::uint8_t*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
  if (p == nullptr) return out_of_memory();
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  *out = p;
  *out_len = bytes.size();
  return CXM_OK;
}

}  // namespace cxm::capi

extern "C" {

CXM_C_API const char* cxm_status_name(cxm_status s) { return cxm::name(static_cast<cxm::errc>(s)); }
CXM_C_API const char* cxm_status_message(cxm_status s) { return cxm::message(static_cast<cxm::errc>(s)); }
CXM_C_API const char* cxm_last_error_detail(void) { return last_error.text; }

CXM_C_API void cxm_string_free(char* s) { std::free(s); }
CXM_C_API void cxm_bytes_free(std::uint8_t* bytes) { std::free(bytes); }

CXM_C_API const char* cxm_version(void) { return CXM_VERSION_STRING; }
CXM_C_API void cxm_version_numbers(std::int32_t* major, std::int32_t* minor, std::int32_t* patch) {
  if (major != nullptr) *major = CXM_VERSION_MAJOR;
  if (minor != nullptr) *minor = CXM_VERSION_MINOR;
  if (patch != nullptr) *patch = CXM_VERSION_PATCH;
}

}  // extern "C"
