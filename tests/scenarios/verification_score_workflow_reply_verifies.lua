-- A workflow matched by a score function that declares itself sensitive makes an update
-- sensitive, as one with keyword rules does. The screening of an update ran only the keyword
-- rules, so a reply that only a score function recognised on a done run was screened harmless
-- and nothing else happened: no challenge and no plan.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("door_code.lua", [[
return {
    name = "Door code",
    status = "active",
    scope = "all",
    trigger = "Someone asks for the code of a door by its form's request number.",
    match = function(ticket, text)
        if text.details:find("form dc 9", 1, true) then
            return 5, "door code form"
        end
        return 0
    end,
    sensitive = "physical_access",
    instructions = "Check who asks before giving any code.",
    steps = {
        {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks."},
    },
    samples = {
        match = {{source = "written", summary = "Request", details = "Form DC-9 attached"}},
        no_match = {{source = "written", summary = "Request", details = "Form AB-1 attached"}},
    },
}
]])
-- A score function that raises counts as no match and does not stop the screening.
halyard.workflow("broken_score.lua", [[
return {
    name = "Broken score",
    status = "active",
    scope = "all",
    trigger = "A ticket that says broken; its score function raises on a reply.",
    match = function(ticket, text)
        if text.details:find("attached", 1, true) then
            error("broken score function")
        end
        return text.details:find("broken", 1, true) and 1 or 0
    end,
    sensitive = "access_grant",
    instructions = "None.",
    samples = {
        match = {{source = "written", summary = "Request", details = "broken"}},
        no_match = {{source = "written", summary = "Request", details = "nothing here"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

-- Returns the detail of the first event of kind in the ticket's newest run, or nil.
local function event_detail(ticket, kind)
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == kind then
            return event.detail
        end
    end
    return nil
end

local ticket = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
halo.update(ticket, {technician = sam, assign = sam})
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 0, "the printer ticket needs no challenge")

halo.reply(ticket, {user = jane, text = "Form DC-9 is attached."})
expect.run(ticket, {state = "awaiting_verification", runs = 1})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "the requester is challenged")
local why = event_detail(ticket, "workflow_sensitive")
expect.truthy(why, "an event says a workflow made the run sensitive")
expect.contains(why or "", "Door code", "the event names the workflow")
expect.contains(why or "", "physical_access", "the event names the workflow's reason")
expect.contains(halyard.log(), "Broken score (broken_score.lua): score function failed while "
    .. "screening", "the failed score function is logged")
verifier.deny(challenge)
expect.run(ticket, {state = "verification_failed", runs = 1})
