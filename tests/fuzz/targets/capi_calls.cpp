// SPDX-License-Identifier: MIT
// The C ABI driven by hostile programs: the input is a sequence of calls (an opcode byte, then
// its arguments) on a few slots of handles, any of which may be NULL or the same handle twice.
// Whatever the sequence, every call returns a status cxm.h defines and never CXM_INTERNAL; a
// failing call leaves a detail and NULL out-pointers; every string handed out is valid UTF-8,
// NUL-terminated at its length; and what an object writes, its reader reads back to the same
// text. Memory errors and leaks are the sanitizers' part (the fuzz preset runs ASan + UBSan).
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "cxm/cxm.h"
#include "cxm/device/recorder.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

constexpr int slots = 3;
constexpr cxm_status last_status = CXM_RETRY_LATER;

/// Reads the call program: bytes, numbers and strings, giving zeros once the input runs out.
class program {
 public:
  program(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const noexcept { return pos_ >= size_; }
  std::uint8_t byte() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
  int slot() noexcept { return byte() % slots; }
  double number() noexcept {
    // One byte picks a familiar value (answers, edges, NaN); 0xff reads 8 raw bytes.
    static constexpr double table[] = {0, 1, 6, 7, 9, 10, 11, -1, 9.5, 1e308, -0.0, 5e-324, 250.5, 3600e3};
    const std::uint8_t b = byte();
    if (b < sizeof table / sizeof table[0]) return table[b];
    if (b == 0xfe) return std::numeric_limits<double>::quiet_NaN();
    if (b == 0xfd) return std::numeric_limits<double>::infinity();
    if (b != 0xff) return b;
    double d = 0;
    unsigned char raw[sizeof d] = {};
    for (unsigned char& c : raw) c = byte();
    std::memcpy(&d, raw, sizeof d);
    return d;
  }
  /// Eight bytes as a signed integer (times in ms).
  std::int64_t integer() noexcept {
    std::uint64_t u = 0;
    for (int k = 0; k < 8; ++k) u = (u << 8) | byte();
    std::int64_t i = 0;
    std::memcpy(&i, &u, sizeof i);
    return i;
  }
  /// A length byte, then that many bytes (fewer at the end of the input).
  std::string_view text() noexcept {
    std::size_t n = byte();
    if (n > size_ - pos_) n = size_ - pos_;
    const std::string_view s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

/// The checks every call's outcome gets.
void check_status(cxm_status s) {
  CXM_FUZZ_CHECK_MSG(s >= CXM_OK && s <= last_status, std::to_string(static_cast<int>(s)));
  CXM_FUZZ_CHECK_MSG(s != CXM_INTERNAL, cxm_last_error_detail());
  if (s != CXM_OK) CXM_FUZZ_CHECK(cxm_last_error_detail()[0] != '\0');
}

/// After `s = create(..., &out)` (two statements: arguments of one call are evaluated in no set
/// order, so `check_made(create(&out), out)` could read `out` before the call).
template <class H>
void check_made(cxm_status s, H* out) {
  check_status(s);
  CXM_FUZZ_CHECK_MSG((s == CXM_OK) == (out != nullptr), std::string(cxm_status_name(s)) + ": " +
                                                           (s == CXM_OK ? "" : cxm_last_error_detail()));
}

/// A string handed out (after `s = call(..., &out, &len)`): valid UTF-8, NUL at its length;
/// freed here. Returns its text.
std::string take(cxm_status s, char* out, std::size_t len) {
  check_status(s);
  if (s != CXM_OK) {
    CXM_FUZZ_CHECK(out == nullptr && len == 0);
    return {};
  }
  CXM_FUZZ_CHECK(out != nullptr && out[len] == '\0' && valid_utf8({out, len}));
  std::string text(out, len);
  cxm_string_free(out);
  return text;
}

struct handles {
  cxm_nps_tally* nps[slots] = {};
  cxm_scale_tally* scale[slots] = {};
  cxm_duration_sketch* sketch[slots] = {};
  cxm_survey* survey[slots] = {};
  cxm_journey_tracker* tracker = nullptr;
  cxm_recorder* recorder = nullptr;
  ~handles() {
    for (int i = 0; i < slots; ++i) {
      cxm_nps_tally_destroy(nps[i]);
      cxm_scale_tally_destroy(scale[i]);
      cxm_duration_sketch_destroy(sketch[i]);
      cxm_survey_destroy(survey[i]);
    }
    cxm_journey_tracker_destroy(tracker);
    cxm_recorder_destroy(recorder);
  }
};

/// A recorder with one metric of each kind (the sketch small, so downscaling is near).
cxm_recorder* make_recorder() {
  cxm_sketch_options small;
  cxm_sketch_options_init(&small);
  small.max_buckets = 16;
  const cxm_metric_spec specs[] = {{"nps", 3, CXM_METRIC_NPS, CXM_SCALE_CES7, nullptr},
                                   {"ces", 3, CXM_METRIC_SCALE, CXM_SCALE_CES7, nullptr},
                                   {"wait_ms", 7, CXM_METRIC_DURATION, CXM_SCALE_CES7, &small}};
  cxm_recorder* r = nullptr;
  const cxm_status st = cxm_recorder_create(specs, 3, &r);
  CXM_FUZZ_CHECK_MSG(st == CXM_OK, cxm_last_error_detail());
  return r;
}

/// to_json, from_json, to_json: the same text.
template <class H, class ToJson, class FromJson, class Destroy>
void round_trip(const H* h, ToJson to_json, FromJson from_json, Destroy destroy) {
  char* out = nullptr;
  std::size_t len = 0;
  const cxm_status s = to_json(h, &out, &len);
  const std::string json = take(s, out, len);
  if (h == nullptr) return;
  H* back = nullptr;
  const cxm_status read = from_json(json.data(), json.size(), &back);
  CXM_FUZZ_CHECK_MSG(read == CXM_OK, std::string(cxm_last_error_detail()) + "\n" + json);
  out = nullptr;
  const cxm_status again_status = to_json(back, &out, &len);
  const std::string again = take(again_status, out, len);
  CXM_FUZZ_CHECK_MSG(again == json, json + "\n" + again);
  destroy(back);
}

template <class H, class FromJson, class Destroy>
void replace_from(H*& slot, std::string_view text, FromJson from_json, Destroy destroy) {
  H* h = nullptr;
  const cxm_status s = from_json(text.data(), text.size(), &h);
  check_made(s, h);
  if (h != nullptr) {
    destroy(slot);
    slot = h;
  }
}

void run(program& p, handles& h) {
  while (!p.done()) {
    const std::uint8_t op = p.byte();
    const int i = p.slot();
    switch (op % 22) {
      case 0: {
        cxm_nps_tally* t = nullptr;
        const cxm_status st = cxm_nps_tally_create(&t);
        check_made(st, t);
        cxm_nps_tally_destroy(h.nps[i]);
        h.nps[i] = t;
        break;
      }
      case 1: check_status(cxm_nps_tally_add(h.nps[i], p.number())); break;
      case 2: {
        const std::string_view bytes = p.text();
        std::uint64_t accepted = 0;
        const cxm_status s = cxm_nps_tally_add_bulk(h.nps[i], reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                    bytes.size(), &accepted);
        check_status(s);
        CXM_FUZZ_CHECK(accepted <= bytes.size());
        break;
      }
      case 3: check_status(cxm_nps_tally_merge(h.nps[i], h.nps[p.slot()])); break;
      case 4:
        round_trip(h.nps[i], cxm_nps_tally_to_json, cxm_nps_tally_from_json, cxm_nps_tally_destroy);
        break;
      case 5: replace_from(h.nps[i], p.text(), cxm_nps_tally_from_json, cxm_nps_tally_destroy); break;
      case 6: {
        cxm_scale_tally* t = nullptr;
        const cxm_status st = cxm_scale_tally_create(static_cast<cxm_scale_id>(p.byte() % 4), &t);
        check_made(st, t);
        cxm_scale_tally_destroy(h.scale[i]);
        h.scale[i] = t;
        break;
      }
      case 7: check_status(cxm_scale_tally_add(h.scale[i], p.number())); break;
      case 8: {
        check_status(cxm_scale_tally_merge(h.scale[i], h.scale[p.slot()]));
        round_trip(h.scale[i], cxm_scale_tally_to_json, cxm_scale_tally_from_json, cxm_scale_tally_destroy);
        break;
      }
      case 9: {
        cxm_sketch_options o;
        cxm_sketch_options_init(&o);
        o.scale = static_cast<std::int8_t>(p.byte());
        o.max_buckets = 1u << (p.byte() % 24);
        o.zero_threshold = p.number();
        cxm_duration_sketch* s = nullptr;
        const cxm_status st = cxm_duration_sketch_create(&o, &s);
        check_made(st, s);
        cxm_duration_sketch_destroy(h.sketch[i]);
        h.sketch[i] = s;
        break;
      }
      case 10: check_status(cxm_duration_sketch_record(h.sketch[i], p.number())); break;
      case 11: {
        check_status(cxm_duration_sketch_merge(h.sketch[i], h.sketch[p.slot()]));
        double q = 0;
        check_status(cxm_duration_sketch_quantile(h.sketch[i], p.number(), &q));
        break;
      }
      case 12: {
        round_trip(h.sketch[i], cxm_duration_sketch_to_json, cxm_duration_sketch_from_json,
                   cxm_duration_sketch_destroy);
        std::uint8_t* bytes = nullptr;
        std::size_t len = 0;
        const cxm_status s = cxm_duration_sketch_encode(h.sketch[i], &bytes, &len);
        check_status(s);
        if (s != CXM_OK) break;
        cxm_duration_sketch* back = nullptr;
        CXM_FUZZ_CHECK(cxm_duration_sketch_decode(bytes, len, &back) == CXM_OK);
        cxm_duration_sketch_destroy(back);
        cxm_bytes_free(bytes);
        break;
      }
      case 13: {
        const std::string_view bytes = p.text();
        cxm_duration_sketch* s = nullptr;
        const cxm_status st =
            cxm_duration_sketch_decode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &s);
        check_made(st, s);
        if (s != nullptr) {
          cxm_duration_sketch_destroy(h.sketch[i]);
          h.sketch[i] = s;
        }
        break;
      }
      case 14: replace_from(h.survey[i], p.text(), cxm_survey_parse, cxm_survey_destroy); break;
      case 15: {
        if (h.survey[i] == nullptr && p.byte() % 2 == 0) {
          const std::string def = test_survey().to_json();
          check_status(cxm_survey_parse(def.data(), def.size(), &h.survey[i]));
        }
        const std::string_view answers = p.text();
        char* out = nullptr;
        std::size_t len = 0;
        cxm_status s = cxm_survey_visible_questions(h.survey[i], answers.data(), answers.size(), &out, &len);
        take(s, out, len);
        out = nullptr;
        s = cxm_survey_score(h.survey[i], answers.data(), answers.size(), &out, &len);
        take(s, out, len);
        break;
      }
      case 16: {
        if (h.tracker == nullptr) {
          const std::string def = cxm::to_json(test_journey());
          cxm_journey_definition* d = nullptr;
          cxm_status st = cxm_journey_definition_from_json(def.data(), def.size(), &d);
          check_made(st, d);
          st = cxm_journey_tracker_create(d, &h.tracker);
          check_made(st, h.tracker);
          cxm_journey_definition_destroy(d);
        }
        const std::string_view lines = p.text();
        cxm_jsonl_stats stats{};
        char* problems = nullptr;
        std::size_t len = 0;
        const cxm_status s = (i == 0 ? cxm_journey_tracker_add_responses : cxm_journey_tracker_add_events)(
            h.tracker, lines.data(), lines.size(), &stats, &problems, &len);
        take(s, problems, len);
        CXM_FUZZ_CHECK(stats.records + stats.rejected_lines + stats.blank_lines <= stats.lines);
        break;
      }
      case 17: {
        check_status(cxm_journey_tracker_advance(h.tracker, p.integer()));
        cxm_journey_report* r = nullptr;
        const cxm_status s = cxm_journey_tracker_report(h.tracker, &r);
        check_made(s, r);
        round_trip(r, cxm_journey_report_to_json, cxm_journey_report_from_json, cxm_journey_report_destroy);
        check_status(cxm_journey_report_merge(r, r));
        cxm_journey_report_destroy(r);
        break;
      }
      case 18: {
        // Destroy a slot: later calls on it see NULL.
        cxm_nps_tally_destroy(h.nps[i]);
        cxm_scale_tally_destroy(h.scale[i]);
        cxm_duration_sketch_destroy(h.sketch[i]);
        cxm_survey_destroy(h.survey[i]);
        h.nps[i] = nullptr;
        h.scale[i] = nullptr;
        h.sketch[i] = nullptr;
        h.survey[i] = nullptr;
        break;
      }
      case 19: {
        // Record into a metric (index 3 is past the end) of a recorder that may not exist yet.
        if (h.recorder == nullptr && i != 0) h.recorder = make_recorder();
        const std::size_t metric = p.byte() % 4;
        const double value = p.number();
        check_status(cxm_recorder_record(h.recorder, metric, value));
        check_status(cxm_recorder_record_int(h.recorder, metric, static_cast<std::int32_t>(p.byte()) - 2));
        check_status(cxm_recorder_record_duration(h.recorder, metric, value));
        break;
      }
      case 20: {
        // The snapshot's JSON reads back to the same text, and each metric's value comes out
        // as a handle of its kind only.
        char* out = nullptr;
        std::size_t len = 0;
        const cxm_status s = cxm_recorder_snapshot_json(h.recorder, &out, &len);
        const std::string json = take(s, out, len);
        if (s != CXM_OK) break;
        auto back = cxm::recorder_snapshot_from_json(json);
        CXM_FUZZ_CHECK_MSG(back.ok(), back.detail() + "\n" + json);
        CXM_FUZZ_CHECK(cxm::to_json(*back) == json);
        const std::size_t metric = p.byte() % 4;
        cxm_nps_tally* nps = nullptr;
        cxm_scale_tally* scale = nullptr;
        cxm_duration_sketch* sketch = nullptr;
        cxm_status st = cxm_recorder_snapshot_nps(h.recorder, metric, &nps);
        check_made(st, nps);
        CXM_FUZZ_CHECK((st == CXM_OK) == (metric == 0));
        st = cxm_recorder_snapshot_scale(h.recorder, metric, &scale);
        check_made(st, scale);
        CXM_FUZZ_CHECK((st == CXM_OK) == (metric == 1));
        st = cxm_recorder_snapshot_duration(h.recorder, metric, &sketch);
        check_made(st, sketch);
        CXM_FUZZ_CHECK((st == CXM_OK) == (metric == 2));
        cxm_nps_tally_destroy(nps);
        cxm_scale_tally_destroy(scale);
        cxm_duration_sketch_destroy(sketch);
        break;
      }
      default: {
        // Statistics of whatever is in the slot (NULL included).
        double d = 0;
        cxm_interval ci{};
        check_status(cxm_nps_tally_score(h.nps[i], &d));
        const cxm_status s = cxm_nps_tally_interval(h.nps[i], 0.95, static_cast<cxm_interval_method>(p.byte() % 6), &ci);
        check_status(s);
        if (s == CXM_OK) CXM_FUZZ_CHECK(ci.lower <= ci.upper && ci.lower >= -100 && ci.upper <= 100);
        check_status(cxm_scale_tally_mean(h.scale[i], &d));
        check_status(cxm_scale_tally_top_box_interval(h.scale[i], 0.9, &ci));
        break;
      }
    }
  }
}

}  // namespace

int capi_calls(const std::uint8_t* data, std::size_t size) {
  program p(data, size);
  handles h;
  run(p, h);
  return 0;
}

}  // namespace cxm_fuzz
