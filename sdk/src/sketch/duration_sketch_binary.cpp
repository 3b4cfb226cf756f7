// SPDX-License-Identifier: MIT
// Binary form of duration_sketch (format in cxm/sketch/duration_sketch_codec.hpp, version 1).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "cxm/sketch/duration_sketch_codec.hpp"

CXM_BEGIN_NAMESPACE
namespace {

constexpr unsigned char kind_nibble = 0xD;
constexpr unsigned char format_byte = (kind_nibble << 4) | duration_sketch_binary_version;
constexpr std::uint64_t flag_values = 1, flag_zero_threshold = 2, flag_rejected = 4;

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_zigzag(std::string& out, std::int64_t v) {
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

void put_f64(std::string& out, double d) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

// A bounds-checked reader: every read reports failure instead of passing the end.
class reader {
 public:
  explicit reader(std::string_view bytes) : p_(bytes) {}
  std::size_t offset() const { return pos_; }
  bool at_end() const { return pos_ == p_.size(); }

  bool varint(std::uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= p_.size()) return false;
      const auto byte = static_cast<unsigned char>(p_[pos_++]);
      const std::uint64_t group = byte & 0x7F;
      if (shift == 63 && group > 1) return false;  // more than 64 bits
      out |= group << shift;
      if ((byte & 0x80) == 0) return group != 0 || shift == 0;  // no redundant zero groups
    }
    return false;
  }
  bool zigzag(std::int64_t& out) {
    std::uint64_t u = 0;
    if (!varint(u)) return false;
    out = static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
    return true;
  }
  bool f64(double& out) {
    if (p_.size() - pos_ < 8) return false;
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= std::uint64_t{static_cast<unsigned char>(p_[pos_ + static_cast<std::size_t>(i)])} << (8 * i);
    pos_ += 8;
    std::memcpy(&out, &bits, sizeof out);
    return true;
  }

 private:
  std::string_view p_;
  std::size_t pos_ = 0;
};

result<duration_sketch> malformed(const reader& r, const char* what) {
  return {errc::invalid_argument, "byte " + std::to_string(r.offset() + 1) + ": " + what};
}

}  // namespace

void encode(const duration_sketch& sketch, std::string& out) {
  out.clear();
  out.reserve(48 + 2 * sketch.bucket_count());
  const bool values = !sketch.empty();
  const bool threshold = sketch.zero_threshold() != 0.0;
  // Each counter, not their sum: a sum of 1 and 2^64 - 1 wraps to 0 and would drop both.
  const auto& counts = sketch.rejected_counts();
  const bool rejected = counts[0] != 0 || counts[1] != 0;
  out.push_back(static_cast<char>(format_byte));
  put_varint(out, (values ? flag_values : 0) | (threshold ? flag_zero_threshold : 0) | (rejected ? flag_rejected : 0));
  put_zigzag(out, sketch.scale());
  put_varint(out, sketch.max_buckets());
  if (threshold) put_f64(out, sketch.zero_threshold());
  if (values) {
    put_f64(out, sketch.sum());
    put_f64(out, sketch.min());
    put_f64(out, sketch.max());
  }
  put_varint(out, sketch.zero_count());
  if (rejected)
    for (std::uint64_t c : counts) put_varint(out, c);
  put_varint(out, sketch.bucket_count());
  if (sketch.bucket_count() == 0) return;
  put_zigzag(out, sketch.offset());
  std::uint64_t zeros = 0;  // a pending run of zero counts
  sketch.for_each_bucket([&](std::int32_t, std::uint64_t c) {
    if (c == 0) {
      ++zeros;
      return;
    }
    if (zeros > 0) {
      put_varint(out, 0);
      put_varint(out, zeros - 1);
      zeros = 0;
    }
    put_varint(out, c);
  });
}

std::string encode(const duration_sketch& sketch) {
  std::string out;
  encode(sketch, out);
  return out;
}

result<duration_sketch> decode_duration_sketch(std::string_view bytes) {
  if (bytes.empty()) return {errc::invalid_argument, "empty input"};
  const auto first = static_cast<unsigned char>(bytes[0]);
  if ((first >> 4) != kind_nibble)
    return {errc::incompatible, "byte 0: not a duration sketch (format byte " + std::to_string(first) + ")"};
  if ((first & 0x0F) != duration_sketch_binary_version)
    return {errc::unsupported_version, "byte 0: version " + std::to_string(first & 0x0F) +
                                           " is not supported (this build reads version " +
                                           std::to_string(duration_sketch_binary_version) + ")"};
  reader r(bytes.substr(1));
  duration_sketch::state s;
  std::uint64_t flags = 0, u = 0;
  std::int64_t i = 0;
  if (!r.varint(flags)) return malformed(r, "truncated flags");
  if ((flags & ~(flag_values | flag_zero_threshold | flag_rejected)) != 0) return malformed(r, "unknown flags");
  if (!r.zigzag(i)) return malformed(r, "truncated scale");
  if (i < log_mapping::min_scale || i > log_mapping::max_scale) return malformed(r, "scale out of range");
  s.scale = static_cast<int>(i);
  if (!r.varint(u)) return malformed(r, "truncated max_buckets");
  if (u < dense_store::min_buckets || u > dense_store::max_buckets_limit) return malformed(r, "max_buckets out of range");
  s.max_buckets = static_cast<std::uint32_t>(u);
  if ((flags & flag_zero_threshold) != 0) {
    if (!r.f64(s.zero_threshold)) return malformed(r, "truncated zero_threshold");
    if (s.zero_threshold == 0.0) return malformed(r, "zero_threshold flagged but 0");
  }
  if ((flags & flag_values) != 0) {
    if (!r.f64(s.sum) || !r.f64(s.min) || !r.f64(s.max)) return malformed(r, "truncated sum, min, max");
  }
  if (!r.varint(s.zero_count)) return malformed(r, "truncated zero_count");
  if ((flags & flag_rejected) != 0) {
    if (!r.varint(s.rejected[0]) || !r.varint(s.rejected[1])) return malformed(r, "truncated rejection counts");
    if (s.rejected[0] == 0 && s.rejected[1] == 0) return malformed(r, "rejections flagged but 0");
  }
  std::uint64_t n = 0;
  if (!r.varint(n)) return malformed(r, "truncated bucket count");
  if (n > s.max_buckets) return malformed(r, "more buckets than max_buckets");
  std::vector<std::uint64_t> counts;
  if (n > 0) {
    if (!r.zigzag(i)) return malformed(r, "truncated offset");
    if (i < INT32_MIN || i > INT32_MAX) return malformed(r, "offset out of range");
    s.offset = static_cast<std::int32_t>(i);
    counts.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, bytes.size())));
    while (counts.size() < n) {
      if (!r.varint(u)) return malformed(r, "truncated counts");
      if (u != 0) {
        counts.push_back(u);
        continue;
      }
      std::uint64_t more = 0;
      if (!r.varint(more)) return malformed(r, "truncated run of zero counts");
      if (more >= n - counts.size()) return malformed(r, "run of zero counts past the last bucket");
      counts.insert(counts.end(), static_cast<std::size_t>(more) + 1, 0);
    }
  }
  if (!r.at_end()) return malformed(r, "unexpected bytes after the sketch");
  s.counts = counts.data();
  s.bucket_count = counts.size();
  std::uint64_t total = s.zero_count;
  for (std::uint64_t c : counts) total = c > UINT64_MAX - total ? UINT64_MAX : total + c;
  if (((flags & flag_values) != 0) != (total != 0)) return malformed(r, "values flag disagrees with the counts");
  auto sketch = duration_sketch::restore(s);
  if (!sketch) return {sketch.code(), sketch.detail()};
  return sketch;
}

CXM_END_NAMESPACE
