-- millions bench cdn: misses. Every request is a URL the cache has not seen (args: PREFIX COUNT TAG):
-- one of the COUNT objects under PREFIX with a query string made of TAG, which differs for each wrk
-- run, and a counter; every cache keys on the query string, so each request goes to the origin.
local prefix, count, tag
local sent = 0

init = function(args)
  prefix, count, tag = args[1], tonumber(args[2]), args[3]
end

request = function()
  sent = sent + 1
  return wrk.format(nil, prefix .. (sent % count) .. "?miss=" .. tag .. "-" .. sent)
end
