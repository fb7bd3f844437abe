-- Execute mode with an MSP tool that never returns: the step fails at a Lua limit, the run
-- goes on, and the closing note gives the reason in one line, without a Lua traceback or the
-- server's folders.

halyard.config{lua_limits = {default = {time_ms = 200}}}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.tool("acme_spin.lua", [[
return {
    name = "acme.spin",
    description = "Spins forever.",
    kind = "read",
    parameters = {},
    run = function() while true do end end,
}
]])
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Spin.",
    steps = {
        {tool = "acme.spin", kind = "read", arguments = {}, purpose = "Spin."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
local closing = expect.note(ticket, {contains = "finished plan"})
expect.contains(closing.text, "acme.spin")
expect.not_contains(closing.text, "stack traceback")
expect.not_contains(closing.text, "bindings/lua")
local count = 0
for _ in closing.text:gmatch("Execute mode%.") do
    count = count + 1
end
expect.eq(count, 1, "the closing note names the run's mode once")
