// SPDX-License-Identifier: MIT
// Shared by the libFuzzer targets and the GoogleTest that replays their corpora: the target
// list, checks that abort with a message (libFuzzer then saves the input), and helpers for
// feeding one input several ways.
#ifndef CXM_FUZZ_SUPPORT_HPP
#define CXM_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Every target, once: X(name). A target is `int cxm_fuzz::name(const std::uint8_t*, std::size_t)`
// in targets/name.cpp, with its seed corpus in corpus/name/.
#define CXM_FUZZ_TARGETS(X)   \
  X(response_reader)          \
  X(journey_events)           \
  X(survey_definition)        \
  X(journey_definition)       \
  X(survey_answers)           \
  X(tally_json)               \
  X(sketch_json)              \
  X(sketch_binary)            \
  X(survey_tally_json)        \
  X(journey_report_json)      \
  X(timestamp)                \
  X(capi_calls)               \
  X(outbox_files)             \
  X(recorder_snapshot_json)   \
  X(server_batch)             \
  X(tzif)                     \
  X(report)                   \
  X(server_request_parts)

namespace cxm_fuzz {

#define CXM_FUZZ_DECLARE(name) int name(const std::uint8_t* data, std::size_t size);
CXM_FUZZ_TARGETS(CXM_FUZZ_DECLARE)
#undef CXM_FUZZ_DECLARE

/// Prints where and what, then aborts: libFuzzer keeps the input as a crash artifact, and the
/// replaying GoogleTest dies with the message.
[[noreturn]] void fail(const char* file, int line, const char* expression, const std::string& detail);

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

/// Chunk lengths chosen by the input itself: its last four bytes, each + 1, used in turn. A
/// mutation of one of those bytes moves one chunk boundary, so the fuzzer can steer the
/// boundaries onto the places where a line, a key or an escape is split.
std::vector<std::size_t> chunk_lengths(std::string_view input);

/// Calls feed(piece) for consecutive pieces of `input` whose lengths cycle through `lengths`.
template <class Feed>
void feed_in_chunks(std::string_view input, const std::vector<std::size_t>& lengths, Feed&& feed) {
  for (std::size_t k = 0; !input.empty(); ++k) {
    const std::size_t n = lengths[k % lengths.size()] < input.size() ? lengths[k % lengths.size()] : input.size();
    feed(input.substr(0, n));
    input.remove_prefix(n);
  }
}

/// A line limit placed at the input's own first line: its length (without the '\n') plus -2..+2,
/// chosen by the last byte. Lines at, just under and just over the limit, with and without a
/// carriage return, are then one mutation away.
std::size_t line_limit_near_first_line(std::string_view input) noexcept;

/// RFC 3629 UTF-8, checked independently of cxm's own validator.
bool valid_utf8(std::string_view s) noexcept;

}  // namespace cxm_fuzz

#define CXM_FUZZ_CHECK(cond)                                                   \
  do {                                                                         \
    if (!(cond)) ::cxm_fuzz::fail(__FILE__, __LINE__, #cond, std::string()); \
  } while (0)
#define CXM_FUZZ_CHECK_MSG(cond, detail)                                   \
  do {                                                                     \
    if (!(cond)) ::cxm_fuzz::fail(__FILE__, __LINE__, #cond, (detail));    \
  } while (0)

#endif  // CXM_FUZZ_SUPPORT_HPP
