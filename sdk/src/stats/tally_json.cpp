// SPDX-License-Identifier: MIT
// JSON encoding of tallies (format described in cxm/json.hpp, version 1).
#include "cxm/stats/tally_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE
namespace {

namespace json = boost::json;

json::object rejected_object(const std::array<std::uint64_t, 4>& counts,
                             const std::array<errc, 4>& reasons) {
  json::object o;
  for (std::size_t i = 0; i < reasons.size(); ++i) o[name(reasons[i])] = counts[i];
  return o;
}

errc read_rejected(const json::object& root, const std::array<errc, 4>& reasons,
                   std::array<std::uint64_t, 4>& out, std::string& detail) {
  const json::object* r = nullptr;
  if (errc e = detail::get_object(root, "rejected", "rejected", r, detail); e != errc::ok) return e;
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const std::string path = std::string("rejected.") + name(reasons[i]);
    const json::value* v = r->if_contains(name(reasons[i]));
    if (v == nullptr) { detail = path + ": missing"; return errc::missing_field; }
    if (errc e = detail::get_u64(*v, path, out[i], detail); e != errc::ok) return e;
  }
  if (r->size() != reasons.size()) {
    detail = "rejected: unknown rejection reason";
    return errc::invalid_argument;
  }
  return errc::ok;
}

// Reads "counts" as exactly `size` unsigned integers.
template <std::size_t N>
errc read_counts(const json::object& root, std::size_t size, std::array<std::uint64_t, N>& out,
                 std::string& detail) {
  const json::value* v = root.if_contains("counts");
  if (v == nullptr) { detail = "counts: missing"; return errc::missing_field; }
  const json::array* a = v->if_array();
  if (a == nullptr) { detail = "counts: expected an array"; return errc::wrong_type; }
  if (a->size() != size) {
    detail = "counts: expected " + std::to_string(size) + " entries, got " + std::to_string(a->size());
    return errc::invalid_argument;
  }
  out = {};
  for (std::size_t i = 0; i < size; ++i)
    if (errc e = detail::get_u64((*a)[i], "counts[" + std::to_string(i) + "]", out[i], detail);
        e != errc::ok)
      return e;
  return errc::ok;
}

// The counts of one tally add up to at most max_count (limits.hpp).
template <std::size_t N>
errc check_total(const std::array<std::uint64_t, N>& counts, std::string& detail) {
  std::uint64_t n = 0;
  for (std::uint64_t c : counts) {
    if (c > max_count - n) {
      detail = "counts: the total exceeds 2^62, the most a tally counts";
      return errc::out_of_range;
    }
    n += c;
  }
  return errc::ok;
}

result<json::object> parse_root(std::string_view text) {
  auto parsed = detail::parse_strict(text);
  if (!parsed) return {parsed.code(), parsed.detail()};
  json::object* root = parsed.value().if_object();
  if (root == nullptr) return {errc::wrong_type, "(root): expected an object"};
  return std::move(*root);
}

}  // namespace

std::string to_json(const nps_tally& tally) {
  json::object o;
  o["format"] = "cxm.nps_tally";
  o["version"] = json_format_version;
  json::array counts;
  for (std::uint64_t c : tally.counts()) counts.push_back(c);
  o["counts"] = std::move(counts);
  o["rejected"] = rejected_object(tally.rejected_counts(), nps_tally::rejected_reasons);
  return json::serialize(o);
}

std::string to_json(const scale_tally& tally) {
  const scale& s = tally.answer_scale();
  json::object o;
  o["format"] = "cxm.scale_tally";
  o["version"] = json_format_version;
  o["scale"] = json::object{{"min", s.min}, {"max", s.max}, {"top_box_min", s.top_box_min}};
  json::array counts;
  for (int i = 0; i < s.points(); ++i) counts.push_back(tally.counts()[static_cast<std::size_t>(i)]);
  o["counts"] = std::move(counts);
  o["rejected"] = rejected_object(tally.rejected_counts(), scale_tally::rejected_reasons);
  return json::serialize(o);
}

result<nps_tally> nps_tally_from_json(std::string_view text) {
  auto root = parse_root(text);
  if (!root) return {root.code(), root.detail()};
  std::string detail;
  if (errc e = detail::check_header(*root, "cxm.nps_tally", json_format_version, detail); e != errc::ok)
    return {e, detail};
  nps_tally::counts_type counts{};
  if (errc e = read_counts(*root, counts.size(), counts, detail); e != errc::ok) return {e, detail};
  if (errc e = check_total(counts, detail); e != errc::ok) return {e, detail};
  std::array<std::uint64_t, 4> rejected{};
  if (errc e = read_rejected(*root, nps_tally::rejected_reasons, rejected, detail); e != errc::ok)
    return {e, detail};
  nps_tally t(counts);
  t.set_rejected_counts(rejected);
  return t;
}

result<scale_tally> scale_tally_from_json(std::string_view text) {
  auto root = parse_root(text);
  if (!root) return {root.code(), root.detail()};
  std::string detail;
  if (errc e = detail::check_header(*root, "cxm.scale_tally", json_format_version, detail); e != errc::ok)
    return {e, detail};
  const json::object* so = nullptr;
  if (errc e = detail::get_object(*root, "scale", "scale", so, detail); e != errc::ok) return {e, detail};
  scale s;
  if (errc e = detail::get_int(*so, "min", "scale.min", s.min, detail); e != errc::ok) return {e, detail};
  if (errc e = detail::get_int(*so, "max", "scale.max", s.max, detail); e != errc::ok) return {e, detail};
  if (errc e = detail::get_int(*so, "top_box_min", "scale.top_box_min", s.top_box_min, detail); e != errc::ok)
    return {e, detail};
  auto tally = scale_tally::make(s);
  if (!tally) return {tally.code(), "scale: " + tally.detail()};
  scale_tally::counts_type counts{};
  if (errc e = read_counts(*root, static_cast<std::size_t>(s.points()), counts, detail); e != errc::ok)
    return {e, detail};
  std::array<std::uint64_t, 4> rejected{};
  if (errc e = read_rejected(*root, scale_tally::rejected_reasons, rejected, detail); e != errc::ok)
    return {e, detail};
  if (errc e = check_total(counts, detail); e != errc::ok) return {e, detail};
  if (tally->set_counts(counts) != errc::ok) return {errc::internal, "counts"};
  tally->set_rejected_counts(rejected);
  return std::move(tally).value();
}

CXM_END_NAMESPACE
