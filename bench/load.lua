-- wrk scenario: prepared requests (bench/run.py writes them to the Lua file named by
-- BENCH_REQUESTS) sent round robin, each wrk thread starting at its own place in the list, so many
-- distinct signed-in people are served at once. A request marked `fresh` gets a new idempotency key
-- each time it is sent (every daily-log POST is a real save); one marked `toggle` alternates
-- tick=1:1 and tick=1:0 (a tick, then an untick, as Today's button sends them). done() prints the figures as one JSON line.

local requests_file = os.getenv("BENCH_REQUESTS")
local nonce = os.getenv("BENCH_NONCE") or "0"
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

local prepared = {}
local position = 1
local sent = 0

function init(args)
  local list = dofile(requests_file)
  for i, r in ipairs(list) do
    prepared[i] = r
    if not r.fresh and not r.toggle then
      r.formatted = wrk.format(r.method, r.path, r.headers, r.body)
    end
  end
  position = ((thread_id or 0) * 7919) % #prepared + 1
end

function request()
  local r = prepared[position]
  position = position % #prepared + 1
  sent = sent + 1
  if r.formatted then
    return r.formatted
  end
  local body = r.body
  if r.fresh then
    body = body .. string.format("&idempotency_key=bench-%s-%d-%d", nonce, thread_id or 0, sent)
  end
  if r.toggle then
    body = body .. string.format("&tick=1:%d", math.floor(sent / #prepared) % 2 == 0 and 1 or 0)
  end
  return wrk.format(r.method, r.path, r.headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
