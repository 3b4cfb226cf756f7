// SPDX-License-Identifier: MIT
// The bytes an outbox reads back from disk, hostile (damaged at rest, torn, forged): the frame
// scanner of segments and the settled log, the state file's decoder, and the check every
// appended record passes. Frames found lie inside the file, in order, without overlap, and
// decode; a file rebuilt from only those frames scans to the same frames with no damage; a
// record accepted by the check, framed and sealed, is found again byte for byte after garbage.
#include <cstring>
#include <string>

#include "device/batch_json.hpp"
#include "device/outbox_format.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

using cxm::detail::outbox_file;

void check_scan(std::string_view file, outbox_file kind) {
  const cxm::detail::frame_scan scan = cxm::detail::scan_frames(file, kind);
  CXM_FUZZ_CHECK(scan.valid_end <= file.size());
  std::size_t end = scan.header_ok ? cxm::detail::file_header(kind).size() : 0;
  std::string rebuilt(cxm::detail::file_header(kind));
  for (const auto& f : scan.frames) {
    CXM_FUZZ_CHECK(f.offset >= end && f.offset + f.size <= file.size() && f.size > f.body.size());
    end = f.offset + f.size;
    if (kind == outbox_file::segment) {
      const auto r = cxm::detail::decode_record(f.body);
      CXM_FUZZ_CHECK(r.json.size() + cxm::detail::record_fixed_size <= f.body.size());
    } else {
      const auto s = cxm::detail::decode_settled(f.body);
      CXM_FUZZ_CHECK(s.count == 0 || s.ids != nullptr);
    }
    rebuilt.append(file.substr(f.offset, f.size));
  }
  if (!scan.frames.empty()) CXM_FUZZ_CHECK(scan.valid_end == end);
  const cxm::detail::frame_scan again = cxm::detail::scan_frames(rebuilt, kind);
  CXM_FUZZ_CHECK(again.header_ok && again.damaged == 0 && again.frames.size() == scan.frames.size());
  for (std::size_t i = 0; i < again.frames.size(); ++i) CXM_FUZZ_CHECK(again.frames[i].body == scan.frames[i].body);
}

}  // namespace

int outbox_files(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = as_text(data, size);
  check_scan(input, outbox_file::segment);
  check_scan(input, outbox_file::settled);
  // The same bytes behind a valid header: the scanner then reads them as frames.
  check_scan(std::string(cxm::detail::file_header(outbox_file::segment)).append(input), outbox_file::segment);
  check_scan(std::string(cxm::detail::file_header(outbox_file::settled)).append(input), outbox_file::settled);

  cxm::consent_state consent{};
  cxm::detail::persisted_counters counters;
  if (cxm::detail::decode_state(input, consent, counters)) {
    const std::string again = cxm::detail::encode_state(consent, counters);
    cxm::consent_state c2{};
    cxm::detail::persisted_counters k2;
    CXM_FUZZ_CHECK(cxm::detail::decode_state(again, c2, k2) && c2 == consent && cxm::detail::encode_state(c2, k2) == again);
  }

  // A record the outbox accepts survives framing and garbage around it.
  const auto checked = cxm::detail::check_record_json(input, 1u << 16);
  if (!checked.ok()) {
    CXM_FUZZ_CHECK(!checked.detail().empty());
    return 0;
  }
  CXM_FUZZ_CHECK(valid_utf8(checked->json) && !checked->json.empty() && checked->json.front() == '{');
  std::string frame = cxm::detail::record_frame(cxm::record_kind::event, checked->own_id ? cxm::detail::flag_own_id : 0,
                                                checked->json);
  cxm::detail::uuid_bytes id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<std::uint8_t>(i * 17);
  id[6] = static_cast<std::uint8_t>(0x70 | (id[6] & 0x0f));  // a UUIDv7: the scanner checks the version
  id[8] = static_cast<std::uint8_t>(0x80 | (id[8] & 0x3f));  // and the variant bits
  cxm::detail::seal_record(frame, id, 1790000000000);
  const std::string file = std::string(cxm::detail::file_header(outbox_file::segment)) + "\x01\x02garbage" + frame;
  const auto scan = cxm::detail::scan_frames(file, outbox_file::segment);
  CXM_FUZZ_CHECK(!scan.frames.empty());
  const auto r = cxm::detail::decode_record(scan.frames.back().body);
  CXM_FUZZ_CHECK(r.json == checked->json && r.id == id && r.capture_ms == 1790000000000 &&
                 r.kind == cxm::record_kind::event);
  return 0;
}

}  // namespace cxm_fuzz
