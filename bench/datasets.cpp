// SPDX-License-Identifier: MIT
#include "datasets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace cxm_bench {

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

const std::vector<double>& lognormal_values() {
  static const std::vector<double> values = [] {
    std::vector<double> v(std::size_t{1000000});
    std::uint64_t state = 20260101;
    const double two_pi = 6.283185307179586;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double u1 = (static_cast<double>(splitmix64(state) >> 11) + 1.0) * 0x1p-53;  // (0, 1]
      const double u2 = static_cast<double>(splitmix64(state) >> 11) * 0x1p-53;
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
      v[i] = 2000.0 * std::exp(1.2 * z);
    }
    return v;
  }();
  return values;
}

const std::string& responses_jsonl() {
  static const std::string text = [] {
    std::mt19937 rng(20261123);
    const char* channels[] = {"web", "app", "phone", "branch"};
    const char* steps[] = {"application", "identity_check", "account_opened", "card_ordered",
                           "card_delivered", "first_use", "wrong_card", "fee_dispute"};
    const char* customers[] = {"private", "business"};
    const char* ages[] = {"young", "middle", "old"};
    std::string out;
    char line[512];
    for (int i = 0; i < 200000; ++i) {
      const int nps = static_cast<int>(rng() % 11), ces = 1 + static_cast<int>(rng() % 7),
                csat = 1 + static_cast<int>(rng() % 5);
      const int n = std::snprintf(
          line, sizeof line,
          "{\"id\":\"r-%07d\",\"survey_id\":\"bank-switch\",\"survey_version\":1,\"respondent\":\"c-%05d\","
          "\"timestamp\":\"2026-10-%02dT%02d:%02d:%02dZ\",\"channel\":\"%s\",\"segment\":{\"customer\":\"%s\","
          "\"age\":\"%s\"},\"journey_id\":\"j-%05d\",\"step\":\"%s\",\"answers\":{\"nps\":%d,\"ces\":%d,"
          "\"csat\":%d%s}}\n",
          i, static_cast<int>(rng() % 100000), 1 + static_cast<int>(rng() % 28), static_cast<int>(rng() % 24),
          static_cast<int>(rng() % 60), static_cast<int>(rng() % 60), channels[rng() % 4], customers[rng() % 2],
          ages[rng() % 3], static_cast<int>(rng() % 100000), steps[rng() % 8], nps, ces, csat,
          rng() % 5 == 0 ? ",\"comment\":\"The app walked me through everything\"" : "");
      out.append(line, static_cast<std::size_t>(n));
    }
    return out;
  }();
  return text;
}

namespace {

constexpr const char* definition_json = R"({"format":"cxm.journey","version":1,"id":"bank-switch","revision":1,
 "abandon_after_ms":1209600000,"reorder_window_ms":60000,"recontact_window_days":7,"max_open_journeys":100000,
 "touchpoints":[{"name":"friend_advice","controlled":false},{"name":"social_post","controlled":false}],
 "stages":[
  {"name":"apply","steps":[
    {"name":"application","touchpoint":"online_application","channel":"web"},
    {"name":"identity_check","touchpoint":"identity_verification","channel":"app"}]},
  {"name":"open","steps":[
    {"name":"account_opened","touchpoint":"account_setup","channel":"app"},
    {"name":"card_ordered","touchpoint":"card_service","channel":"app"}]},
  {"name":"deliver","steps":[
    {"name":"card_delivered","touchpoint":"courier","channel":"branch"},
    {"name":"wrong_card","touchpoint":"card_service","channel":"phone","funnel":false}]},
  {"name":"use","steps":[
    {"name":"first_use","touchpoint":"card_payment","channel":"app"}]}]})";

const cxm::attribute segments[3][2] = {{{"age", "young"}, {"customer", "private"}},
                                       {{"age", "middle"}, {"customer", "private"}},
                                       {{"age", "old"}, {"customer", "business"}}};
const char* const segment_json[3] = {R"({"age":"young","customer":"private"})",
                                     R"({"age":"middle","customer":"private"})",
                                     R"({"age":"old","customer":"business"})"};
const char* const steps[] = {"application", "identity_check", "account_opened",
                             "card_ordered", "card_delivered", "first_use"};
const char* const channels[] = {"web", "app", "phone", "branch"};

void append_line(std::string& out, const cxm::journey_event& e, int segment) {
  out += R"({"journey_id":")";
  out += e.journey_id;
  out += R"(","type":")";
  out += cxm::name(e.type);
  out += R"(","timestamp":)";
  out += std::to_string(e.timestamp_ms);
  if (!e.step.empty()) out.append(R"(,"step":")").append(e.step).append("\"");
  if (!e.channel.empty()) out.append(R"(,"channel":")").append(e.channel).append("\"");
  if (e.segment != nullptr) out.append(R"(,"segment":)").append(segment_json[segment]);
  if (!e.from.empty()) out.append(R"(,"from_agent":")").append(e.from).append(R"(","to_agent":")").append(e.to).append("\"");
  if (e.type == cxm::journey_event_type::wait) out.append(R"(,"duration_ms":)").append(std::to_string(e.duration_ms));
  if (e.type == cxm::journey_event_type::quote)
    out.append(R"(,"offer":")").append(e.key).append(R"(","value":)").append(std::to_string(static_cast<int>(e.value)));
  if (e.type == cxm::journey_event_type::message)
    out.append(R"(,"key":")").append(e.key).append(R"(","value":")").append(e.text).append("\"");
  out += "}\n";
}

}  // namespace

const cxm::journey_definition& journey_definition() {
  static const cxm::journey_definition d = cxm::journey_definition_from_json(definition_json).value();
  return d;
}

const journey_dataset& journey_data() {
  static const journey_dataset d = [] {
    journey_dataset out;
    std::uint64_t state = 20261123;
    struct item {
      cxm::journey_event e;
      int segment;
    };
    std::vector<item> items;
    items.reserve(journey_count * 16);
    const std::int64_t t0 = 1'790'000'000'000;  // 2026-09
    for (std::size_t j = 0; j < journey_count; ++j) {
      const std::string& id = out.strings.emplace_back("j-" + std::to_string(j));
      const int seg = static_cast<int>(splitmix64(state) % 3);
      std::int64_t t = t0 + static_cast<std::int64_t>(splitmix64(state) % (30ull * 86400000));
      auto add = [&](cxm::journey_event_type type, std::string_view step = {}, std::string_view channel = {}) -> cxm::journey_event& {
        cxm::journey_event e;
        e.type = type;
        e.journey_id = id;
        e.timestamp_ms = t;
        e.step = step;
        e.channel = channel;
        if (items.empty() || items.back().e.journey_id != id) {
          e.segment = segments[seg];
          e.segment_size = 2;
        }
        items.push_back({e, seg});
        return items.back().e;
      };
      const bool completes = splitmix64(state) % 10 != 0;
      const std::size_t last = completes ? 6 : 1 + splitmix64(state) % 5;
      for (std::size_t s = 0; s < last; ++s) {
        const std::string_view channel = channels[splitmix64(state) % 4];
        add(cxm::journey_event_type::step_begin, steps[s], channel);
        t += 1000 + static_cast<std::int64_t>(splitmix64(state) % 3'600'000);
        const std::uint64_t r = splitmix64(state) % 16;
        if (r == 0) {
          add(cxm::journey_event_type::contact, steps[s], "phone").reason = "status";
          t += 60'000;
        } else if (r == 1) {
          cxm::journey_event& e = add(cxm::journey_event_type::transfer, steps[s], "phone");
          e.from = "agent-1";
          e.to = "agent-2";
        } else if (r == 2) {
          add(cxm::journey_event_type::wait, steps[s], "phone").duration_ms =
              static_cast<std::int64_t>(splitmix64(state) % 900'000);
        } else if (r == 3) {
          cxm::journey_event& e = add(cxm::journey_event_type::quote, steps[s], channel);
          e.key = "monthly_fee";
          e.value = channel == "phone" ? 5 : 4;
        } else if (r == 4) {
          cxm::journey_event& e = add(cxm::journey_event_type::message, steps[s], channel);
          e.key = "switch_guarantee";
          e.text = "7_days";
        }
        t += 1000;
        add(cxm::journey_event_type::step_end, steps[s], channel);
        t += static_cast<std::int64_t>(splitmix64(state) % 86'400'000);
      }
      add(completes ? cxm::journey_event_type::complete : cxm::journey_event_type::abandon);
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const item& a, const item& b) { return a.e.timestamp_ms < b.e.timestamp_ms; });
    out.events.reserve(items.size());
    for (const item& i : items) {
      out.events.push_back(i.e);
      append_line(out.jsonl, i.e, i.segment);
    }
    return out;
  }();
  return d;
}

}  // namespace cxm_bench
