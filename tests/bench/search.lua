-- search.lua: distinct filtered searches for wrk, one new target per request.
--
--   wrk ... -s search.lua URL -- WORDS_FILE AUDIENCES_FILE TOPICS_FILE
--
-- Each request is GET /api/v1/organisations with, per request:
--   q     one word from WORDS_FILE (80%) or two (20%); absent in 10% of
--         requests (a taxonomy-only browse: audience and topic filters)
--   audience / topic filters: none, one, both, or two topics (comma list)
--   page  1 (70%), 2 (20%) or 3 (10%)
--   x     "<wrk thread>-<counter>": the API ignores unknown parameters, but
--         they are part of the response-cache key, so every request misses
--         the cache while the cache itself stays on (as in production).
-- The choices come from math.random seeded by the thread number, so a run
-- is repeatable.
--
--   wrk ... -s search.lua URL -- WORDS AUDIENCES TOPICS PATH people
--
-- "people" mode sends q as people type it instead: a lead-in from how
-- children and parents start ("my son is being", "someone keeps",
-- "i am worried about"...), one to three words from WORDS, and in one
-- request in five a typo (two neighbouring letters swapped in one word),
-- which sends the search through typo correction. It is meant for a server
-- run with --search-memo off, so that no memo answers any of it.

local words, audiences, topics = {}, {}, {}
local counter = 0
local threads = 0

local function load(path, list)
  for line in io.lines(path) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      list[#list + 1] = line
    end
  end
  assert(#list > 0, "search.lua: " .. path .. " is empty")
end

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local path = "/api/v1/organisations"
local people = false

local leads = {
  "", "", "my+son+is+being+", "my+daughter+is+", "someone+keeps+", "i+am+worried+about+",
  "what+do+i+do+about+", "help+with+", "im+scared+of+", "how+to+stop+", "is+there+help+for+",
  "my+child+was+", "worried+about+my+", "who+can+i+talk+to+about+",
}

local function typo(w)
  if #w < 5 then
    return w
  end
  local i = math.random(2, #w - 2)
  return w:sub(1, i - 1) .. w:sub(i + 1, i + 1) .. w:sub(i, i) .. w:sub(i + 2)
end

function init(args)
  load(args[1], words)
  load(args[2], audiences)
  load(args[3], topics)
  path = args[4] or path  -- "/organisations": the HTML results page
  people = args[5] == "people"
  math.randomseed(tid or 1)
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  counter = counter + 1
  local parts = {}
  local shape = math.random(0, 9)
  if people then
    local q = {}
    for k = 1, math.random(1, 3) do
      q[k] = pick(words)
    end
    if math.random(1, 5) == 1 then
      local k = math.random(#q)
      q[k] = typo(q[k])
    end
    parts[#parts + 1] = "q=" .. pick(leads) .. table.concat(q, "+")
  elseif shape ~= 9 then
    local q = pick(words)
    if math.random(1, 5) == 1 then
      q = q .. "+" .. pick(words)
    end
    parts[#parts + 1] = "q=" .. q
  end
  if shape == 2 or shape == 3 or shape >= 6 then
    local t = pick(topics)
    if shape == 8 then
      t = t .. "," .. pick(topics)
    end
    parts[#parts + 1] = "topic=" .. t
  end
  if shape == 4 or shape == 5 or shape == 6 or shape == 7 or shape == 9 then
    parts[#parts + 1] = "audience=" .. pick(audiences)
  end
  local r = math.random(1, 10)
  parts[#parts + 1] = "page=" .. (r <= 7 and 1 or (r <= 9 and 2 or 3))
  parts[#parts + 1] = "x=" .. (tid or 0) .. "-" .. counter
  return wrk.format("GET", path .. "?" .. table.concat(parts, "&"))
end
