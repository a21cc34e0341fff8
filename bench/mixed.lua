-- Readers of bench/mixed.py: each connection goes round the pages given after `--`
-- (one argument per page: "path" for a visitor, "path|cookie" for a signed-in reader),
-- counts the answers served from the page cache, rendered and stored, or rendered and
-- not stored (the X-Bench-Page-Cache header that bench/counting_wsgi.py adds: hit, stored,
-- miss) and reports one line of JSON, like latency.lua.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  pages = {}
  for _, arg in ipairs(args) do
    local path, cookie = arg:match("^([^|]+)|?(.*)$")
    local headers = { ["Accept-Encoding"] = "gzip, deflate, br" }
    if cookie ~= "" then
      headers["Cookie"] = cookie
    end
    table.insert(pages, wrk.format("GET", path, headers))
  end
  -- Globals of this thread, read by done() through thread:get().
  next_page, hits, stored, misses, other = 0, 0, 0, 0, 0
end

function request()
  next_page = next_page % #pages + 1
  return pages[next_page]
end

function response(status, headers, body)
  local cache = headers["X-Bench-Page-Cache"] or headers["x-bench-page-cache"]
  if cache == "hit" then
    hits = hits + 1
  elseif cache == "stored" then
    stored = stored + 1
  elseif cache == "miss" then
    misses = misses + 1
  else
    other = other + 1
  end
end

done = function(summary, latency, requests)
  local all_hits, all_stored, all_misses, all_other = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    all_hits = all_hits + thread:get("hits")
    all_stored = all_stored + thread:get("stored")
    all_misses = all_misses + thread:get("misses")
    all_other = all_other + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "errors": %d, "non2xx": %d, "hits": %d, "stored": %d, ' ..
    '"misses": %d, "unmarked": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout,
    summary.errors.status, all_hits, all_stored, all_misses, all_other))
end
