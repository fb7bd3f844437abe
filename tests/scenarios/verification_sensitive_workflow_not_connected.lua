-- Execute mode without a verification provider: a workflow that declares itself sensitive makes
-- every write of its run need a technician's approval, even one the tool policy lets run on its
-- own. The sensitive policy found the ticket's words harmless.
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

local ticket = halo.log_ticket{user = jane, summary = "Teams folder",
    details = "I cannot see the Finance folder in Teams any more."}
halo.update(ticket, {technician = sam, assign = sam})
local request = expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.contains(request.text, "halo.add_note", "the request lists the note step")
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("Added the requester", 1, true) == 1, false,
        "the note step waits for the approval")
end

local kinds = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    kinds[event.kind] = event.detail
end
expect.contains(kinds.workflow_sensitive or "", "Folder access", "an event names the workflow")
expect.contains(kinds.screened_again or "", "no verification provider is connected",
    "an event says every write needs approval")
expect.contains(kinds.approval_requested or "", "1 steps, 1 needing approval",
    "the auto note step needs approval")
