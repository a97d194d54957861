-- Searches for the URL-encoded queries in a file (one a line), from /search/?q=.
-- Arguments after "--": the queries file, the number of wrk threads, and "cycle" (go round
-- the list: the same few searches again and again, as a popular topic draws) or "once"
-- (each query at most once, so no cache of results can answer: when a thread has sent
-- its share it stops, and its remaining connections ask for /healthz, counted as spare).
local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

local queries = {}
local index = 0
local once = false
spare = 0

init = function(args)
  local count = tonumber(args[2])
  once = args[3] == "once"
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if line ~= "" and (not once or n % count == tid - 1) then queries[#queries + 1] = line end
  end
  if not once then index = tid * 7 end  -- threads start at different places in the cycle
end

request = function()
  index = index + 1
  if once and index > #queries then
    spare = spare + 1
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("GET", wrk.path .. "?q=" .. queries[((index - 1) % #queries) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY p50=%d p95=%d p99=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  local spares = 0
  for _, thread in ipairs(threads) do spares = spares + (thread:get("spare") or 0) end
  io.write("BENCH_STATUS spare=" .. spares .. "\n")
end
