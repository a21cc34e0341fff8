-- Readers of bench/mixed.py. Each connection goes round the pages given after `--` (one
-- argument per page: "path" for a visitor, "path|cookie" for a signed-in reader; bench/mixed.py
-- gives one page per run). Per page: every answer's latency, its status, and whether the
-- page cache served it (the X-Bench-Page-Cache header of bench/counting_wsgi.py: hit,
-- stored, miss). One line of JSON at the end.
--
-- wrk's own latency figures do not say which page an answer belongs to: a thread serves
-- several connections. Each request therefore carries "page clock" in X-Bench-Sent, which
-- counting_wsgi.py sends back; the latency is the clock at the answer minus that (wrk
-- calls request() just before writing it, the moment its own latency starts from).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  -- Globals of this thread, read by done() through thread:get().
  -- Flat tables only: wrk does not copy tables within tables between threads.
  paths, cookies, latencies, hits, stored, misses, unmarked, failed = {}, {}, {}, {}, {}, {}, {}, {}
  for i, arg in ipairs(args) do
    local path, cookie = arg:match("^([^|]+)|?(.*)$")
    paths[i], cookies[i] = path, cookie
    latencies[i], hits[i], stored[i], misses[i], unmarked[i], failed[i] = {}, 0, 0, 0, 0, 0
    _G["latencies_" .. i] = latencies[i]
  end
  pages_count, unmatched, next_page = #paths, 0, 0
end

function request()
  next_page = next_page % #paths + 1
  local headers = { ["Accept-Encoding"] = "gzip, deflate, br",
                    ["X-Bench-Sent"] = next_page .. " " .. now_us() }
  if cookies[next_page] ~= "" then
    headers["Cookie"] = cookies[next_page]
  end
  return wrk.format("GET", paths[next_page], headers)
end

function response(status, headers, body)
  local echoed = headers["X-Bench-Sent"] or headers["x-bench-sent"]
  local page, sent
  if echoed then
    page, sent = echoed:match("^(%d+) (%d+)$")
  end
  page = tonumber(page)
  if not page or not latencies[page] then
    unmatched = unmatched + 1
    return
  end
  local list = latencies[page]
  list[#list + 1] = (now_us() - tonumber(sent)) / 1000
  if status < 200 or status > 399 then
    failed[page] = failed[page] + 1
  end
  local cache = headers["X-Bench-Page-Cache"] or headers["x-bench-page-cache"]
  if cache == "hit" then
    hits[page] = hits[page] + 1
  elseif cache == "stored" then
    stored[page] = stored[page] + 1
  elseif cache == "miss" then
    misses[page] = misses[page] + 1
  else
    unmarked[page] = unmarked[page] + 1
  end
end

local function sum(name, page)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get(name)[page]
  end
  return total
end

done = function(summary, latency, requests)
  local pages = {}
  local count = threads[1]:get("pages_count")
  for page = 1, count do
    local all = {}
    for _, thread in ipairs(threads) do
      for _, value in ipairs(thread:get("latencies_" .. page)) do
        all[#all + 1] = string.format("%.2f", value)
      end
    end
    pages[page] = string.format(
      '{"latencies_ms": [%s], "hits": %d, "stored": %d, "misses": %d, "unmarked": %d, ' ..
      '"failed": %d}', table.concat(all, ","), sum("hits", page), sum("stored", page),
      sum("misses", page), sum("unmarked", page), sum("failed", page))
  end
  local unmatched_total = 0
  for _, thread in ipairs(threads) do
    unmatched_total = unmatched_total + thread:get("unmatched")
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, "unmatched": %d, ' ..
    '"pages": [%s]}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout,
    summary.errors.status, unmatched_total, table.concat(pages, ",")))
end
