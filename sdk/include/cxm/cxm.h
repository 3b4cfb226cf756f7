/* SPDX-License-Identifier: MIT */
/**
 * @file cxm.h  The C ABI of cxm (C99, usable from C++): the one header FFI code includes
 * (JNI, Swift, Python ctypes/cffi, Go, Rust). It translates the C++ core and computes nothing
 * of its own: every figure is the one the C++ API, the wasm module and the `cxm` tool give.
 * Link against libcxm.so (CMake: `cxm::c`), which exports only the `cxm_*` functions of its
 * parts (the headers in cxm/c/, included below).
 *
 * # Conventions
 *
 * - **Status.** Every function that can fail returns a `cxm_status`: `CXM_OK` (0) or the
 *   number of a `cxm::errc` (the C++ enum; the numbers are the same on every surface, are
 *   append-only and are never reused). `cxm_status_name()` and `cxm_status_message()` describe
 *   one. Functions returning anything else (`void`, a static string) cannot fail.
 * - **Error detail.** A failing call also leaves a sentence naming what was wrong (the field of
 *   a JSON document and why, the NULL argument...) in a per-thread buffer:
 *   `cxm_last_error_detail()`. It stays valid until the next failing call on the same thread;
 *   successful calls leave it alone, so read it right after the failure.
 * - **Handles** are opaque pointers, created by `cxm_<object>_create`, `_from_json`, `_parse`,
 *   `_decode` or `_report` and freed by `cxm_<object>_destroy`, which accepts NULL. A handle is
 *   never freed by any other function. On failure the out-handle is set to NULL. A NULL handle
 *   is detected; a destroyed one cannot be (using it is undefined, as after free()).
 * - **Arguments.** A NULL handle, a NULL out-pointer that is not documented as optional, and a
 *   NULL string with a nonzero length give `CXM_INVALID_ARGUMENT` (never a crash); so does a
 *   length over PTRDIFF_MAX, which no real buffer has. Out-parameters come last. A NULL string
 *   with length 0 is the empty string.
 * - **Strings in** are UTF-8 given as `(const char* s, size_t len)`: not NUL-terminated, and
 *   any NUL bytes inside are data. The core validates them (invalid UTF-8 is
 *   `CXM_INVALID_UTF8`, or a rejected line in JSON Lines input) and copies what it keeps: the
 *   caller may free or reuse its buffer as soon as the call returns.
 * - **Strings out** (JSON text) are allocated by cxm and owned by the caller, who frees them
 *   with `cxm_string_free()` (never with `free()`: the library and the caller may not share
 *   an allocator). Each is valid UTF-8, NUL-terminated, and its length without the NUL is
 *   stored in `*out_len` when `out_len` is not NULL. Binary output (`cxm_duration_sketch_encode`)
 *   is freed with `cxm_bytes_free()`. On failure `*out` is set to NULL and `*out_len` to 0.
 * - **Thread safety.** Functions may be called from any thread. A handle is not synchronized:
 *   one thread at a time per handle (one tally or sketch per thread, merged later, as in
 *   C++), except where a type says its handles are immutable (`cxm_survey`,
 *   `cxm_journey_definition`), whose functions may run on several threads at once, or
 *   synchronized (`cxm_recorder`, `cxm_outbox`: made to be shared by every thread of an app).
 *   Different handles never share state.
 * - **Exceptions.** No C++ exception and no abort crosses this interface: every function
 *   catches everything. Running out of memory is reported as `CXM_TOO_LARGE` with the detail
 *   "out of memory" (there is no separate code: an input too large for memory is the usual
 *   cause); the handle then stays valid for destroy, but a function that was adding to it may
 *   have added part of its input. Exceptions: in a library built with -fno-exceptions, and in
 *   the few core calls that are noexcept in C++ but may allocate (a journey tracker recording
 *   an event), allocation failure terminates, as in the C++ API. Nothing else terminates.
 * - **Versions.** `CXM_VERSION_MAJOR`/`_MINOR`/`_PATCH`/`_STRING` are the version of this
 *   header; `cxm_version()` and `cxm_version_numbers()` that of the library loaded. The shared
 *   library's SONAME is `libcxm.so.<major>`: within a major version functions and enum values
 *   are only added, and structs keep their layout.
 */
#ifndef CXM_CXM_H
#define CXM_CXM_H

/* The parts, one per object of the ABI (sdk/include/cxm/c/). */
#include "cxm/c/base.h"
#include "cxm/c/stats.h"
#include "cxm/c/sketch.h"
#include "cxm/c/survey.h"
#include "cxm/c/journey.h"
#include "cxm/c/recorder.h"
#include "cxm/c/outbox.h"

#endif /* CXM_CXM_H */
