-- Cycles through the search queries given after "--" (already URL-encoded).
local made = 0
setup = function(thread)
  made = made + 1
  thread:set("tid", made)
end

local queries = {}
local counter = 0
init = function(args)
  for i, query in ipairs(args) do queries[i] = query end
  counter = tid * 7
end

request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?q=" .. queries[(counter % #queries) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY p50=%d p95=%d p99=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
