// SPDX-License-Identifier: MIT
// The journey-event JSON Lines reader on hostile bytes, fed whole, byte by byte and in chunks
// whose lengths the input chooses: each way must hand over the same events and report the
// same problems. The events then drive a real tracker (small caps, so
// eviction, reordering and timeouts happen) whose report must survive encode/decode and merge.
#include <cmath>
#include <cstdio>
#include <string>

#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/tracker.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

struct logging_sink final : cxm::journey_event_sink {
  std::string log;
  cxm::journey_tracker* tracker = nullptr;
  cxm::journey_tracker_sink* forward = nullptr;

  void text(std::string_view s) {
    CXM_FUZZ_CHECK_MSG(valid_utf8(s), std::string(s));
    log += std::to_string(s.size());
    log += ':';
    log += s;
    log += ' ';
  }

  void on_event(const cxm::journey_event& e) override {
    CXM_FUZZ_CHECK(!e.journey_id.empty() && e.journey_id.size() <= 128);
    CXM_FUZZ_CHECK(static_cast<std::size_t>(e.type) < cxm::journey_event_type_count);
    log += "line " + std::to_string(e.line) + ' ' + cxm::name(e.type) + ' ' + std::to_string(e.timestamp_ms) + ' ';
    for (std::string_view s : {e.journey_id, e.customer, e.step, e.channel, e.touchpoint, e.reason, e.from, e.to, e.key, e.text})
      text(s);
    for (std::size_t i = 0; i < e.segment_size; ++i) {
      text(e.segment[i].name);
      text(e.segment[i].value);
    }
    CXM_FUZZ_CHECK(std::isfinite(e.value));
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.17g %lld\n", e.value, static_cast<long long>(e.duration_ms));
    log += buf;
    if (forward != nullptr) forward->on_event(e);
  }
};

std::string observe(const cxm::journey_event_reader& reader, const logging_sink& sink) {
  const cxm::journey_reader_stats& s = reader.stats();
  CXM_FUZZ_CHECK(s.lines == s.blank_lines + s.events + s.rejected_lines);
  CXM_FUZZ_CHECK(reader.error_count() >= s.rejected_lines);
  std::string out = sink.log;
  out += "stats " + std::to_string(s.lines) + ' ' + std::to_string(s.blank_lines) + ' ' + std::to_string(s.events) + ' ' +
         std::to_string(s.rejected_lines) + ' ' + std::to_string(s.bytes) + ' ' + std::to_string(reader.error_count()) + '\n';
  std::uint64_t previous = 1;
  for (const cxm::problem& e : reader.errors()) {
    CXM_FUZZ_CHECK(e.line >= previous && e.line <= s.lines);
    CXM_FUZZ_CHECK(e.code != cxm::errc::ok && !e.reason.empty());
    previous = e.line;
    out += std::to_string(e.line) + ' ' + cxm::name(e.code) + ' ' + e.path + ": " + e.reason + '\n';
  }
  return out;
}

}  // namespace

int journey_events(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = as_text(data, size);
  cxm::journey_reader_options options;
  options.max_line_bytes = line_limit_near_first_line(input);
  options.max_kept_errors = 8;

  std::string reference;
  {
    auto tracker = cxm::journey_tracker::make(test_journey(), test_tracker_options());
    CXM_FUZZ_CHECK(tracker.ok());
    cxm::journey_tracker_sink forward(*tracker, 3);
    cxm::journey_event_reader reader(options);
    logging_sink sink;
    sink.forward = &forward;
    reader.feed(input, sink);
    reader.finish(sink);
    CXM_FUZZ_CHECK(reader.stats().bytes == size);
    reference = observe(reader, sink);
    CXM_FUZZ_CHECK(tracker->open_journeys() <= test_journey().max_open_journeys);
    tracker->finish();
    CXM_FUZZ_CHECK(tracker->open_journeys() == 0);
    const cxm::journey_report report = tracker->report();
    check_report(report);
    // Every journey opened ends in exactly one outcome once the tracker has finished.
    const cxm::journey_segment_stats total = report.total();
    CXM_FUZZ_CHECK(total.started == total.completed + total.abandoned + total.abandoned_timeout + total.evicted + total.unfinished);
    CXM_FUZZ_CHECK(report.events_applied <= report.events_accepted);
  }
  const auto check_same = [&](const std::string& got, const char* how) {
    CXM_FUZZ_CHECK_MSG(got == reference, std::string(how) + "\n--- whole:\n" + reference + "--- other:\n" + got);
  };
  const auto chunked = [&](const std::vector<std::size_t>& lengths) {
    cxm::journey_event_reader reader(options);
    logging_sink sink;
    feed_in_chunks(input, lengths, [&](std::string_view piece) { reader.feed(piece, sink); });
    reader.finish(sink);
    return observe(reader, sink);
  };
  check_same(chunked(chunk_lengths(input)), "chunks chosen by the input");
  if (size <= 512) check_same(chunked({1}), "one byte at a time");
  return 0;
}

}  // namespace cxm_fuzz
