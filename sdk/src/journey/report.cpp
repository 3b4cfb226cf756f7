// SPDX-License-Identifier: MIT
// journey_report: merge, queries and the versioned JSON form (format in cxm/journey_report.hpp).
#include "cxm/journey/report.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <initializer_list>

#include "cxm/sketch/duration_sketch_codec.hpp"
#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE
namespace {

namespace json = boost::json;

constexpr const char* format_name = "cxm.journey_report";
constexpr std::size_t max_json_bytes = std::size_t{64} << 20;

const char* const error_names[journey_error_count] = {
    "none", "unknown_step", "unknown_journey", "unknown_touchpoint", "begin_twice", "end_without_begin",
    "double_end", "clock_backwards", "duration_over_year", "journey_closed", "invalid_event"};

std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) noexcept { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

void add_counts(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.size() < b.size()) a.resize(b.size(), 0);
  for (std::size_t i = 0; i < b.size(); ++i) a[i] = sat_add(a[i], b[i]);
}

// ---- base64 (RFC 4648, padded) ----
constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string to_base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(in[i])} << 16 |
                            std::uint32_t{static_cast<unsigned char>(in[i + 1])} << 8 |
                            std::uint32_t{static_cast<unsigned char>(in[i + 2])};
    out += b64[v >> 18 & 63];
    out += b64[v >> 12 & 63];
    out += b64[v >> 6 & 63];
    out += b64[v & 63];
  }
  if (i < in.size()) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(in[i])} << 16;
    if (i + 1 < in.size()) v |= std::uint32_t{static_cast<unsigned char>(in[i + 1])} << 8;
    out += b64[v >> 18 & 63];
    out += b64[v >> 12 & 63];
    out += i + 1 < in.size() ? b64[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

bool from_base64(std::string_view in, std::string& out) {
  out.clear();
  if (in.size() % 4 != 0) return false;
  const auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    const int pad = last ? (in[i + 3] == '=') + (in[i + 2] == '=') : 0;
    if (pad == 1 && in[i + 2] == '=') return false;
    int v[4] = {val(in[i]), val(in[i + 1]), pad >= 2 ? 0 : val(in[i + 2]), pad >= 1 ? 0 : val(in[i + 3])};
    for (int x : v)
      if (x < 0) return false;
    const std::uint32_t w = static_cast<std::uint32_t>(v[0]) << 18 | static_cast<std::uint32_t>(v[1]) << 12 |
                            static_cast<std::uint32_t>(v[2]) << 6 | static_cast<std::uint32_t>(v[3]);
    out += static_cast<char>(w >> 16 & 0xFF);
    if (pad < 2) out += static_cast<char>(w >> 8 & 0xFF);
    if (pad < 1) out += static_cast<char>(w & 0xFF);
  }
  return true;
}

// ---- encoding helpers ----
json::value sketch_value(const duration_sketch& s) { return json::value(to_base64(encode(s))); }

json::array counts_array(const std::uint64_t* c, std::size_t n) {
  json::array a;
  a.reserve(n);
  for (std::size_t i = 0; i < n; ++i) a.push_back(c[i]);
  return a;
}

json::object components_object(const effort_components& e) {
  return json::object{{"journeys", e.journeys},       {"contacts", e.contacts},
                      {"recontacts", e.recontacts},   {"transfers", e.transfers},
                      {"channel_switches", e.channel_switches}, {"waits", e.waits},
                      {"wait_ms", e.wait_ms},         {"wait_points", e.wait_points},
                      {"repeats", e.repeats}};
}

// ---- strict decoding helpers (each error names the path) ----
struct decoder {
  std::string detail;
  errc code = errc::ok;

  bool fail(errc e, std::string d) {
    code = e;
    detail = std::move(d);
    return false;
  }
  bool keys(const json::object& o, std::initializer_list<std::string_view> allowed, const std::string& path) {
    for (const auto& kv : o) {
      const std::string_view k(kv.key().data(), kv.key().size());
      bool known = false;
      for (std::string_view a : allowed) known = known || a == k;
      if (!known) return fail(errc::invalid_argument, path + (path.empty() ? "" : ".") + std::string(k) + ": unknown field");
    }
    for (std::string_view a : allowed)
      if (!o.contains(json::string_view(a.data(), a.size())))
        return fail(errc::missing_field, path + (path.empty() ? "" : ".") + std::string(a) + ": missing");
    return true;
  }
  const json::value& at(const json::object& o, std::string_view k) { return o.at(json::string_view(k.data(), k.size())); }
  static std::string join(const std::string& path, std::string_view k) {
    return path.empty() ? std::string(k) : path + "." + std::string(k);
  }
  bool object(const json::value& v, const std::string& path, const json::object*& out) {
    out = v.if_object();
    return out != nullptr || fail(errc::wrong_type, path + ": expected an object");
  }
  bool array(const json::value& v, const std::string& path, const json::array*& out) {
    out = v.if_array();
    return out != nullptr || fail(errc::wrong_type, path + ": expected an array");
  }
  bool u64(const json::value& v, const std::string& path, std::uint64_t& out) {
    std::string d;
    const errc e = detail::get_u64(v, path, out, d);
    return e == errc::ok || fail(e, d);
  }
  bool i64(const json::value& v, const std::string& path, std::int64_t& out) {
    if (const std::int64_t* i = v.if_int64()) { out = *i; return true; }
    if (const std::uint64_t* u = v.if_uint64()) {
      if (*u <= static_cast<std::uint64_t>(INT64_MAX)) { out = static_cast<std::int64_t>(*u); return true; }
      return fail(errc::out_of_range, path + ": integer out of range");
    }
    return fail(v.is_double() ? errc::not_integer : errc::wrong_type, path + ": expected an integer");
  }
  bool boolean(const json::value& v, const std::string& path, bool& out) {
    if (!v.is_bool()) return fail(errc::wrong_type, path + ": expected a boolean");
    out = v.get_bool();
    return true;
  }
  bool string(const json::value& v, const std::string& path, std::string& out) {
    const json::string* s = v.if_string();
    if (s == nullptr) return fail(errc::wrong_type, path + ": expected a string");
    out.assign(s->data(), s->size());
    return true;
  }
  bool sketch(const json::value& v, const std::string& path, duration_sketch& out) {
    std::string text, bytes;
    if (!string(v, path, text)) return false;
    if (!from_base64(text, bytes)) return fail(errc::invalid_argument, path + ": expected base64");
    auto s = decode_duration_sketch(bytes);
    if (!s) return fail(s.code(), path + ": " + s.detail());
    out = std::move(s).value();
    return true;
  }
  bool counts(const json::value& v, const std::string& path, std::size_t n, std::uint64_t* out) {
    const json::array* a = nullptr;
    if (!array(v, path, a)) return false;
    if (a->size() != n) return fail(errc::invalid_argument, path + ": expected " + std::to_string(n) + " counts");
    for (std::size_t i = 0; i < n; ++i)
      if (!u64((*a)[i], path + "[" + std::to_string(i) + "]", out[i])) return false;
    return true;
  }
  bool components(const json::value& v, const std::string& path, effort_components& e) {
    const json::object* o = nullptr;
    if (!object(v, path, o)) return false;
    if (!keys(*o, {"journeys", "contacts", "recontacts", "transfers", "channel_switches", "waits", "wait_ms",
                   "wait_points", "repeats"},
              path))
      return false;
    return u64(at(*o, "journeys"), join(path, "journeys"), e.journeys) &&
           u64(at(*o, "contacts"), join(path, "contacts"), e.contacts) &&
           u64(at(*o, "recontacts"), join(path, "recontacts"), e.recontacts) &&
           u64(at(*o, "transfers"), join(path, "transfers"), e.transfers) &&
           u64(at(*o, "channel_switches"), join(path, "channel_switches"), e.channel_switches) &&
           u64(at(*o, "waits"), join(path, "waits"), e.waits) &&
           u64(at(*o, "wait_ms"), join(path, "wait_ms"), e.wait_ms) &&
           u64(at(*o, "wait_points"), join(path, "wait_points"), e.wait_points) &&
           u64(at(*o, "repeats"), join(path, "repeats"), e.repeats);
  }
};

}  // namespace

const char* name(journey_error e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < journey_error_count ? error_names[i] : "unknown";
}

void effort_components::merge(const effort_components& o) noexcept {
  journeys = sat_add(journeys, o.journeys);
  contacts = sat_add(contacts, o.contacts);
  recontacts = sat_add(recontacts, o.recontacts);
  transfers = sat_add(transfers, o.transfers);
  channel_switches = sat_add(channel_switches, o.channel_switches);
  waits = sat_add(waits, o.waits);
  wait_ms = sat_add(wait_ms, o.wait_ms);
  wait_points = sat_add(wait_points, o.wait_points);
  repeats = sat_add(repeats, o.repeats);
}

double effort_components::total() const noexcept {
  return effort_weights::transfer * static_cast<double>(transfers) +
         effort_weights::recontact * static_cast<double>(recontacts) +
         effort_weights::channel_switch * static_cast<double>(channel_switches) +
         effort_weights::repeat * static_cast<double>(repeats) +
         effort_weights::wait_point * static_cast<double>(wait_points);
}

int journey_report::duration_band(double ms) noexcept {
  if (!(ms > 0)) return -1;
  // Band b holds (2^(b/4), 2^((b+1)/4)]: the exact base-2 exponential index at scale 2.
  return log_mapping(2).index(ms);
}

double journey_report::band_lower_ms(int band) noexcept {
  return band < 0 ? 0.0 : std::exp2(static_cast<double>(band) / 4.0);
}

int journey_report::step_index(std::string_view step) const noexcept {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == step) return static_cast<int>(i);
  return -1;
}

std::uint64_t journey_report::rejected_total() const noexcept {
  std::uint64_t t = 0;
  for (std::uint64_t r : rejected) t = sat_add(t, r);
  return t;
}

static bool same_steps(const journey_report& a, const journey_report& b) {
  if (a.steps.size() != b.steps.size()) return false;
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    const auto& x = a.steps[i];
    const auto& y = b.steps[i];
    if (x.name != y.name || x.stage != y.stage || x.touchpoint != y.touchpoint || x.channel != y.channel ||
        x.controlled != y.controlled || x.funnel != y.funnel)
      return false;
  }
  return true;
}

static status merge_segment(journey_segment_stats& a, const journey_segment_stats& b) {
  if (status s = a.time_to_complete.merge(b.time_to_complete); !s) return s;
  if (status s = a.effort_index.merge(b.effort_index); !s) return s;
  a.started = sat_add(a.started, b.started);
  a.completed = sat_add(a.completed, b.completed);
  a.abandoned = sat_add(a.abandoned, b.abandoned);
  a.abandoned_timeout = sat_add(a.abandoned_timeout, b.abandoned_timeout);
  a.evicted = sat_add(a.evicted, b.evicted);
  a.unfinished = sat_add(a.unfinished, b.unfinished);
  a.effort.merge(b.effort);
  add_counts(a.reached, b.reached);
  add_counts(a.ended, b.ended);
  add_counts(a.last_step, b.last_step);
  return errc::ok;
}

status journey_report::merge(const journey_report& other) {
  if (journey_id != other.journey_id || revision != other.revision || !same_steps(*this, other))
    return errc::incompatible;
  // Check every sketch pair first so a failure leaves the report unchanged.
  for (const auto& [k, s] : other.durations) {
    auto it = durations.find(k);
    if (it != durations.end() && it->second.zero_threshold() != s.zero_threshold()) return errc::incompatible;
  }
  for (const auto& [k, s] : other.segments) {
    auto it = segments.find(k);
    if (it != segments.end() &&
        (it->second.time_to_complete.zero_threshold() != s.time_to_complete.zero_threshold() ||
         it->second.effort_index.zero_threshold() != s.effort_index.zero_threshold()))
      return errc::incompatible;
  }
  journey_report r = *this;  // the sum overflow of a sketch is the only other failure
  for (std::size_t i = 0; i < journey_error_count; ++i) r.rejected[i] = sat_add(r.rejected[i], other.rejected[i]);
  r.events_accepted = sat_add(r.events_accepted, other.events_accepted);
  r.events_applied = sat_add(r.events_applied, other.events_applied);
  for (const auto& [k, s] : other.segments) {
    auto it = r.segments.find(k);
    if (it == r.segments.end()) r.segments.emplace(k, s);
    else if (status st = merge_segment(it->second, s); !st) return st;
  }
  for (const auto& [k, s] : other.durations) {
    auto it = r.durations.find(k);
    if (it == r.durations.end()) r.durations.emplace(k, s);
    else if (status st = it->second.merge(s); !st) return st;
  }
  if (r.step_effort.size() < other.step_effort.size()) r.step_effort.resize(other.step_effort.size());
  for (std::size_t i = 0; i < other.step_effort.size(); ++i) r.step_effort[i].merge(other.step_effort[i]);
  for (const auto& [k, t] : other.touchpoints) {
    auto [it, fresh] = r.touchpoints.try_emplace(k, t);
    if (!fresh) {
      it->second.events = sat_add(it->second.events, t.events);
      it->second.journeys = sat_add(it->second.journeys, t.journeys);
      it->second.completed = sat_add(it->second.completed, t.completed);
    }
  }
  for (const auto& [offer, by_channel] : other.quotes)
    for (const auto& [channel, q] : by_channel) {
      auto [it, fresh] = r.quotes[offer].try_emplace(channel, q);
      if (fresh) continue;
      quote_stats& a = it->second;
      a.min = std::min(a.min, q.min);
      a.max = std::max(a.max, q.max);
      a.count = sat_add(a.count, q.count);
      if (__builtin_add_overflow(a.sum, q.sum, &a.sum)) a.sum = q.sum > 0 ? INT64_MAX : INT64_MIN;
    }
  for (const auto& [key, by_channel] : other.messages)
    for (const auto& [channel, values] : by_channel)
      for (const auto& [value, n] : values) {
        std::uint64_t& c = r.messages[key][channel][value];
        c = sat_add(c, n);
      }
  r.responses_attached = sat_add(r.responses_attached, other.responses_attached);
  r.responses_unknown_step = sat_add(r.responses_unknown_step, other.responses_unknown_step);
  r.responses_without_duration = sat_add(r.responses_without_duration, other.responses_without_duration);
  if (r.survey.size() < other.survey.size()) r.survey.resize(other.survey.size());
  for (std::size_t i = 0; i < other.survey.size(); ++i) {
    step_survey& a = r.survey[i];
    const step_survey& b = other.survey[i];
    if (status st = a.nps.merge(b.nps); !st) return st;  // r is a copy: *this is unchanged
    for (std::size_t k = 0; k < a.ces.size(); ++k) a.ces[k] = sat_add(a.ces[k], b.ces[k]);
    for (const auto& [e, n] : b.emotions) {
      std::uint64_t& c = a.emotions[e];
      c = sat_add(c, n);
    }
    for (const auto& [band, counts] : b.nps_by_duration) {
      auto [it, fresh] = a.nps_by_duration.try_emplace(band, counts);
      if (!fresh)
        for (std::size_t k = 0; k < counts.size(); ++k) it->second[k] = sat_add(it->second[k], counts[k]);
    }
  }
  *this = std::move(r);
  return errc::ok;
}

journey_segment_stats journey_report::total() const {
  journey_segment_stats t;
  t.reached.assign(steps.size(), 0);
  t.ended.assign(steps.size(), 0);
  t.last_step.assign(steps.size(), 0);
  bool first = true;
  for (const auto& [k, s] : segments) {
    if (first) {
      t.time_to_complete = s.time_to_complete;
      t.effort_index = s.effort_index;
      t.time_to_complete.clear();
      t.effort_index.clear();
      first = false;
    }
    (void)merge_segment(t, s);
  }
  return t;
}

duration_sketch journey_report::step_durations(std::string_view step) const {
  duration_sketch out;
  bool first = true;
  for (const auto& [k, s] : durations) {
    if (std::get<0>(k) != step) continue;
    if (first) {
      out = s;
      first = false;
    } else {
      (void)out.merge(s);
    }
  }
  return out;
}

std::vector<funnel_row> journey_report::funnel() const {
  const journey_segment_stats t = total();
  std::vector<funnel_row> rows;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].funnel) continue;
    funnel_row r;
    r.step = i;
    r.reached = t.reached[i];
    r.ended = t.ended[i];
    r.dropped = t.last_step[i];
    rows.push_back(r);
  }
  for (std::size_t k = 0; k + 1 < rows.size(); ++k)
    rows[k].conversion_to_next =
        rows[k].reached == 0 ? 0.0 : static_cast<double>(rows[k + 1].reached) / static_cast<double>(rows[k].reached);
  return rows;
}

std::vector<consistency_row> journey_report::quote_consistency() const {
  std::vector<consistency_row> out;
  for (const auto& [offer, by_channel] : quotes) {
    consistency_row r;
    r.key = offer;
    r.channels = by_channel.size();
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    const quote_stats* first = nullptr;
    for (const auto& [channel, q] : by_channel) {
      lo = std::min(lo, q.min);
      hi = std::max(hi, q.max);
      if (first == nullptr) first = &q;
      else if (q.min != first->min || q.max != first->max) r.inconsistent = true;
    }
    r.spread = by_channel.empty() ? 0.0 : static_cast<double>(hi - lo) / 1e6;
    out.push_back(r);
  }
  return out;
}

std::vector<consistency_row> journey_report::message_consistency() const {
  std::vector<consistency_row> out;
  for (const auto& [key, by_channel] : messages) {
    consistency_row r;
    r.key = key;
    r.channels = by_channel.size();
    std::map<std::string, int> distinct;
    const std::map<std::string, std::uint64_t>* first = nullptr;
    for (const auto& [channel, values] : by_channel) {
      for (const auto& v : values) distinct[v.first] = 1;
      if (first == nullptr) {
        first = &values;
      } else {
        bool same = first->size() == values.size();
        for (auto a = first->begin(), b = values.begin(); same && a != first->end(); ++a, ++b) same = a->first == b->first;
        if (!same) r.inconsistent = true;
      }
    }
    r.spread = static_cast<double>(distinct.size());
    out.push_back(r);
  }
  return out;
}

nps_tally journey_report::nps_slower_than(std::string_view step, double threshold_ms) const {
  const int s = step_index(step);
  nps_tally::counts_type c{};
  if (s < 0 || static_cast<std::size_t>(s) >= survey.size()) return nps_tally(c);
  for (const auto& [band, counts] : survey[static_cast<std::size_t>(s)].nps_by_duration) {
    if (band < 0 || band_lower_ms(band) < threshold_ms) continue;
    for (std::size_t k = 0; k < c.size(); ++k) c[k] = sat_add(c[k], counts[k]);
  }
  return nps_tally(c);
}

std::array<touchpoint_stats, 2> journey_report::touchpoints_by_kind() const {
  std::array<touchpoint_stats, 2> out{};
  out[1].controlled = false;
  for (const auto& [n, t] : touchpoints) {
    touchpoint_stats& o = out[t.controlled ? 0 : 1];
    o.events = sat_add(o.events, t.events);
    o.journeys = sat_add(o.journeys, t.journeys);
    o.completed = sat_add(o.completed, t.completed);
  }
  return out;
}

bool operator==(const journey_report& a, const journey_report& b) { return to_json(a) == to_json(b); }

std::string to_json(const journey_report& r) {
  json::object o;
  o["format"] = format_name;
  o["version"] = journey_report_json_version;
  o["journey"] = json::object{{"id", r.journey_id}, {"revision", r.revision}};
  json::array steps;
  for (const auto& s : r.steps)
    steps.push_back(json::object{{"name", s.name},         {"stage", s.stage},
                                 {"touchpoint", s.touchpoint}, {"channel", s.channel},
                                 {"controlled", s.controlled}, {"funnel", s.funnel}});
  o["steps"] = std::move(steps);
  json::object rejected;
  for (std::size_t i = 0; i < journey_error_count; ++i) rejected[error_names[i]] = r.rejected[i];
  o["rejected"] = std::move(rejected);
  o["events"] = json::object{{"accepted", r.events_accepted}, {"applied", r.events_applied}};
  json::object segments;
  for (const auto& [k, s] : r.segments) {
    segments[k] = json::object{{"started", s.started},
                               {"completed", s.completed},
                               {"abandoned", s.abandoned},
                               {"abandoned_timeout", s.abandoned_timeout},
                               {"evicted", s.evicted},
                               {"unfinished", s.unfinished},
                               {"time_to_complete", sketch_value(s.time_to_complete)},
                               {"effort_index", sketch_value(s.effort_index)},
                               {"effort", components_object(s.effort)},
                               {"reached", counts_array(s.reached.data(), s.reached.size())},
                               {"ended", counts_array(s.ended.data(), s.ended.size())},
                               {"last_step", counts_array(s.last_step.data(), s.last_step.size())}};
  }
  o["segments"] = std::move(segments);
  json::array durations;
  for (const auto& [k, s] : r.durations)
    durations.push_back(json::object{{"step", std::get<0>(k)},
                                     {"segment", std::get<1>(k)},
                                     {"channel", std::get<2>(k)},
                                     {"sketch", sketch_value(s)}});
  o["durations"] = std::move(durations);
  json::array step_effort;
  for (const auto& e : r.step_effort) step_effort.push_back(components_object(e));
  o["step_effort"] = std::move(step_effort);
  json::object tps;
  for (const auto& [k, t] : r.touchpoints)
    tps[k] = json::object{{"controlled", t.controlled}, {"events", t.events}, {"journeys", t.journeys}, {"completed", t.completed}};
  o["touchpoints"] = std::move(tps);
  json::object quotes;
  for (const auto& [offer, by_channel] : r.quotes) {
    json::object ch;
    for (const auto& [c, q] : by_channel)
      ch[c] = json::object{{"count", q.count}, {"min", q.min}, {"max", q.max}, {"sum", q.sum}};
    quotes[offer] = std::move(ch);
  }
  o["quotes"] = std::move(quotes);
  json::object messages;
  for (const auto& [key, by_channel] : r.messages) {
    json::object ch;
    for (const auto& [c, values] : by_channel) {
      json::object vs;
      for (const auto& [v, n] : values) vs[v] = n;
      ch[c] = std::move(vs);
    }
    messages[key] = std::move(ch);
  }
  o["messages"] = std::move(messages);
  json::array survey_steps;
  for (const auto& s : r.survey) {
    json::object em;
    for (const auto& [e, n] : s.emotions) em[e] = n;
    json::object bands;
    for (const auto& [b, c] : s.nps_by_duration) bands[std::to_string(b)] = counts_array(c.data(), c.size());
    survey_steps.push_back(json::object{{"nps", counts_array(s.nps.counts().data(), s.nps.counts().size())},
                                        {"ces", counts_array(s.ces.data(), s.ces.size())},
                                        {"emotions", std::move(em)},
                                        {"nps_by_duration", std::move(bands)}});
  }
  o["survey"] = json::object{{"attached", r.responses_attached},
                             {"unknown_step", r.responses_unknown_step},
                             {"without_duration", r.responses_without_duration},
                             {"steps", std::move(survey_steps)}};
  return json::serialize(o);
}

result<journey_report> journey_report_from_json(std::string_view text) {
  detail::json_limits limits;
  limits.max_bytes = max_json_bytes;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) return {parsed.code(), parsed.detail()};
  const json::object* root = parsed.value().if_object();
  if (root == nullptr) return {errc::wrong_type, "(root): expected an object"};
  std::string hd;
  if (errc e = detail::check_header(*root, format_name, journey_report_json_version, hd); e != errc::ok) return {e, hd};
  decoder d;
  journey_report r;
  const auto failed = [&d]() -> result<journey_report> { return {d.code, d.detail}; };
  if (!d.keys(*root, {"format", "version", "journey", "steps", "rejected", "events", "segments", "durations",
                      "step_effort", "touchpoints", "quotes", "messages", "survey"},
              ""))
    return failed();
  const json::object* jo = nullptr;
  if (!d.object(d.at(*root, "journey"), "journey", jo) || !d.keys(*jo, {"id", "revision"}, "journey") ||
      !d.string(d.at(*jo, "id"), "journey.id", r.journey_id) || !d.i64(d.at(*jo, "revision"), "journey.revision", r.revision))
    return failed();
  const json::array* steps = nullptr;
  if (!d.array(d.at(*root, "steps"), "steps", steps)) return failed();
  if (steps->size() > 64) return {errc::too_large, "steps: more than 64"};
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const std::string p = "steps[" + std::to_string(i) + "]";
    const json::object* so = nullptr;
    journey_report::step_info s;
    if (!d.object((*steps)[i], p, so) || !d.keys(*so, {"name", "stage", "touchpoint", "channel", "controlled", "funnel"}, p) ||
        !d.string(d.at(*so, "name"), p + ".name", s.name) || !d.string(d.at(*so, "stage"), p + ".stage", s.stage) ||
        !d.string(d.at(*so, "touchpoint"), p + ".touchpoint", s.touchpoint) ||
        !d.string(d.at(*so, "channel"), p + ".channel", s.channel) ||
        !d.boolean(d.at(*so, "controlled"), p + ".controlled", s.controlled) ||
        !d.boolean(d.at(*so, "funnel"), p + ".funnel", s.funnel))
      return failed();
    r.steps.push_back(std::move(s));
  }
  const std::size_t n = r.steps.size();
  const json::object* rej = nullptr;
  if (!d.object(d.at(*root, "rejected"), "rejected", rej)) return failed();
  {
    std::initializer_list<std::string_view> names = {error_names[0], error_names[1], error_names[2], error_names[3],
                                                     error_names[4], error_names[5], error_names[6], error_names[7],
                                                     error_names[8], error_names[9], error_names[10]};
    if (!d.keys(*rej, names, "rejected")) return failed();
    for (std::size_t i = 0; i < journey_error_count; ++i)
      if (!d.u64(d.at(*rej, error_names[i]), std::string("rejected.") + error_names[i], r.rejected[i])) return failed();
  }
  const json::object* ev = nullptr;
  if (!d.object(d.at(*root, "events"), "events", ev) || !d.keys(*ev, {"accepted", "applied"}, "events") ||
      !d.u64(d.at(*ev, "accepted"), "events.accepted", r.events_accepted) ||
      !d.u64(d.at(*ev, "applied"), "events.applied", r.events_applied))
    return failed();

  const json::object* segs = nullptr;
  if (!d.object(d.at(*root, "segments"), "segments", segs)) return failed();
  for (const auto& kv : *segs) {
    const std::string key(kv.key().data(), kv.key().size());
    const std::string p = "segments." + key;
    const json::object* so = nullptr;
    journey_segment_stats s;
    s.reached.assign(n, 0);
    s.ended.assign(n, 0);
    s.last_step.assign(n, 0);
    if (!d.object(kv.value(), p, so) ||
        !d.keys(*so, {"started", "completed", "abandoned", "abandoned_timeout", "evicted", "unfinished",
                      "time_to_complete", "effort_index", "effort", "reached", "ended", "last_step"},
                p) ||
        !d.u64(d.at(*so, "started"), p + ".started", s.started) ||
        !d.u64(d.at(*so, "completed"), p + ".completed", s.completed) ||
        !d.u64(d.at(*so, "abandoned"), p + ".abandoned", s.abandoned) ||
        !d.u64(d.at(*so, "abandoned_timeout"), p + ".abandoned_timeout", s.abandoned_timeout) ||
        !d.u64(d.at(*so, "evicted"), p + ".evicted", s.evicted) ||
        !d.u64(d.at(*so, "unfinished"), p + ".unfinished", s.unfinished) ||
        !d.sketch(d.at(*so, "time_to_complete"), p + ".time_to_complete", s.time_to_complete) ||
        !d.sketch(d.at(*so, "effort_index"), p + ".effort_index", s.effort_index) ||
        !d.components(d.at(*so, "effort"), p + ".effort", s.effort) ||
        !d.counts(d.at(*so, "reached"), p + ".reached", n, s.reached.data()) ||
        !d.counts(d.at(*so, "ended"), p + ".ended", n, s.ended.data()) ||
        !d.counts(d.at(*so, "last_step"), p + ".last_step", n, s.last_step.data()))
      return failed();
    r.segments.emplace(key, std::move(s));
  }
  const json::array* durs = nullptr;
  if (!d.array(d.at(*root, "durations"), "durations", durs)) return failed();
  for (std::size_t i = 0; i < durs->size(); ++i) {
    const std::string p = "durations[" + std::to_string(i) + "]";
    const json::object* co = nullptr;
    std::string step, seg, ch;
    duration_sketch s;
    if (!d.object((*durs)[i], p, co) || !d.keys(*co, {"step", "segment", "channel", "sketch"}, p) ||
        !d.string(d.at(*co, "step"), p + ".step", step) || !d.string(d.at(*co, "segment"), p + ".segment", seg) ||
        !d.string(d.at(*co, "channel"), p + ".channel", ch) || !d.sketch(d.at(*co, "sketch"), p + ".sketch", s))
      return failed();
    bool known = false;
    for (const auto& si : r.steps) known = known || si.name == step;
    if (!known) return {errc::invalid_argument, p + ".step: not a step of the journey"};
    if (!r.durations.emplace(journey_report::cell_key{step, seg, ch}, std::move(s)).second)
      return {errc::invalid_argument, p + ": the same step, segment and channel twice"};
  }
  const json::array* se = nullptr;
  if (!d.array(d.at(*root, "step_effort"), "step_effort", se)) return failed();
  if (se->size() != n) return {errc::invalid_argument, "step_effort: expected one entry per step"};
  r.step_effort.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    if (!d.components((*se)[i], "step_effort[" + std::to_string(i) + "]", r.step_effort[i])) return failed();
  const json::object* tps = nullptr;
  if (!d.object(d.at(*root, "touchpoints"), "touchpoints", tps)) return failed();
  for (const auto& kv : *tps) {
    const std::string key(kv.key().data(), kv.key().size());
    const std::string p = "touchpoints." + key;
    const json::object* to = nullptr;
    touchpoint_stats t;
    if (!d.object(kv.value(), p, to) || !d.keys(*to, {"controlled", "events", "journeys", "completed"}, p) ||
        !d.boolean(d.at(*to, "controlled"), p + ".controlled", t.controlled) ||
        !d.u64(d.at(*to, "events"), p + ".events", t.events) || !d.u64(d.at(*to, "journeys"), p + ".journeys", t.journeys) ||
        !d.u64(d.at(*to, "completed"), p + ".completed", t.completed))
      return failed();
    r.touchpoints.emplace(key, t);
  }
  const json::object* qs = nullptr;
  if (!d.object(d.at(*root, "quotes"), "quotes", qs)) return failed();
  for (const auto& kv : *qs) {
    const std::string offer(kv.key().data(), kv.key().size());
    const json::object* co = nullptr;
    if (!d.object(kv.value(), "quotes." + offer, co)) return failed();
    for (const auto& ckv : *co) {
      const std::string ch(ckv.key().data(), ckv.key().size());
      const std::string p = "quotes." + offer + "." + ch;
      const json::object* qo = nullptr;
      quote_stats q;
      if (!d.object(ckv.value(), p, qo) || !d.keys(*qo, {"count", "min", "max", "sum"}, p) ||
          !d.u64(d.at(*qo, "count"), p + ".count", q.count) || !d.i64(d.at(*qo, "min"), p + ".min", q.min) ||
          !d.i64(d.at(*qo, "max"), p + ".max", q.max) || !d.i64(d.at(*qo, "sum"), p + ".sum", q.sum))
        return failed();
      if (q.count == 0 || q.min > q.max) return {errc::invalid_argument, p + ": needs count > 0 and min <= max"};
      r.quotes[offer][ch] = q;
    }
  }
  const json::object* ms = nullptr;
  if (!d.object(d.at(*root, "messages"), "messages", ms)) return failed();
  for (const auto& kv : *ms) {
    const std::string key(kv.key().data(), kv.key().size());
    const json::object* co = nullptr;
    if (!d.object(kv.value(), "messages." + key, co)) return failed();
    for (const auto& ckv : *co) {
      const std::string ch(ckv.key().data(), ckv.key().size());
      const json::object* vo = nullptr;
      if (!d.object(ckv.value(), "messages." + key + "." + ch, vo)) return failed();
      for (const auto& vkv : *vo) {
        const std::string v(vkv.key().data(), vkv.key().size());
        std::uint64_t c = 0;
        if (!d.u64(vkv.value(), "messages." + key + "." + ch + "." + v, c)) return failed();
        r.messages[key][ch][v] = c;
      }
    }
  }
  const json::object* sv = nullptr;
  if (!d.object(d.at(*root, "survey"), "survey", sv) ||
      !d.keys(*sv, {"attached", "unknown_step", "without_duration", "steps"}, "survey") ||
      !d.u64(d.at(*sv, "attached"), "survey.attached", r.responses_attached) ||
      !d.u64(d.at(*sv, "unknown_step"), "survey.unknown_step", r.responses_unknown_step) ||
      !d.u64(d.at(*sv, "without_duration"), "survey.without_duration", r.responses_without_duration))
    return failed();
  const json::array* ss = nullptr;
  if (!d.array(d.at(*sv, "steps"), "survey.steps", ss)) return failed();
  if (ss->size() != n) return {errc::invalid_argument, "survey.steps: expected one entry per step"};
  r.survey.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string p = "survey.steps[" + std::to_string(i) + "]";
    const json::object* so = nullptr;
    step_survey& s = r.survey[i];
    nps_tally::counts_type nps{};
    if (!d.object((*ss)[i], p, so) || !d.keys(*so, {"nps", "ces", "emotions", "nps_by_duration"}, p) ||
        !d.counts(d.at(*so, "nps"), p + ".nps", nps.size(), nps.data()) ||
        !d.counts(d.at(*so, "ces"), p + ".ces", s.ces.size(), s.ces.data()))
      return failed();
    s.nps = nps_tally(nps);
    const json::object* em = nullptr;
    if (!d.object(d.at(*so, "emotions"), p + ".emotions", em)) return failed();
    for (const auto& kv : *em) {
      std::uint64_t c = 0;
      const std::string e(kv.key().data(), kv.key().size());
      if (!d.u64(kv.value(), p + ".emotions." + e, c)) return failed();
      s.emotions[e] = c;
    }
    const json::object* bands = nullptr;
    if (!d.object(d.at(*so, "nps_by_duration"), p + ".nps_by_duration", bands)) return failed();
    for (const auto& kv : *bands) {
      const std::string b(kv.key().data(), kv.key().size());
      const std::string q = p + ".nps_by_duration." + b;
      std::size_t used = 0;
      int band = 0;
      bool ok = !b.empty() && b.size() <= 6;
      if (ok) {
        char* end = nullptr;
        const long v = std::strtol(b.c_str(), &end, 10);
        used = static_cast<std::size_t>(end - b.c_str());
        ok = used == b.size() && v >= -1 && v <= 1000 && std::to_string(v) == b;
        band = static_cast<int>(v);
      }
      if (!ok) return {errc::invalid_argument, q + ": expected a band number"};
      nps_tally::counts_type c{};
      if (!d.counts(kv.value(), q, c.size(), c.data())) return failed();
      s.nps_by_duration[band] = c;
    }
  }
  return r;
}

CXM_END_NAMESPACE
