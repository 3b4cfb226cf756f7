// SPDX-License-Identifier: MIT
// --pre-js of cxm_wasm: Node >= 18 has a global fetch that cannot read file paths, and the
// Emscripten 3.1.6 loader would use it for the .wasm file ("Failed to parse URL"). Shadow it
// inside the module scope under Node only, so Node reads the file and browsers keep streaming
// compilation (TOOLCHAIN.md item 2).
var fetch = typeof process == 'object' && process.versions != null && typeof process.versions.node == 'string' ? undefined : globalThis.fetch;
