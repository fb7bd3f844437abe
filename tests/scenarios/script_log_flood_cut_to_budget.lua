-- A workflow that logged in a loop wrote thousands of lines (7 MB) into halyard's shared log
-- in one plan. Now a call's script log lines stop at the budget (200 lines, 64 KiB by
-- default), a long line is cut with a mark, and one line gives the count of those dropped.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("kiosk_log.lua", [[
return {
    name = "Kiosk log", status = "active", scope = "all", trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}}, instructions = "1. Restart the kiosk.",
    gather = function(context)
        local big = string.rep("B", 60000)
        for i = 1, 500 do log.info("big %d %s", i, big) end
        return {"gathered"}
    end,
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.workflow("badge_log.lua", [[
return {
    name = "Badge log", status = "active", scope = "all", trigger = "A badge reader fails.",
    match = {all = {{"badge*"}}}, instructions = "1. Reset the badge reader.",
    gather = function(context)
        for i = 1, 300 do log.info("short %d", i) end
        return {"gathered"}
    end,
    samples = {
        match = {{source = "written", summary = "Badge reader down", details = "badge fails"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme)

-- Step 1: 500 lines of 60,000 bytes each.
local kiosk = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "kiosk down"}
expect.note(kiosk, {contains = "Kiosk log"})
local log = halyard.log()
local _, big_lines = log:gsub("big %d+ B+", "")
expect.eq(big_lines, 64, "64 KiB in lines of 1 KiB")
expect.contains(log, "big 1 " .. string.rep("B", 1018) .. " [cut: 58982 more bytes]\n")
expect.eq(log:find(string.rep("B", 1025), 1, true), nil, "no line keeps more than 1 KiB")
expect.truthy(#log < 200000, "the log stays small, not " .. #log .. " bytes")
local dropped = tonumber(log:match("dropped (%d+) script log lines %(%d+ bytes%) past the log budget of 200 lines and 65536 bytes"))
expect.eq(dropped, 500 - big_lines, "the lines dropped")
expect.contains(log, "plan made", "halyard's own lines are kept")

-- Step 2: the next plan has a budget of its own, and 300 short lines stop at 200.
local badge = halo.log_ticket{user = jane, summary = "Badge reader down", details = "badge fails"}
expect.note(badge, {contains = "Badge log"})
log = halyard.log()
local _, short_lines = log:gsub("short %d+\n", "")
expect.eq(short_lines, 200, "short lines written")
expect.contains(log, "short 200\n")
expect.eq(log:find("short 201\n", 1, true), nil, "line 201 dropped")
expect.contains(log, "dropped 100 script log lines")
