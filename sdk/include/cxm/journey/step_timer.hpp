// SPDX-License-Identifier: MIT
/// @file step_timer.hpp  A steady-clock RAII timer for app code: measures a step in the app's
/// own process and records its duration into a `journey_tracker` when it goes out of scope.
/// The tracker itself has no clock; this helper lives in the app and reads std::chrono.
#ifndef CXM_JOURNEY_STEP_TIMER_HPP
#define CXM_JOURNEY_STEP_TIMER_HPP

#include <chrono>
#include <string_view>

#include "cxm/core/config.hpp"
#include "cxm/journey/tracker.hpp"

CXM_BEGIN_NAMESPACE

/// Times one step. `step`, `channel` and `segment_key` are views: they must outlive the timer.
///
/// ```
/// {
///   cxm::step_timer t(tracker, "identity_check", "app", "age=young,customer=private");
///   run_identity_check();
/// }  // records the elapsed milliseconds (fractional) into identity_check's sketch
/// ```
/// `stop()` records early and returns the outcome; `cancel()` records nothing. Not copyable;
/// not thread-safe (the tracker is not).
template <class Clock = std::chrono::steady_clock>
class basic_step_timer {
 public:
  basic_step_timer(journey_tracker& tracker, std::string_view step, std::string_view channel = {},
                   std::string_view segment_key = {}) noexcept
      : tracker_(&tracker), step_(step), channel_(channel), segment_(segment_key), start_(Clock::now()) {}
  basic_step_timer(const basic_step_timer&) = delete;
  basic_step_timer& operator=(const basic_step_timer&) = delete;
  ~basic_step_timer() { (void)stop(); }

  /// Milliseconds since construction.
  double elapsed_ms() const noexcept {
    return std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  }
  /// Records now (once); later calls and the destructor do nothing. Returns the tracker's verdict.
  journey_error stop() noexcept {
    if (tracker_ == nullptr) return journey_error::none;
    journey_tracker* t = tracker_;
    tracker_ = nullptr;
    return t->record_duration(step_, channel_, segment_, elapsed_ms());
  }
  /// Records nothing.
  void cancel() noexcept { tracker_ = nullptr; }

 private:
  journey_tracker* tracker_;
  std::string_view step_, channel_, segment_;
  typename Clock::time_point start_;
};

using step_timer = basic_step_timer<>;

CXM_END_NAMESPACE

#endif  // CXM_JOURNEY_STEP_TIMER_HPP
