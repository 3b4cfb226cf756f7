// SPDX-License-Identifier: MIT
// The JSON form of a problem (problem_json.hpp).
#include "io/problem_json.hpp"

#include <cstdint>

CXM_BEGIN_NAMESPACE
namespace detail {

void write_problem(json_writer& w, const problem& p) {
  w.begin_object();
  if (p.line != 0) w.key("line").value(p.line);
  w.key("path").value(p.path);
  w.key("code").value(static_cast<std::int64_t>(p.code));
  w.key("code_name").value(name(p.code));
  w.key("reason").value(p.reason);
  w.end_object();
}

void write_problems(json_writer& w, const std::vector<problem>& problems) {
  w.begin_array();
  for (const problem& p : problems) write_problem(w, p);
  w.end_array();
}

}  // namespace detail
CXM_END_NAMESPACE
