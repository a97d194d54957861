-- The same URL every time; prints the latency percentiles (microseconds) for bench/run.py.
done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY p50=%d p95=%d p99=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
