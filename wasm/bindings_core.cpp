// SPDX-License-Identifier: MIT
// What every cxm wasm module has, the survey-only one included: constants(), the report of the
// names and limits it was built with (binding.hpp), and the core's error codes in it. Each other
// binding TU adds the enums and limits of the code it binds.
#include <emscripten/bind.h>

#include "binding.hpp"
#include "cxm/core/status.hpp"

EMSCRIPTEN_BINDINGS(cxm_core) {
  emscripten::function("constants", &cxm_wasm::constants);
  cxm_wasm::publish_enum("errc", cxm::last_errc);
}
