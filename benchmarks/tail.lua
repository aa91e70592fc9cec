-- wrk script for benchmarks/tail.sh: GET /shipments/{id} for ids drawn at random from a file (one id a
-- line), with the benchmark token. Arguments after "--": the ids file and the token.
-- At the end it prints one line, "tail: key=value ...", that benchmarks/tail_report.py reads.
local ids = {}
local token

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  token = args[2]
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", "/shipments/" .. ids[math.random(#ids)], { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "tail: requests=%d duration_us=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d "
      .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f mean_ms=%.2f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
