// SPDX-License-Identifier: MIT
// Journey definitions: strict JSON decoding and encoding (format in cxm/journey/definition.hpp,
// version 1) and the checks of validate().
#include "cxm/journey/definition.hpp"

#include <utility>

#include "io/json_reader.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using detail::json_path;
using detail::json_value;

constexpr const char* format_name = "cxm.journey";

// Reads a definition in the order the format comment gives, except that the standalone
// touchpoints come before the stages, so that steps naming them must agree on "controlled".
class definition_decoder {
 public:
  result<journey_definition> run(std::string_view text) {
    if (!r_.parse(text, journey_definition_json_limits) || !read(r_.root())) return r_.error<journey_definition>();
    auto ok = def_.validate();
    if (!ok) return {ok.code(), ok.detail()};
    return std::move(def_);
  }

 private:
  bool read(json_value root) {
    const json_path at;
    std::int64_t cap = 0;
    if (!r_.header(root, format_name, journey_definition_version) ||
        !r_.only_keys(root, at, {"format", "version", "id", "revision", "abandon_after_ms", "reorder_window_ms",
                                 "recontact_window_days", "max_open_journeys", "stages", "touchpoints"}) ||
        !read_name(root, at, "id", def_.id) ||
        !r_.integer_field(root, at, "revision", std::int64_t{0}, INT64_MAX, def_.revision) ||
        !r_.integer_field(root, at, "abandon_after_ms", std::int64_t{1}, INT64_MAX / 4, def_.abandon_after_ms) ||
        !r_.integer_field(root, at, "reorder_window_ms", std::int64_t{0}, INT64_MAX / 4, def_.reorder_window_ms) ||
        !r_.integer_field(root, at, "recontact_window_days", 1, 366, def_.recontact_window_days) ||
        !r_.integer_field(root, at, "max_open_journeys", std::int64_t{1}, std::int64_t{journey_definition::max_cap}, cap))
      return false;
    def_.max_open_journeys = static_cast<std::uint32_t>(cap);
    return read_touchpoints(root, at) && read_stages(root, at);
  }

  // A name: a string of 1 to 64 bytes.
  bool read_name(json_value o, const json_path& at, std::string_view key, std::string& out) {
    if (!r_.string_field(o, at, key, out)) return false;
    if (out.empty() || out.size() > journey_definition::max_name_bytes)
      return r_.fail(errc::invalid_argument, at.member(key), {"expected 1 to 64 bytes"});
    return true;
  }

  // An optional boolean: absent leaves `out` at its default.
  bool flag(json_value o, const json_path& at, std::string_view key, bool& out) {
    const json_value v = r_.field(o, key, at, false);
    return !v || r_.boolean(v, at.member(key), out);
  }

  // Adds touchpoint `name` or checks that its `controlled` agrees with an earlier mention.
  bool add_touchpoint(const std::string& name, bool controlled, const json_path& at, std::uint32_t& index) {
    const int found = def_.touchpoint_index(name);
    if (found >= 0) {
      if (def_.touchpoints[static_cast<std::size_t>(found)].controlled != controlled)
        return r_.fail(errc::invalid_argument, at,
                       {"touchpoint ", detail::quoted(name), " is declared both controlled and uncontrolled"});
      index = static_cast<std::uint32_t>(found);
      return true;
    }
    if (def_.touchpoints.size() >= journey_definition::max_touchpoints)
      return r_.fail(errc::too_large, at, {"more than 64 touchpoints"});
    index = static_cast<std::uint32_t>(def_.touchpoints.size());
    def_.touchpoints.push_back({name, controlled});
    return true;
  }

  bool read_touchpoints(json_value root, const json_path& at) {
    const json_path t_at = at.member("touchpoints");
    const json_value tps = r_.field(root, "touchpoints", at, false);
    if (!tps) return true;  // optional
    if (!r_.array(tps, t_at)) return false;
    for (std::size_t i = 0; i < tps.size(); ++i) {
      const json_value t = tps.at(i);
      const json_path p = t_at.element(i);
      std::string tp;
      bool controlled = true;
      if (!r_.object(t, p) || !r_.only_keys(t, p, {"name", "controlled"}) || !read_name(t, p, "name", tp) ||
          !r_.boolean_field(t, p, "controlled", controlled))
        return false;
      if (def_.touchpoint_index(tp) >= 0)
        return r_.fail(errc::invalid_argument, p.member("name"), {"duplicate ", detail::quoted(tp)});
      std::uint32_t index = 0;
      if (!add_touchpoint(tp, controlled, p, index)) return false;
    }
    return true;
  }

  bool read_stages(json_value root, const json_path& at) {
    const json_path s_at = at.member("stages");
    const json_value stages = r_.field(root, "stages", at);
    if (!stages || !r_.array(stages, s_at)) return false;
    if (stages.size() == 0 || stages.size() > journey_definition::max_stages)
      return r_.fail(errc::invalid_argument, s_at, {"expected 1 to 32 stages"});
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const json_value st = stages.at(i);
      const json_path p = s_at.element(i);
      std::string stage;
      if (!r_.object(st, p) || !r_.only_keys(st, p, {"name", "steps"}) || !read_name(st, p, "name", stage)) return false;
      for (const std::string& s : def_.stages)
        if (s == stage) return r_.fail(errc::invalid_argument, p.member("name"), {"duplicate ", detail::quoted(stage)});
      def_.stages.push_back(std::move(stage));
      const json_path q_at = p.member("steps");
      const json_value steps = r_.field(st, "steps", p);
      if (!steps || !r_.array(steps, q_at)) return false;
      if (steps.size() == 0) return r_.fail(errc::invalid_argument, q_at, {"expected at least one step"});
      for (std::size_t j = 0; j < steps.size(); ++j)
        if (!read_step(steps.at(j), q_at.element(j), static_cast<std::uint32_t>(i))) return false;
    }
    return true;
  }

  bool read_step(json_value so, const json_path& q, std::uint32_t stage) {
    if (!r_.object(so, q) || !r_.only_keys(so, q, {"name", "touchpoint", "channel", "controlled", "funnel"}))
      return false;
    if (def_.steps.size() >= journey_definition::max_steps) return r_.fail(errc::too_large, q, {"more than 64 steps"});
    journey_step step;
    step.stage = stage;
    std::string touchpoint;
    bool controlled = true;
    if (!read_name(so, q, "name", step.name)) return false;
    if (def_.step_index(step.name) >= 0)
      return r_.fail(errc::invalid_argument, q.member("name"), {"duplicate ", detail::quoted(step.name)});
    if (!read_name(so, q, "touchpoint", touchpoint) || !read_name(so, q, "channel", step.channel) ||
        !flag(so, q, "controlled", controlled) || !flag(so, q, "funnel", step.funnel) ||
        !add_touchpoint(touchpoint, controlled, q.member("controlled"), step.touchpoint))
      return false;
    def_.steps.push_back(std::move(step));
    return true;
  }

  detail::json_reader r_;
  journey_definition def_;
};

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
  return definition_decoder().run(text);
}

std::string to_json(const journey_definition& def) {
  detail::json_writer w;
  w.begin_object()
      .member("format", format_name)
      .member("version", journey_definition_version)
      .member("id", def.id)
      .member("revision", def.revision)
      .member("abandon_after_ms", def.abandon_after_ms)
      .member("reorder_window_ms", def.reorder_window_ms)
      .member("recontact_window_days", def.recontact_window_days)
      .member("max_open_journeys", def.max_open_journeys);
  w.key("stages").begin_array();
  for (std::size_t i = 0; i < def.stages.size(); ++i) {
    w.begin_object().member("name", def.stages[i]).key("steps").begin_array();
    for (const journey_step& s : def.steps) {
      if (s.stage != i) continue;
      w.begin_object()
          .member("name", s.name)
          .member("touchpoint", def.touchpoints[s.touchpoint].name)
          .member("channel", s.channel)
          .member("controlled", def.touchpoints[s.touchpoint].controlled)
          .member("funnel", s.funnel)
          .end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  // Touchpoints no step owns; the others are written with their steps.
  w.key("touchpoints").begin_array();
  for (std::size_t t = 0; t < def.touchpoints.size(); ++t) {
    bool owned = false;
    for (const journey_step& s : def.steps) owned = owned || s.touchpoint == t;
    if (!owned)
      w.begin_object().member("name", def.touchpoints[t].name).member("controlled", def.touchpoints[t].controlled).end_object();
  }
  w.end_array().end_object();
  return w.take();
}

CXM_END_NAMESPACE
