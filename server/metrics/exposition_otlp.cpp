// SPDX-License-Identifier: MIT
// exposition::to_otlp_json: the exposition's series as OTLP, for the OTLP push. One label
// model, two wire formats: what a scrape of /metrics shows and what a push sends are the same
// series with the same values.
#include <string>

#include "server/metrics/exposition.hpp"

namespace cxm::prometheus {
namespace {

struct otlp_name {
  std::string name;
  std::string unit;
};

bool strip(std::string& s, std::string_view suffix) {
  if (s.size() <= suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  s.resize(s.size() - suffix.size());
  return true;
}

// The inverse of Prometheus's OTLP name translation (suffixes added from the unit and the
// type), so a Prometheus 3 that ingests the push names the series as a scrape of /metrics does.
otlp_name name_of(std::string family) {
  otlp_name n;
  strip(family, "_total");
  n.unit = strip(family, "_milliseconds") ? "ms" : "1";
  for (char& c : family)
    if (c == '_') c = '.';
  n.name = std::move(family);
  return n;
}

otlp_attributes attributes_of(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  otlp_attributes a;
  a.reserve(names.size());
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) a.push_back(otlp_attribute::str(names[i], values[i]));
  return a;
}

}  // namespace

std::string exposition::to_otlp_json(const otlp_attributes& resource, otlp_time time) const {
  otlp_builder b;
  b.resource_attributes() = resource;
  const otlp_name overflow = name_of(overflow_family);
  bool overflow_described = false;
  for (const auto& [family_name, f] : families_) {
    if (f.rows.empty()) continue;
    const otlp_name n = name_of(family_name);
    b.set_description(n.name, f.help);
    for (const auto& row : f.rows) {
      const otlp_attributes attrs = attributes_of(f.label_names, row.values);
      // Every value here passed add(): names and label values are UTF-8, counts are whole,
      // histograms' counts add up. An error would be a bug; the point is then left out rather
      // than the whole push.
      if (f.type == kind::counter) {
        (void)b.add_count(n.name, n.unit, static_cast<std::uint64_t>(row.value), attrs, time);
      } else if (f.type == kind::gauge) {
        (void)b.add_gauge(n.name, n.unit, row.value, attrs, time);
      } else {
        const native_histogram& h = row.histogram;
        otlp_exponential_buckets e;
        e.scale = h.schema;
        e.zero_threshold = h.zero_threshold;
        e.zero_count = h.zero_count;
        e.count = h.count;
        e.sum = h.sum;
        e.offset = h.offset;
        e.counts = h.counts;
        (void)b.add_exponential_histogram(n.name, n.unit, e, attrs, time);
      }
    }
    if (!f.folded.empty()) {
      if (!overflow_described) b.set_description(overflow.name, overflow_help);
      overflow_described = true;
      (void)b.add_gauge(overflow.name, overflow.unit, static_cast<double>(f.folded.size()),
                        {otlp_attribute::str("family", family_name)}, time);
    }
  }
  return b.to_json();
}

}  // namespace cxm::prometheus
