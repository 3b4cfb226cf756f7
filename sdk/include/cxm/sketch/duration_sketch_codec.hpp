// SPDX-License-Identifier: MIT
/// @file duration_sketch_codec.hpp  The two persisted forms of a `duration_sketch`: versioned
/// JSON and a compact versioned binary encoding (declarations; the formats are specified here).
///
/// ## JSON, version 1
/// One object; keys in this order when written; every key is required, no other key is allowed:
/// ```
/// {"format":"cxm.duration_sketch",   string: the kind of aggregate
///  "version":1,                      integer: the format version
///  "scale":6,                        integer -10..20: the current scale, base = 2^(2^-scale)
///  "max_buckets":1600,               integer 8..1048576: the bucket budget
///  "zero_threshold":0,               number >= 0: values at or below it are in the zero bucket
///  "count":6,                        integer: zero_count plus the sum of "counts" (checked)
///  "sum":21,                         number >= 0: the sum of the recorded values
///  "min":0, "max":10,                numbers, the exact extremes; null when count is 0
///  "zero_count":1,                   unsigned 64-bit integer
///  "positive":{"offset":2,           integer: the bucket index of counts[0] (0 when empty)
///              "counts":[1,0,0,1]},  unsigned 64-bit integers: counts of buckets offset,
///                                    offset+1, ...; the first and last are non-zero; at most
///                                    max_buckets entries (half of it if any count > 2^32 - 1)
///  "rejected":{"out_of_range":1,     unsigned 64-bit integers: values rejected by reason
///              "not_finite":1}}
/// ```
/// Bucket i holds the values in (base^i, base^(i+1)] — OpenTelemetry's ExponentialHistogram
/// layout, so "scale", "zero_count", "positive.offset" and "positive.counts" map one to one onto
/// an OTLP data point. Numbers that are whole and below 2^53 are written as integers, others in
/// the shortest form that reads back to the same double; decoding rounds correctly, so a
/// sketch round-trips exactly.
///
/// Decoding is strict: another "format" gives `errc::incompatible`, another "version"
/// `errc::unsupported_version`; duplicate keys, unknown keys, non-finite numbers, missing or
/// mistyped fields, a "count" that disagrees with the buckets, a state no sketch could be in
/// (see `duration_sketch::restore`), input over 8 MiB and nesting deeper than 16 are errors
/// whose detail names the field.
///
/// ## Binary, version 1
/// Little-endian. "varint" is unsigned LEB128 (7 bits per byte, low group first, at most 10
/// bytes, no redundant trailing zero groups); "zigzag" maps a signed n to (n << 1) ^ (n >> 63)
/// and writes it as a varint; "f64" is an IEEE 754 double in 8 bytes.
/// ```
/// u8      0xD1: the format byte. High nibble 0xD = duration sketch, low nibble = version (1)
/// varint  flags: bit 0 values present (count > 0), bit 1 zero_threshold != 0,
///         bit 2 rejection counts present; other bits must be 0
/// zigzag  scale
/// varint  max_buckets
/// f64     zero_threshold                        (only if flag bit 1)
/// f64 ×3  sum, min, max                         (only if flag bit 0)
/// varint  zero_count
/// varint  out_of_range, varint not_finite       (only if flag bit 2)
/// varint  n: the number of buckets from the first to the last non-empty one
/// zigzag  offset: the index of the first bucket (only if n > 0)
/// counts  n bucket counts as varints, except that a zero is followed by a varint r and stands
///         for r + 1 consecutive zero buckets
/// ```
/// Nothing may follow. The 6-value example above encodes to 43 bytes; 1M lognormal durations
/// at scale 6 to about 1.7 KB. Decoding checks every length against the bytes left and the
/// budget, so truncated or random input returns an error (`unsupported_version` for a 0xD?
/// byte with another version, `incompatible` for another first byte, `invalid_argument` with
/// the byte offset otherwise) and never reads out of bounds.
#ifndef CXM_SKETCH_DURATION_SKETCH_CODEC_HPP
#define CXM_SKETCH_DURATION_SKETCH_CODEC_HPP

#include <string>
#include <string_view>

#include "cxm/core/limits.hpp"
#include "cxm/core/config.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The JSON format version written by this build and the only one it reads.
inline constexpr int duration_sketch_json_version = 1;
/// The binary format version written by this build and the only one it reads.
inline constexpr int duration_sketch_binary_version = 1;

/// The JSON form of `sketch` (see the file comment). Allocates.
CXM_API std::string to_json(const duration_sketch& sketch);
/// Reads the JSON form. Errors name the field (e.g. `positive.counts[3]: expected a count`).
CXM_API result<duration_sketch> duration_sketch_from_json(std::string_view json);
/// The limits of the JSON form: room for the largest bucket budget written out in full.
inline constexpr json_limits duration_sketch_json_limits{std::size_t{8} << 20, 16};

/// The binary form of `sketch`.
CXM_API std::string encode(const duration_sketch& sketch);
/// Writes the binary form into `out`, replacing its content (reuses its capacity).
CXM_API void encode(const duration_sketch& sketch, std::string& out);
/// Reads the binary form; any malformed or truncated input is an error, never a crash.
CXM_API result<duration_sketch> decode_duration_sketch(std::string_view bytes);

CXM_END_NAMESPACE

#endif  // CXM_SKETCH_DURATION_SKETCH_CODEC_HPP
