// SPDX-License-Identifier: MIT
// `cxm report`: the options into the core's report_options, every file through one response
// reader into one report_builder, then the report (text, JSON, CSV, HTML) on standard output or
// into a file, and a note per file with problems on standard error. The tool computes nothing:
// it prints what the core's report holds, plus the reader's problems with their files.
#include "report_command.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <utility>

#include <cxm/cxm.hpp>

#include "journey_command.hpp"
#include "messages.hpp"
#include "progress.hpp"
#include "read_input.hpp"
#include "report.hpp"
#include "server/zoneinfo.hpp"

#ifdef CXM_CLI_HTML
extern const unsigned char cxm_report_page[];
extern const std::size_t cxm_report_page_size;
#endif

namespace cxm_cli {
namespace {

// A usage error found after parsing (a value CLI11 cannot check): said like CLI11's own.
int usage(const std::string& what) {
  std::fprintf(stderr, "cxm report: %s\nRun with --help for more information.\n", what.c_str());
  return exit_usage;
}

// The first pass of --latest-per-respondent: notes every response.
struct observe_sink final : cxm::response_sink {
  cxm::latest_per_respondent& latest;
  explicit observe_sink(cxm::latest_per_respondent& l) : latest(l) {}
  bool on_response(const cxm::response_view& r, std::vector<cxm::problem>&) override {
    latest.observe(r);
    return true;
  }
};

// The second pass: hands on only each respondent's latest response.
struct latest_sink final : cxm::response_sink {
  const cxm::latest_per_respondent& latest;
  cxm::response_sink& next;
  std::uint64_t left_out = 0;
  latest_sink(const cxm::latest_per_respondent& l, cxm::response_sink& n) : latest(l), next(n) {}
  bool on_response(const cxm::response_view& r, std::vector<cxm::problem>& problems) override {
    if (!latest.keep(r)) {
      ++left_out;
      return true;
    }
    return next.on_response(r, problems);
  }
  void on_id(std::string_view id) noexcept override { next.on_id(id); }
};

// Used by --html, which a build without the page (no Node) leaves out.
[[maybe_unused]] bool write_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "cxm: %s: %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok) {
    std::fprintf(stderr, "cxm: %s: %s\n", path.c_str(), std::strerror(ok ? errno : saved));
    return false;
  }
  return true;
}

}  // namespace

bool html_available() noexcept {
#ifdef CXM_CLI_HTML
  return true;
#else
  return false;
#endif
}

int run_report(const report_command_options& o) {
  if (!(o.level > 0 && o.level < 1)) return usage("--level " + std::to_string(o.level) + ": must be in (0,1)");
  if (o.json && o.csv) return usage("--json and --csv: choose one for standard output");
  if (!o.html.empty() && !html_available())
    return usage("--html: this cxm was built without the HTML page (it needs Node and `npm ci` in wasm/ at build "
                 "time: scripts/install-deps.sh)");

  cxm::report_options ro;
  std::string ces = o.ces;
  const bool ces5 = ces.size() > 2 && ces.compare(ces.size() - 2, 2, ":5") == 0;
  if (ces5) ces.resize(ces.size() - 2);
  if (!o.nps.empty()) ro.questions.push_back({o.nps, cxm::question_type::nps, cxm::scale::nps()});
  if (!ces.empty()) ro.questions.push_back({ces, cxm::question_type::ces, ces5 ? cxm::scale::ces5() : cxm::scale::ces7()});
  if (!o.csat.empty()) ro.questions.push_back({o.csat, cxm::question_type::csat, cxm::scale::csat5()});
  bool dimension_given = false;
  for (const auto& d : o.by) {
    if (auto unit = cxm::parse_period_unit(d)) {
      if (ro.period && *ro.period != *unit) return usage("--by " + d + ": one period only (day, week or month)");
      ro.period = *unit;
    } else {
      if (!cxm::is_breakdown_dimension(d))
        return usage("--by " + printable(d) + ": unknown breakdown; valid: " + cxm::breakdown_dimensions +
                     ", and day, week or month for the trend");
      ro.breakdowns.push_back(d);
      dimension_given = true;
    }
  }
  if (!dimension_given) ro.breakdowns = {"channel", "step", "segment.customer", "segment.age"};
  ro.level = o.level;
  ro.nps_method = o.method == "wald" ? cxm::interval_method::wald
                  : o.method == "score" ? cxm::interval_method::score
                                        : cxm::interval_method::adjusted_wald;
  if (!cxm::parse_report_p_adjust(o.p_adjust, ro.p_adjust))
    return usage("--p-adjust " + printable(o.p_adjust) + ": expected BH, holm, bonferroni or none");
  ro.min_n = o.min_n;
  ro.weighted = o.weighted;
  cxm::time_zone zone;
  if (!o.tz.empty()) {
    auto z = cxm::server::load_time_zone(o.tz);
    if (!z) return usage("--tz " + printable(o.tz) + ": " + z.detail());
    zone = *z;
    if (ro.period) ro.zone = zone;
  }
  for (const auto& [flag, text, out] : {std::tuple{"--since", &o.since, &ro.since_ms}, std::tuple{"--until", &o.until, &ro.until_ms}}) {
    if (text->empty()) continue;
    auto t = cxm::parse_instant(*text, zone);
    if (!t) return usage(std::string(flag) + " " + t.detail());
    *out = *t;
  }
  if (!o.journey.empty())
    for (const auto& f : o.files)
      if (f == "-")
        return usage("--journey attaches the responses to the journeys, reading them twice: standard input "
                     "cannot be one");
  auto made = cxm::report_builder::make(ro);
  if (!made) return usage(made.detail());  // names the option (a breakdown given twice, say)
  cxm::report_builder builder = std::move(*made);

  // --latest-per-respondent reads everything twice: first to find each respondent's latest
  // response, then to report only those. Standard input cannot be read twice.
  cxm::latest_per_respondent latest(ro.period, zone);
  if (o.latest_per_respondent) {
    for (const auto& f : o.files)
      if (f == "-") return usage("--latest-per-respondent reads its files twice: standard input cannot be one");
    observe_sink observer(latest);
    for (const auto& f : o.files) {
      cxm::response_reader first_pass;
      const input_result r = read_input(f, first_pass, observer, cxm::reader_options().max_line_bytes);
      if (!r.ok()) {
        std::fprintf(stderr, "cxm: %s: %s\n", display_name(f).c_str(), r.error.c_str());
        return exit_no_input;
      }
    }
  }
  latest_sink only_latest(latest, builder);
  cxm::response_sink& sink = o.latest_per_respondent ? static_cast<cxm::response_sink&>(only_latest) : builder;

  // One reader for all the files, so a response id repeated in another file is still a
  // duplicate; its line numbers run on across files and are mapped back to each file's own.
  const cxm::reader_options reader_options;
  cxm::response_reader reader(reader_options);
  std::vector<report_input> inputs;
  std::uint64_t records = 0, problems = 0, bytes_before = 0;
  progress meter(o.files, !o.no_progress);
  for (const auto& f : o.files) {
    const cxm::reader_stats before = reader.stats();
    const std::uint64_t problems_before = reader.error_count();
    const input_result r = read_input(f, reader, sink, reader_options.max_line_bytes, [&](std::uint64_t bytes) {
      meter.update(bytes_before + bytes, reader.stats().responses);
    });
    if (!r.ok()) {
      meter.done();
      std::fprintf(stderr, "cxm: %s: %s\n", display_name(f).c_str(), r.error.c_str());
      return exit_no_input;
    }
    bytes_before += r.bytes;
    const cxm::reader_stats& after = reader.stats();
    report_input in;
    in.file = f;
    in.first_line = before.lines;
    in.counts.bytes = r.bytes;
    in.counts.lines = after.lines - before.lines;
    in.counts.blank_lines = after.blank_lines - before.blank_lines;
    in.counts.records = after.responses - before.responses;
    in.counts.rejected_lines = after.rejected_lines - before.rejected_lines;
    in.counts.problems = reader.error_count() - problems_before;
    records += in.counts.records;
    problems += in.counts.problems;
    inputs.push_back(std::move(in));
  }
  meter.done();
  builder.add_reader_stats(reader.stats());
  for (const auto& in : inputs) {
    const cxm::problem* first = first_problem(in, reader);
    note_input(in.file, "responses", in.counts, first, first ? first->line - in.first_line : 0);
  }
  if (records == 0 && problems == 0) return exit_no_input;  // nothing to score, said above
  if (o.latest_per_respondent)
    std::fprintf(stderr, "cxm: --latest-per-respondent: %llu earlier responses of the same respondents left out\n",
                 static_cast<unsigned long long>(only_latest.left_out));

  cxm::report report = builder.build();
  bool journey_problems = false;
  if (!o.journey.empty() || !o.journey_report.empty()) {
    cxm::journey_report journey;
    int status = exit_ok;
    if (!o.journey_report.empty()) {
      status = read_journey_report(o.journey_report, journey);
    } else {
      journey_command_options jo;
      jo.definition = o.journey;
      jo.events = o.events;
      jo.responses = o.files;  // the same responses, attached to their journeys' steps
      jo.errors = o.errors;
      jo.no_progress = o.no_progress;
      status = track_journey(jo, journey);
    }
    if (status != exit_ok && status != exit_problems) return status;
    journey_problems = status == exit_problems;
    report.journey = cxm::summarize_journey(journey, report.settings);
  }
  if (o.weighted && report.input.without_probability > 0)
    std::fprintf(stderr, "cxm: %llu responses without inclusion_probability, weighted as π = 1\n",
                 static_cast<unsigned long long>(report.input.without_probability));
#ifdef CXM_CLI_HTML
  if (!o.html.empty()) {
    const std::string_view page_template(reinterpret_cast<const char*>(cxm_report_page), cxm_report_page_size);
    auto page = cxm::to_html(report, page_template, {o.html_lang, o.rtl});
    if (!page) return usage("--html-lang " + printable(o.html_lang) + ": " + page.detail());
    if (!write_file(o.html, *page)) return exit_no_input;
    std::fprintf(stderr, "cxm: wrote %s\n", o.html.c_str());
  }
#endif
  if (o.json) {
    std::fputs(cxm::to_json(report).c_str(), stdout);
    std::fputc('\n', stdout);
  } else if (o.csv) {
    std::fputs(cxm::to_csv(report).c_str(), stdout);
  } else {
    print_report(stdout, inputs, report, reader, o.errors);
  }
  return problems > 0 || journey_problems ? exit_problems : exit_ok;
}

}  // namespace cxm_cli
