-- Shared by fixed.lua and walk.lua (loaded with dofile): per-thread bookkeeping, the
-- X-Page-Cache check of every response, and the JSON report the harness parses.
--
-- wrk runs this file in one Lua state per thread plus the main state: setup() and done() run
-- in the main state, init()/request()/response() in each thread's own state, so per-thread
-- counters are read back in done() through thread:get().

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

-- Thread state: the expected X-Page-Cache value ("-": no check, response() is not called).
mismatches = 0
first_mismatch = ""
exhausted = 0

function check_init(value)
   if value ~= nil and value ~= "-" then
      expected = value
   else
      response = nil -- wrk then skips header parsing altogether
   end
end

function response(status, headers, body)
   local got = headers["X-Page-Cache"] or headers["x-page-cache"] or "(none)"
   if got ~= expected then
      mismatches = mismatches + 1
      if first_mismatch == "" then
         first_mismatch = got
      end
   end
end

local function clean(text)
   return (tostring(text or ""):gsub("[^%w%(%)%-_ ]", "?"))
end

function done(summary, latency, requests)
   local mism, exh, first = 0, 0, ""
   for _, thread in ipairs(threads) do
      mism = mism + (tonumber(thread:get("mismatches")) or 0)
      exh = exh + (tonumber(thread:get("exhausted")) or 0)
      local f = thread:get("first_mismatch")
      if first == "" and f ~= nil and f ~= "" then
         first = f
      end
   end
   -- The whole latency histogram (microseconds:count of each distinct value), so the harness
   -- can merge interleaved runs of a row exactly (wrk's own percentile rule).
   local histogram = {}
   for i = 1, #latency do
      local value, count = latency(i)
      histogram[i] = string.format("[%d,%d]", value, count)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      'WRK_JSON {"requests": %d, "seconds": %.6f, "rps": %.3f, "p50_us": %.1f, "p95_us": %.1f, '
         .. '"p99_us": %.1f, "mean_us": %.1f, "max_us": %.1f, "connect_errors": %d, '
         .. '"read_errors": %d, "write_errors": %d, "timeout_errors": %d, "status_errors": %d, '
         .. '"cache_mismatches": %d, "first_mismatch": "%s", "exhausted": %d, '
         .. '"histogram": [%s]}\n',
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.mean, latency.max,
      e.connect, e.read, e.write, e.timeout, e.status,
      mism, clean(first), exh, table.concat(histogram, ",")))
end
