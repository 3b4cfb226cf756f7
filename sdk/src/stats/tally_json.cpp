// SPDX-License-Identifier: MIT
// JSON encoding of tallies (format described in cxm/stats/tally_json.hpp, version 1).
#include "cxm/stats/tally_json.hpp"

#include "io/json_reader.hpp"
#include "io/json_writer.hpp"
#include "stats/tally_codec.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

void write_rejected(json_writer& w, const std::array<std::uint64_t, 4>& counts) {
  w.key("rejected").begin_object();
  for (std::size_t i = 0; i < counts.size(); ++i) w.member(name(nps_tally::rejected_reasons[i]), counts[i]);
  w.end_object();
}

bool read_rejected(json_reader& r, json_value o, const json_path& at, std::array<std::uint64_t, 4>& out) {
  const json_path r_at = at.member("rejected");
  const json_value v = r.field(o, "rejected", at);
  if (!v || !r.object(v, r_at) ||
      !r.only_keys(v, r_at, {"out_of_range", "not_integer", "not_finite", "wrong_type"}))
    return false;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!r.count_field(v, r_at, name(nps_tally::rejected_reasons[i]), out[i])) return false;
  return true;
}

bool read_counts(json_reader& r, json_value o, const json_path& at, std::size_t size, std::uint64_t* out) {
  const json_path c_at = at.member("counts");
  const json_value a = r.field(o, "counts", at);
  if (!a || !r.array(a, c_at)) return false;
  if (a.size() != size)
    return r.fail(errc::invalid_argument, c_at,
                  {"expected ", std::to_string(size), " entries, got ", std::to_string(a.size())});
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (!r.count(a.at(i), c_at.element(i), out[i])) return false;
    if (out[i] > max_count - total) return r.fail(errc::out_of_range, c_at, {"the total exceeds 2^62, the most a tally counts"});
    total += out[i];
  }
  return true;
}

void write_scale(json_writer& w, const scale& s) {
  w.key("scale").begin_object().member("min", s.min).member("max", s.max).member("top_box_min", s.top_box_min).end_object();
}

bool read_scale(json_reader& r, json_value o, const json_path& at, scale& out) {
  const json_path s_at = at.member("scale");
  const json_value v = r.field(o, "scale", at);
  if (!v || !r.object(v, s_at) || !r.only_keys(v, s_at, {"min", "max", "top_box_min"}) ||
      !r.integer_field(v, s_at, "min", -1000000, 1000000, out.min) ||
      !r.integer_field(v, s_at, "max", -1000000, 1000000, out.max) ||
      !r.integer_field(v, s_at, "top_box_min", -1000000, 1000000, out.top_box_min))
    return false;
  if (!out.valid())
    return r.fail(errc::invalid_argument, s_at, {"a scale needs min <= top_box_min <= max and at most 11 points"});
  return true;
}

}  // namespace detail

std::string to_json(const nps_tally& tally) {
  detail::json_writer w;
  w.begin_object().member("format", "cxm.nps_tally").member("version", json_format_version);
  w.key("counts").begin_array();
  for (std::uint64_t c : tally.counts()) w.value(c);
  w.end_array();
  detail::write_rejected(w, tally.rejected_counts());
  w.end_object();
  return w.take();
}

std::string to_json(const scale_tally& tally) {
  const scale& s = tally.answer_scale();
  detail::json_writer w;
  w.begin_object().member("format", "cxm.scale_tally").member("version", json_format_version);
  detail::write_scale(w, s);
  w.key("counts").begin_array();
  for (int i = 0; i < s.points(); ++i) w.value(tally.counts()[static_cast<std::size_t>(i)]);
  w.end_array();
  detail::write_rejected(w, tally.rejected_counts());
  w.end_object();
  return w.take();
}

result<nps_tally> nps_tally_from_json(std::string_view text) {
  detail::json_reader r;
  const detail::json_path at;
  if (!r.parse(text, tally_json_limits)) return r.error<nps_tally>();
  const detail::json_value root = r.root();
  nps_tally::counts_type counts{};
  std::array<std::uint64_t, 4> rejected{};
  if (!r.header(root, "cxm.nps_tally", json_format_version) ||
      !r.only_keys(root, at, {"format", "version", "counts", "rejected"}) ||
      !detail::read_counts(r, root, at, counts.size(), counts.data()) || !detail::read_rejected(r, root, at, rejected))
    return r.error<nps_tally>();
  nps_tally t(counts);
  t.set_rejected_counts(rejected);
  return t;
}

result<scale_tally> scale_tally_from_json(std::string_view text) {
  detail::json_reader r;
  const detail::json_path at;
  if (!r.parse(text, tally_json_limits)) return r.error<scale_tally>();
  const detail::json_value root = r.root();
  scale s;
  if (!r.header(root, "cxm.scale_tally", json_format_version) ||
      !r.only_keys(root, at, {"format", "version", "scale", "counts", "rejected"}) || !detail::read_scale(r, root, at, s))
    return r.error<scale_tally>();
  scale_tally::counts_type counts{};
  std::array<std::uint64_t, 4> rejected{};
  if (!detail::read_counts(r, root, at, static_cast<std::size_t>(s.points()), counts.data()) ||
      !detail::read_rejected(r, root, at, rejected))
    return r.error<scale_tally>();
  auto tally = scale_tally::make(s).value();  // read_scale checked it
  (void)tally.set_counts(counts);             // read_counts checked the total
  tally.set_rejected_counts(rejected);
  return tally;
}

CXM_END_NAMESPACE
