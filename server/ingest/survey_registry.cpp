// SPDX-License-Identifier: MIT
#include "server/ingest/survey_registry.hpp"

#include "io/json_writer.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace cxm::server {
namespace fs = std::filesystem;

result<survey_registry> survey_registry::of(std::vector<survey> surveys) {
  survey_registry r;
  for (auto& s : surveys) {
    auto key = std::make_pair(s.id(), s.version());
    if (r.surveys_.count(key) != 0)
      return {errc::invalid_argument, "survey \"" + s.id() + "\" version " + std::to_string(s.version()) +
                                          " is defined twice"};
    r.surveys_.emplace(std::move(key), std::move(s));
  }
  return r;
}

result<survey_registry> survey_registry::load(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".json" && it->is_regular_file(ec)) files.push_back(p);
  }
  if (ec) return {errc::io_error, dir + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<survey> surveys;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in) return {errc::io_error, f.string() + ": cannot be read"};
    auto s = survey::parse(text.str());
    if (!s) return {s.code(), f.string() + ": " + s.detail()};
    surveys.push_back(std::move(*s));
  }
  return of(std::move(surveys));
}

const survey* survey_registry::find(std::string_view id, std::int64_t version) const {
  auto it = surveys_.find(std::make_pair(std::string(id), version));
  return it == surveys_.end() ? nullptr : &it->second;
}

const survey* survey_registry::latest(std::string_view id) const {
  const survey* best = nullptr;
  for (const auto& [key, s] : surveys_)
    if (key.first == id) best = &s;  // the map is ordered by version within an id
  return best;
}

std::vector<std::string> survey_registry::ids() const {
  std::vector<std::string> out;
  for (const auto& [key, s] : surveys_)
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  return out;
}

std::vector<std::int64_t> survey_registry::versions(std::string_view id) const {
  std::vector<std::int64_t> out;
  for (const auto& [key, s] : surveys_)
    if (key.first == id) out.push_back(key.second);
  return out;
}

// {"format":"cxm.surveys","version":1,"surveys":[{"id":"after-onboarding","versions":[1,3],
//  "latest":3,"title":"How was your onboarding?"}]}: ids sorted; title null when the default
// locale of the newest version has none.
std::string survey_registry::to_json() const {
  detail::json_writer w;
  w.begin_object().member("format", "cxm.surveys").member("version", 1).key("surveys").begin_array();
  for (const auto& id : ids()) {
    const survey* s = latest(id);
    w.begin_object().member("id", id).key("versions").begin_array();
    for (std::int64_t v : versions(id)) w.value(v);
    w.end_array().member("latest", s->version()).key("title");
    const std::string& title = s->locales().empty() ? std::string() : s->locales()[s->default_locale()].ui[ui_string::title];
    if (title.empty()) w.null();
    else w.value(title);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace cxm::server
