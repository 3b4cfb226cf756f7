// SPDX-License-Identifier: MIT
// Internal: the rules a recorder's metrics follow, shared by recorder::make and the snapshot
// decoder so that a name or kind is accepted the same way on both paths.
#ifndef CXM_SRC_DEVICE_RECORDER_METRICS_HPP
#define CXM_SRC_DEVICE_RECORDER_METRICS_HPP

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

#include "cxm/core/status.hpp"
#include "cxm/device/recorder.hpp"
#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// What is wrong with a metric name, or nullptr: 1..max_name_bytes bytes of UTF-8 without
/// control characters (C0, DEL and C1: a name ends up in logs, files and dashboards).
/// `code` is invalid_utf8 for bytes that are not UTF-8, else invalid_argument.
inline const char* metric_name_problem(std::string_view name, errc& code) noexcept {
  code = errc::invalid_argument;
  if (name.empty() || name.size() > recorder::max_name_bytes) return "a name has 1 to 128 bytes";
  if (first_invalid_utf8(name) != name.size()) {
    code = errc::invalid_utf8;
    return "not valid UTF-8";
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    // U+0080..U+009F are encoded as C2 80..C2 9F (the text is valid UTF-8 by now).
    const bool c1 = c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) return "a control character (a name is printable text)";
  }
  return nullptr;
}

/// The words of the snapshot format for each kind, in the order of metric_kind's values.
inline constexpr std::string_view metric_kind_names[] = {"nps", "scale", "duration"};

inline bool valid_kind(metric_kind k) noexcept {
  return k == metric_kind::nps || k == metric_kind::scale || k == metric_kind::duration;
}
inline std::string_view kind_name(metric_kind k) noexcept {
  return valid_kind(k) ? metric_kind_names[static_cast<std::size_t>(k)] : std::string_view("unknown");
}
inline std::optional<metric_kind> kind_from_name(std::string_view s) noexcept {
  for (std::size_t i = 0; i < std::size(metric_kind_names); ++i)
    if (metric_kind_names[i] == s) return static_cast<metric_kind>(i);
  return std::nullopt;
}

/// The kind a value holds (the variant's alternatives are in metric_kind's order).
inline metric_kind kind_of(const metric_value& v) noexcept { return static_cast<metric_kind>(v.index()); }

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_RECORDER_METRICS_HPP
