-- wrk script: cycle through the request paths of a file, stop after a request
-- cap, and print one JSON line with the counts and latency percentiles.
-- Usage: wrk ... -s report.lua -- <paths file> <request cap per thread> [<run tag>]
-- With a run tag, every request carries a query parameter of its own
-- (`nocache=<tag>.<n>`), so that no cache can have seen it before.

local paths = {}
local position = 1
local cap = 0
local answered = 0
local counter = 0
local threads = {}
local tag = nil
local sent = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_number", counter)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then table.insert(paths, line) end
   end
   cap = tonumber(args[2]) or 0
   if args[3] and #args[3] > 0 then tag = args[3] .. "." .. (thread_number or 1) end
   -- Threads start at different places in the list, deterministically.
   position = ((thread_number or 1) * 7919) % #paths + 1
end

function request()
   local path = paths[position]
   position = position % #paths + 1
   if tag then
      sent = sent + 1
      local sep = "?"
      if string.find(path, "?", 1, true) then sep = "&" end
      path = path .. sep .. "nocache=" .. tag .. "." .. sent
   end
   return wrk.format(nil, path)
end

function response(status, headers, body)
   answered = answered + 1
   if cap > 0 and answered >= cap then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
end
