-- Mixed traffic for the soak: pages, searches and view beacons, in the order of the plan
-- file that soak_bench.py writes (one request a line: METHOD<TAB>PATH).
local plan = {}
for line in io.lines(os.getenv("SOAK_PLAN")) do
  local method, path = line:match("^(%u+)\t(.+)$")
  table.insert(plan, {method = method, path = path})
end
local agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
local position = 0

init = function(args)
  math.randomseed(os.time())
  position = math.random(1, #plan)
end

request = function()
  position = position % #plan + 1
  local step = plan[position]
  if step.method == "POST" then
    local reader = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
    return wrk.format("POST", step.path, {
      ["Content-Type"] = "application/json",
      ["User-Agent"] = agent,
      ["X-Forwarded-For"] = reader,
    }, "{}")
  end
  return wrk.format("GET", step.path, {["User-Agent"] = agent})
end
