// SPDX-License-Identifier: MIT
// Internal: what every translation unit of the C ABI shares: the structs behind cxm.h's opaque
// handles, the exception firewall every entry point runs in, the per-thread error detail, the
// argument checks and the hand-over of strings. Translation only: no figure is computed here.
#ifndef CXM_SRC_CAPI_CAPI_HPP
#define CXM_SRC_CAPI_CAPI_HPP

#include <boost/config.hpp>  // BOOST_NO_EXCEPTIONS: defined under -fno-exceptions (CXM_NO_EXCEPTIONS)

#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cxm/core/status.hpp"
#include "cxm/cxm.h"
#include "cxm/device/recorder.hpp"
#include "cxm/journey/definition.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/tracker.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/survey/definition.hpp"

#if !defined(BOOST_NO_EXCEPTIONS)
#  include <exception>
#endif

// ---- the handles: one C++ value each -------------------------------------------------------
// Global structs, as cxm.h declares them. Created with nothrow new (no exception even in a
// -fno-exceptions build), deleted by the matching destroy function only.

struct cxm_nps_tally {
  cxm::nps_tally value;
};
struct cxm_scale_tally {
  cxm::scale_tally value;
};
struct cxm_duration_sketch {
  cxm::duration_sketch value;
};
struct cxm_survey {
  cxm::survey value;
};
struct cxm_journey_definition {
  cxm::journey_definition value;
};
struct cxm_journey_tracker {
  cxm::journey_tracker value;
};
struct cxm_journey_report {
  cxm::journey_report value;
};
// Also used by the outbox's C ABI (outbox.cpp), which drains a recorder into an outbox.
struct cxm_recorder {
  cxm::recorder value;
};

namespace cxm::capi {

// ---- status and the per-thread detail ------------------------------------------------------

/// The C value of `e`: the same number (status.cpp checks every enumerator at compile time).
constexpr cxm_status c_status(errc e) noexcept { return static_cast<cxm_status>(static_cast<std::int32_t>(e)); }

/// Records `detail` as this thread's last error detail (copied, cut at 1023 bytes on a UTF-8
/// boundary, NUL bytes shown as '?') and returns `e`. Never allocates or throws.
cxm_status fail(errc e, std::string_view detail) noexcept;
/// The same for a static string, kept by pointer without a copy.
cxm_status fail_static(errc e, const char* detail) noexcept;

/// CXM_OK, or `s`'s code with its message as detail.
inline cxm_status from(status s) noexcept { return s.ok() ? CXM_OK : fail_static(s.code(), s.message()); }
/// CXM_OK, or `r`'s code with its detail.
template <class T>
cxm_status from(const result<T>& r) noexcept {
  if (r.ok()) return CXM_OK;
#if defined(BOOST_NO_EXCEPTIONS)
  return fail(r.code(), r.detail());
#else
  try {
    return fail(r.code(), r.detail());  // detail() copies: it may run out of memory too
  } catch (...) {
    return fail_static(r.code(), message(r.code()));
  }
#endif
}

/// `function: argument is NULL`, as CXM_INVALID_ARGUMENT.
cxm_status null_argument(const char* function, const char* argument) noexcept;
/// The out-of-memory status: CXM_TOO_LARGE, detail "out of memory".
inline cxm_status out_of_memory() noexcept { return fail_static(errc::too_large, "out of memory"); }

// ---- the firewall --------------------------------------------------------------------------

/// Runs `f` (returning cxm_status) so that nothing escapes: std::bad_alloc becomes
/// out_of_memory(), any other exception CXM_INTERNAL with its what(). Without exceptions
/// (-fno-exceptions: nothing can be thrown through cxm's code) it only calls `f`.
template <class F>
cxm_status guard(F&& f) noexcept {
#if defined(BOOST_NO_EXCEPTIONS)
  return f();
#else
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return out_of_memory();
  } catch (const std::exception& e) {
    return fail(errc::internal, e.what());
  } catch (...) {
    return fail_static(errc::internal, "an unknown exception was caught");
  }
#endif
}

// ---- arguments -----------------------------------------------------------------------------

/// Checks a (pointer, length) string argument: NULL only with length 0, and a length no
/// object can exceed. On success sets `out` (the empty view for NULL).
cxm_status text_argument(const char* function, const char* argument, const char* s, std::size_t len,
                         std::string_view& out) noexcept;

/// Clears an out-pointer before the work, so that it is NULL on every failure.
template <class T>
void clear(T** out) noexcept {
  if (out != nullptr) *out = nullptr;
}

/// Moves `value` into a new handle H {value} stored in `*out`; out_of_memory() if the handle
/// cannot be allocated.
template <class H, class T>
cxm_status make_handle(T&& value, H** out) {
  H* h = new (std::nothrow) H{std::forward<T>(value)};
  if (h == nullptr) return out_of_memory();
  *out = h;
  return CXM_OK;
}

/// Copies `text` into a malloc'd NUL-terminated string for the caller (freed by
/// cxm_string_free), setting `*out` and, when given, `*out_len`.
cxm_status give_string(std::string_view text, char** out, std::size_t* out_len) noexcept;
/// The same for bytes (freed by cxm_bytes_free).
cxm_status give_bytes(std::string_view bytes, std::uint8_t** out, std::size_t* out_len) noexcept;

/// The other handle's value to merge, copied when it is the handle itself: merging a value
/// into itself through two references to one object is not something the core promises.
template <class T>
const T& merge_source(const T& self, const T& other, std::optional<T>& copy) {
  if (&self != &other) return other;
  copy.emplace(other);
  return *copy;
}

}  // namespace cxm::capi

#endif  // CXM_SRC_CAPI_CAPI_HPP
