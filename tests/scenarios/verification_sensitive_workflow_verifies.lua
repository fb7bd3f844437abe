-- A workflow that declares itself sensitive makes its tickets need the requester's identity
-- check even when the sensitive policy finds their words harmless. The policy screens "I cannot
-- see the Finance folder" as a fault report, but the MSP's folder workflow grants access to
-- folders, so the run waits for the requester before any plan is posted, and its events name
-- the workflow. A declared reason that is no sensitive reason code is a lint problem.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.workflow("folder_access.lua", [[
return {
    name = "Folder access",
    status = "active",
    scope = "all",
    sensitive = "access_grant",
    trigger = "Someone cannot open a shared folder.",
    match = {all = {{"folder*"}}},
    instructions = "1. Check the folder's members. 2. Add the requester if their role needs it.",
    samples = {
        match = {{source = "written", summary = "Folder missing", details = "cannot see it"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Teams folder",
    details = "I cannot see the Finance folder in Teams any more."}
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
halyard.settle()
expect.eq(#halyard.notes(ticket), 0, "no plan is posted before the identity check")

-- Returns the detail of the first event of kind in the ticket's newest run, or nil.
local function event_detail(kind)
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == kind then
            return event.detail
        end
    end
    return nil
end
expect.contains(event_detail("screening_passed") or "", "not sensitive",
    "the sensitive policy found the words harmless")
local why = event_detail("workflow_sensitive")
expect.truthy(why, "an event says a workflow made the run sensitive")
expect.contains(why or "", "Folder access", "the event names the workflow")
expect.contains(why or "", "access_grant", "the event names the workflow's reason")

verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
expect.note(ticket, {contains = "Folder access"})
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 1, "one challenge for the run")
expect.no_new_note(ticket)

-- A declared reason must be one of the sensitive reason codes.
halyard.workflow("folder_typo.lua", [[
return {
    name = "Folder typo",
    status = "draft",
    scope = "all",
    sensitive = "folder_access",
    trigger = "Someone cannot open a shared folder.",
    match = {all = {{"folder*"}}},
    instructions = "1. Check the folder's members.",
    samples = {
        match = {{source = "written", summary = "Folder missing", details = "cannot see it"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
local status, output = halyard.lint()
expect.eq(status, 1, "lint's exit status")
expect.contains(output, "folder_typo.lua:5: sensitive is \"folder_access\"",
    "lint names the file, line and value")
expect.contains(output, "access_grant", "lint lists the codes")
