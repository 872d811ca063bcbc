-- Every request is a new reader (a fresh forwarded address), so every beacon is counted:
-- the write path at its busiest.
math.randomseed(os.time())
local agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

request = function()
  local reader = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = agent,
    ["X-Forwarded-For"] = reader,
  }, "{}")
end
