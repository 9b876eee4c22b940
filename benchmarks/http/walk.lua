-- Cache misses: every request asks for a product page never requested before in this run.
-- Arguments after "--": expected X-Page-Cache value ("-": none), a path format with one %d
-- (e.g. /en/product/BENCH-%05d/), the first product number, and how many numbers each thread
-- owns. Thread t walks first + t*block ... first + (t+1)*block - 1, each number once; running
-- past its block wraps around (a repeat) and is reported as "exhausted" so the harness fails.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local counter = 0

function init(args)
   check_init(args[1])
   path_format = args[2]
   block = tonumber(args[4])
   first_number = tonumber(args[3]) + tid * block
end

function request()
   if counter >= block then
      exhausted = exhausted + 1
      counter = 0
   end
   local path = string.format(path_format, first_number + counter)
   counter = counter + 1
   return wrk.format("GET", path)
end
