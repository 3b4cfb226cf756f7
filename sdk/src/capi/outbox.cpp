// SPDX-License-Identifier: MIT
// The C ABI of the outbox (cxm.h, cxm/c/outbox.h): translation of cxm::outbox only. What is
// checked here is what C adds: NULL pointers, enum values outside the C enums, the 0/1 flags
// and the integer widths of cxm_outbox_options, and the UTF-8 that cxm.h promises for strings.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "capi/capi.hpp"
#include "cxm/device/outbox.hpp"
#include "cxm/device/recorder.hpp"
#include "io/utf8.hpp"

// The handle: the outbox and nothing else (it is synchronized itself, so the C functions may
// be called on one handle from several threads, as cxm/c/outbox.h says).
struct cxm_outbox {
  cxm::outbox value;
};

namespace capi = cxm::capi;

namespace {

// cxm/c/outbox.h's numbers are the core's, which are persisted.
static_assert(CXM_RECORD_RESPONSE == static_cast<int>(cxm::record_kind::response), "record kind");
static_assert(CXM_RECORD_EVENT == static_cast<int>(cxm::record_kind::event), "record kind");
static_assert(CXM_CONSENT_UNKNOWN == static_cast<int>(cxm::consent_state::unknown), "consent");
static_assert(CXM_CONSENT_GIVEN == static_cast<int>(cxm::consent_state::given), "consent");
static_assert(CXM_CONSENT_REVOKED == static_cast<int>(cxm::consent_state::revoked), "consent");
static_assert(sizeof(cxm_record_kind) == sizeof(std::int32_t) && sizeof(cxm_consent) == sizeof(std::int32_t),
              "the C enums must stay 32 bits wide");

// A record or batch id: a UUIDv7 in its 36-character text form, and the NUL.
constexpr std::size_t id_text_size = 36;
static_assert(CXM_OUTBOX_ID_SIZE == id_text_size + 1, "CXM_OUTBOX_ID_SIZE holds an id and its NUL");

// `field: reason` as CXM_INVALID_ARGUMENT (the detail names the C field, as cxm.h promises).
cxm_status bad_option(const char* field, const std::string& reason) {
  return capi::fail(cxm::errc::invalid_argument, std::string("options->") + field + ": " + reason);
}

// The C options as the core's. Ranges (caps of 0, times that are not positive...) are the
// core's to check, with a detail naming the field, so that every surface accepts the same
// settings; here only what the C struct can hold and the C++ one cannot: flags other than 0
// and 1, and a record size past size_t (32-bit platforms).
cxm_status to_options(const cxm_outbox_options& c, cxm::outbox_options& o) {
  if (c.max_record_bytes > SIZE_MAX)
    return bad_option("max_record_bytes", std::to_string(c.max_record_bytes) + " does not fit in size_t");
  if (c.group_commit != 0 && c.group_commit != 1)
    return bad_option("group_commit", std::to_string(c.group_commit) + " is neither 0 nor 1");
  if (c.aggregates_only != 0 && c.aggregates_only != 1)
    return bad_option("aggregates_only", std::to_string(c.aggregates_only) + " is neither 0 nor 1");
  o.max_records = c.max_records;
  o.max_bytes = c.max_bytes;
  o.ttl_ms = c.ttl_ms;
  o.max_record_bytes = static_cast<std::size_t>(c.max_record_bytes);
  o.group_commit = c.group_commit == 1;
  o.aggregates_only = c.aggregates_only == 1;
  o.retry_base_ms = c.retry_base_ms;
  o.retry_max_ms = c.retry_max_ms;
  return CXM_OK;
}

// A string argument of open, checked as cxm.h says strings in are: UTF-8 (a path is bytes to
// the file system, which would take anything). A NUL byte inside is refused by the core's
// option check (cxm::outbox::open), for every binding.
cxm_status path_text(const char* function, const char* argument, const char* s, std::size_t len,
                     std::string_view& out) {
  if (const cxm_status st = capi::text_argument(function, argument, s, len, out); st != CXM_OK) return st;
  if (const std::size_t bad = cxm::detail::first_invalid_utf8(out); bad != out.size())
    return capi::fail(cxm::errc::invalid_utf8,
                      std::string(function) + ": " + argument + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  return CXM_OK;
}

// Copies an id into the caller's CXM_OUTBOX_ID_SIZE bytes.
void give_id(const std::string& id, char* id_out) noexcept {
  if (id_out == nullptr) return;
  const std::size_t n = id.size() < id_text_size ? id.size() : id_text_size;
  std::memcpy(id_out, id.data(), n);
  id_out[n] = '\0';
}

}  // namespace

extern "C" {

CXM_C_API void cxm_outbox_options_init(cxm_outbox_options* options) {
  if (options == nullptr) return;
  const cxm::outbox_options defaults;
  *options = cxm_outbox_options{};
  options->max_records = defaults.max_records;
  options->max_bytes = defaults.max_bytes;
  options->ttl_ms = defaults.ttl_ms;
  options->max_record_bytes = defaults.max_record_bytes;
  options->group_commit = defaults.group_commit ? 1 : 0;
  options->aggregates_only = defaults.aggregates_only ? 1 : 0;
  options->retry_base_ms = defaults.retry_base_ms;
  options->retry_max_ms = defaults.retry_max_ms;
}

CXM_C_API cxm_status cxm_outbox_open(const char* directory, std::size_t directory_len, const char* source,
                                     std::size_t source_len, const cxm_outbox_options* options, cxm_outbox** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  const char* const function = __func__;  // inside the lambda, __func__ is the lambda's
  return capi::guard([&] {
    std::string_view dir;
    std::string_view src;
    if (const cxm_status s = path_text(function, "directory", directory, directory_len, dir); s != CXM_OK) return s;
    if (const cxm_status s = path_text(function, "source", source, source_len, src); s != CXM_OK) return s;
    cxm::outbox_options o;
    if (options != nullptr)
      if (const cxm_status s = to_options(*options, o); s != CXM_OK) return s;
    o.directory = std::string(dir);
    o.source = std::string(src);
    auto r = cxm::outbox::open(std::move(o));
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_outbox_close(cxm_outbox* outbox) { delete outbox; }

CXM_C_API cxm_status cxm_outbox_append(cxm_outbox* outbox, cxm_record_kind kind, const char* json, std::size_t len,
                                       char* id_out) {
  if (id_out != nullptr) id_out[0] = '\0';
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  // Aggregates are queued by cxm_outbox_append_aggregates, from a recorder: the C enum has
  // only the kinds an app writes as JSON.
  if (kind != CXM_RECORD_RESPONSE && kind != CXM_RECORD_EVENT)
    return capi::fail(cxm::errc::invalid_argument,
                      "cxm_outbox_append: kind " + std::to_string(static_cast<long long>(kind)) +
                          " is neither CXM_RECORD_RESPONSE (0) nor CXM_RECORD_EVENT (1)");
  return capi::guard([&] {
    const auto k = kind == CXM_RECORD_RESPONSE ? cxm::record_kind::response : cxm::record_kind::event;
    const auto r = outbox->value.append(k, text);
    if (!r.ok()) return capi::from(r);
    give_id(r.value(), id_out);
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_outbox_append_aggregates(cxm_outbox* outbox, cxm_recorder* recorder, char* id_out) {
  if (id_out != nullptr) id_out[0] = '\0';
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (recorder == nullptr) return capi::null_argument(__func__, "recorder");
  return capi::guard([&] {
    const auto r = outbox->value.append_aggregates(recorder->value);
    if (!r.ok()) return capi::from(r);
    give_id(r.value(), id_out);
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_outbox_next_batch(cxm_outbox* outbox, std::size_t max_bytes, cxm_outbox_batch* out) {
  if (out != nullptr) *out = cxm_outbox_batch{};
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    auto r = outbox->value.next_batch(max_bytes);
    if (!r.ok()) return capi::from(r);
    const cxm::outbox_batch& b = r.value();
    cxm_outbox_batch c{};
    cxm_status s = capi::give_string(b.id, &c.id, nullptr);
    if (s == CXM_OK) s = capi::give_string(b.endpoint, &c.endpoint, nullptr);
    if (s == CXM_OK) s = capi::give_string(b.payload, &c.payload, &c.payload_len);
    if (s != CXM_OK) {
      cxm_outbox_batch_free(&c);
      // The batch is out in the core but the caller never saw its id: hand its records back
      // as after a network error, so they are offered again instead of waiting for a restart.
      (void)outbox->value.fail(b.id, 0, 0);
      return s;
    }
    c.records = b.records;
    *out = c;
    return CXM_OK;
  });
}

CXM_C_API void cxm_outbox_batch_free(cxm_outbox_batch* batch) {
  if (batch == nullptr) return;
  cxm_string_free(batch->id);
  cxm_string_free(batch->endpoint);
  cxm_string_free(batch->payload);
  *batch = cxm_outbox_batch{};
}

CXM_C_API cxm_status cxm_outbox_ack(cxm_outbox* outbox, const char* batch_id) {
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (batch_id == nullptr) return capi::null_argument(__func__, "batch_id");
  return capi::guard([&] { return capi::from(outbox->value.ack(batch_id)); });
}

CXM_C_API cxm_status cxm_outbox_fail(cxm_outbox* outbox, const char* batch_id, std::int32_t http_status,
                                     std::int64_t retry_after_ms) {
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (batch_id == nullptr) return capi::null_argument(__func__, "batch_id");
  return capi::guard([&] { return capi::from(outbox->value.fail(batch_id, http_status, retry_after_ms)); });
}

CXM_C_API cxm_status cxm_outbox_set_consent(cxm_outbox* outbox, cxm_consent consent) {
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (consent != CXM_CONSENT_UNKNOWN && consent != CXM_CONSENT_GIVEN && consent != CXM_CONSENT_REVOKED)
    return capi::fail(cxm::errc::invalid_argument,
                      "cxm_outbox_set_consent: consent " + std::to_string(static_cast<long long>(consent)) +
                          " is not CXM_CONSENT_UNKNOWN (0), CXM_CONSENT_GIVEN (1) or CXM_CONSENT_REVOKED (2)");
  return capi::guard([&] {
    return capi::from(outbox->value.set_consent(static_cast<cxm::consent_state>(static_cast<std::int32_t>(consent))));
  });
}

CXM_C_API cxm_status cxm_outbox_consent(const cxm_outbox* outbox, cxm_consent* out) {
  if (out != nullptr) *out = CXM_CONSENT_UNKNOWN;
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    *out = static_cast<cxm_consent>(static_cast<std::int32_t>(outbox->value.consent()));
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_outbox_purge(cxm_outbox* outbox) {
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  return capi::guard([&] { return capi::from(outbox->value.purge()); });
}

CXM_C_API cxm_status cxm_outbox_counts_get(const cxm_outbox* outbox, cxm_outbox_counts* out) {
  if (out != nullptr) *out = cxm_outbox_counts{};
  if (outbox == nullptr) return capi::null_argument(__func__, "outbox");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    const cxm::outbox_counts c = outbox->value.counts();
    out->pending_records = c.pending_records;
    out->pending_bytes = c.pending_bytes;
    out->in_flight_records = c.in_flight_records;
    out->dropped_ttl = c.dropped_ttl;
    out->dropped_cap = c.dropped_cap;
    out->dropped_rejected = c.dropped_rejected;
    out->dropped_too_large = c.dropped_too_large;
    out->corrupt_skipped = c.corrupt_skipped;
    out->next_attempt_ms = c.next_attempt_ms;
    return CXM_OK;
  });
}

}  // extern "C"
