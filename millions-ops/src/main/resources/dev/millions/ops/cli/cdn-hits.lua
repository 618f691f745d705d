-- millions bench cdn: hits. Rotates over PREFIX0 .. PREFIX(COUNT-1) (args: PREFIX COUNT), so every
-- cache serves the whole set of objects, not one hot key. The requests are formatted once in init:
-- formatting one per request would cost wrk more CPU than the fastest cache does.
local requests = {}
local next_index = 0

init = function(args)
  local prefix, count = args[1], tonumber(args[2])
  for n = 0, count - 1 do
    requests[n + 1] = wrk.format(nil, prefix .. n)
  end
end

request = function()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
