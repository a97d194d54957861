-- Appends ?r=<thread>-<counter> so that no full-page cache can answer a request.
local made = 0
setup = function(thread)
  made = made + 1
  thread:set("tid", made)
end

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?r=" .. tid .. "-" .. counter)
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY p50=%d p95=%d p99=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
