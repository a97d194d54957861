-- Sends comment POST bodies prepared by bench/prepare.py, one per line, each used once.
-- Arguments after "--": the bodies file, the CSRF cookie value, the number of threads.
local made = 0
setup = function(thread)
  made = made + 1
  thread:set("tid", made)
end

local bodies = {}
local index = 0
local threads = 1
init = function(args)
  threads = tonumber(args[3])
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if n % threads == tid - 1 then bodies[#bodies + 1] = line end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. args[2]
end

request = function()
  index = index + 1
  return wrk.format(nil, nil, nil, bodies[((index - 1) % #bodies) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY p50=%d p95=%d p99=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
