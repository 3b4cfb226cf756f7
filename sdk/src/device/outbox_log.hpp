// SPDX-License-Identifier: MIT
// Internal: the files of an outbox directory (layout and bytes: outbox_format.hpp): recovery
// at open, new segments, reading records back, the settled log's compaction and the state
// file. Not thread-safe: the outbox serializes its calls (outbox_impl.hpp says how).
#ifndef CXM_SRC_DEVICE_OUTBOX_LOG_HPP
#define CXM_SRC_DEVICE_OUTBOX_LOG_HPP

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "device/file_ops.hpp"
#include "device/outbox_format.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// A log file open for appending: its path, descriptor (shared, so that an fsync running
/// outside the outbox's lock keeps it open while the outbox moves on to a new file) and size.
struct log_file {
  std::string path;
  std::shared_ptr<unique_fd> fd;
  std::uint64_t size = 0;
};

/// A segment's bookkeeping: how many of its records are not settled yet, and the ids of the
/// settled ones (kept while the segment exists, since a compacted settled log must still list
/// them). A segment is removed once it is not the active one and `live` is 0.
struct segment_info {
  std::uint64_t live = 0;
  std::vector<uuid_bytes> settled;
};

/// A pending record found at open: its metadata and where its frame is. The JSON stays on disk.
struct stored_record {
  uuid_bytes id{};
  std::int64_t capture_ms = 0;
  std::uint64_t seq = 0;     // segment number
  std::uint32_t offset = 0;  // of the frame in the segment
  std::uint32_t size = 0;    // bytes of JSON
  record_kind kind = record_kind::response;
  std::uint8_t flags = 0;
};

/// What `recover` found and repaired.
struct recovery {
  std::vector<stored_record> records;          // pending, oldest first
  std::map<std::uint64_t, segment_info> segments;  // by number, the active one included
  std::uint64_t active_seq = 0;
  log_file active;    // the segment new records go to
  log_file settled;   // settled.log
  std::uint64_t floor = 0;  // segments numbered below are settled (purged)
  persisted_counters counters;
  consent_state consent = consent_state::unknown;
  std::uint64_t corrupt_found = 0;  // damaged regions found by this open (already in counters)
  bool state_dirty = false;         // the state file must be written (corrupt, or new counts)
  bool have_id = false;             // max_id is set
  uuid_bytes max_id{};              // the latest record id on disk, settled or not
};

/// "seg-<16 hex digits>.log".
std::string segment_name(std::uint64_t seq);

/// Reads and repairs the directory (which the caller has locked): removes temporary files,
/// reads the settled log and the state, scans every segment, rewrites a segment damaged in
/// the middle without its damaged bytes (temp, fsync, rename, fsync dir) and truncates a
/// damaged tail, removes segments without pending records (except the active one), and opens
/// (or creates) the active segment. Corrupt data is counted, not an error. Errors: io_error /
/// no_space naming the file.
result<recovery> recover(const std::string& dir);

/// Creates segment `seq` with its header and makes it and its directory entry durable.
result<log_file> create_segment(const std::string& dir, std::uint64_t seq);

/// Reads back the record frame at `offset` of a segment and checks its length, CRC and id.
/// `json` points into `buffer`. Errors: corrupt (the frame changed on disk since it was
/// written or recovered), io_error.
io_status read_record(int fd, const std::string& path, std::uint64_t offset, std::size_t json_size,
                      const uuid_bytes& id, std::string& buffer, std::string_view& json);

/// The settled ids of every segment listed.
std::vector<uuid_bytes> settled_ids_of(const std::map<std::uint64_t, segment_info>& segments);

/// Replaces the settled log with one frame holding `floor`, the counters and `ids` (temp,
/// fsync, rename, fsync dir) and returns it, open for appending. On error `renamed` tells
/// whether the new log had already replaced the old one (replace_file).
result<log_file> compact_settled(const std::string& dir, std::uint64_t floor, const persisted_counters& c,
                                 const std::vector<uuid_bytes>& ids, bool& renamed);

/// Replaces the state file; `renamed` as for compact_settled.
io_status write_state(const std::string& dir, consent_state consent, const persisted_counters& c, bool& renamed);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_OUTBOX_LOG_HPP
