-- soak.lua: wrk script for tests/ops/soak.sh. Reads the URL paths from the
-- file named by the environment variable URLS_FILE (one per line) and walks
-- them round-robin from a random offset per thread; every other request
-- accepts gzip.
local paths = {}
local i = 0
local gzip = { ["Accept-Encoding"] = "gzip" }
local plain = {}

function init(args)
  local f = assert(io.open(os.getenv("URLS_FILE"), "r"))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  f:close()
  assert(#paths > 0, "no URLs")
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  i = math.random(#paths)
end

function request()
  i = i + 1
  local p = paths[(i % #paths) + 1]
  return wrk.format("GET", p, (i % 2 == 0) and gzip or plain)
end
