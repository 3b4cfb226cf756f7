// SPDX-License-Identifier: MIT
// Internal: the bytes of an outbox directory, format version 1 (docs/outbox.md mirrors this
// comment; it is the specification). Encoding, decoding and the frame scanner that recovery
// uses; no file access (outbox_log.hpp does that).
//
// Directory layout:
//
//   LOCK                     empty; flock(LOCK_EX | LOCK_NB) held while an outbox has it open
//   seg-<16 hex digits>.log  append-only log segments of records, numbered from 1 upward (lower
//                            case hex); the highest is the active one, new records go there.
//                            A new segment starts once the active one passes 1 MiB
//   settled.log              append-only log of settled (acknowledged, dropped, purged) records
//   state                    consent and counters, replaced whole (temp, fsync, rename, fsync dir)
//   *.tmp                    a replacement being written; deleted at open
//
// Every file starts with an 8-byte header: a 6-byte magic and the format version, u16 LE:
//
//   segment      "CXMSEG" 01 00
//   settled.log  "CXMSTL" 01 00
//   state        "CXMSTA" 01 00
//
// then frames. A frame is
//
//   u32 LE  length   bytes of the body that follows the CRC
//   u32 LE  crc      CRC-32 (ISO-HDLC: the one of zlib, PNG, Ethernet) of the body
//   body    `length` bytes
//
// A record frame's body (segments):
//
//   u8      kind     0 response, 1 event, 2 aggregates (cxm::record_kind)
//   u8      flags    bit 0: the JSON has its own string "id"; other bits 0
//   16 B    id       the record's UUIDv7, assigned at capture (RFC 9562 byte order)
//   i64 LE  capture  capture time, ms since 1970-01-01T00:00:00Z
//   JSON    the record: one JSON object, valid UTF-8, without leading or trailing whitespace,
//           at most 8 MiB (the ceiling of outbox_options::max_record_bytes)
//
// A settled frame's body (settled.log):
//
//   u8      reason   0 acknowledged, 1 expired (TTL), 2 dropped by a cap, 3 rejected (4xx),
//                    4 too large (413), 5 purged, 6 corrupt when read back, 7 compaction
//   7 B     zero
//   u64 LE  floor    every record of a segment numbered below this is settled (purge)
//   5 x u64 LE       counters after this frame: dropped_ttl, dropped_cap, dropped_rejected,
//                    dropped_too_large, corrupt_skipped
//   u32 LE  count    ids that follow
//   u32 LE  zero
//   count x 16 B     ids of the settled records
//
// The state's one frame body:
//
//   u8      consent  0 unknown, 1 given, 2 revoked (cxm::consent_state)
//   7 B     zero
//   5 x u64 LE       the counters, as in a settled frame
//
// Counters only grow, so the newest value of each is the largest among the state and the
// settled frames: recovery takes the maximum, and neither file has to be rewritten for the other.
#ifndef CXM_SRC_DEVICE_OUTBOX_FORMAT_HPP
#define CXM_SRC_DEVICE_OUTBOX_FORMAT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/device/outbox.hpp"
#include "device/uuid7.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::uint16_t outbox_format_version = 1;
inline constexpr std::size_t file_header_size = 8;
inline constexpr std::size_t frame_prefix_size = 8;  // length and CRC
inline constexpr std::size_t record_fixed_size = 26;  // kind, flags, id, capture
inline constexpr std::size_t settled_fixed_size = 64;
inline constexpr std::size_t state_body_size = 48;
inline constexpr std::uint8_t flag_own_id = 1;
/// The largest record JSON any outbox accepts (outbox_options::max_record_bytes is checked
/// against it), so a length field above it is known to be damaged.
inline constexpr std::size_t max_record_json = std::size_t{8} << 20;
/// A segment stops taking records once it is this long.
inline constexpr std::uint64_t segment_roll_bytes = std::uint64_t{1} << 20;

enum class outbox_file { segment, settled, state };

/// Why records were settled (the reason byte of a settled frame).
enum class settle_reason : std::uint8_t {
  acknowledged = 0,
  expired = 1,
  capped = 2,
  rejected = 3,
  too_large = 4,
  purged = 5,
  corrupt = 6,
  compaction = 7,
};

/// The counters kept across restarts.
struct persisted_counters {
  std::uint64_t dropped_ttl = 0;
  std::uint64_t dropped_cap = 0;
  std::uint64_t dropped_rejected = 0;
  std::uint64_t dropped_too_large = 0;
  std::uint64_t corrupt_skipped = 0;
  /// Each counter becomes the larger of the two (both only ever grow).
  void raise_to(const persisted_counters& o) noexcept;
};

/// The 8-byte header of a file of `kind`.
std::string_view file_header(outbox_file kind) noexcept;
/// CRC-32 (ISO-HDLC) of `n` bytes.
std::uint32_t crc32_of(const void* data, std::size_t n) noexcept;

void put_u32(char* p, std::uint32_t v) noexcept;
void put_u64(char* p, std::uint64_t v) noexcept;
std::uint32_t get_u32(const char* p) noexcept;
std::uint64_t get_u64(const char* p) noexcept;

/// A record frame for `json` (already checked), with its id and capture time still zero:
/// `seal_record` fills them in and computes the CRC (the id is only known under the outbox's
/// lock, everything else is done before taking it).
std::string record_frame(record_kind kind, std::uint8_t flags, std::string_view json);
void seal_record(std::string& frame, const uuid_bytes& id, std::int64_t capture_ms) noexcept;

/// A record frame's body, decoded (the JSON points into the body).
struct record_view {
  record_kind kind = record_kind::response;
  std::uint8_t flags = 0;
  uuid_bytes id{};
  std::int64_t capture_ms = 0;
  std::string_view json;
};
record_view decode_record(std::string_view body) noexcept;

/// Appends a settled frame.
void append_settled_frame(std::string& out, settle_reason reason, std::uint64_t floor, const persisted_counters& c,
                          const std::vector<uuid_bytes>& ids);
struct settled_view {
  settle_reason reason = settle_reason::acknowledged;
  std::uint64_t floor = 0;
  persisted_counters counters;
  std::size_t count = 0;
  const char* ids = nullptr;  // count x 16 bytes
};
settled_view decode_settled(std::string_view body) noexcept;

/// The whole state file.
std::string encode_state(consent_state consent, const persisted_counters& c);
/// False (and nothing set) when `file` is not a valid state file.
bool decode_state(std::string_view file, consent_state& consent, persisted_counters& c) noexcept;

/// A valid frame found by the scanner: where it starts in the file, its whole size, its body.
struct frame_ref {
  std::size_t offset = 0;
  std::size_t size = 0;
  std::string_view body;
};

/// What scan_frames found in a file.
struct frame_scan {
  std::vector<frame_ref> frames;
  bool header_ok = false;    ///< the file starts with the expected header
  std::size_t damaged = 0;   ///< damaged regions: runs of bytes between frames that are not frames
  bool tail_damage = false;  ///< the last damaged region reaches the end of the file
  bool middle_damage = false;  ///< a damaged region before a valid frame (or a bad header)
  std::size_t valid_end = 0;   ///< the end of the last valid frame (or of the header)
};

/// Reads every valid frame of a file of `kind`. A frame is valid when its length is plausible,
/// the frame fits in the file, its fields hold allowed values and its CRC matches. After
/// damage the scanner resynchronizes: it tries every later offset until a valid frame starts
/// there, so damage in the middle of a file loses only the frames it touches. Each run of
/// bytes that are not frames counts once in `damaged`; a header that is bad while a valid frame
/// follows it directly does not count (no record was lost), nor does a file shorter than a
/// header (a file torn while being created).
frame_scan scan_frames(std::string_view file, outbox_file kind);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_OUTBOX_FORMAT_HPP
