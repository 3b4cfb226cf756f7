// SPDX-License-Identifier: MIT
// The responses JSON Lines reader on hostile bytes, fed whole, byte by byte, in chunks whose
// lengths the input chooses, and through read_file: every way must hand the scorer the same
// records and report the same problems, and what it hands over must be what the format
// promises (valid UTF-8, ids of 1-128 bytes seen once, finite numbers).
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "cxm/journey/tracker.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/survey/scorer.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

// Writes down every field of every record, then lets a real scorer score it.
struct logging_sink final : cxm::response_sink {
  std::string log;
  std::set<std::string, std::less<>> ids;
  cxm::survey_scorer scorer;
  cxm::journey_tracker* attach = nullptr;  // when set, responses also attach to journeys

  logging_sink() {
    (void)scorer.add_nps_question("nps");
    (void)scorer.add_scale_question("ces", cxm::scale::ces7());
    (void)scorer.add_scale_question("csat", cxm::scale::csat5());
    (void)scorer.add_breakdown("channel");
    (void)scorer.add_breakdown("segment.age");
  }

  void text(std::string_view s) {
    CXM_FUZZ_CHECK_MSG(valid_utf8(s), std::string(s));
    log += std::to_string(s.size());
    log += ':';
    log += s;
    log += ' ';
  }

  void on_response(const cxm::response_view& r, std::vector<cxm::answer_problem>& problems) override {
    CXM_FUZZ_CHECK(!r.id.empty() && r.id.size() <= 128);
    CXM_FUZZ_CHECK(!r.survey_id.empty());
    CXM_FUZZ_CHECK_MSG(ids.emplace(r.id).second, "id handed over twice: " + std::string(r.id));
    CXM_FUZZ_CHECK(r.survey_version >= -1);
    log += "line " + std::to_string(r.line) + ' ';
    for (std::string_view s : {r.id, r.survey_id, r.respondent, r.channel, r.journey_id, r.step}) text(s);
    log += std::to_string(r.survey_version) + ' ' + (r.has_timestamp ? std::to_string(r.timestamp_ms) : "-") + ' ';
    for (std::size_t i = 0; i < r.segment_size; ++i) {
      text(r.segment[i].name);
      text(r.segment[i].value);
    }
    for (std::size_t i = 0; i < r.answers_size; ++i) {
      const cxm::answer& a = r.answers[i];
      text(a.question);
      CXM_FUZZ_CHECK(r.find(a.question) == &r.answers[i].value);  // questions are unique
      switch (a.value.type) {
        case cxm::answer_type::number:
          CXM_FUZZ_CHECK(std::isfinite(a.value.number));
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g ", a.value.number);
          log += buf;
          break;
        case cxm::answer_type::string: text(a.value.text); break;
        case cxm::answer_type::boolean: log += a.value.boolean ? "true " : "false "; break;
        case cxm::answer_type::null: log += "null "; break;
        case cxm::answer_type::array: log += "[" + std::to_string(a.value.array_size) + "] "; break;
      }
    }
    log += '\n';
    const std::size_t before = problems.size();
    scorer.on_response(r, problems);
    if (attach != nullptr) (void)attach->add_response(r);
    for (std::size_t i = before; i < problems.size(); ++i) CXM_FUZZ_CHECK(problems[i].code != cxm::errc::ok);
  }
};

// Everything a caller can observe after reading.
std::string observe(const cxm::response_reader& reader, const logging_sink& sink) {
  const cxm::reader_stats& s = reader.stats();
  CXM_FUZZ_CHECK(s.lines == s.blank_lines + s.responses + s.rejected_lines);
  CXM_FUZZ_CHECK(s.duplicate_ids <= s.rejected_lines);
  CXM_FUZZ_CHECK(reader.error_count() >= s.rejected_lines + s.answer_errors);
  CXM_FUZZ_CHECK(reader.errors().size() <= reader.error_count());
  std::string out = sink.log;
  out += "stats " + std::to_string(s.lines) + ' ' + std::to_string(s.blank_lines) + ' ' + std::to_string(s.responses) +
         ' ' + std::to_string(s.rejected_lines) + ' ' + std::to_string(s.duplicate_ids) + ' ' +
         std::to_string(s.answer_errors) + ' ' + std::to_string(s.bytes) + ' ' + std::to_string(reader.error_count()) + '\n';
  std::uint64_t previous = 1;
  for (const cxm::line_error& e : reader.errors()) {
    CXM_FUZZ_CHECK(e.line >= previous && e.line <= s.lines);
    CXM_FUZZ_CHECK(e.code != cxm::errc::ok && !e.reason.empty());
    previous = e.line;
    out += std::to_string(e.line) + ' ' + cxm::name(e.code) + ' ' + e.field + ": " + e.reason + '\n';
  }
  const cxm::question_tally* nps = sink.scorer.find("nps");
  CXM_FUZZ_CHECK(nps != nullptr);
  out += "nps " + std::to_string(nps->nps.total()) + ' ' + std::to_string(nps->nps.rejected_total()) + '\n';
  return out;
}

}  // namespace

int response_reader(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = as_text(data, size);
  cxm::reader_options options;
  options.max_line_bytes = line_limit_near_first_line(input);
  options.max_kept_errors = 8;

  std::string reference;
  {
    auto tracker = cxm::journey_tracker::make(test_journey(), test_tracker_options());
    CXM_FUZZ_CHECK(tracker.ok());
    cxm::response_reader reader(options);
    logging_sink sink;
    sink.attach = &*tracker;
    reader.feed(input, sink);
    reader.finish(sink);
    CXM_FUZZ_CHECK(reader.stats().bytes == size);
    reference = observe(reader, sink);
    tracker->finish();
    // Encoding a report is the costliest check here; do it when a response made it into one.
    const cxm::journey_report report = tracker->report();
    if (report.responses_attached + report.responses_without_duration > 0) check_report(report);
  }
  const auto check_chunked = [&](const std::vector<std::size_t>& lengths, const char* how) {
    cxm::response_reader reader(options);
    logging_sink sink;
    feed_in_chunks(input, lengths, [&](std::string_view piece) { reader.feed(piece, sink); });
    reader.finish(sink);
    const std::string got = observe(reader, sink);
    CXM_FUZZ_CHECK_MSG(got == reference, std::string(how) + "\n--- whole:\n" + reference + "--- chunked:\n" + got);
  };
  check_chunked(chunk_lengths(input), "chunks chosen by the input");
  if (size <= 512) check_chunked({1}, "one byte at a time");
  {
    cxm::response_reader reader(options);
    logging_sink sink;
    CXM_FUZZ_CHECK(reader.read_file(scratch_file(input), sink).ok());
    const std::string got = observe(reader, sink);
    CXM_FUZZ_CHECK_MSG(got == reference, "read_file\n--- whole:\n" + reference + "--- file:\n" + got);
  }
  // A default reader (1 MiB lines) on the same bytes, for the paths the small limit cuts off.
  {
    cxm::response_reader reader;
    logging_sink sink;
    reader.feed(input, sink);
    reader.finish(sink);
    (void)observe(reader, sink);
  }
  return 0;
}

}  // namespace cxm_fuzz
