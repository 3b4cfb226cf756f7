// SPDX-License-Identifier: MIT
// Responses (hostile JSON Lines) into the report model, then every printer. The first byte
// chooses the options (period unit, weighting, p-value adjustment); the rest is the input.
// Checked: the input split at a line boundary into two builders that are merged gives the
// same report as one builder (JSON, CSV and text byte for byte, unweighted: weighted sums of
// 1/π round differently in another order); the JSON is well-formed; the HTML page's data block
// holds no '<' (no label can end the script element); a second pass keeping each respondent's
// latest response runs over the same input.
#include <string>

#include "cxm/report/latest.hpp"
#include "cxm/report/report.hpp"
#include "cxm/survey/response_reader.hpp"
#include "fuzz_support.hpp"
#include "io/strict_json.hpp"

namespace cxm_fuzz {
namespace {

cxm::report_options options_for(std::uint8_t choice) {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"ces", cxm::question_type::ces, cxm::scale::ces7()},
                 {"csat", cxm::question_type::csat, cxm::scale::csat5()}};
  o.breakdowns = {"channel", "segment.age"};
  o.count_ids_once = (choice & 0x40) == 0;
  o.weighted = (choice & 0x20) != 0;
  o.p_adjust = (choice & 0x10) != 0 ? cxm::p_adjust_method::holm : cxm::p_adjust_method::benjamini_hochberg;
  o.min_n = choice & 0x0f;
  switch (choice >> 7) {
    case 0: break;
    default:
      o.period = static_cast<cxm::period_unit>(choice % 3);
      o.zone = cxm::time_zone::parse_fixed("+05:30").value();
  }
  return o;
}

cxm::report_builder feed(const cxm::report_options& o, std::string_view text) {
  auto b = cxm::report_builder::make(o);
  CXM_FUZZ_CHECK_MSG(b.ok(), b.detail());
  cxm::response_reader reader;
  reader.feed(text, *b);
  reader.finish(*b);
  b->add_reader_stats(reader.stats());
  return std::move(*b);
}

}  // namespace

int report(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const cxm::report_options o = options_for(data[0]);
  const std::string_view text = as_text(data + 1, size - 1);

  cxm::report_builder whole = feed(o, text);
  const cxm::report r = whole.build();
  const std::string json = cxm::to_json(r);
  cxm::detail::json_limits limits;
  limits.max_bytes = std::size_t{1} << 30;
  const auto parsed = cxm::detail::parse_strict(json, limits);
  CXM_FUZZ_CHECK_MSG(parsed.ok(), parsed.detail() + ": " + json.substr(0, 400));
  const std::string csv = cxm::to_csv(r);
  const std::string plain = cxm::to_text(r);

  // Split after a newline near the middle: two builders, merged, are the one builder.
  const std::size_t cut = text.find('\n', text.size() / 2);
  if (cut != std::string_view::npos && !o.weighted) {
    cxm::report_builder first = feed(o, text.substr(0, cut + 1));
    const cxm::report_builder second = feed(o, text.substr(cut + 1));
    const cxm::status merged = first.merge(second);
    if (merged.ok()) {
      const cxm::report m = first.build();
      CXM_FUZZ_CHECK_MSG(cxm::to_json(m) == json, "merged halves differ from one builder");
      CXM_FUZZ_CHECK(cxm::to_csv(m) == csv && cxm::to_text(m) == plain);
    } else {
      // Only an id in both halves (counted once) keeps them apart.
      CXM_FUZZ_CHECK_MSG(merged.code() == cxm::errc::duplicate_id && o.count_ids_once, merged.message());
    }
  }

  auto page = cxm::to_html(r, "<html lang=\"en\"><script type=\"application/json\">{{CXM_REPORT_JSON}}</script></html>");
  CXM_FUZZ_CHECK_MSG(page.ok(), page.detail());
  const std::size_t open = page->find("json\">") + 6;
  const std::size_t close = page->rfind("</script>");
  CXM_FUZZ_CHECK(page->substr(open, close - open).find('<') == std::string::npos);

  // --latest-per-respondent's two passes.
  cxm::latest_per_respondent latest(o.period, o.zone ? *o.zone : cxm::time_zone());
  struct observer final : cxm::response_sink {
    cxm::latest_per_respondent& l;
    explicit observer(cxm::latest_per_respondent& x) : l(x) {}
    bool on_response(const cxm::response_view& v, std::vector<cxm::problem>&) override {
      l.observe(v);
      return true;
    }
  } observe(latest);
  cxm::response_reader first_pass;
  first_pass.feed(text, observe);
  first_pass.finish(observe);
  struct keeper final : cxm::response_sink {
    const cxm::latest_per_respondent& l;
    std::uint64_t kept = 0, seen = 0;
    explicit keeper(const cxm::latest_per_respondent& x) : l(x) {}
    bool on_response(const cxm::response_view& v, std::vector<cxm::problem>&) override {
      ++seen;
      kept += l.keep(v) ? 1u : 0u;
      return true;
    }
  } keep(latest);
  cxm::response_reader second_pass;
  second_pass.feed(text, keep);
  second_pass.finish(keep);
  CXM_FUZZ_CHECK(keep.kept >= latest.unplaced() && keep.kept <= keep.seen);
  return 0;
}

}  // namespace cxm_fuzz
