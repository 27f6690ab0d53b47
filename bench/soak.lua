-- bench/soak.py's load: the pages in SOAK_PATHS (one per line), round robin
-- from a different start in each thread, with SOAK_PAUSE_MS between requests
-- on each connection (wrk's delay()).
local paths = {}
for path in string.gmatch(os.getenv("SOAK_PATHS") or "/", "[^\n]+") do
  table.insert(paths, path)
end
local pause = tonumber(os.getenv("SOAK_PAUSE_MS") or "0")
local counter = math.random(#paths)

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

delay = function()
  return pause
end
