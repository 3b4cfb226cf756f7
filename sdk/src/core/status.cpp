// SPDX-License-Identifier: MIT
// Messages and names of cxm::errc, and its std::error_category.
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

const char* message(errc e) noexcept {
  switch (e) {
    case errc::ok: return "success";
    case errc::invalid_argument: return "invalid argument";
    case errc::out_of_range: return "value out of range";
    case errc::not_integer: return "number is not an integer";
    case errc::not_finite: return "number is not finite";
    case errc::wrong_type: return "value has the wrong type";
    case errc::incompatible: return "aggregates are incompatible";
    case errc::unsupported_version: return "unsupported format version";
    case errc::parse_error: return "malformed JSON";
    case errc::duplicate_key: return "duplicate key";
    case errc::missing_field: return "missing required field";
    case errc::too_large: return "input too large";
    case errc::too_deep: return "input nested too deeply";
    case errc::invalid_utf8: return "invalid UTF-8";
    case errc::duplicate_id: return "duplicate id";
    case errc::empty: return "no data";
    case errc::io_error: return "I/O error";
    case errc::internal: return "internal error";
    case errc::locked: return "resource locked by another process";
    case errc::no_space: return "no space left on device";
    case errc::not_found: return "not found";
    case errc::corrupt: return "stored data is corrupt";
    case errc::not_permitted: return "not permitted";
    case errc::retry_later: return "try again later";
  }
  return "unknown error";
}

const char* name(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::out_of_range: return "out_of_range";
    case errc::not_integer: return "not_integer";
    case errc::not_finite: return "not_finite";
    case errc::wrong_type: return "wrong_type";
    case errc::incompatible: return "incompatible";
    case errc::unsupported_version: return "unsupported_version";
    case errc::parse_error: return "parse_error";
    case errc::duplicate_key: return "duplicate_key";
    case errc::missing_field: return "missing_field";
    case errc::too_large: return "too_large";
    case errc::too_deep: return "too_deep";
    case errc::invalid_utf8: return "invalid_utf8";
    case errc::duplicate_id: return "duplicate_id";
    case errc::empty: return "empty";
    case errc::io_error: return "io_error";
    case errc::internal: return "internal";
    case errc::locked: return "locked";
    case errc::no_space: return "no_space";
    case errc::not_found: return "not_found";
    case errc::corrupt: return "corrupt";
    case errc::not_permitted: return "not_permitted";
    case errc::retry_later: return "retry_later";
  }
  return "unknown";
}

namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "cxm"; }
  std::string message(int ev) const override { return cxm::message(static_cast<errc>(ev)); }
};
}  // namespace

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

CXM_END_NAMESPACE
