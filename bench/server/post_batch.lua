-- SPDX-License-Identifier: MIT
-- wrk script for bench/server/load.sh: every request POSTs {"responses":[...]} with 20 valid
-- records of the bundled survey "after-onboarding", each under an id no request used before
-- (<run>-<wrk thread>-<request>-<k>), so every record is a new row and a durable insert.
--   CXM_WRK_RUN=<run prefix> [CXM_WRK_DELAY_MS=<pause before each request>] wrk -s post_batch.lua URL
-- (environment, not script arguments: wrk decides whether delay() exists before init runs).
-- done() prints one line starting "RESULT" that load.sh reads.
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local prefix = os.getenv("CXM_WRK_RUN") or "run"
local pause = tonumber(os.getenv("CXM_WRK_DELAY_MS") or "0")
local counter, me = 0, 0
bad = 0  -- a global: done() reads it from each thread with thread:get
local head = '"survey_id":"after-onboarding","survey_version":3,"timestamp":"2026-12-03T10:00:00Z",'
  .. '"channel":"web","answers":{"nps":'

function init(args)
  me = tid or 0  -- set by setup() in this thread's state
end

function request()
  counter = counter + 1
  local parts = {}
  for k = 1, 20 do
    local nps = (counter + k) % 11
    local rec = '{"id":"' .. prefix .. "-" .. me .. "-" .. counter .. "-" .. k .. '",' .. head .. nps
      .. ',"ces":' .. (1 + k % 7) .. ',"csat":' .. (1 + k % 5)
    if nps <= 6 then rec = rec .. ',"what_went_wrong":"the import step failed twice"' end
    parts[k] = rec .. "}}"
  end
  local body = '{"responses":[' .. table.concat(parts, ",") .. "]}"
  return wrk.format("POST", "/v1/responses", {["Content-Type"] = "application/json"}, body)
end

if pause > 0 then
  -- Only when a pause is asked for: wrk calls delay() before every request when it exists.
  function delay()
    return pause
  end
end

function response(status, headers, body)
  -- Every record must come back accepted: anything else is counted and reported.
  if status ~= 200 or not string.find(body, '"accepted":20,', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_accepted = 0
  for _, t in ipairs(threads) do
    not_accepted = not_accepted + (t:get("bad") or 0)
  end
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f requests_per_s=%.1f responses_per_s=%.0f p50_ms=%.2f p90_ms=%.2f "
      .. "p99_ms=%.2f max_ms=%.2f errors=%d not_all_accepted=%d\n",
    summary.requests, secs, summary.requests / secs, 20 * summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status, not_accepted))
end
