-- wrk script of the benchmark tour. The tour writes the scenario's planned requests to a file,
-- one per line: method, path, content type, body (tab-separated). Each wrk thread cycles through
-- them, and `done` prints the summary as one JSON line for the tour to read. Lines that start with
-- HEADER (name, value) come first: headers sent with every request (a signed-in client's token).
-- An optional second argument paces each connection: milliseconds to wait before each request.
local planned = {}
local next_index = 0

function init(args)
  local file = assert(io.open(args[1], "r"))
  local lines, common = {}, {}
  for line in file:lines() do
    local name, value = line:match("^HEADER\t([^\t]*)\t(.*)$")
    if name then common[name] = value else lines[#lines + 1] = line end
  end
  file:close()
  for _, line in ipairs(lines) do
    local method, path, ctype, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    -- wrk.format takes the table it is given instead of wrk.headers, so each gets its own copy
    local headers = {}
    for name, value in pairs(common) do headers[name] = value end
    if ctype ~= "" then headers["Content-Type"] = ctype end
    if body == "" then body = nil end
    planned[#planned + 1] = wrk.format(method, path, headers, body)
  end
  if args[2] then
    local pause = tonumber(args[2])
    -- wrk calls a global `delay` before every request when the script defines one
    delay = function() return pause end
  end
end

function request()
  next_index = next_index % #planned + 1
  return planned[next_index]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,' ..
      '"socketErrors":%d,"timeouts":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    e.connect + e.read + e.write, e.timeout, e.status))
end
