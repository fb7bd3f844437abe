-- The script log budget of a call comes from lua_limits: log_lines and log_kb, for every MSP
-- (default) or one MSP by name.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.config{lua_limits = {default = {log_lines = 5, log_kb = 1}}}
halyard.workflow("kiosk_log.lua", [[
return {
    name = "Kiosk log", status = "active", scope = "all", trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}}, instructions = "1. Restart the kiosk.",
    gather = function(context)
        for i = 1, 12 do log.info("tick %d", i) end
        log.warning("long %s", string.rep("C", 3000))
        return {"gathered"}
    end,
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme)

local kiosk = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "kiosk down"}
expect.note(kiosk, {contains = "Kiosk log"})
local log = halyard.log()
local _, lines = log:gsub("tick %d+\n", "")
expect.eq(lines, 5, "tick lines written")
expect.contains(log, "tick 5\n")
expect.eq(log:find("tick 6\n", 1, true), nil, "line 6 dropped")
expect.eq(log:find("long C", 1, true), nil, "the long line dropped")
expect.contains(log, "dropped 8 script log lines")
expect.contains(log, "past the log budget of 5 lines and 1024 bytes per call")
