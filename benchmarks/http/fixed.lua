-- One URL for every request (the URL and headers come from the wrk command line).
-- Arguments after "--": expected X-Page-Cache value, or "-" for no check.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

function init(args)
   check_init(args[1])
end
