// SPDX-License-Identifier: MIT
// The responses JSON Lines reader on hostile bytes, fed whole, byte by byte and in chunks
// whose lengths the input chooses: every way must hand the scorer the same records and report
// the same problems, and what it hands over must be what the format promises (valid UTF-8, ids
// of 1-128 bytes, finite numbers); the scorer counts each id once.
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
    (void)scorer.add_question("ces", cxm::question_type::ces, cxm::scale::ces7());
    (void)scorer.add_question("csat", cxm::question_type::csat, cxm::scale::csat5());
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

  bool on_response(const cxm::response_view& r, std::vector<cxm::problem>& problems) override {
    CXM_FUZZ_CHECK(!r.id.empty() && r.id.size() <= 128);
    CXM_FUZZ_CHECK(!r.survey_id.empty());
    CXM_FUZZ_CHECK(r.survey_version >= -1);
    // The scorer counts each id once: it refuses exactly the ids it took before, with the reason.
    const bool fresh = ids.emplace(r.id).second;
    const std::size_t before = problems.size();
    if (!scorer.on_response(r, problems)) {
      CXM_FUZZ_CHECK_MSG(!fresh, "a first id refused: " + std::string(r.id));
      CXM_FUZZ_CHECK(problems.size() == before + 1 && problems.back().code == cxm::errc::duplicate_id &&
                     problems.back().path == "id");
      log += "line " + std::to_string(r.line) + " repeats an id\n";
      return false;
    }
    CXM_FUZZ_CHECK_MSG(fresh, "id counted twice: " + std::string(r.id));
    log += "line " + std::to_string(r.line) + ' ';
    for (std::string_view s : {r.id, r.survey_id, r.respondent, r.channel, r.journey_id, r.step}) text(s);
    log += std::to_string(r.survey_version) + ' ' + (r.has_timestamp ? std::to_string(r.timestamp_ms) : "-") + ' ';
    for (std::size_t i = 0; i < r.segment_size; ++i) {
      text(r.segment[i].name);
      text(r.segment[i].value);
    }
    for (std::size_t i = 0; i < r.answers.size(); ++i) {
      const cxm::answer& a = r.answers[i];
      text(a.question);
      CXM_FUZZ_CHECK(r.find(a.question) == &r.answers[i].value);  // questions are unique
      CXM_FUZZ_CHECK(a.value.type == cxm::answer_type::strings || a.value.item_count == 0);
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
        case cxm::answer_type::strings:
          CXM_FUZZ_CHECK(a.value.item_count == a.value.array_size);
          log += "[" + std::to_string(a.value.item_count) + ": ";
          for (std::size_t k = 0; k < a.value.item_count; ++k) text(a.value.items[k]);
          log += "] ";
          break;
        case cxm::answer_type::array: log += "[" + std::to_string(a.value.array_size) + "] "; break;
        case cxm::answer_type::object: log += "{} "; break;
      }
    }
    log += '\n';
    if (attach != nullptr) (void)attach->add_response(r);
    for (std::size_t i = before; i < problems.size(); ++i) {
      // The scorer names the answer ("answers.<question>") and why; the reader adds the line.
      CXM_FUZZ_CHECK(problems[i].code != cxm::errc::ok && !problems[i].reason.empty() && problems[i].line == 0);
      CXM_FUZZ_CHECK(problems[i].path.rfind("answers.", 0) == 0 && r.find(problems[i].path.substr(8)) != nullptr);
    }
    return true;
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
  for (const cxm::problem& e : reader.errors()) {
    CXM_FUZZ_CHECK(e.line >= previous && e.line <= s.lines);
    CXM_FUZZ_CHECK(e.code != cxm::errc::ok && !e.reason.empty());
    previous = e.line;
    out += std::to_string(e.line) + ' ' + cxm::name(e.code) + ' ' + e.path + ": " + e.reason + '\n';
  }
  // Every record shows every configured question: shown = responses = answered + invalid + skipped,
  // and the invalid answers are the ones reported.
  std::uint64_t invalid = 0;
  for (const cxm::question_tally& q : sink.scorer.totals()) {
    CXM_FUZZ_CHECK(q.shown == s.responses && q.answered + q.invalid <= q.shown);
    std::uint64_t by_reason = 0;
    for (std::uint64_t p : q.problems) by_reason += p;
    CXM_FUZZ_CHECK(by_reason == q.invalid);
    invalid += q.invalid;
    out += q.id + ' ' + std::to_string(q.answered) + ' ' + std::to_string(q.invalid) + ' ' + std::to_string(q.skipped()) + '\n';
  }
  CXM_FUZZ_CHECK(invalid == s.answer_errors);
  const cxm::question_tally* nps = sink.scorer.find("nps");
  CXM_FUZZ_CHECK(nps != nullptr && nps->nps.total() == nps->answered);
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
