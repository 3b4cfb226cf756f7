// SPDX-License-Identifier: MIT
// Internal: the JSON form of a cxm::problem, written by every encoder that lists problems (the
// scored response, the C ABI's JSON Lines calls), so a problem reads the same wherever it
// appears.
#ifndef CXM_SRC_IO_PROBLEM_JSON_HPP
#define CXM_SRC_IO_PROBLEM_JSON_HPP

#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/problem.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// {"line":7,"path":"answers.nps","code":2,"code_name":"out_of_range","reason":"..."}: `line`
/// only when the problem has one (readers set it; 0 elsewhere), `code` the errc number and
/// `code_name` its name().
void write_problem(json_writer& w, const problem& p);

/// A JSON array of write_problem objects, in the order given.
void write_problems(json_writer& w, const std::vector<problem>& problems);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_IO_PROBLEM_JSON_HPP
