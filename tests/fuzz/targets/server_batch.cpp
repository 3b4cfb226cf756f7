// SPDX-License-Identifier: MIT
// The collector's request bodies on hostile bytes (cxm serve's POST /v1/responses and
// /v1/aggregates): a body is refused whole with a reason, or split into records whose texts
// are one line each and parse to the values the body held; every record then gets exactly one
// verdict, the rows line up with the pending ones, and the reply parses strictly with counts
// that add up.
#include <string>

#include <boost/json.hpp>

#include "fixtures.hpp"
#include "fuzz_support.hpp"
#include "io/strict_json.hpp"
#include "server/ingest/ingest.hpp"

namespace cxm_fuzz {

int server_batch(const std::uint8_t* data, std::size_t size) {
  static const cxm::server::survey_registry surveys = [] {
    auto r = cxm::server::survey_registry::of({example_survey(), test_survey()});
    return std::move(*r);
  }();
  cxm::server::batch_limits limits;
  limits.max_records = 64;
  auto b = cxm::server::split_batch(as_text(data, size), limits);
  if (!b) {
    CXM_FUZZ_CHECK(!b.detail().empty());
    return 0;
  }
  for (const auto* records : {&b->responses, &b->events, &b->aggregates})
    for (const auto& r : *records) {
      CXM_FUZZ_CHECK(r.text.find('\n') == std::string::npos && r.text.find('\r') == std::string::npos);
      auto again = cxm::detail::parse_strict(r.text, {std::size_t{1} << 20, 64});
      CXM_FUZZ_CHECK_MSG(again.ok(), again.detail() + "\n" + r.text);
      CXM_FUZZ_CHECK_MSG(*again == r.value, r.text);
    }

  auto p = cxm::server::prepare(*b, surveys, 1'700'000'000'000);
  CXM_FUZZ_CHECK(p.verdicts.size() == b->records());
  CXM_FUZZ_CHECK(p.slots.size() == p.rows.size() + p.events.size() + p.aggregates.size());
  std::size_t pending = 0;
  for (const auto& v : p.verdicts) {
    if (v.outcome == cxm::server::verdict::pending) ++pending;
    else CXM_FUZZ_CHECK(v.outcome == cxm::server::verdict::rejected && !v.why.reason.empty());
  }
  CXM_FUZZ_CHECK(pending == p.slots.size());
  for (std::size_t k = 0; k < p.rows.size(); ++k) {
    const auto& v = p.verdicts[p.slots[k]];
    CXM_FUZZ_CHECK(std::string(v.array) == "responses" && p.rows[k].record == b->responses[v.index].text);
    CXM_FUZZ_CHECK(!p.rows[k].id.empty() && p.rows[k].id.size() <= 128);
  }

  // Alternate outcomes, as a store that had seen every other id would answer.
  std::vector<cxm::server::insert_outcome> outcomes;
  for (std::size_t k = 0; k < p.slots.size(); ++k)
    outcomes.push_back(k % 2 ? cxm::server::insert_outcome::duplicate : cxm::server::insert_outcome::stored);
  cxm::server::settle(p, outcomes);
  auto reply = cxm::detail::parse_strict(cxm::server::verdicts_json(*b, p), {std::size_t{64} << 20, 8});
  CXM_FUZZ_CHECK_MSG(reply.ok(), reply.detail());
  const auto& o = reply->as_object();
  const auto count = [&](const char* k) { return static_cast<std::size_t>(o.at(k).as_int64()); };
  CXM_FUZZ_CHECK(count("accepted") == (p.slots.size() + 1) / 2);
  CXM_FUZZ_CHECK(count("duplicate") == p.slots.size() / 2);
  CXM_FUZZ_CHECK(count("accepted") + count("duplicate") + count("rejected") == b->records());
  CXM_FUZZ_CHECK(o.at("records").as_array().size() == b->records());
  return 0;
}

}  // namespace cxm_fuzz
