// SPDX-License-Identifier: MIT
// The survey definitions cxm serve knows: every *.json file of --surveys DIR, parsed by the core
// at start-up (a bad file stops the start with its name and the problem). Responses name the
// survey and version they answered; reports use the newest version of a survey.
#ifndef CXM_SERVER_INGEST_SURVEY_REGISTRY_HPP
#define CXM_SERVER_INGEST_SURVEY_REGISTRY_HPP

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cxm/core/status.hpp>
#include <cxm/survey/definition.hpp>

namespace cxm::server {

class survey_registry {
 public:
  /// Reads every regular file named *.json directly in `dir` (not below it). Errors:
  /// io_error (unreadable directory or file), the core's parse errors (the detail names the
  /// file), invalid_argument (two files define the same survey id and version).
  static result<survey_registry> load(const std::string& dir);
  /// A registry of the given definitions (tests).
  static result<survey_registry> of(std::vector<survey> surveys);

  /// The definition of `id` at `version`, or nullptr.
  const survey* find(std::string_view id, std::int64_t version) const;
  /// The highest version of `id`, or nullptr.
  const survey* latest(std::string_view id) const;
  /// Survey ids, sorted.
  std::vector<std::string> ids() const;
  /// The versions of `id`, ascending (empty when it is not known).
  std::vector<std::int64_t> versions(std::string_view id) const;
  /// The surveys as JSON (`cxm.surveys` version 1, GET /v1/surveys; docs/server.md): each id
  /// with its versions and the default locale's title of its newest version.
  std::string to_json() const;
  std::size_t size() const noexcept { return surveys_.size(); }

 private:
  std::map<std::pair<std::string, std::int64_t>, survey, std::less<>> surveys_;
};

}  // namespace cxm::server

#endif  // CXM_SERVER_INGEST_SURVEY_REGISTRY_HPP
