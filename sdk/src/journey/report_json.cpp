// SPDX-License-Identifier: MIT
// The versioned JSON form of journey_report (format in cxm/journey/report.hpp, version 2).
#include <utility>

#include "cxm/journey/report.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "io/base64.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"
#include "journey/report_names.hpp"
#include "stats/tally_codec.hpp"
#include "survey/question_tally_codec.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using detail::json_path;
using detail::json_value;

constexpr const char* format_name = "cxm.journey_report";
constexpr std::size_t max_steps = 64;

// ---- encoding ----

void counts(detail::json_writer& w, std::string_view key, const std::uint64_t* c, std::size_t n) {
  w.key(key).begin_array();
  for (std::size_t i = 0; i < n; ++i) w.value(c[i]);
  w.end_array();
}

void components(detail::json_writer& w, const effort_components& e) {
  w.begin_object()
      .member("journeys", e.journeys)
      .member("contacts", e.contacts)
      .member("recontacts", e.recontacts)
      .member("transfers", e.transfers)
      .member("channel_switches", e.channel_switches)
      .member("waits", e.waits)
      .member("wait_ms", e.wait_ms)
      .member("wait_points", e.wait_points)
      .member("repeats", e.repeats)
      .end_object();
}

void sketch(detail::json_writer& w, std::string_view key, const duration_sketch& s) {
  w.member(key, detail::to_base64(encode(s)));
}

// ---- decoding ----

class report_decoder {
 public:
  result<journey_report> run(std::string_view text) {
    if (!r_.parse(text, journey_report_json_limits) || !read(r_.root())) return r_.error<journey_report>();
    return std::move(out_);
  }

 private:
  bool read(json_value root) {
    const json_path at;
    if (!r_.header(root, format_name, journey_report_json_version) ||
        !r_.only_keys(root, at, {"format", "version", "journey", "steps", "rejected", "events", "segments", "durations",
                                 "step_effort", "touchpoints", "quotes", "messages", "survey"}))
      return false;
    const json_value j = r_.field(root, "journey", at);
    const json_path j_at = at.member("journey");
    if (!j || !r_.object(j, j_at) || !r_.only_keys(j, j_at, {"id", "revision"}) ||
        !r_.string_field(j, j_at, "id", out_.journey_id) ||
        !r_.integer_field(j, j_at, "revision", std::int64_t{0}, INT64_MAX, out_.revision))
      return false;
    return read_steps(root, at) && read_rejected(root, at) && read_events(root, at) && read_segments(root, at) &&
           read_durations(root, at) && read_step_effort(root, at) && read_touchpoints(root, at) &&
           read_quotes(root, at) && read_messages(root, at) && read_survey(root, at);
  }

  bool read_steps(json_value root, const json_path& at) {
    const json_path s_at = at.member("steps");
    const json_value steps = r_.field(root, "steps", at);
    if (!steps || !r_.array(steps, s_at)) return false;
    if (steps.size() > max_steps) return r_.fail(errc::too_large, s_at, {"more than 64"});
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const json_value v = steps.at(i);
      const json_path e_at = s_at.element(i);
      journey_report::step_info s;
      if (!r_.object(v, e_at) || !r_.only_keys(v, e_at, {"name", "stage", "touchpoint", "channel", "controlled", "funnel"}) ||
          !r_.string_field(v, e_at, "name", s.name) || !r_.string_field(v, e_at, "stage", s.stage) ||
          !r_.string_field(v, e_at, "touchpoint", s.touchpoint) || !r_.string_field(v, e_at, "channel", s.channel) ||
          !r_.boolean_field(v, e_at, "controlled", s.controlled) || !r_.boolean_field(v, e_at, "funnel", s.funnel))
        return false;
      out_.steps.push_back(std::move(s));
    }
    n_ = out_.steps.size();
    return true;
  }

  bool read_rejected(json_value root, const json_path& at) {
    const json_path r_at = at.member("rejected");
    const json_value v = r_.field(root, "rejected", at);
    if (!v || !r_.object(v, r_at)) return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::size_t k = 0;
      while (k < journey_error_count && v.key_at(i) != detail::journey_error_names[k]) ++k;
      if (k == journey_error_count)
        return r_.fail(errc::invalid_argument, r_at, {"unknown field ", detail::quoted(v.key_at(i))});
    }
    for (std::size_t k = 0; k < journey_error_count; ++k)
      if (!r_.count_field(v, r_at, detail::journey_error_names[k], out_.rejected[k])) return false;
    return true;
  }

  bool read_events(json_value root, const json_path& at) {
    const json_path e_at = at.member("events");
    const json_value v = r_.field(root, "events", at);
    return v && r_.object(v, e_at) && r_.only_keys(v, e_at, {"accepted", "applied"}) &&
           r_.count_field(v, e_at, "accepted", out_.events_accepted) &&
           r_.count_field(v, e_at, "applied", out_.events_applied);
  }

  bool counts_field(json_value o, const json_path& at, std::string_view key, std::vector<std::uint64_t>& out) {
    const json_path c_at = at.member(key);
    const json_value a = r_.field(o, key, at);
    if (!a || !r_.array(a, c_at)) return false;
    if (a.size() != n_)
      return r_.fail(errc::invalid_argument, c_at, {"expected ", std::to_string(n_), " counts, one per step"});
    out.assign(n_, 0);
    for (std::size_t i = 0; i < n_; ++i)
      if (!r_.count(a.at(i), c_at.element(i), out[i])) return false;
    return true;
  }

  bool sketch_field(json_value o, const json_path& at, std::string_view key, duration_sketch& out) {
    std::string_view text;
    if (!r_.string_field(o, at, key, text)) return false;
    std::string bytes;
    if (!detail::from_base64(text, bytes)) return r_.fail(errc::invalid_argument, at.member(key), {"expected base64"});
    auto s = decode_duration_sketch(bytes);
    if (!s) return r_.fail(s.code(), at.member(key), {s.detail()});
    out = std::move(s).value();
    return true;
  }

  bool components_of(json_value v, const json_path& at, effort_components& e) {
    return r_.object(v, at) &&
           r_.only_keys(v, at, {"journeys", "contacts", "recontacts", "transfers", "channel_switches", "waits", "wait_ms",
                                "wait_points", "repeats"}) &&
           r_.count_field(v, at, "journeys", e.journeys) && r_.count_field(v, at, "contacts", e.contacts) &&
           r_.count_field(v, at, "recontacts", e.recontacts) && r_.count_field(v, at, "transfers", e.transfers) &&
           r_.count_field(v, at, "channel_switches", e.channel_switches) && r_.count_field(v, at, "waits", e.waits) &&
           r_.count_field(v, at, "wait_ms", e.wait_ms) && r_.count_field(v, at, "wait_points", e.wait_points) &&
           r_.count_field(v, at, "repeats", e.repeats);
  }

  bool read_segments(json_value root, const json_path& at) {
    const json_path s_at = at.member("segments");
    const json_value segs = r_.field(root, "segments", at);
    return segs && r_.members(segs, s_at, [&](std::string_view key, json_value v, const json_path& g_at) {
      journey_segment_stats s;
      if (!r_.object(v, g_at) ||
          !r_.only_keys(v, g_at, {"started", "completed", "abandoned", "abandoned_timeout", "evicted", "unfinished",
                                  "time_to_complete", "effort_index", "effort", "reached", "ended", "last_step"}) ||
          !r_.count_field(v, g_at, "started", s.started) || !r_.count_field(v, g_at, "completed", s.completed) ||
          !r_.count_field(v, g_at, "abandoned", s.abandoned) ||
          !r_.count_field(v, g_at, "abandoned_timeout", s.abandoned_timeout) ||
          !r_.count_field(v, g_at, "evicted", s.evicted) || !r_.count_field(v, g_at, "unfinished", s.unfinished) ||
          !sketch_field(v, g_at, "time_to_complete", s.time_to_complete) ||
          !sketch_field(v, g_at, "effort_index", s.effort_index))
        return false;
      const json_value e = r_.field(v, "effort", g_at);
      if (!e || !components_of(e, g_at.member("effort"), s.effort) || !counts_field(v, g_at, "reached", s.reached) ||
          !counts_field(v, g_at, "ended", s.ended) || !counts_field(v, g_at, "last_step", s.last_step))
        return false;
      out_.segments.emplace(std::string(key), std::move(s));
      return true;
    });
  }

  bool read_durations(json_value root, const json_path& at) {
    const json_path d_at = at.member("durations");
    const json_value durs = r_.field(root, "durations", at);
    if (!durs || !r_.array(durs, d_at)) return false;
    for (std::size_t i = 0; i < durs.size(); ++i) {
      const json_value v = durs.at(i);
      const json_path e_at = d_at.element(i);
      std::string step, segment, channel;
      duration_sketch s;
      if (!r_.object(v, e_at) || !r_.only_keys(v, e_at, {"step", "segment", "channel", "sketch"}) ||
          !r_.string_field(v, e_at, "step", step) || !r_.string_field(v, e_at, "segment", segment) ||
          !r_.string_field(v, e_at, "channel", channel) || !sketch_field(v, e_at, "sketch", s))
        return false;
      if (out_.step_index(step) < 0) return r_.fail(errc::invalid_argument, e_at.member("step"), {"not a step of the journey"});
      if (!out_.durations.emplace(journey_report::cell_key{step, segment, channel}, std::move(s)).second)
        return r_.fail(errc::invalid_argument, e_at, {"the same step, segment and channel twice"});
    }
    return true;
  }

  bool read_step_effort(json_value root, const json_path& at) {
    const json_path e_at = at.member("step_effort");
    const json_value a = r_.field(root, "step_effort", at);
    if (!a || !r_.array(a, e_at)) return false;
    if (a.size() != n_) return r_.fail(errc::invalid_argument, e_at, {"expected one entry per step"});
    out_.step_effort.resize(n_);
    for (std::size_t i = 0; i < n_; ++i)
      if (!components_of(a.at(i), e_at.element(i), out_.step_effort[i])) return false;
    return true;
  }

  bool read_touchpoints(json_value root, const json_path& at) {
    const json_path t_at = at.member("touchpoints");
    const json_value tps = r_.field(root, "touchpoints", at);
    return tps && r_.members(tps, t_at, [&](std::string_view name, json_value v, const json_path& p) {
      touchpoint_stats t;
      if (!r_.object(v, p) || !r_.only_keys(v, p, {"controlled", "events", "journeys", "completed"}) ||
          !r_.boolean_field(v, p, "controlled", t.controlled) || !r_.count_field(v, p, "events", t.events) ||
          !r_.count_field(v, p, "journeys", t.journeys) || !r_.count_field(v, p, "completed", t.completed))
        return false;
      out_.touchpoints.emplace(std::string(name), t);
      return true;
    });
  }

  bool read_quotes(json_value root, const json_path& at) {
    const json_path q_at = at.member("quotes");
    const json_value qs = r_.field(root, "quotes", at);
    return qs && r_.members(qs, q_at, [&](std::string_view touchpoint, json_value by_channel, const json_path& o_at) {
      return r_.members(by_channel, o_at, [&](std::string_view channel, json_value v, const json_path& p) {
        quote_stats q;
        if (!r_.object(v, p) || !r_.only_keys(v, p, {"count", "min", "max", "sum"}) ||
            !r_.count_field(v, p, "count", q.count) ||
            !r_.integer_field(v, p, "min", std::int64_t{INT64_MIN}, INT64_MAX, q.min) ||
            !r_.integer_field(v, p, "max", std::int64_t{INT64_MIN}, INT64_MAX, q.max) ||
            !r_.integer_field(v, p, "sum", std::int64_t{INT64_MIN}, INT64_MAX, q.sum))
          return false;
        if (q.count == 0 || q.min > q.max) return r_.fail(errc::invalid_argument, p, {"needs count > 0 and min <= max"});
        out_.quotes[std::string(touchpoint)][std::string(channel)] = q;
        return true;
      });
    });
  }

  bool read_messages(json_value root, const json_path& at) {
    const json_path m_at = at.member("messages");
    const json_value ms = r_.field(root, "messages", at);
    return ms && r_.members(ms, m_at, [&](std::string_view kind, json_value by_channel, const json_path& k_at) {
      return r_.members(by_channel, k_at, [&](std::string_view channel, json_value values, const json_path& c_at) {
        return r_.members(values, c_at, [&](std::string_view value, json_value count, const json_path& p) {
          std::uint64_t n = 0;
          if (!r_.count(count, p, n)) return false;
          out_.messages[std::string(kind)][std::string(channel)][std::string(value)] = n;
          return true;
        });
      });
    });
  }

  bool read_survey(json_value root, const json_path& at) {
    const json_path s_at = at.member("survey");
    const json_value sv = r_.field(root, "survey", at);
    if (!sv || !r_.object(sv, s_at) ||
        !r_.only_keys(sv, s_at, {"attached", "unknown_step", "without_duration", "duplicate", "steps"}) ||
        !r_.count_field(sv, s_at, "attached", out_.responses_attached) ||
        !r_.count_field(sv, s_at, "unknown_step", out_.responses_unknown_step) ||
        !r_.count_field(sv, s_at, "without_duration", out_.responses_without_duration) ||
        !r_.count_field(sv, s_at, "duplicate", out_.responses_duplicate))
      return false;
    const json_path st_at = s_at.member("steps");
    const json_value steps = r_.field(sv, "steps", s_at);
    if (!steps || !r_.array(steps, st_at)) return false;
    if (steps.size() != n_) return r_.fail(errc::invalid_argument, st_at, {"expected one entry per step"});
    out_.survey.resize(n_);
    for (std::size_t i = 0; i < n_; ++i) {
      const json_value v = steps.at(i);
      const json_path p = st_at.element(i);
      step_survey& s = out_.survey[i];
      if (!r_.object(v, p) || !r_.only_keys(v, p, {"nps", "ces", "emotion", "nps_by_duration"})) return false;
      const std::pair<const char*, question_tally*> questions[] = {{"nps", &s.nps}, {"ces", &s.ces}, {"emotion", &s.emotion}};
      for (const auto& [key, q] : questions) {
        const json_value qv = r_.field(v, key, p);
        if (!qv || !detail::read_question_tally(r_, qv, p.member(key), *q)) return false;
      }
      if (s.nps.type != question_type::nps || s.ces.type != question_type::ces || s.emotion.type != question_type::emotion)
        return r_.fail(errc::invalid_argument, p, {"expected an nps, a ces and an emotion question"});
      const json_path b_at = p.member("nps_by_duration");
      const json_value bands = r_.field(v, "nps_by_duration", p);
      if (!bands || !r_.object(bands, b_at)) return false;
      for (std::size_t b = 0; b < bands.size(); ++b) {
        const std::string_view key = bands.key_at(b);
        std::int32_t band = 0;
        if (!parse_band(key, band)) return r_.fail(errc::invalid_argument, b_at.member(key), {"expected a band number"});
        nps_tally::counts_type c{};
        // read_counts reads a member named "counts"; a band's counts are the member itself.
        const json_path c_at = b_at.member(key);
        const json_value a = bands.value_at(b);
        if (!r_.array(a, c_at)) return false;
        if (a.size() != c.size()) return r_.fail(errc::invalid_argument, c_at, {"expected 11 counts"});
        std::uint64_t total = 0;
        for (std::size_t k = 0; k < c.size(); ++k) {
          if (!r_.count(a.at(k), c_at.element(k), c[k])) return false;
          if (c[k] > max_count - total) return r_.fail(errc::out_of_range, c_at, {"the total exceeds 2^62"});
          total += c[k];
        }
        s.nps_by_duration[band] = c;
      }
    }
    return true;
  }

  // A band key: the decimal of an int32 exactly as to_string writes it.
  static bool parse_band(std::string_view key, std::int32_t& out) {
    if (key.empty() || key.size() > 11) return false;
    std::int64_t v = 0;
    std::size_t i = key[0] == '-' ? 1 : 0;
    if (i == key.size()) return false;
    for (; i < key.size(); ++i) {
      if (key[i] < '0' || key[i] > '9') return false;
      v = v * 10 + (key[i] - '0');
    }
    if (key[0] == '-') v = -v;
    if (v < INT32_MIN || v > INT32_MAX || std::to_string(v) != key) return false;
    out = static_cast<std::int32_t>(v);
    return true;
  }

  detail::json_reader r_;
  journey_report out_;
  std::size_t n_ = 0;
};

}  // namespace

std::string to_json(const journey_report& r) {
  detail::json_writer w;
  w.begin_object().member("format", format_name).member("version", journey_report_json_version);
  w.key("journey").begin_object().member("id", r.journey_id).member("revision", r.revision).end_object();
  w.key("steps").begin_array();
  for (const auto& s : r.steps)
    w.begin_object()
        .member("name", s.name)
        .member("stage", s.stage)
        .member("touchpoint", s.touchpoint)
        .member("channel", s.channel)
        .member("controlled", s.controlled)
        .member("funnel", s.funnel)
        .end_object();
  w.end_array();
  w.key("rejected").begin_object();
  for (std::size_t i = 0; i < journey_error_count; ++i) w.member(detail::journey_error_names[i], r.rejected[i]);
  w.end_object();
  w.key("events").begin_object().member("accepted", r.events_accepted).member("applied", r.events_applied).end_object();
  w.key("segments").begin_object();
  for (const auto& [k, s] : r.segments) {
    w.key(k).begin_object();
    w.member("started", s.started).member("completed", s.completed).member("abandoned", s.abandoned);
    w.member("abandoned_timeout", s.abandoned_timeout).member("evicted", s.evicted).member("unfinished", s.unfinished);
    sketch(w, "time_to_complete", s.time_to_complete);
    sketch(w, "effort_index", s.effort_index);
    w.key("effort");
    components(w, s.effort);
    counts(w, "reached", s.reached.data(), s.reached.size());
    counts(w, "ended", s.ended.data(), s.ended.size());
    counts(w, "last_step", s.last_step.data(), s.last_step.size());
    w.end_object();
  }
  w.end_object();
  w.key("durations").begin_array();
  for (const auto& [k, s] : r.durations) {
    w.begin_object().member("step", std::get<0>(k)).member("segment", std::get<1>(k)).member("channel", std::get<2>(k));
    sketch(w, "sketch", s);
    w.end_object();
  }
  w.end_array();
  w.key("step_effort").begin_array();
  for (const auto& e : r.step_effort) components(w, e);
  w.end_array();
  w.key("touchpoints").begin_object();
  for (const auto& [k, t] : r.touchpoints)
    w.key(k)
        .begin_object()
        .member("controlled", t.controlled)
        .member("events", t.events)
        .member("journeys", t.journeys)
        .member("completed", t.completed)
        .end_object();
  w.end_object();
  w.key("quotes").begin_object();
  for (const auto& [offer, by_channel] : r.quotes) {
    w.key(offer).begin_object();
    for (const auto& [c, q] : by_channel)
      w.key(c).begin_object().member("count", q.count).member("min", q.min).member("max", q.max).member("sum", q.sum).end_object();
    w.end_object();
  }
  w.end_object();
  w.key("messages").begin_object();
  for (const auto& [key, by_channel] : r.messages) {
    w.key(key).begin_object();
    for (const auto& [c, values] : by_channel) {
      w.key(c).begin_object();
      for (const auto& [v, n] : values) w.member(v, n);
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  w.key("survey").begin_object();
  w.member("attached", r.responses_attached)
      .member("unknown_step", r.responses_unknown_step)
      .member("without_duration", r.responses_without_duration)
      .member("duplicate", r.responses_duplicate);
  w.key("steps").begin_array();
  for (const auto& s : r.survey) {
    w.begin_object();
    w.key("nps");
    detail::write_question_tally(w, s.nps);
    w.key("ces");
    detail::write_question_tally(w, s.ces);
    w.key("emotion");
    detail::write_question_tally(w, s.emotion);
    w.key("nps_by_duration").begin_object();
    for (const auto& [b, c] : s.nps_by_duration) counts(w, std::to_string(b), c.data(), c.size());
    w.end_object();
    w.end_object();
  }
  w.end_array().end_object();
  w.end_object();
  return w.take();
}

result<journey_report> journey_report_from_json(std::string_view text) { return report_decoder().run(text); }

CXM_END_NAMESPACE
