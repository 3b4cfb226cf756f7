// SPDX-License-Identifier: MIT
// The outbox's byte formats and the frame scanner (outbox_format.hpp has the specification).
#include "device/outbox_format.hpp"

#include <boost/crc.hpp>
#include <cstring>

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

// The persisted counters: five u64 (put_counters/get_counters write and read exactly these).
constexpr std::size_t counters_size = 40;
static_assert(counters_size == 5 * sizeof(std::uint64_t), "the counters block is five u64");
constexpr std::uint8_t last_reason = static_cast<std::uint8_t>(settle_reason::compaction);

void put_counters(char* p, const persisted_counters& c) noexcept {
  put_u64(p, c.dropped_ttl);
  put_u64(p + 8, c.dropped_cap);
  put_u64(p + 16, c.dropped_rejected);
  put_u64(p + 24, c.dropped_too_large);
  put_u64(p + 32, c.corrupt_skipped);
}

persisted_counters get_counters(const char* p) noexcept {
  persisted_counters c;
  c.dropped_ttl = get_u64(p);
  c.dropped_cap = get_u64(p + 8);
  c.dropped_rejected = get_u64(p + 16);
  c.dropped_too_large = get_u64(p + 24);
  c.corrupt_skipped = get_u64(p + 32);
  return c;
}

std::uint8_t byte_at(std::string_view s, std::size_t i) noexcept { return static_cast<std::uint8_t>(s[i]); }

// Checks of the body's fields that cost less than its CRC, made first so that resynchronizing
// over garbage rarely computes one.
bool plausible_body(std::string_view body, outbox_file kind) noexcept {
  switch (kind) {
    case outbox_file::segment:
      return body.size() >= record_fixed_size + 2 && byte_at(body, 0) <= 2 && byte_at(body, 1) <= flag_own_id &&
             (byte_at(body, 2 + 6) >> 4) == 7 && (byte_at(body, 2 + 8) & 0xC0u) == 0x80u &&
             body[record_fixed_size] == '{' && body.back() == '}';
    case outbox_file::settled:
      return body.size() >= settled_fixed_size && byte_at(body, 0) <= last_reason &&
             get_u32(body.data() + 56) == (body.size() - settled_fixed_size) / 16 &&
             (body.size() - settled_fixed_size) % 16 == 0;
    case outbox_file::state:
      return body.size() == state_body_size && byte_at(body, 0) <= 2;
  }
  return false;
}

std::size_t max_body(outbox_file kind) noexcept {
  switch (kind) {
    case outbox_file::segment: return record_fixed_size + max_record_json;
    case outbox_file::settled: return settled_fixed_size + 16 * (std::size_t{1} << 24);
    case outbox_file::state: return state_body_size;
  }
  return 0;
}

// The valid frame at `at`, if there is one.
bool frame_at(std::string_view file, std::size_t at, outbox_file kind, frame_ref& out) noexcept {
  if (file.size() - at < frame_prefix_size) return false;
  const std::size_t length = get_u32(file.data() + at);
  if (length > max_body(kind) || length > file.size() - at - frame_prefix_size) return false;
  const std::string_view body = file.substr(at + frame_prefix_size, length);
  if (!plausible_body(body, kind)) return false;
  if (crc32_of(body.data(), body.size()) != get_u32(file.data() + at + 4)) return false;
  out = {at, frame_prefix_size + length, body};
  return true;
}

}  // namespace

void persisted_counters::raise_to(const persisted_counters& o) noexcept {
  const auto up = [](std::uint64_t& a, std::uint64_t b) { a = a < b ? b : a; };
  up(dropped_ttl, o.dropped_ttl);
  up(dropped_cap, o.dropped_cap);
  up(dropped_rejected, o.dropped_rejected);
  up(dropped_too_large, o.dropped_too_large);
  up(corrupt_skipped, o.corrupt_skipped);
}

std::string_view file_header(outbox_file kind) noexcept {
  switch (kind) {
    case outbox_file::segment: return {"CXMSEG\x01\x00", file_header_size};
    case outbox_file::settled: return {"CXMSTL\x01\x00", file_header_size};
    case outbox_file::state: return {"CXMSTA\x01\x00", file_header_size};
  }
  return {};
}

std::uint32_t crc32_of(const void* data, std::size_t n) noexcept {
  boost::crc_32_type crc;
  crc.process_bytes(data, n);
  return crc.checksum();
}

void put_u32(char* p, std::uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
void put_u64(char* p, std::uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
std::uint32_t get_u32(const char* p) noexcept {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(p[i]);
  return v;
}
std::uint64_t get_u64(const char* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(p[i]);
  return v;
}

std::string record_frame(record_kind kind, std::uint8_t flags, std::string_view json) {
  std::string frame(frame_prefix_size + record_fixed_size + json.size(), '\0');
  put_u32(frame.data(), static_cast<std::uint32_t>(record_fixed_size + json.size()));
  frame[frame_prefix_size] = static_cast<char>(kind);
  frame[frame_prefix_size + 1] = static_cast<char>(flags);
  std::memcpy(frame.data() + frame_prefix_size + record_fixed_size, json.data(), json.size());
  return frame;
}

void seal_record(std::string& frame, const uuid_bytes& id, std::int64_t capture_ms) noexcept {
  char* body = frame.data() + frame_prefix_size;
  std::memcpy(body + 2, id.data(), id.size());
  put_u64(body + 18, static_cast<std::uint64_t>(capture_ms));
  put_u32(frame.data() + 4, crc32_of(body, frame.size() - frame_prefix_size));
}

record_view decode_record(std::string_view body) noexcept {
  record_view r;
  r.kind = static_cast<record_kind>(byte_at(body, 0));
  r.flags = byte_at(body, 1);
  std::memcpy(r.id.data(), body.data() + 2, r.id.size());
  r.capture_ms = static_cast<std::int64_t>(get_u64(body.data() + 18));
  r.json = body.substr(record_fixed_size);
  return r;
}

void append_settled_frame(std::string& out, settle_reason reason, std::uint64_t floor, const persisted_counters& c,
                          const std::vector<uuid_bytes>& ids) {
  const std::size_t length = settled_fixed_size + 16 * ids.size();
  const std::size_t at = out.size();
  out.resize(at + frame_prefix_size + length, '\0');
  char* body = out.data() + at + frame_prefix_size;
  body[0] = static_cast<char>(reason);
  put_u64(body + 8, floor);
  put_counters(body + 16, c);
  put_u32(body + 56, static_cast<std::uint32_t>(ids.size()));
  for (std::size_t i = 0; i < ids.size(); ++i) std::memcpy(body + settled_fixed_size + 16 * i, ids[i].data(), 16);
  put_u32(out.data() + at, static_cast<std::uint32_t>(length));
  put_u32(out.data() + at + 4, crc32_of(body, length));
}

settled_view decode_settled(std::string_view body) noexcept {
  settled_view s;
  s.reason = static_cast<settle_reason>(byte_at(body, 0));
  s.floor = get_u64(body.data() + 8);
  s.counters = get_counters(body.data() + 16);
  s.count = get_u32(body.data() + 56);
  s.ids = body.data() + settled_fixed_size;
  return s;
}

std::string encode_state(consent_state consent, const persisted_counters& c) {
  std::string file(file_header(outbox_file::state));
  file.resize(file_header_size + frame_prefix_size + state_body_size, '\0');
  char* body = file.data() + file_header_size + frame_prefix_size;
  body[0] = static_cast<char>(consent);
  put_counters(body + 8, c);
  put_u32(file.data() + file_header_size, static_cast<std::uint32_t>(state_body_size));
  put_u32(file.data() + file_header_size + 4, crc32_of(body, state_body_size));
  return file;
}

bool decode_state(std::string_view file, consent_state& consent, persisted_counters& c) noexcept {
  frame_ref f;
  if (file.size() != file_header_size + frame_prefix_size + state_body_size ||
      file.substr(0, file_header_size) != file_header(outbox_file::state) ||
      !frame_at(file, file_header_size, outbox_file::state, f))
    return false;
  consent = static_cast<consent_state>(byte_at(f.body, 0));
  c = get_counters(f.body.data() + 8);
  return true;
}

frame_scan scan_frames(std::string_view file, outbox_file kind) {
  frame_scan s;
  frame_ref f;
  std::size_t pos = file_header_size;
  s.header_ok = file.size() >= file_header_size && file.substr(0, file_header_size) == file_header(kind);
  if (!s.header_ok) {
    s.middle_damage = true;  // the file must be rewritten with a good header
    // A bad header followed directly by a frame lost nothing; otherwise resynchronize from the
    // start, since the header's length cannot be trusted either.
    if (file.size() < file_header_size || !frame_at(file, file_header_size, kind, f)) pos = 0;
  }
  while (pos < file.size()) {
    if (frame_at(file, pos, kind, f)) {
      s.frames.push_back(f);
      pos += f.size;
      s.valid_end = pos;
      continue;
    }
    // Damage at pos: resynchronize at the next offset where a valid frame starts.
    std::size_t next = pos + 1;
    while (next < file.size() && !frame_at(file, next, kind, f)) ++next;
    const bool torn_creation = pos == 0 && file.size() < file_header_size;
    if (!torn_creation) ++s.damaged;
    if (next >= file.size()) {
      s.tail_damage = !torn_creation;
      break;
    }
    s.middle_damage = true;
    pos = next;
  }
  if (s.valid_end == 0) s.valid_end = s.header_ok ? file_header_size : 0;
  return s;
}

}  // namespace detail
CXM_END_NAMESPACE
