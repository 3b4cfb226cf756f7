#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test: installs what is missing, then for each preset configures, builds and runs its
# suites — native release (GoogleTest, examples, package consumers), native debug under
# AddressSanitizer + UndefinedBehaviorSanitizer, a -fno-exceptions build, WebAssembly
# (GoogleTest compiled to wasm, the Node tests of the JS API, the Chromium suite), the libFuzzer
# targets for a bounded time each (fuzz), and ThreadSanitizer (tsan). Idempotent.
#   scripts/test.sh                 all presets
#   scripts/test.sh default wasm    only these presets
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(default debug no-exceptions wasm fuzz tsan)

needs=(native)
for p in "${presets[@]}"; do
  case $p in
    wasm) needs+=(web) ;;
    fuzz) needs+=(fuzz) ;;
  esac
done
bash scripts/install-deps.sh "${needs[@]}"

# The wasm preset's browser suite delivers to a real `cxm serve`: the native binary of the
# default preset (the wasm toolchain cannot build it). Build it first when wasm is asked for.
for p in "${presets[@]}"; do
  if [ "$p" = wasm ]; then
    echo "=== the native cxm tool for the browser suite (preset default)"
    cmake --preset default >/dev/null
    cmake --build --preset default --target cxm_cli
  fi
done

summary=()
status=0
total_passed=0
total_failed=0
for p in "${presets[@]}"; do
  echo "=== preset $p: configure and build"
  cmake --preset "$p" >/dev/null
  cmake --build --preset "$p"
  echo "=== preset $p: test"
  log=$(mktemp)
  if ctest --preset "$p" 2>&1 | tee "$log"; then rc=0; else rc=1; status=1; fi
  line=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1 || true)
  summary+=("$p: ${line:-no ctest summary (exit $rc)}")
  if [[ $line =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
    total_failed=$((total_failed + BASH_REMATCH[1]))
    total_passed=$((total_passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  else
    total_failed=$((total_failed + 1))
  fi
  rm -f "$log"
  if [ "$p" = fuzz ]; then
    for f in build/fuzz/tests/fuzz/*.summary; do [ -f "$f" ] && summary+=("  $(cat "$f")"); done
  fi
done

echo
echo "=== summary"
for s in "${summary[@]}"; do echo "  $s"; done
echo "total: $total_passed passed, $total_failed failed"
exit $status
