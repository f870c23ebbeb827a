-- report.lua: a wrk `done` hook that prints one machine-readable line for
-- run.sh. run.sh appends it to every script it hands to wrk (on its own it
-- keeps wrk's requests static: no `request` function is defined here).
-- summary.errors.status counts responses with a status above 399.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d p50_us=%.0f p90_us=%.0f " ..
    "p99_us=%.0f max_us=%.0f connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
