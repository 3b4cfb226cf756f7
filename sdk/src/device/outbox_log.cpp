// SPDX-License-Identifier: MIT
// The outbox's files: recovery at open, segment creation, reading records back, settled-log
// compaction, the state file (outbox_log.hpp; the bytes are specified in outbox_format.hpp).
#include "device/outbox_log.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cstring>

#include "core/id_set.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

constexpr std::string_view settled_name = "settled.log";
constexpr std::string_view state_name = "state";

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// "seg-<16 lower-case hex digits>.log" -> its number.
bool parse_segment_name(std::string_view name, std::uint64_t& seq) {
  if (name.size() != 24 || name.substr(0, 4) != "seg-" || name.substr(20) != ".log") return false;
  std::uint64_t v = 0;
  for (char c : name.substr(4, 16)) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else
      return false;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  seq = v;
  return true;
}

std::string_view id_key(const uuid_bytes& id) { return {reinterpret_cast<const char*>(id.data()), id.size()}; }

template <class T>
result<T> pass(const io_status& st) {
  return {st.code(), st.detail()};
}

// Opens (creating) `dir/name` for reading and appending, and reads it whole into `bytes`.
result<log_file> open_log(const std::string& dir, std::string_view name, std::string& bytes) {
  log_file f;
  f.path = join_path(dir, name);
  auto fd = open_file(f.path, O_RDWR | O_CREAT);
  if (!fd) return {fd.code(), fd.detail()};
  auto content = read_all(fd->get(), f.path);
  if (!content) return {content.code(), content.detail()};
  bytes = std::move(*content);
  f.fd = std::make_shared<unique_fd>(std::move(*fd));
  f.size = bytes.size();
  return f;
}

// Writes `bytes` as the new content of an open file: truncate, write, sync.
io_status overwrite(log_file& f, std::string_view bytes) {
  io_status st = truncate_file(f.fd->get(), f.path, 0);
  if (st) st = write_at(f.fd->get(), f.path, bytes.data(), bytes.size(), 0);
  if (st) st = sync_data(f.fd->get(), f.path);
  if (st) f.size = bytes.size();
  return st;
}

// Cuts a damaged tail off an open file.
io_status cut_tail(log_file& f, std::uint64_t end) {
  io_status st = truncate_file(f.fd->get(), f.path, end);
  if (st) st = sync_data(f.fd->get(), f.path);
  if (st) f.size = end;
  return st;
}

// Replaces a file damaged before its end with a copy holding only its valid frames (temp,
// fsync, rename, fsync dir) and reopens it. `frames` are updated to point into `bytes`, the
// new content.
io_status rewrite(const std::string& dir, std::string_view name, outbox_file kind, log_file& f, std::string& bytes,
                  std::vector<frame_ref>& frames) {
  std::string fresh(file_header(kind));
  std::vector<std::size_t> offsets;
  offsets.reserve(frames.size());
  for (const frame_ref& fr : frames) {
    offsets.push_back(fresh.size());
    fresh.append(bytes, fr.offset, fr.size);
  }
  auto fd = replace_file(dir, name, fresh);
  if (!fd) return {fd.code(), fd.detail()};
  f.fd = std::make_shared<unique_fd>(std::move(*fd));
  f.size = fresh.size();
  bytes = std::move(fresh);
  const std::string_view view = bytes;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    frames[i].offset = offsets[i];
    frames[i].body = view.substr(offsets[i] + frame_prefix_size, frames[i].size - frame_prefix_size);
  }
  return true;
}

// Brings a scanned file back to its valid frames: rewritten when damaged before its end (or
// its header is bad), cut when only its tail is damaged.
io_status repair(const std::string& dir, std::string_view name, outbox_file kind, log_file& f, std::string& bytes,
                 frame_scan& scan) {
  if (scan.middle_damage) return rewrite(dir, name, kind, f, bytes, scan.frames);
  if (scan.tail_damage) return cut_tail(f, scan.valid_end);
  return true;
}

}  // namespace

std::string segment_name(std::uint64_t seq) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string name = "seg-0000000000000000.log";
  for (int i = 0; i < 16; ++i) name[static_cast<std::size_t>(19 - i)] = digits[(seq >> (4 * i)) & 0xF];
  return name;
}

result<recovery> recover(const std::string& dir) {
  recovery rec;
  auto names = list_dir(dir);
  if (!names) return {names.code(), names.detail()};
  std::vector<std::uint64_t> seqs;
  for (const std::string& name : *names) {
    std::uint64_t seq;
    if (ends_with(name, ".tmp")) {
      // A replacement that a crash interrupted before its rename: the original is intact.
      io_status st = remove_file(join_path(dir, name));
      if (!st) return pass<recovery>(st);
    } else if (parse_segment_name(name, seq)) {
      seqs.push_back(seq);
    }
  }
  std::sort(seqs.begin(), seqs.end());
  bool dir_dirty = false;
  std::string bytes;

  // The settled log first: it says which records of the segments are gone. Its torn tail (a
  // settle that never returned) is cut off silently; damage before its end is counted and the
  // log rewritten, so the same damage is not counted again at the next open.
  auto settled = open_log(dir, settled_name, bytes);
  if (!settled) return {settled.code(), settled.detail()};
  rec.settled = std::move(*settled);
  id_set settled_ids;
  frame_scan scan = scan_frames(bytes, outbox_file::settled);
  for (const frame_ref& f : scan.frames) {
    const settled_view s = decode_settled(f.body);
    rec.floor = std::max(rec.floor, s.floor);
    rec.counters.raise_to(s.counters);
    for (std::size_t i = 0; i < s.count; ++i) (void)settled_ids.insert(std::string_view(s.ids + 16 * i, 16));
  }
  rec.corrupt_found += scan.damaged - (scan.tail_damage ? 1 : 0);
  const bool compact = scan.middle_damage && !bytes.empty();
  if (bytes.empty()) {
    io_status st = overwrite(rec.settled, file_header(outbox_file::settled));
    if (!st) return pass<recovery>(st);
    dir_dirty = true;  // possibly a new file
  } else if (!scan.middle_damage && scan.tail_damage) {
    io_status st = cut_tail(rec.settled, scan.valid_end);
    if (!st) return pass<recovery>(st);
  }

  // The state: a missing file is a new outbox; a damaged one gives the defaults (consent
  // unknown: nothing is sent until the app sets it again), counted.
  {
    const std::string path = join_path(dir, state_name);
    auto fd = open_if_exists(path, O_RDONLY);
    if (!fd) return {fd.code(), fd.detail()};
    if (fd->valid()) {
      auto content = read_all(fd->get(), path);
      if (!content) return {content.code(), content.detail()};
      persisted_counters c;
      consent_state consent = consent_state::unknown;
      if (decode_state(*content, consent, c)) {
        rec.consent = consent;
        rec.counters.raise_to(c);
      } else {
        ++rec.corrupt_found;
        rec.state_dirty = true;
      }
    }
  }

  // The segments, oldest first.
  for (std::size_t k = 0; k < seqs.size(); ++k) {
    const std::uint64_t seq = seqs[k];
    const std::string name = segment_name(seq);
    if (seq < rec.floor) {  // purged: its removal was interrupted
      io_status st = remove_file(join_path(dir, name));
      if (!st) return pass<recovery>(st);
      dir_dirty = true;
      continue;
    }
    auto seg = open_log(dir, name, bytes);
    if (!seg) return {seg.code(), seg.detail()};
    scan = scan_frames(bytes, outbox_file::segment);
    rec.corrupt_found += scan.damaged;
    io_status st = repair(dir, name, outbox_file::segment, *seg, bytes, scan);
    if (!st) return pass<recovery>(st);
    segment_info& info = rec.segments[seq];
    for (const frame_ref& f : scan.frames) {
      const record_view r = decode_record(f.body);
      if (!rec.have_id || r.id > rec.max_id) rec.max_id = r.id;
      rec.have_id = true;
      if (settled_ids.contains(id_key(r.id))) {
        info.settled.push_back(r.id);
        continue;
      }
      stored_record s;
      s.id = r.id;
      s.capture_ms = r.capture_ms;
      s.seq = seq;
      s.offset = static_cast<std::uint32_t>(f.offset);
      s.size = static_cast<std::uint32_t>(r.json.size());
      s.kind = r.kind;
      s.flags = r.flags;
      rec.records.push_back(s);
      ++info.live;
    }
    if (k + 1 == seqs.size() && seg->size < segment_roll_bytes) {
      rec.active_seq = seq;
      rec.active = std::move(*seg);
    }
  }
  if (!rec.active.fd) {
    const std::uint64_t last = seqs.empty() ? 0 : seqs.back();
    rec.active_seq = std::max({last + 1, rec.floor, std::uint64_t{1}});
    auto seg = create_segment(dir, rec.active_seq);
    if (!seg) return {seg.code(), seg.detail()};
    rec.active = std::move(*seg);
    rec.segments[rec.active_seq];
  }

  // Segments whose records are all settled go (the settled log still lists their ids until
  // its next compaction, harmlessly).
  for (auto it = rec.segments.begin(); it != rec.segments.end();) {
    if (it->second.live == 0 && it->first != rec.active_seq) {
      io_status st = remove_file(join_path(dir, segment_name(it->first)));
      if (!st) return pass<recovery>(st);
      dir_dirty = true;
      it = rec.segments.erase(it);
    } else {
      ++it;
    }
  }
  if (dir_dirty) {
    io_status st = sync_dir(dir);
    if (!st) return pass<recovery>(st);
  }

  rec.counters.corrupt_skipped += rec.corrupt_found;
  if (rec.corrupt_found > 0) rec.state_dirty = true;
  if (compact) {
    bool renamed = false;
    auto fresh = compact_settled(dir, rec.floor, rec.counters, settled_ids_of(rec.segments), renamed);
    if (!fresh) return {fresh.code(), fresh.detail()};
    rec.settled = std::move(*fresh);
  }
  return rec;
}

result<log_file> create_segment(const std::string& dir, std::uint64_t seq) {
  log_file f;
  f.path = join_path(dir, segment_name(seq));
  auto fd = open_file(f.path, O_RDWR | O_CREAT | O_EXCL);
  if (!fd) return {fd.code(), fd.detail()};
  const std::string_view header = file_header(outbox_file::segment);
  io_status st = write_at(fd->get(), f.path, header.data(), header.size(), 0);
  if (st) st = sync_file(fd->get(), f.path);
  if (st) st = sync_dir(dir);
  if (!st) {
    (void)remove_file(f.path);
    return {st.code(), st.detail()};
  }
  f.fd = std::make_shared<unique_fd>(std::move(*fd));
  f.size = header.size();
  return f;
}

io_status read_record(int fd, const std::string& path, std::uint64_t offset, std::size_t json_size,
                      const uuid_bytes& id, std::string& buffer, std::string_view& json) {
  const std::size_t length = record_fixed_size + json_size;
  buffer.resize(frame_prefix_size + length);
  io_status st = read_at(fd, path, buffer.data(), buffer.size(), offset);
  if (!st) return st;
  const std::string_view body = std::string_view(buffer).substr(frame_prefix_size);
  if (get_u32(buffer.data()) != length || get_u32(buffer.data() + 4) != crc32_of(body.data(), body.size()) ||
      std::memcmp(body.data() + 2, id.data(), id.size()) != 0)
    return {errc::corrupt, path + ": the record at offset " + std::to_string(offset) + " changed on disk"};
  json = body.substr(record_fixed_size);
  return true;
}

std::vector<uuid_bytes> settled_ids_of(const std::map<std::uint64_t, segment_info>& segments) {
  std::vector<uuid_bytes> ids;
  for (const auto& s : segments) ids.insert(ids.end(), s.second.settled.begin(), s.second.settled.end());
  return ids;
}

result<log_file> compact_settled(const std::string& dir, std::uint64_t floor, const persisted_counters& c,
                                 const std::vector<uuid_bytes>& ids, bool& renamed) {
  std::string bytes(file_header(outbox_file::settled));
  append_settled_frame(bytes, settle_reason::compaction, floor, c, ids);
  auto fd = replace_file(dir, settled_name, bytes, &renamed);
  if (!fd) return {fd.code(), fd.detail()};
  log_file f;
  f.path = join_path(dir, settled_name);
  f.fd = std::make_shared<unique_fd>(std::move(*fd));
  f.size = bytes.size();
  return f;
}

io_status write_state(const std::string& dir, consent_state consent, const persisted_counters& c, bool& renamed) {
  auto fd = replace_file(dir, state_name, encode_state(consent, c), &renamed);
  if (!fd) return {fd.code(), fd.detail()};
  return true;
}

}  // namespace detail
CXM_END_NAMESPACE
