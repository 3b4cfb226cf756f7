// SPDX-License-Identifier: MIT
// Journey definitions: strict JSON decoding (format in cxm/journey.hpp, version 1) and checks.
#include "cxm/journey/definition.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <initializer_list>

#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE
namespace {

namespace json = boost::json;

constexpr const char* format_name = "cxm.journey";

errc check_keys(const json::object& obj, std::initializer_list<std::string_view> allowed, const std::string& prefix,
                std::string& detail) {
  for (const auto& kv : obj) {
    const std::string_view k(kv.key().data(), kv.key().size());
    bool known = false;
    for (std::string_view a : allowed) known = known || a == k;
    if (!known) {
      detail = prefix + std::string(k) + ": unknown field";
      return errc::invalid_argument;
    }
  }
  return errc::ok;
}

errc get_name(const json::object& obj, std::string_view key, const std::string& path, std::string& out,
              std::string& detail) {
  std::string_view s;
  if (errc e = detail::get_string(obj, key, path, s, detail); e != errc::ok) return e;
  if (s.empty() || s.size() > journey_definition::max_name_bytes) {
    detail = path + ": expected 1 to 64 bytes";
    return errc::invalid_argument;
  }
  out = std::string(s);
  return errc::ok;
}

errc get_i64(const json::object& obj, std::string_view key, std::int64_t lo, std::int64_t hi, std::int64_t& out,
             std::string& detail) {
  const json::value* v = obj.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr) { detail = std::string(key) + ": missing"; return errc::missing_field; }
  std::int64_t i = 0;
  bool above = false;  // an unsigned value over hi (hi + 1 would overflow when hi is INT64_MAX)
  if (const std::int64_t* p = v->if_int64()) {
    i = *p;
  } else if (const std::uint64_t* u = v->if_uint64()) {
    above = *u > static_cast<std::uint64_t>(hi);
    if (!above) i = static_cast<std::int64_t>(*u);
  } else {
    detail = std::string(key) + ": expected an integer";
    return v->is_double() ? errc::not_integer : errc::wrong_type;
  }
  if (above || i < lo || i > hi) {
    detail = std::string(key) + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return errc::out_of_range;
  }
  out = i;
  return errc::ok;
}

errc get_bool(const json::object& obj, std::string_view key, const std::string& path, bool optional, bool& out,
              std::string& detail) {
  const json::value* v = obj.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr) {
    if (optional) return errc::ok;
    detail = path + ": missing";
    return errc::missing_field;
  }
  if (!v->is_bool()) { detail = path + ": expected a boolean"; return errc::wrong_type; }
  out = v->get_bool();
  return errc::ok;
}

errc get_array(const json::object& obj, std::string_view key, const std::string& path, const json::array*& out,
               std::string& detail) {
  const json::value* v = obj.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr) { detail = path + ": missing"; return errc::missing_field; }
  out = v->if_array();
  if (out == nullptr) { detail = path + ": expected an array"; return errc::wrong_type; }
  return errc::ok;
}

// Adds touchpoint `name` or checks that its `controlled` agrees with an earlier mention.
errc add_touchpoint(journey_definition& def, const std::string& name, bool controlled, const std::string& path,
                    std::string& detail, std::uint32_t& index) {
  const int found = def.touchpoint_index(name);
  if (found >= 0) {
    if (def.touchpoints[static_cast<std::size_t>(found)].controlled != controlled) {
      detail = path + ": touchpoint \"" + name + "\" is declared both controlled and uncontrolled";
      return errc::invalid_argument;
    }
    index = static_cast<std::uint32_t>(found);
    return errc::ok;
  }
  if (def.touchpoints.size() >= journey_definition::max_touchpoints) {
    detail = path + ": more than 64 touchpoints";
    return errc::too_large;
  }
  index = static_cast<std::uint32_t>(def.touchpoints.size());
  def.touchpoints.push_back({name, controlled});
  return errc::ok;
}

}  // namespace

int journey_definition::step_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == name) return static_cast<int>(i);
  return -1;
}

int journey_definition::touchpoint_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < touchpoints.size(); ++i)
    if (touchpoints[i].name == name) return static_cast<int>(i);
  return -1;
}

result<bool> journey_definition::validate() const {
  const auto bad_name = [](const std::string& s) { return s.empty() || s.size() > max_name_bytes; };
  if (bad_name(id)) return {errc::invalid_argument, "id: expected 1 to 64 bytes"};
  if (revision < 0) return {errc::out_of_range, "revision: expected an integer >= 0"};
  if (abandon_after_ms <= 0) return {errc::out_of_range, "abandon_after_ms: expected an integer > 0"};
  if (reorder_window_ms < 0) return {errc::out_of_range, "reorder_window_ms: expected an integer >= 0"};
  if (recontact_window_days < 1 || recontact_window_days > 366)
    return {errc::out_of_range, "recontact_window_days: expected an integer in [1, 366]"};
  if (max_open_journeys < 1 || max_open_journeys > max_cap)
    return {errc::out_of_range, "max_open_journeys: expected an integer in [1, 16777216]"};
  if (stages.empty() || stages.size() > max_stages) return {errc::invalid_argument, "stages: expected 1 to 32 stages"};
  if (steps.empty() || steps.size() > max_steps) return {errc::invalid_argument, "steps: expected 1 to 64 steps"};
  if (touchpoints.size() > max_touchpoints) return {errc::too_large, "touchpoints: more than 64"};
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (bad_name(stages[i])) return {errc::invalid_argument, "stages[" + std::to_string(i) + "].name: expected 1 to 64 bytes"};
    for (std::size_t j = 0; j < i; ++j)
      if (stages[j] == stages[i]) return {errc::invalid_argument, "stages[" + std::to_string(i) + "].name: duplicate \"" + stages[i] + "\""};
  }
  for (std::size_t i = 0; i < touchpoints.size(); ++i) {
    if (bad_name(touchpoints[i].name)) return {errc::invalid_argument, "touchpoints[" + std::to_string(i) + "].name: expected 1 to 64 bytes"};
    for (std::size_t j = 0; j < i; ++j)
      if (touchpoints[j].name == touchpoints[i].name)
        return {errc::invalid_argument, "touchpoints[" + std::to_string(i) + "].name: duplicate \"" + touchpoints[i].name + "\""};
  }
  bool any_funnel = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const journey_step& s = steps[i];
    const std::string p = "steps[" + std::to_string(i) + "]";
    if (bad_name(s.name)) return {errc::invalid_argument, p + ".name: expected 1 to 64 bytes"};
    if (bad_name(s.channel)) return {errc::invalid_argument, p + ".channel: expected 1 to 64 bytes"};
    if (s.stage >= stages.size()) return {errc::out_of_range, p + ".stage: no such stage"};
    if (i > 0 && s.stage < steps[i - 1].stage) return {errc::invalid_argument, p + ".stage: steps must be grouped by stage in order"};
    if (s.touchpoint >= touchpoints.size()) return {errc::out_of_range, p + ".touchpoint: no such touchpoint"};
    for (std::size_t j = 0; j < i; ++j)
      if (steps[j].name == s.name) return {errc::invalid_argument, p + ".name: duplicate \"" + s.name + "\""};
    any_funnel = any_funnel || s.funnel;
  }
  if (!any_funnel) return {errc::invalid_argument, "steps: at least one step must be in the funnel"};
  return true;
}

result<journey_definition> journey_definition_from_json(std::string_view text) {
  auto parsed = detail::parse_strict(text);
  if (!parsed) return {parsed.code(), parsed.detail()};
  const json::object* root = parsed.value().if_object();
  if (root == nullptr) return {errc::wrong_type, "(root): expected an object"};
  std::string d;
  if (errc e = detail::check_header(*root, format_name, journey_definition_version, d); e != errc::ok) return {e, d};
  if (errc e = check_keys(*root,
                          {"format", "version", "id", "revision", "abandon_after_ms", "reorder_window_ms",
                           "recontact_window_days", "max_open_journeys", "stages", "touchpoints"},
                          "", d);
      e != errc::ok)
    return {e, d};
  journey_definition def;
  if (errc e = get_name(*root, "id", "id", def.id, d); e != errc::ok) return {e, d};
  std::int64_t v = 0;
  if (errc e = get_i64(*root, "revision", 0, INT64_MAX, def.revision, d); e != errc::ok) return {e, d};
  if (errc e = get_i64(*root, "abandon_after_ms", 1, INT64_MAX / 4, def.abandon_after_ms, d); e != errc::ok) return {e, d};
  if (errc e = get_i64(*root, "reorder_window_ms", 0, INT64_MAX / 4, def.reorder_window_ms, d); e != errc::ok) return {e, d};
  if (errc e = get_i64(*root, "recontact_window_days", 1, 366, v, d); e != errc::ok) return {e, d};
  def.recontact_window_days = static_cast<std::int32_t>(v);
  if (errc e = get_i64(*root, "max_open_journeys", 1, journey_definition::max_cap, v, d); e != errc::ok) return {e, d};
  def.max_open_journeys = static_cast<std::uint32_t>(v);

  // Standalone touchpoints first, so steps naming them must agree on "controlled".
  if (root->contains("touchpoints")) {
    const json::array* tps = nullptr;
    if (errc e = get_array(*root, "touchpoints", "touchpoints", tps, d); e != errc::ok) return {e, d};
    for (std::size_t i = 0; i < tps->size(); ++i) {
      const std::string p = "touchpoints[" + std::to_string(i) + "]";
      const json::object* t = (*tps)[i].if_object();
      if (t == nullptr) return {errc::wrong_type, p + ": expected an object"};
      if (errc e = check_keys(*t, {"name", "controlled"}, p + ".", d); e != errc::ok) return {e, d};
      std::string name;
      bool controlled = true;
      if (errc e = get_name(*t, "name", p + ".name", name, d); e != errc::ok) return {e, d};
      if (errc e = get_bool(*t, "controlled", p + ".controlled", false, controlled, d); e != errc::ok) return {e, d};
      if (def.touchpoint_index(name) >= 0) return {errc::invalid_argument, p + ".name: duplicate \"" + name + "\""};
      std::uint32_t index = 0;
      if (errc e = add_touchpoint(def, name, controlled, p, d, index); e != errc::ok) return {e, d};
    }
  }

  const json::array* stages = nullptr;
  if (errc e = get_array(*root, "stages", "stages", stages, d); e != errc::ok) return {e, d};
  if (stages->empty() || stages->size() > journey_definition::max_stages)
    return {errc::invalid_argument, "stages: expected 1 to 32 stages"};
  for (std::size_t i = 0; i < stages->size(); ++i) {
    const std::string p = "stages[" + std::to_string(i) + "]";
    const json::object* st = (*stages)[i].if_object();
    if (st == nullptr) return {errc::wrong_type, p + ": expected an object"};
    if (errc e = check_keys(*st, {"name", "steps"}, p + ".", d); e != errc::ok) return {e, d};
    std::string name;
    if (errc e = get_name(*st, "name", p + ".name", name, d); e != errc::ok) return {e, d};
    for (const std::string& s : def.stages)
      if (s == name) return {errc::invalid_argument, p + ".name: duplicate \"" + name + "\""};
    def.stages.push_back(name);
    const json::array* steps = nullptr;
    if (errc e = get_array(*st, "steps", p + ".steps", steps, d); e != errc::ok) return {e, d};
    if (steps->empty()) return {errc::invalid_argument, p + ".steps: expected at least one step"};
    for (std::size_t j = 0; j < steps->size(); ++j) {
      const std::string q = p + ".steps[" + std::to_string(j) + "]";
      const json::object* so = (*steps)[j].if_object();
      if (so == nullptr) return {errc::wrong_type, q + ": expected an object"};
      if (errc e = check_keys(*so, {"name", "touchpoint", "channel", "controlled", "funnel"}, q + ".", d); e != errc::ok)
        return {e, d};
      if (def.steps.size() >= journey_definition::max_steps) return {errc::too_large, q + ": more than 64 steps"};
      journey_step step;
      step.stage = static_cast<std::uint32_t>(i);
      std::string touchpoint;
      bool controlled = true;
      if (errc e = get_name(*so, "name", q + ".name", step.name, d); e != errc::ok) return {e, d};
      if (def.step_index(step.name) >= 0) return {errc::invalid_argument, q + ".name: duplicate \"" + step.name + "\""};
      if (errc e = get_name(*so, "touchpoint", q + ".touchpoint", touchpoint, d); e != errc::ok) return {e, d};
      if (errc e = get_name(*so, "channel", q + ".channel", step.channel, d); e != errc::ok) return {e, d};
      if (errc e = get_bool(*so, "controlled", q + ".controlled", true, controlled, d); e != errc::ok) return {e, d};
      if (errc e = get_bool(*so, "funnel", q + ".funnel", true, step.funnel, d); e != errc::ok) return {e, d};
      if (errc e = add_touchpoint(def, touchpoint, controlled, q + ".controlled", d, step.touchpoint); e != errc::ok)
        return {e, d};
      def.steps.push_back(std::move(step));
    }
  }
  auto ok = def.validate();
  if (!ok) return {ok.code(), ok.detail()};
  return def;
}

std::string to_json(const journey_definition& def) {
  json::object o;
  o["format"] = format_name;
  o["version"] = journey_definition_version;
  o["id"] = def.id;
  o["revision"] = def.revision;
  o["abandon_after_ms"] = def.abandon_after_ms;
  o["reorder_window_ms"] = def.reorder_window_ms;
  o["recontact_window_days"] = def.recontact_window_days;
  o["max_open_journeys"] = def.max_open_journeys;
  json::array stages;
  for (std::size_t i = 0; i < def.stages.size(); ++i) {
    json::array steps;
    for (const journey_step& s : def.steps) {
      if (s.stage != i) continue;
      steps.push_back(json::object{{"name", s.name},
                                   {"touchpoint", def.touchpoints[s.touchpoint].name},
                                   {"channel", s.channel},
                                   {"controlled", def.touchpoints[s.touchpoint].controlled},
                                   {"funnel", s.funnel}});
    }
    stages.push_back(json::object{{"name", def.stages[i]}, {"steps", std::move(steps)}});
  }
  o["stages"] = std::move(stages);
  json::array tps;
  for (std::size_t t = 0; t < def.touchpoints.size(); ++t) {
    bool owned = false;
    for (const journey_step& s : def.steps) owned = owned || s.touchpoint == t;
    if (!owned) tps.push_back(json::object{{"name", def.touchpoints[t].name}, {"controlled", def.touchpoints[t].controlled}});
  }
  o["touchpoints"] = std::move(tps);
  return json::serialize(o);
}

CXM_END_NAMESPACE
