-- Bug: a new ticket that a sensitive workflow matched, with no provider connected, got the run
-- event "the ticket changed into a sensitive one" although nothing had changed: the first plan
-- had matched the workflow. The event now tells whether the ticket was sensitive as logged or
-- after a change.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[
return {
    default = {["halo.add_note"] = "auto"},
    clients = {},
}
]])
halyard.workflow("folder_access.lua", [[
return {
    name = "Folder access",
    status = "active",
    scope = "all",
    sensitive = "access_grant",
    trigger = "Someone cannot open a shared folder.",
    match = {all = {{"folder*"}}},
    instructions = "1. Check the folder's members. 2. Add the requester if their role needs it.",
    steps = {
        {tool = "halo.add_note", kind = "write",
            arguments = {note = "Added the requester to the folder's members."},
            purpose = "Record the change."},
    },
    samples = {
        match = {{source = "written", summary = "Folder missing", details = "cannot see it"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

-- Returns the detail of the newest event of kind in the ticket's newest run.
local function event_detail(ticket, kind)
    local detail = nil
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == kind then
            detail = event.detail
        end
    end
    return detail
end

-- Step 1: a new ticket the workflow matches as it was logged.
local logged = halo.log_ticket{user = jane, summary = "Teams folder",
    details = "I cannot see the Finance folder in Teams any more."}
halo.update(logged, {technician = sam, assign = sam})
expect.note(logged, {contains = "asks for approval", hidden = true})
halyard.settle()
local first = event_detail(logged, "rescreened")
expect.truthy(first, "the run has a rescreened event")
expect.contains(first, "as it was logged", "the event says the ticket was sensitive from the start")
expect.not_contains(first, "changed", "the event claims no change")

-- Step 2: a harmless ticket edited into one the workflow matches.
local edited = halo.log_ticket{user = jane, summary = "Teams slow",
    details = "Teams takes a minute to start."}
halo.update(edited, {technician = sam, assign = sam})
expect.note(edited, {contains = "halyard", hidden = true})
halyard.settle()
halo.update(edited, {technician = sam, details = "I cannot see the Finance folder in Teams."})
halyard.settle{timeout = 20}
local second = event_detail(edited, "rescreened")
expect.truthy(second, "the edited run has a rescreened event")
expect.contains(second, "the changed ticket matches", "the event says the ticket changed")
