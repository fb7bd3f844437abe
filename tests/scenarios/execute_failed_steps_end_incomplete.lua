-- Execute mode: a run whose steps do not all succeed does not end done. Read steps that fail
-- let the run go on, and it ends incomplete with a note that states it. A write step that is
-- rejected (an argument of the wrong type) stops the run there.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.policy("tools.lua", [[ return { default = {["halo.*"] = "auto"}, clients = {} } ]])
halyard.workflow("odd_reads.lua", [==[
return {
    name = "Odd reads",
    status = "active",
    scope = "all",
    trigger = "Odd reads.",
    match = {all = {{"oddread*"}}},
    instructions = "x",
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.nme}"}, purpose = "typo"},
        {tool = "halo.get_user", arguments = {user_id = 1.5}, purpose = "fraction"},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"}, purpose = "ok"},
    },
    samples = {
        match = {{source = "written", summary = "oddread", details = "oddread"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]==])
halyard.workflow("odd_writes.lua", [==[
return {
    name = "Odd writes",
    status = "active",
    scope = "all",
    trigger = "Odd writes.",
    match = {all = {{"oddwrite*"}}},
    instructions = "x",
    steps = {
        {tool = "halo.set_status", arguments = {status_id = "4"}, purpose = "string id"},
        {tool = "halo.add_note", arguments = {note = "after the status"}, purpose = "after"},
    },
    samples = {
        match = {{source = "written", summary = "oddwrite", details = "oddwrite"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]==])
halyard.import(acme, {mode = "execute"})

local reads = halo.log_ticket{user = jane, summary = "oddread", details = "oddread"}
local closing = expect.note(reads, {contains = "not every step succeeded"})
expect.run(reads, {state = "incomplete"})
expect.contains(closing.text, "the run ends incomplete")
expect.contains(closing.text, "step 1 halo.get_user: rejected")
expect.contains(closing.text, "step 3 halo.list_user_tickets: done")

local writes = halo.log_ticket{user = jane, summary = "oddwrite", details = "oddwrite"}
local stopped = expect.note(writes, {contains = "stopped plan"})
expect.run(writes, {state = "incomplete"})
expect.contains(stopped.text, "halo.set_status")
expect.contains(stopped.text, "must be an integer")
expect.contains(stopped.text, "step 2 halo.add_note")
for _, note in ipairs(halyard.notes(writes)) do
    expect.not_contains(note.text, "after the status", "the step after the rejected write")
end
