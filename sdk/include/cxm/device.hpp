// SPDX-License-Identifier: MIT
/// @file device.hpp  What runs in an app on the customer's device: the thread-safe recorder and
/// the crash-safe outbox. The one module with threads, files and a clock.
#ifndef CXM_DEVICE_HPP
#define CXM_DEVICE_HPP

#include "cxm/device/outbox.hpp"
#include "cxm/device/recorder.hpp"

#endif  // CXM_DEVICE_HPP
