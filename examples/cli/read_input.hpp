// SPDX-License-Identifier: MIT
// Feeding a cxm JSON Lines reader from a file, or from standard input for "-".
#ifndef CXM_CLI_READ_INPUT_HPP
#define CXM_CLI_READ_INPUT_HPP

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include <cxm/status.hpp>

namespace cxm_cli {

/// Streams `file` ("-": standard input) through `reader` into `sink`, as reader.read_file does.
template <class Reader, class Sink>
cxm::status read_input(const std::string& file, Reader& reader, Sink& sink) {
  if (file != "-") return reader.read_file(file, sink);
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t got;
  while ((got = std::fread(buf.data(), 1, buf.size(), stdin)) > 0) reader.feed({buf.data(), got}, sink);
  if (std::ferror(stdin) != 0) return cxm::errc::io_error;
  reader.finish(sink);
  return cxm::errc::ok;
}

}  // namespace cxm_cli

#endif  // CXM_CLI_READ_INPUT_HPP
