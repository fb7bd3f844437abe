-- Execute mode: the run's own status step closes the ticket, a read step follows, and then a
-- write step. The ticket read again before that write finds it closed, but by the run's own
-- step, so the run goes on: every step runs once, with a closing note and no second run.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[
return { default = {["halo.add_note"] = "auto", ["halo.set_status"] = "auto"}, clients = {} }
]])
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Close the ticket, look the requester up, note it, then wait on them.",
    steps = {
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 9},
            purpose = "Close the ticket."},
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Closed after the restart."},
            purpose = "Record the close."},
        {tool = "halo.set_status", kind = "write", arguments = {status_id = 4},
            purpose = "Wait on the requester after all."},
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
expect.run(ticket, {state = "done", timeout = 20})
expect.note(ticket, {contains = "Closed after the restart."})
expect.eq(halo.ticket(ticket).status_id, 4, "the last status step ran")
expect.eq(#halyard.runs(ticket), 1, "no second run")
halyard.settle{}
expect.eq(#halyard.runs(ticket), 1, "no second run once settled")
