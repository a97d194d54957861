-- Sends the comment forms prepared by bench/prepare.py: each line at most once.
-- Arguments after "--": the bodies file, the number of wrk threads, the site's origin
-- (http://host:port) and the article's path, which a browser sends as Origin and Referer.
-- A line is "address<TAB>form": the address goes in X-Forwarded-For, as our proxy would
-- add it (the bench runs with TRUSTED_PROXY_HOPS=1), so each comment comes from its own
-- reader. (wrk calls request() once to check the script: that first form is never sent.)
-- When a thread has sent all its lines it stops, and its remaining connections
-- ask for /healthz instead (counted as "spare" below, never as a post).
local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

local lines = {}
local index = 0
local headers = {}
local referer = ""
spare = 0
statuses = {}
refusal = nil

init = function(args)
  local count = tonumber(args[2])
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if line ~= "" and n % count == tid - 1 then lines[#lines + 1] = line end
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Origin"] = args[3]
  referer = args[3] .. args[4]
end

request = function()
  index = index + 1
  if index > #lines then
    spare = spare + 1
    wrk.thread:stop()
    return wrk.format("GET", "/healthz", {})
  end
  local line = lines[index]
  local tab = string.find(line, "\t", 1, true)
  headers["X-Forwarded-For"] = string.sub(line, 1, tab - 1)
  headers["Referer"] = referer
  return wrk.format("POST", wrk.path, headers, string.sub(line, tab + 1))
end

response = function(status, response_headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status >= 400 and refusal == nil then
    -- What the reader was told: the first error in the re-rendered form, if any.
    local said = string.match(body or "", 'class="errorlist[^"]*"[^>]*>%s*<li>(.-)</li>')
    refusal = key .. " " .. (said or string.sub(body or "", 1, 120))
  end
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY p50=%d p95=%d p99=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  local totals, spares = {}, 0
  for _, thread in ipairs(threads) do
    spares = spares + (thread:get("spare") or 0)
    for key, n in pairs(thread:get("statuses") or {}) do totals[key] = (totals[key] or 0) + n end
    local said = thread:get("refusal")
    if said then io.write("BENCH_REFUSAL " .. string.gsub(said, "%s+", " ") .. "\n") end
  end
  local parts = {}
  for key, n in pairs(totals) do parts[#parts + 1] = key .. "=" .. n end
  table.sort(parts)
  io.write("BENCH_STATUS " .. table.concat(parts, " ") .. " spare=" .. spares .. "\n")
end
