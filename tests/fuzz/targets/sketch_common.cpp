// SPDX-License-Identifier: MIT
#include "sketch_common.hpp"

#include <cmath>
#include <string>

#include "cxm/sketch/duration_sketch_codec.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {

void check_sketch(const cxm::duration_sketch& s) {
  const std::string json = cxm::to_json(s);
  auto from_json = cxm::duration_sketch_from_json(json);
  CXM_FUZZ_CHECK_MSG(from_json.ok(), from_json.detail() + "\n" + json);
  CXM_FUZZ_CHECK_MSG(*from_json == s, json);
  CXM_FUZZ_CHECK(cxm::to_json(*from_json) == json);
  const std::string bytes = cxm::encode(s);
  auto decoded = cxm::decode_duration_sketch(bytes);
  CXM_FUZZ_CHECK_MSG(decoded.ok(), decoded.detail());
  CXM_FUZZ_CHECK(*decoded == s && cxm::encode(*decoded) == bytes);

  std::uint64_t buckets = s.zero_count();
  for (std::size_t i = 0; i < s.bucket_count(); ++i) buckets += s.bucket(i);
  CXM_FUZZ_CHECK(buckets == s.count());
  CXM_FUZZ_CHECK(std::isfinite(s.sum()) && s.sum() >= 0);
  if (!s.empty()) {
    CXM_FUZZ_CHECK(s.min() <= s.max());
    double previous = s.min();
    for (double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 1.0}) {
      auto v = s.quantile(q);
      CXM_FUZZ_CHECK(v.ok());
      CXM_FUZZ_CHECK_MSG(std::isfinite(*v) && *v >= s.min() && *v <= s.max() && *v >= previous, json);
      previous = *v;
    }
    CXM_FUZZ_CHECK(s.quantile(0.0).value() == s.min() && s.quantile(1.0).value() == s.max());
  } else {
    CXM_FUZZ_CHECK(s.quantile(0.5).code() == cxm::errc::empty);
  }
  CXM_FUZZ_CHECK(s.quantile(std::nan("")).code() == cxm::errc::invalid_argument);

  cxm::duration_sketch doubled = s;
  const cxm::status st = doubled.merge(s);
  if (!st) {
    CXM_FUZZ_CHECK(st.code() == cxm::errc::out_of_range && doubled == s);
    return;
  }
  CXM_FUZZ_CHECK(doubled.count() == 2 * s.count() && doubled.zero_count() == 2 * s.zero_count());
  CXM_FUZZ_CHECK(doubled.scale() == s.scale() && doubled.offset() == s.offset() && doubled.bucket_count() == s.bucket_count());
  for (std::size_t i = 0; i < s.bucket_count(); ++i) CXM_FUZZ_CHECK(doubled.bucket(i) == 2 * s.bucket(i));
  CXM_FUZZ_CHECK(doubled.min() == s.min() && doubled.max() == s.max());
  // The doubled sketch is a sketch too.
  auto again = cxm::decode_duration_sketch(cxm::encode(doubled));
  CXM_FUZZ_CHECK_MSG(again.ok(), again.detail());
  CXM_FUZZ_CHECK(*again == doubled);
}

}  // namespace cxm_fuzz
