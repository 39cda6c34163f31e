-- wrk script for GET /v/{token}: paced to a fixed overall rate, tokens round-robin.
--
-- env: PL_TOKENS  file of vendor link URLs (http://host/v/<token>) or paths (/v/<token>), one a line (required)
--      PL_RATE    total requests per second over all threads (default 500)
--      PL_THREADS the -t given to wrk (default 1): each thread paces rate/threads
--      PL_UA      User-Agent (default: a desktop Chrome 126, so the open counts as a person's)
--      PL_OUT     file to append one "key=value ..." result line to (optional)
--
-- Pacing: each thread owns rate/threads of the schedule. Before every request wrk calls delay(); it hands the
-- connection the next free slot of its thread's schedule (open loop, slots do not shift when responses are slow),
-- as long as a connection is free. If all connections are busy the schedule falls behind: "max_lag_ms" reports
-- how far behind it fell, so a run that could not hold the rate is visible (wrk measures latency from the send).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } pl_timespec;
  int clock_gettime(int clk_id, pl_timespec *tp);
]]
local ts = ffi.new("pl_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths = {}
local pos, step = 1, 1
local interval, next_slot
-- globals, so that done() can read them from each thread with thread:get
non200, behind, max_lag = 0, 0, 0
local ua = os.getenv("PL_UA") or
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

function init(args)
  local file = os.getenv("PL_TOKENS") or error("PL_TOKENS is not set")
  for line in io.lines(file) do
    if #line > 0 then table.insert(paths, line:match("^https?://[^/]+(/.*)$") or line) end
  end
  assert(#paths > 0, "no paths in " .. file)
  local rate = tonumber(os.getenv("PL_RATE") or "500")
  local n = tonumber(os.getenv("PL_THREADS") or "1")
  interval = 1000.0 * n / rate
  -- thread k takes tokens k, k+n, k+2n ... so all threads together go round-robin
  pos = (id % #paths) + 1
  step = n
  wrk.headers["User-Agent"] = ua
  wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
  wrk.headers["Accept-Language"] = "en-GB,en;q=0.9"
end

function delay()
  local t = now_ms()
  if next_slot == nil then
    next_slot = t + (id * interval) / step -- stagger the threads
  end
  local slot = next_slot
  next_slot = next_slot + interval
  local wait = slot - t
  if wait < 0 then
    behind = behind + 1
    if -wait > max_lag then max_lag = -wait end
    return 0
  end
  return math.floor(wait + 0.5)
end

function request()
  local path = paths[pos]
  pos = pos + step
  if pos > #paths then pos = ((pos - 1) % #paths) + 1 end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad, lag, late = 0, 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non200") or 0)
    late = late + (t:get("behind") or 0)
    local l = t:get("max_lag") or 0
    if l > lag then lag = l end
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local line = string.format(
    "requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f mean_ms=%.2f"
      .. " non200=%d connect_err=%d read_err=%d write_err=%d timeout_err=%d status_err=%d late_sends=%d max_lag_ms=%.1f",
    summary.requests, secs, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000,
    bad, e.connect, e.read, e.write, e.timeout, e.status, late, lag)
  io.write("RESULT " .. line .. "\n")
  local out = os.getenv("PL_OUT")
  if out then
    local f = io.open(out, "a")
    f:write(line .. "\n")
    f:close()
  end
end
