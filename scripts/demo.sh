#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: installs what is missing, builds the cxm tool (native release), scores the bundled
# bank-switching responses (text, and a self-contained HTML report with charts and the journey) and follows the
# same customers' journeys. Idempotent; re-runs only rebuild what changed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh native
cmake --preset default >/dev/null
cmake --build --preset default --target cxm_cli
echo
html=$root/build/default/cxm-report.html
# The report's journey section (funnel, step times by channel, NPS by step and by duration,
# effort) comes from the bundled journey, with these responses attached to its steps.
./build/default/examples/cxm report examples/data/responses.jsonl --by week --html "$html" \
    --journey examples/data/journey.json --events examples/data/events.jsonl "$@"
echo
echo "The HTML report (open it in a browser, or attach it to an email): $html"
echo
# The same customers' journeys: step timing, funnel, effort and consistency, with the survey
# answers attached by step.
./build/default/examples/cxm journey examples/data/journey.json examples/data/events.jsonl \
    --responses examples/data/responses.jsonl
echo
# The collector the widget and apps deliver to (docs/server.md); it runs until Ctrl-C:
echo "Next, the collector: build/default/examples/cxm serve --surveys examples/web/surveys" \
     "--widget build/wasm/wasm --demo examples/web --dashboard build/default/examples/dashboard" \
     "  (the widget needs: scripts/test.sh wasm; the live dashboard is then at /dashboard/)"
